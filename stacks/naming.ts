/**
 * Stack names: `<cluster>--<unit>`, so that one glob selects what one team owns.
 *
 * - `itzbund-ndb-1--*`          everything on one cluster (the cluster team's blast radius)
 * - `*--platform`                the platform stacks (guardrails, shared namespaces) of all clusters
 * - `*--tenant-bmbsp`            everything one agency owns, on every cluster
 * - `saas--tenant-bfbs`          an agency on BundesMessenger SaaS (no cluster of ours)
 */
export const StackNames = {
  platform: (clusterId: string) => `${clusterId}--platform`,
  wirePillar: (clusterId: string, pillarId: string) => `${clusterId}--${pillarId}`,
  tenant: (clusterId: string, tenantId: string) => `${clusterId}--tenant-${tenantId}`,
  saasTenant: (tenantId: string) => `saas--tenant-${tenantId}`,
} as const;
