import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SynthesizedStack } from './k8s-objects';

/** Reads every stack of a cdktf output directory (`manifest.json` + `stacks/<name>/cdk.tf.json`). */
export function readSynthesized(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  return Object.entries(manifest.stacks).map(([name, s]) => ({
    name,
    json: JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8')),
  }));
}
