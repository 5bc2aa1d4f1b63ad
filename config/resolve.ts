/**
 * Resolves the references of a tenant (pillar, cluster and operator ids) to the objects of the model: done once by
 * the loader, and on demand for a tenant of a model built in code.
 */
import { matrixServerZone } from './domain/matrix';
import type {
  Cluster,
  Federation,
  HostedMatrixServer,
  Operator,
  SaasBundesMessenger,
  Tenant,
  WirePillar,
  Zone,
} from './model';
import type { MatrixServerConfig, TenantConfig } from './schema';

/** What a tenant's references point into. */
export interface TenantReferences {
  readonly zones: readonly Zone[];
  readonly clusters: readonly Cluster[];
  readonly operators: readonly Operator[];
  readonly pillars: readonly WirePillar[];
}

/**
 * The tenants with their references as objects. The config keys stay as they are (the same nested objects); a
 * reference that does not resolve (only possible in a model built in code) is left out.
 */
export function resolveTenants(tenants: readonly TenantConfig[], refs: TenantReferences): Tenant[] {
  const clusters = new Map(refs.clusters.map((c) => [c.id, c]));
  const pillars = new Map(refs.pillars.map((p) => [p.id, p]));
  const operators = new Map(refs.operators.map((o) => [o.id, o]));
  const clusterZone = (id: string) => clusters.get(id)?.zone;
  const hosted = (
    product: HostedMatrixServer['product'],
    config: MatrixServerConfig,
  ): HostedMatrixServer | undefined => {
    const cluster = clusters.get(config.cluster);
    const zone = matrixServerZone({ mode: 'self-hosted', cluster: config.cluster }, refs.zones, clusterZone);
    return cluster && zone ? { mode: 'self-hosted', product, config, cluster, zone } : undefined;
  };
  return tenants.map((tenant) => {
    const bum = tenant.bundesMessenger;
    const selfHosted = bum?.mode === 'self-hosted' ? hosted('bundesmessenger', bum) : undefined;
    const saas: SaasBundesMessenger | undefined =
      bum?.mode === 'saas'
        ? {
            mode: 'saas',
            product: 'bundesmessenger',
            config: bum,
            provider: operators.get(bum.provider),
            wellKnownCluster: bum.wellKnown ? clusters.get(bum.wellKnown.cluster) : undefined,
            zone: matrixServerZone(bum, refs.zones, clusterZone),
          }
        : undefined;
    const bwm = tenant.bwMessenger ? hosted('bwmessenger', tenant.bwMessenger) : undefined;
    return {
      ...tenant,
      wirePillars: (tenant.wire?.pillars ?? []).flatMap((id) => pillars.get(id) ?? []),
      bundesMessengerService: selfHosted ?? saas,
      bwMessengerService: bwm,
      matrixServers: [selfHosted, bwm].filter((s): s is HostedMatrixServer => s !== undefined),
    };
  });
}

/** One tenant with its references as objects ({@link resolveTenants}). */
function resolveTenant(tenant: TenantConfig, refs: TenantReferences): Tenant {
  return resolveTenants([tenant], refs)[0];
}

/**
 * Whether a tenant carries resolved references that match its config keys (a loaded model's tenants do). A tenant
 * copied with a changed key (`{ ...tenant, bundesMessenger: other }`) or a changed reference carries stale objects
 * and does not count as resolved.
 */
export function isResolvedTenant(tenant: TenantConfig): tenant is Tenant {
  const t = tenant as Partial<Tenant>;
  if (!Array.isArray(t.wirePillars) || !Array.isArray(t.matrixServers)) return false;
  const pillarIds = tenant.wire?.pillars ?? [];
  if (t.wirePillars.length !== pillarIds.length || t.wirePillars.some((p, i) => p.id !== pillarIds[i])) return false;
  const bum = tenant.bundesMessenger;
  const bumService = t.bundesMessengerService;
  const bumMatches =
    bumService === undefined
      ? bum === undefined
      : bumService.config === bum &&
        (bumService.mode === 'saas'
          ? bumService.wellKnownCluster?.id === (bum.mode === 'saas' ? bum.wellKnown?.cluster : undefined)
          : bum.mode === 'self-hosted' && bumService.cluster.id === bum.cluster);
  const bwm = tenant.bwMessenger;
  const bwmService = t.bwMessengerService;
  const bwmMatches =
    bwmService === undefined ? bwm === undefined : bwmService.config === bwm && bwmService.cluster.id === bwm?.cluster;
  return bumMatches && bwmMatches;
}

/** The tenant with its references resolved against a federation: as it is when it carries them, resolved otherwise. */
export function resolvedTenant(federation: TenantReferences, tenant: TenantConfig): Tenant {
  return isResolvedTenant(tenant) ? tenant : resolveTenant(tenant, federation);
}

/**
 * The federation with every tenant's references resolved ({@link resolvedTenant}): the library edge for a model built
 * in code (a tenant copied with a changed key). A loaded model is returned as it is.
 */
export function resolvedFederation(federation: Federation): Federation {
  if (federation.tenants.every((t) => isResolvedTenant(t))) return federation;
  return { ...federation, tenants: federation.tenants.map((t) => resolvedTenant(federation, t)) };
}
