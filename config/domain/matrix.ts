/** Domain rules of the Matrix servers (BundesMessenger, BwMessenger): where a server is. */
import type { ZoneKind } from '../schema';
import { internetZoneOf } from './zones';

/**
 * The zone a Matrix server is in: a self-hosted BundesMessenger and a BwMessenger in the zone of their cluster; a
 * BundesMessenger as SaaS on the internet, i.e. in the federation's internet zone ({@link internetZoneOf}; none
 * when the federation declares no internet zone). `clusterZone` resolves a cluster id to its zone (undefined when
 * unknown).
 */
export function matrixServerZone<Z extends { readonly kind: ZoneKind }>(
  server: { readonly mode: 'self-hosted'; readonly cluster: string } | { readonly mode: 'saas' },
  zones: readonly Z[],
  clusterZone: (clusterId: string) => Z | undefined,
): Z | undefined {
  return server.mode === 'saas' ? internetZoneOf(zones) : clusterZone(server.cluster);
}
