import { Testing, TerraformStack } from 'cdktf';
import { NetworkZone, type NetworkZoneKind } from '../constructs/network-zone';
import { ZoneCluster, type ClusterConnection } from '../constructs/zone-cluster';

export interface ClusterFixtureOptions {
  readonly kind?: NetworkZoneKind;
  readonly connection?: ClusterConnection;
  readonly ingressClass?: string;
  readonly loadBalancerClass?: string;
  readonly callingSelector?: Record<string, string>;
}

/** A stack with one zone (10.64.0.0/12, fd00:64::/32) and one cluster `c1` in it, for construct tests. */
export function clusterFixture(options: ClusterFixtureOptions = {}) {
  const kind = options.kind ?? 'ndb';
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  const zone = new NetworkZone(stack, 'zone', {
    id: kind === 'ndb' ? 'ndb' : `z-${kind}`,
    kind,
    cidrs: ['10.64.0.0/12', 'fd00:64::/32'],
    ingressClass: options.ingressClass ?? 'nginx-zone',
    loadBalancerClass: options.loadBalancerClass ?? 'lb.zone.example/internal',
  });
  const cluster = new ZoneCluster(stack, 'cluster', {
    id: 'c1',
    zone,
    operator: { id: 'itzbund', name: 'ITZBund', kind: 'federal-it-service-provider' },
    connection: options.connection ?? { type: 'kubeconfig', path: '~/.kube/c1', context: 'c1' },
    ingressControllerNamespace: 'ingress',
    nodePools: [{ name: 'calling', purpose: 'calling', nodeSelector: options.callingSelector ?? { pool: 'calling' } }],
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const synth = (): any => JSON.parse(Testing.synth(stack));
  return { app, stack, zone, cluster, synth };
}
