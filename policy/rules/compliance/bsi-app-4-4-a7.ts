/** BSI-APP.4.4.A7: network separation: every namespace has a default-deny NetworkPolicy. */
import { Labels } from '../../../constructs/labels';
import { defaultDenyNamespaces } from '../../facts';
import { covers, type ComplianceUnit, type StackContext } from './context';
import { stackNamespaces } from './stack-objects';

export const bsiNetworkSeparation: ComplianceUnit<StackContext> = {
  id: 'BSI-APP.4.4.A7',
  level: 'error',
  explanation: 'Netztrennung: Default-Deny zwischen Namespaces',
  ...covers({
    'APP.4.4.A7': 'Default-Deny-NetworkPolicy je Namespace, Freigaben als Verbindungen',
    'APP.4.4.A18': 'eine NetworkPolicy je erklärter Verbindung',
    'SYS.1.6.A21': 'eingehende und ausgehende Verbindungen nur nach Freigabe',
    'APP.4.4.A13': 'Prüfungen bei jeder Synthese und per npm run verify',
  }),
  *check({ stacks }) {
    const denied = defaultDenyNamespaces(stacks);
    for (const ns of stackNamespaces(stacks)) {
      if (!denied.has(`${ns.cluster}/${ns.name}`))
        yield {
          tenant: ns.labels[Labels.tenant],
          message: `Namespace '${ns.name}' auf Cluster '${ns.cluster}' hat keine Default-Deny-NetworkPolicy`,
          stack: ns.stack,
          resource: ns.address,
        };
    }
  },
};
