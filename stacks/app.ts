import { App } from 'cdktf';
import type { Federation } from '../config/model';
import { PlatformStack } from './platform-stack';

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
  return app;
}
