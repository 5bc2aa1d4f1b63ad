import { App, TerraformStack } from 'cdktf';
import { TerraformLiterals } from '../constructs/terraform-literals';
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
  // Deploy order per cluster: platform (zone edge, guardrails), then pillars, then what agencies own.
  const platforms = new Map(federation.clusters.map((c) => [c.id, new PlatformStack(app, federation, c)]));
  const pillarStacks = new Map<string, WirePillarStack>();
  for (const pillar of federation.pillars) {
    const s = new WirePillarStack(app, federation, pillar);
    s.addDependency(platforms.get(pillar.cluster.id)!);
    pillarStacks.set(pillar.id, s);
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
      Object.assign(at(bum.wellKnown.cluster), {
        wellKnown: { homeserverUrl: bum.homeserverUrl, serverName: bum.serverName },
      });
    if (tenant.bwMessenger) Object.assign(at(tenant.bwMessenger.cluster), { bwMessenger: tenant.bwMessenger });
    for (const [clusterId, p] of parts) {
      const s = new TenantStack(app, federation, tenant, byId(federation.clusters, clusterId), p);
      s.addDependency(platforms.get(clusterId)!);
      for (const pillar of p.wirePillars) s.addDependency(pillarStacks.get(pillar.id)!);
    }
    if (bum?.mode === 'saas' && !bum.wellKnown) new SaasTenantStack(app, federation, tenant);
  }
  // Every literal string reaches Terraform JSON escaped (constructs/terraform-literals.ts); aspects apply per stack.
  for (const stack of app.node.children) if (stack instanceof TerraformStack) TerraformLiterals.applyTo(stack);
  return app;
}
