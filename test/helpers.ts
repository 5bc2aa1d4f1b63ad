import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CONFIG_FILE, parseFederation } from '../config/load';
import type { Federation } from '../config/model';
import { synthFederation } from '../stacks/synth';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { readSynthesized } from '../policy/synthesized';

export const ROOT = path.resolve(__dirname, '..');
export const DEFAULT_YAML = fs.readFileSync(DEFAULT_CONFIG_FILE, 'utf8');

export function tmpDir(prefix = 'bmi-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The default federation, parsed from its YAML text (optionally edited first). */
export function defaultFederation(edit?: (yaml: string) => string): Federation {
  return parseFederation(edit ? edit(DEFAULT_YAML) : DEFAULT_YAML, DEFAULT_CONFIG_FILE);
}

/** Synthesizes a federation into a fresh temp dir and reads every stack back. */
export function synthesize(federation: Federation): SynthesizedStack[] {
  const dir = tmpDir();
  try {
    synthFederation(federation, path.join(dir, 'out'));
    return readSynthesized(path.join(dir, 'out'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let cachedDefault: SynthesizedStack[] | undefined;
/** The synthesized default federation (synthesized once per test file). */
export function defaultStacks(): SynthesizedStack[] {
  cachedDefault ??= synthesize(defaultFederation());
  return cachedDefault;
}

export function stack(stacks: SynthesizedStack[], name: string): SynthesizedStack {
  const s = stacks.find((x) => x.name === name);
  if (!s) throw new Error(`no stack ${name}; have ${stacks.map((x) => x.name).join(', ')}`);
  return s;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function resources(s: SynthesizedStack, type: string): Record<string, any> {
  return s.json.resource?.[type] ?? {};
}
