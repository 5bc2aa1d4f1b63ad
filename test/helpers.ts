import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CONFIG_FILE, parseFederation } from '../config/load';
import type { Federation } from '../config/model';
import { synthFederation } from '../app/pipeline';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { readSynthesized } from '../policy/synthesized';

export const ROOT = path.resolve(__dirname, '..');
export const DEFAULT_YAML = fs.readFileSync(DEFAULT_CONFIG_FILE, 'utf8');

import { tmpDir } from './tmp-dirs';

export { tmpDir };

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
/**
 * The synthesized default federation. Synthesized once per test run and shared by the test files through a cache
 * file keyed by every source the output depends on (the app's code, the default config, the locked dependencies):
 * the same code gives the same output, and any change to it synthesizes anew.
 */
export function defaultStacks(): SynthesizedStack[] {
  if (cachedDefault) return cachedDefault;
  const file = path.join(ROOT, 'node_modules', '.cache', 'bund-messenger', `test-default-stacks-${sourcesKey()}.json`);
  try {
    cachedDefault = JSON.parse(fs.readFileSync(file, 'utf8')) as SynthesizedStack[];
  } catch {
    cachedDefault = synthesize(defaultFederation());
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(cachedDefault));
    fs.renameSync(tmp, file);
  }
  return cachedDefault;
}

/** sha256 over the sources of the app's output: its TypeScript, the default config, package-lock.json. */
function sourcesKey(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|json|keys|yaml)$/.test(e.name))
        h.update(`${path.relative(ROOT, p)}\0`).update(fs.readFileSync(p));
    }
  };
  for (const d of ['app', 'config', 'constructs', 'stacks', 'policy']) walk(path.join(ROOT, d));
  h.update(fs.readFileSync(path.join(ROOT, 'package-lock.json')));
  return h.digest('hex').slice(0, 16);
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

/** The issues of the default config after `edit` (fails the test when the config is accepted). */
export function configIssues(edit: (yaml: string) => string): import('../config/errors').ConfigIssue[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ConfigError } = require('../config/errors') as typeof import('../config/errors');
  try {
    defaultFederation(edit);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.issues];
    throw e;
  }
  throw new Error('expected the config to be rejected');
}

export function replaceOnce(yaml: string, from: string, to: string): string {
  if (!yaml.includes(from)) throw new Error(`test setup: '${from}' not in the default config`);
  return yaml.replace(from, to);
}

export const PILLAR_2_YAML = `    - id: wire-s2
      pillar: 2
      cluster: itzbund-inet-1
      stage: pilot
      size: small
      domain: wire-s2.itzbund.example
      acknowledgeNotImplemented: true
      datastores: { mode: demo }
      calling:
        nodes: [{ name: inet-calling-1, advertisedIp: 198.51.100.21 }]
`;

export const INTERNET_CLUSTER_YAML = `  - id: itzbund-inet-1
    zone: internet
    operator: itzbund
    connection: { type: kubeconfig, path: ~/.kube/itzbund-inet-1.yaml }
    pki: { type: acme, issuerName: letsencrypt-http01 }
    ingressController: { namespace: ingress-public }
    nodePools:
      - { name: calling, purpose: calling, nodeSelector: { node.messenger.bund/pool: calling } }
`;

/** Adds an internet cluster and (optionally acknowledged) Säule 2 to the default YAML. */
export function withPillar2(yaml: string, acknowledged = true): string {
  const pillar = acknowledged ? PILLAR_2_YAML : PILLAR_2_YAML.replace('      acknowledgeNotImplemented: true\n', '');
  return replaceOnce(
    replaceOnce(yaml, '\nwire:\n', `${INTERNET_CLUSTER_YAML}\nwire:\n`),
    '  # Wire backends run by others',
    `${pillar}  # Wire backends run by others`,
  );
}

/** Synthesizes in memory (no files), for tests that synthesize many federations. */
export function synthesizeInMemory(federation: Federation): SynthesizedStack[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Testing, TerraformStack } = require('cdktf') as typeof import('cdktf');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildFederationApp } = require('../stacks/app') as typeof import('../stacks/app');
  const app = buildFederationApp(federation, { outdir: path.join(os.tmpdir(), 'unused-in-memory-synth') });
  return app.node.children
    .filter((c): c is InstanceType<typeof TerraformStack> => c instanceof TerraformStack)
    .map((s) => ({ name: s.node.id, json: JSON.parse(Testing.synth(s)) }));
}

/** The issue of the edited default config at `path` (fails with all issues when there is none). */
export function issueAt(edit: (yaml: string) => string, path: string): import('../config/errors').ConfigIssue {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatPath } = require('../config/errors') as typeof import('../config/errors');
  const issues = configIssues(edit);
  const found = issues.find((i) => formatPath(i.path) === path);
  if (!found)
    throw new Error(`no issue at ${path}: ${issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('\n')}`);
  return found;
}

/** The values a helm_release hands to Helm (its values documents merged, `set` applied). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function releaseValuesOf(release: any): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { releaseValues } = require('../policy/helm-values') as typeof import('../policy/helm-values');
  return releaseValues(release).values;
}

/** A deep copy of the synthesized default federation, to mutate. */
export function cloneDefaultStacks(): SynthesizedStack[] {
  return defaultStacks().map((s) => ({ name: s.name, json: JSON.parse(JSON.stringify(s.json)) }));
}

/** The Terraform JSON of one stack. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function stackJson(stacks: SynthesizedStack[], name: string): any {
  return stacks.find((s) => s.name === name)!.json;
}

/** The first helm_release of a chart in a stack's JSON: its address and body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function releaseByChart(json: any, chart: string): [string, any] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const e = Object.entries(json.resource.helm_release).find(([, r]) => (r as any).chart === chart)!;
  return [`helm_release.${e[0]}`, e[1]];
}

/** Edits a release's first values document (read and written back escaped as synth writes it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function editReleaseValues(release: any, edit: (values: any) => void): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse, stringify } = require('yaml') as typeof import('yaml');
  const v = parse(release.values[0].replace(/\$\$\{/g, '${'));
  edit(v);
  release.values[0] = stringify(v).replace(/\$\{/g, () => '$${');
}
