/**
 * `npm run charts:pull -- --mirror <dir> <cdktf.out>`: fills a chart mirror with every chart the synthesized output
 * deploys (chart, version and repository of each `helm_release`), with the real Helm (`helm pull`; OCI for the
 * BundesMessenger chart). Run it on a machine with access to the chart repositories; an air-gapped installation
 * copies the mirror and points `verify --render` (CHART_MIRROR) and its Terraform at it. Charts already in the
 * mirror are kept. Exit 0: complete; 1: a chart could not be pulled; 2: usage or unreadable output.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { helmBinary, HelmUnavailableError } from '../policy/render/helm';
import { releasesOf } from '../policy/render/render';
import { readSynthesized } from '../policy/synthesized';

export const USAGE = `usage: npm run charts:pull -- --mirror <dir> <cdktf.out directory>

Pulls every chart the synthesized output deploys into <dir> as <chart>-<version>.tgz (helm pull; OCI repositories
included), keeping charts that are there already. Exit 0: the mirror is complete; 1: a chart could not be pulled;
2: a usage error or an unreadable output.

  --mirror <dir>   the chart mirror to fill (created if missing; default: CHART_MIRROR)
  --help           this text`;

export interface PullTarget {
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
}

/** The distinct charts of an output, sorted. */
export function pullTargets(outdir: string): PullTarget[] {
  const seen = new Map<string, PullTarget>();
  for (const r of releasesOf(readSynthesized(outdir))) {
    const repository = String(r.body?.repository ?? '');
    seen.set(`${r.chart}@${r.version}@${repository}`, { chart: r.chart, version: r.version, repository });
  }
  return [...seen.values()].sort((a, b) => `${a.chart}@${a.version}`.localeCompare(`${b.chart}@${b.version}`));
}

/** The `helm pull` arguments for one chart into a destination directory. */
export function pullArgs(t: PullTarget, destination: string): string[] {
  const source = t.repository.startsWith('oci://')
    ? [`${t.repository.replace(/\/$/, '')}/${t.chart}`]
    : [t.chart, '--repo', t.repository];
  return ['pull', ...source, '--version', t.version, '--destination', destination];
}

export function chartsPull(args: readonly string[], env: Readonly<Record<string, string | undefined>>) {
  const out: string[] = [];
  const err: string[] = [];
  const result = (code: 0 | 1 | 2) => ({ code, stdout: out.join('\n'), stderr: err.join('\n') });
  if (args.includes('--help')) {
    out.push(USAGE);
    return result(0);
  }
  let mirror = env.CHART_MIRROR;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--mirror') mirror = args[++i];
    else if (args[i].startsWith('-')) {
      err.push(`charts:pull: unknown option ${args[i]}`, USAGE);
      return result(2);
    } else dirs.push(args[i]);
  }
  if (!mirror || dirs.length !== 1) {
    err.push(
      !mirror ? 'charts:pull: --mirror <dir> or CHART_MIRROR is needed' : 'charts:pull: one output directory expected',
      USAGE,
    );
    return result(2);
  }
  let targets: PullTarget[];
  let helm: string;
  try {
    targets = pullTargets(dirs[0]);
    helm = helmBinary();
  } catch (e) {
    err.push(
      e instanceof HelmUnavailableError
        ? `charts:pull: ${e.message}`
        : `charts:pull: cannot read the synthesized output in ${dirs[0]}: ${(e as Error).message}`,
    );
    return result(2);
  }
  fs.mkdirSync(mirror, { recursive: true });
  const failed: string[] = [];
  for (const t of targets) {
    const file = path.join(mirror, `${t.chart}-${t.version}.tgz`);
    if (fs.existsSync(file)) {
      out.push(`kept   ${t.chart} ${t.version}`);
      continue;
    }
    // into a scratch directory first, so a broken pull never leaves a partial file in the mirror
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'charts-pull-'));
    try {
      const r = spawnSync(helm, pullArgs(t, scratch), {
        encoding: 'utf8',
        env: { ...process.env, HELM_CACHE_HOME: scratch },
      });
      const pulled = path.join(scratch, `${t.chart}-${t.version}.tgz`);
      if (r.status !== 0 || !fs.existsSync(pulled)) {
        failed.push(`${t.chart} ${t.version} from ${t.repository}: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
        continue;
      }
      fs.copyFileSync(pulled, `${file}.${process.pid}.tmp`);
      fs.renameSync(`${file}.${process.pid}.tmp`, file);
      out.push(`pulled ${t.chart} ${t.version} from ${t.repository}`);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  for (const f of failed) err.push(`charts:pull: could not pull ${f}`);
  out.push(`charts:pull: ${targets.length - failed.length} of ${targets.length} charts in ${mirror}`);
  return result(failed.length > 0 ? 1 : 0);
}

if (require.main === module) {
  const r = chartsPull(process.argv.slice(2), process.env);
  if (r.stdout) process.stdout.write(`${r.stdout}\n`);
  if (r.stderr) process.stderr.write(`${r.stderr}\n`);
  process.exitCode = r.code;
}
