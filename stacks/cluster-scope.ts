import { Construct } from 'constructs';
import type { Cluster } from '../config/model';
import { NetworkZone } from '../constructs/network-zone';
import { ZoneCluster } from '../constructs/zone-cluster';

/** Creates the zone and cluster constructs (with their providers) for a stack that deploys onto `cluster`. */
export function zoneCluster(scope: Construct, cluster: Cluster): ZoneCluster {
  const z = cluster.zone;
  const zone = new NetworkZone(scope, 'zone', {
    id: z.id,
    kind: z.kind,
    cidrs: z.cidrs,
    ingressClass: z.ingressClass,
    loadBalancerClass: z.loadBalancerClass,
    maxClassification: z.maxClassification,
  });
  return new ZoneCluster(scope, 'cluster', {
    id: cluster.id,
    zone,
    operator: { id: cluster.operator.id, name: cluster.operator.name, kind: cluster.operator.kind },
    connection: cluster.connection,
    ingressControllerNamespace: cluster.ingressController.namespace,
    nodePools: cluster.nodePools,
    kubernetesVersion: cluster.kubernetesVersion,
  });
}
