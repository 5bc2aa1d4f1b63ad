import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Federation } from '../config/model';
import { buildFederationApp } from './app';

export interface SynthResult {
  readonly outdir: string;
  readonly stacks: readonly string[];
}

/**
 * Synthesizes the federation into a scratch directory next to `outdir` and only then replaces `outdir`, so a
 * failure (an error annotation, a failing check) leaves the previous output untouched.
 */
export function synthFederation(federation: Federation, outdir: string): SynthResult {
  const target = path.resolve(outdir);
  const scratch = `${target}.tmp-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  try {
    const app = buildFederationApp(federation, { outdir: scratch });
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(scratch, 'manifest.json'), 'utf8')) as {
      stacks: Record<string, unknown>;
    };
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(scratch, target);
    return { outdir: target, stacks: Object.keys(manifest.stacks) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
