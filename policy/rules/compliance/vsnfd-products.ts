/**
 * VSNFD-PRODUCTS: only products approved for VS-NfD run in the NdB; of the messengers that is Wire Bund alone (with
 * suitable devices), so no BundesMessenger or BwMessenger server runs on a cluster in the NdB zone.
 */
import type { ComplianceUnit, ModelContext } from './context';
import { ownMatrixServers } from './matrix-servers';

export const vsnfdProducts: ComplianceUnit<ModelContext> = {
  id: 'VSNFD-PRODUCTS',
  level: 'error',
  explanation: 'Im NdB nur für VS-NfD zugelassene Produkte',
  unsuppressible: true,
  *check({ federation }) {
    for (const t of federation.tenants) {
      for (const { label, server } of ownMatrixServers(t)) {
        const cluster = federation.clusters.find((c) => c.id === server.cluster);
        if (cluster?.zone.kind === 'ndb')
          yield {
            tenant: t.id,
            message: `${t.name}: ${label} ist nicht für VS-NfD zugelassen und darf nicht in der NdB-Zone laufen (Cluster '${cluster.id}')`,
          };
      }
    }
  },
};
