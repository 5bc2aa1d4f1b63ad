import { App } from 'cdktf';
import { byId, type Federation, type WirePillar } from '../config/model';
import { PlatformStack } from './platform-stack';
import { WirePillarStack } from './wire-pillar-stack';
import { SaasTenantStack, TenantStack, type TenantParts } from './tenant-stack';

export interface FederationAppOptions {
  /** Where synth writes. */
  readonly outdir: string;
}

/** Builds every stack of a federation into a new cdktf App (nothing is written until `synth()`). */
export function buildFederationApp(federation: Federation, options: FederationAppOptions): App {
  const app = new App({ outdir: options.outdir, stackTraces: false });
  for (const cluster of federation.clusters) {
    new PlatformStack(app, federation, cluster);
  }
  for (const pillar of federation.pillars) {
    new WirePillarStack(app, federation, pillar);
  }
  for (const tenant of federation.tenants) {
    const parts = new Map<string, { wirePillars: WirePillar[] } & Omit<TenantParts, 'wirePillars'>>();
    const at = (clusterId: string) => {
      if (!parts.has(clusterId)) parts.set(clusterId, { wirePillars: [] });
      return parts.get(clusterId)!;
    };
    for (const pillarId of tenant.wire?.pillars ?? []) {
      const pillar = byId(federation.pillars, pillarId);
      at(pillar.cluster.id).wirePillars.push(pillar);
    }
    const bum = tenant.bundesMessenger;
    if (bum?.mode === 'self-hosted') Object.assign(at(bum.cluster), { bundesMessenger: bum });
    if (bum?.mode === 'saas' && bum.wellKnown)
      Object.assign(at(bum.wellKnown.cluster), { wellKnown: { homeserverUrl: bum.homeserverUrl } });
    if (tenant.bwMessenger) Object.assign(at(tenant.bwMessenger.cluster), { bwMessenger: tenant.bwMessenger });
    for (const [clusterId, p] of parts) {
      new TenantStack(app, federation, tenant, byId(federation.clusters, clusterId), p);
    }
    if (bum?.mode === 'saas' && !bum.wellKnown) new SaasTenantStack(app, federation, tenant);
  }
  return app;
}
