/** The Matrix servers an agency runs on a cluster of the federation, as the agency rules name them. */
import type { MatrixServerConfig, TenantConfig } from '../../../config/schema';

/** A self-hosted Matrix server of an agency: its name in the findings, its config key and its config. */
export interface OwnMatrixServer {
  readonly label: 'BundesMessenger' | 'BwMessenger';
  readonly key: 'bundesMessenger' | 'bwMessenger';
  readonly server: MatrixServerConfig;
}

/** The self-hosted BundesMessenger, then the BwMessenger of an agency (a BundesMessenger as SaaS is not one). */
export function ownMatrixServers(tenant: TenantConfig): OwnMatrixServer[] {
  const out: OwnMatrixServer[] = [];
  if (tenant.bundesMessenger?.mode === 'self-hosted')
    out.push({ label: 'BundesMessenger', key: 'bundesMessenger', server: tenant.bundesMessenger });
  if (tenant.bwMessenger) out.push({ label: 'BwMessenger', key: 'bwMessenger', server: tenant.bwMessenger });
  return out;
}
