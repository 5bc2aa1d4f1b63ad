/** BSI-SYS.1.6.A15: resource limits: a LimitRange in every namespace, CPU and memory limits for every container. */
import { Labels } from '../../../constructs/labels';
import { providerAlias } from '../../facts';
import { resources, valueAt } from '../../synthesized-view';
import { covers, type ComplianceUnit, type StackContext } from './context';
import { deploymentContainers, stackNamespaces } from './stack-objects';

export const bsiResourceLimits: ComplianceUnit<StackContext> = {
  id: 'BSI-SYS.1.6.A15',
  level: 'error',
  explanation: 'Ressourcenbegrenzung für jeden Container',
  ...covers({ 'SYS.1.6.A15': 'LimitRange je Namespace, Requests/Limits je Dienst' }),
  *check({ stacks }) {
    const limited = new Set(
      stacks.flatMap((s) =>
        resources(s, 'kubernetes_limit_range_v1').map(
          ({ body }) => `${providerAlias(body.provider)}/${valueAt(body, 'metadata.namespace')}`,
        ),
      ),
    );
    for (const ns of stackNamespaces(stacks)) {
      if (!limited.has(`${ns.cluster}/${ns.name}`))
        yield {
          tenant: ns.labels[Labels.tenant],
          message: `Namespace '${ns.name}' auf Cluster '${ns.cluster}' hat keine LimitRange mit Standardgrenzen`,
          stack: ns.stack,
          resource: ns.address,
        };
    }
    for (const c of deploymentContainers(stacks)) {
      if (!c.limited)
        yield {
          tenant: undefined,
          message: `Container '${c.name}' hat keine CPU- und Speicher-Limits`,
          stack: c.stack,
          resource: c.address,
        };
    }
  },
};
