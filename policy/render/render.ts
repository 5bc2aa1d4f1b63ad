/**
 * Renders every `helm_release` of a synthesized output with the real Helm, as `terraform apply` would install it:
 * the chart and version from an offline chart mirror (`<chart>-<version>.tgz`), the release's values documents and
 * `set` entries, a placeholder for each `set_sensitive` value, the release name and namespace, and the Kubernetes
 * version the cluster runs. Releases render in parallel; an unchanged release comes from a cache keyed by chart
 * file, release and values.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { providerAlias } from '../facts';
import { chartName, releaseValues } from '../helm-values';
import type { KubernetesObject, SynthesizedStack } from '../k8s-objects';
import { FactLocals } from '../../constructs/facts';
import { field, local, resources, type TerraformBody } from '../synthesized-view';

/** What `set_sensitive` values are rendered as: the real ones exist only at apply time. */
export const SECRET_PLACEHOLDER = 'rendered-without-secret';
/** The Kubernetes version rendered against when a cluster does not name one (`clusters[].kubernetesVersion`). */
export const DEFAULT_KUBE_VERSION = '1.31.0';

export interface ReleaseRef {
  readonly stack: string;
  /** `helm_release.<name>` */
  readonly address: string;
  readonly name: string;
  readonly namespace: string;
  readonly chart: string;
  readonly version: string;
  readonly body: TerraformBody;
}

export interface RenderedObject {
  readonly object: KubernetesObject;
  /** The chart template it came from (`# Source:` line). */
  readonly source: string;
  /** A Helm hook (`helm.sh/hook`), e.g. `post-install`; test hooks are left out (only `helm test` runs them). */
  readonly hook?: string;
}

export type RenderResult =
  | {
      readonly release: ReleaseRef;
      readonly status: 'rendered';
      readonly objects: readonly RenderedObject[];
      readonly cached: boolean;
    }
  | { readonly release: ReleaseRef; readonly status: 'missing'; readonly reason: string }
  | { readonly release: ReleaseRef; readonly status: 'failed'; readonly reason: string };

export interface RenderOptions {
  readonly helm: string;
  /** Directory of packaged charts, `<chart>-<version>.tgz`. */
  readonly mirror: string;
  /** Rendered output cache; none when undefined. */
  readonly cacheDir?: string;
  /** Kubernetes version per cluster alias (the `provider` of a release); DEFAULT_KUBE_VERSION otherwise. */
  readonly kubeVersions?: Readonly<Record<string, string>>;
  /** Parallel helm processes. @default the number of cores */
  readonly concurrency?: number;
}

/** The Kubernetes version each cluster runs (`locals.zone_cluster` of its stacks), as `helm template` takes it. */
export function kubeVersionsOf(stacks: readonly SynthesizedStack[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of stacks) {
    // read leniently: the zone facts' shape is the guard's to judge (policy/facts.ts)
    const c = local(s, FactLocals.zoneCluster);
    const id = field(c, 'id');
    const version = field(c, 'kubernetesVersion');
    if (id && typeof version === 'string') {
      out[String(id)] = /^\d+\.\d+$/.test(version) ? `${version}.0` : version;
    }
  }
  return out;
}

/** Every helm_release of the output, in stack order. */
export function releasesOf(stacks: readonly SynthesizedStack[]): ReleaseRef[] {
  return stacks.flatMap((s) =>
    resources(s, 'helm_release').map(({ name, address, body }) => ({
      stack: s.name,
      address,
      name: String(body.name ?? name),
      namespace: String(body.namespace ?? 'default'),
      chart: chartName(body.chart),
      version: String(body.version ?? ''),
      body,
    })),
  );
}

/** The `helm template` arguments and the values file text of a release (throws when its values are not YAML). */
export function templateArgs(
  r: ReleaseRef,
  chartFile: string,
  kubeVersion: string,
): { args: string[]; values: string } {
  const { values, sensitivePaths } = releaseValues(r.body);
  const args = ['template', r.name, chartFile, '--namespace', r.namespace, '--kube-version', kubeVersion];
  for (const p of sensitivePaths) args.push('--set-string', `${p}=${SECRET_PLACEHOLDER}`);
  return { args, values: JSON.stringify(values) };
}

/** Splits `helm template` output into objects, skipping test hooks and empty documents. */
export function parseRendered(text: string, namespace: string): RenderedObject[] {
  const out: RenderedObject[] = [];
  // Helm separates documents with `---` lines and opens each with `# Source: <template>`.
  for (const chunk of text.split(/^---[^\n]*$/m)) {
    // duplicate keys as Helm's own YAML reader takes them: the last one wins (seen in wire-server's test hooks)
    const object = parse(chunk, { uniqueKeys: false }) as KubernetesObject | null;
    if (!object || typeof object !== 'object' || !object.kind) continue;
    const source = /^# Source: (\S+)/m.exec(chunk)?.[1] ?? '';
    const hook = object.metadata?.annotations?.['helm.sh/hook'];
    if (hook && /(^|,)\s*test(-success|-failure)?\s*(,|$)/.test(hook)) continue;
    const metadata = { ...object.metadata, namespace: object.metadata?.namespace ?? namespace };
    out.push({ object: { ...object, metadata } as KubernetesObject, source, ...(hook ? { hook } : {}) });
  }
  return out;
}

function run(helm: string, args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(helm, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, HELM_CACHE_HOME: os.tmpdir() },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b) => out.push(b));
    p.stderr.on('data', (b) => err.push(b));
    p.on('error', (e) => resolve({ code: -1, stdout: '', stderr: String(e) }));
    p.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    p.stdin.end(input);
  });
}

const fileHashes = new Map<string, string>();
function sha256File(file: string): string {
  if (!fileHashes.has(file)) fileHashes.set(file, createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
  return fileHashes.get(file)!;
}

async function renderOne(r: ReleaseRef, o: RenderOptions): Promise<RenderResult> {
  const chartFile = path.join(o.mirror, `${r.chart}-${r.version}.tgz`);
  if (!fs.existsSync(chartFile)) {
    return {
      release: r,
      status: 'missing',
      reason: `chart ${r.chart} ${r.version} not in the mirror (looked for ${chartFile})`,
    };
  }
  let args: string[];
  let values: string;
  try {
    ({ args, values } = templateArgs(
      r,
      chartFile,
      o.kubeVersions?.[providerAlias(r.body.provider) ?? ''] ?? DEFAULT_KUBE_VERSION,
    ));
  } catch (e) {
    return { release: r, status: 'failed', reason: `values cannot be read: ${(e as Error).message}` };
  }
  args.push('--values', '-');
  const key = createHash('sha256')
    .update(JSON.stringify([o.helm, sha256File(chartFile), args.slice(0, 1).concat(args.slice(3)), values]))
    .digest('hex');
  const cacheFile = o.cacheDir ? path.join(o.cacheDir, `${key}.yaml`) : undefined;
  const parsed = (text: string, cached: boolean): RenderResult => {
    try {
      return { release: r, status: 'rendered', objects: parseRendered(text, r.namespace), cached };
    } catch (e) {
      return { release: r, status: 'failed', reason: `the rendered output is not valid YAML: ${(e as Error).message}` };
    }
  };
  if (cacheFile && fs.existsSync(cacheFile)) return parsed(fs.readFileSync(cacheFile, 'utf8'), true);
  const res = await run(o.helm, args, values);
  if (res.code !== 0) {
    const reason = res.stderr
      .trim()
      .split('\n')
      .filter((l) => !/^(WARNING|walk\.go)/.test(l))
      .join(' ')
      .replace(/\s+/g, ' ');
    return { release: r, status: 'failed', reason: reason || `helm exited ${res.code}` };
  }
  if (cacheFile) {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(`${cacheFile}.${process.pid}.tmp`, res.stdout);
    fs.renameSync(`${cacheFile}.${process.pid}.tmp`, cacheFile);
  }
  return parsed(res.stdout, false);
}

/** Renders the releases, `concurrency` at a time; results come in the order of `releases`. */
export async function renderReleases(releases: readonly ReleaseRef[], options: RenderOptions): Promise<RenderResult[]> {
  const results: RenderResult[] = new Array(releases.length);
  let next = 0;
  const worker = async () => {
    while (next < releases.length) {
      const i = next++;
      results[i] = await renderOne(releases[i], options);
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? os.cpus().length, releases.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}
