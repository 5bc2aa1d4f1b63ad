/** The Matrix servers an agency runs on a cluster of the federation, as the agency rules name them. */
import { PRODUCT_LABELS } from '../../../config/domain';
import type { Cluster, Tenant } from '../../../config/model';
import type { MatrixServerConfig } from '../../../config/schema';

/** A self-hosted Matrix server of an agency: its name in the findings, its config key, its config and cluster. */
export interface OwnMatrixServer {
  readonly label: string;
  readonly key: 'bundesMessenger' | 'bwMessenger';
  readonly server: MatrixServerConfig;
  readonly cluster: Cluster;
}

/**
 * The self-hosted BundesMessenger, then the BwMessenger of an agency (a BundesMessenger as SaaS is not one): the
 * resolved model's `matrixServers`, with the names the findings use.
 */
export function ownMatrixServers(tenant: Tenant): OwnMatrixServer[] {
  return tenant.matrixServers.map((s) => ({
    label: PRODUCT_LABELS[s.product],
    key: s.product === 'bundesmessenger' ? 'bundesMessenger' : 'bwMessenger',
    server: s.config,
    cluster: s.cluster,
  }));
}
