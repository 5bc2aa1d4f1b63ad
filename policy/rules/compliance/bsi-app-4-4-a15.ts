/**
 * BSI-APP.4.4.A15: applications of different protection needs share no cluster, and the cluster of Säule 1 (NdB)
 * runs nothing but Säule 1 and its ingress.
 */
import { Labels } from '../../../constructs/labels';
import { collectFacts } from '../../facts';
import { covers, type ComplianceUnit, type StackContext } from './context';
import { stackNamespaces, type StackNamespace } from './stack-objects';

export const bsiClusterSeparation: ComplianceUnit<StackContext> = {
  id: 'BSI-APP.4.4.A15',
  level: 'error',
  explanation: 'Anwendungen unterschiedlichen Schutzbedarfs teilen keinen Cluster; Säule 1 auf eigenem Cluster',
  unsuppressible: true,
  ...covers({
    'APP.4.4.A1': 'Zonen und Cluster je Schutzbedarf; Säule 1 nur im NdB',
    'APP.4.4.A14': 'Calling-Pool für hostNetwork-Dienste',
    'APP.4.4.A15': 'Säule 1 auf eigenem Cluster',
  }),
  *check({ stacks }) {
    const facts = collectFacts(stacks);
    const byCluster = new Map<string, StackNamespace[]>();
    for (const ns of stackNamespaces(stacks)) byCluster.set(ns.cluster, [...(byCluster.get(ns.cluster) ?? []), ns]);
    for (const [alias, namespaces] of byCluster) {
      const classifications = new Set(namespaces.map((n) => n.labels[Labels.classification]).filter(Boolean));
      if (classifications.size > 1)
        yield {
          tenant: undefined,
          message: `Cluster '${alias}' beherbergt Namespaces unterschiedlichen Schutzbedarfs (${[...classifications].join(', ')})`,
          stack: namespaces[0].stack,
        };
      if (facts.clusters.get(alias)?.zone.kind !== 'ndb') continue;
      for (const n of namespaces) {
        const service = n.labels[Labels.service];
        if (n.labels[Labels.pillar] !== '1' && service !== 'ingress')
          yield {
            tenant: n.labels[Labels.tenant],
            message: `Cluster '${alias}' betreibt Säule 1 und darf '${service}' nicht beherbergen (Namespace einer anderen Säule oder eines anderen Dienstes)`,
            stack: n.stack,
            resource: n.address,
          };
      }
    }
  },
};
