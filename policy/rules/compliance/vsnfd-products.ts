/**
 * VSNFD-PRODUCTS: only products approved for VS-NfD run in the NdB; of the messengers that is Wire Bund alone (with
 * suitable devices), so no BundesMessenger or BwMessenger server runs on a cluster in the NdB zone.
 */
import { PRODUCT_LABELS, productApprovedIn } from '../../../config/domain';
import type { ComplianceUnit, ModelContext } from './context';

export const vsnfdProducts: ComplianceUnit<ModelContext> = {
  id: 'VSNFD-PRODUCTS',
  level: 'error',
  explanation: 'Im NdB nur für VS-NfD zugelassene Produkte',
  unsuppressible: true,
  *check({ federation }) {
    for (const t of federation.tenants) {
      for (const server of t.matrixServers) {
        if (!productApprovedIn(server.product, server.zone))
          yield {
            tenant: t.id,
            message: `${t.name}: ${PRODUCT_LABELS[server.product]} ist nicht für VS-NfD zugelassen und darf nicht in der NdB-Zone laufen (Cluster '${server.cluster.id}')`,
          };
      }
    }
  },
};
