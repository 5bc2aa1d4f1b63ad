import { App } from 'cdktf';
import type { Federation } from '../config/model';
import { PlatformStack } from './platform-stack';
import { WirePillarStack } from './wire-pillar-stack';
import { WireTenantStack } from './wire-tenant-stack';

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
    for (const pillarId of tenant.wire?.pillars ?? []) {
      const pillar = federation.pillars.find((p) => p.id === pillarId);
      if (pillar) new WireTenantStack(app, federation, tenant, pillar);
    }
  }
  return app;
}
