import { App, TerraformStack } from 'cdktf';
import { TerraformLiterals } from '../constructs/terraform-literals';
import type { Cluster, Federation, WirePillar } from '../config/model';
import { resolvedFederation } from '../config/resolve';
import { issueDate } from '../policy/report/provenance';
import { PlatformStack } from './platform-stack';
import { WirePillarStack } from './wire-pillar-stack';
import { SaasTenantStack, TenantStack, type TenantParts } from './tenant-stack';

export interface FederationAppOptions {
  /** Where synth writes. */
  readonly outdir: string;
  /**
   * The day of the check (`YYYY-MM-DD`): the agencies' to-do lists name a planned DSFA due before it as overdue.
   * The pipeline passes the day its findings and reports use. @default the reports' date of issue today
   * (SOURCE_DATE_EPOCH, else today in Europe/Berlin)
   */
  readonly asOf?: string;
}

/** Builds every stack of a federation into a new cdktf App (nothing is written until `synth()`). */
export function buildFederationApp(model: Federation, options: FederationAppOptions): App {
  // the library edge: a model built in code may carry a tenant copied with a changed key; resolve it once, here
  const federation = resolvedFederation(model);
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const asOf = options.asOf ?? issueDate(process.env, new Date()).date;
  // Deploy order per cluster: platform (zone edge, guardrails), then pillars, then what agencies own.
  const platforms = new Map(federation.clusters.map((c) => [c.id, new PlatformStack(app, federation, c)]));
  const pillarStacks = new Map<string, WirePillarStack>();
  for (const pillar of federation.pillars) {
    const s = new WirePillarStack(app, federation, pillar);
    s.addDependency(platforms.get(pillar.cluster.id)!);
    pillarStacks.set(pillar.id, s);
  }
  for (const tenant of federation.tenants) {
    const parts = new Map<string, { cluster: Cluster; wirePillars: WirePillar[] } & Omit<TenantParts, 'wirePillars'>>();
    const at = (cluster: Cluster) => {
      if (!parts.has(cluster.id)) parts.set(cluster.id, { cluster, wirePillars: [] });
      return parts.get(cluster.id)!;
    };
    for (const pillar of tenant.wirePillars) at(pillar.cluster).wirePillars.push(pillar);
    const bum = tenant.bundesMessengerService;
    if (bum?.mode === 'self-hosted') Object.assign(at(bum.cluster), { bundesMessenger: bum.config });
    if (bum?.mode === 'saas' && bum.wellKnownCluster)
      Object.assign(at(bum.wellKnownCluster), {
        wellKnown: { homeserverUrl: bum.config.homeserverUrl, serverName: bum.config.serverName },
      });
    const bwm = tenant.bwMessengerService;
    if (bwm) Object.assign(at(bwm.cluster), { bwMessenger: bwm.config });
    for (const [clusterId, { cluster, ...p }] of parts) {
      const s = new TenantStack(app, federation, tenant, cluster, p, asOf);
      s.addDependency(platforms.get(clusterId)!);
      for (const pillar of p.wirePillars) s.addDependency(pillarStacks.get(pillar.id)!);
    }
    if (bum?.mode === 'saas' && !bum.config.wellKnown) new SaasTenantStack(app, federation, tenant, asOf);
  }
  // Every literal string reaches Terraform JSON escaped (constructs/terraform-literals.ts); aspects apply per stack.
  for (const stack of app.node.children) if (stack instanceof TerraformStack) TerraformLiterals.applyTo(stack);
  return app;
}
