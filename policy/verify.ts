/**
 * `npm run verify -- <cdktf.out directory>`: checks any synthesized output for ways into Säule 1 from outside the
 * NdB. Exit 0 when clean, 1 when it finds exposures, 2 when the input is unreadable. Writes
 * `<dir>/reports/reachability.md` and `.json`. With `--render` it also renders every Helm release with the real
 * Helm and checks the rendered objects (policy/render/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkExposure, formatFinding } from './exposure';
import type { SynthesizedStack } from './k8s-objects';
import { reachability, reachabilityMarkdown } from './reachability';
import { projectRoot } from '../config/paths';
import { renderStage } from './render/stage';
import { readSynthesized } from './synthesized';

export interface VerifyOutput {
  readonly code: 0 | 1 | 2;
  readonly lines: readonly string[];
}

export const VERIFY_USAGE = `usage: npm run verify -- [--render [--mirror <dir>] [--missing-ok <chart@version,...>]] <cdktf.out directory>

Checks a synthesized output for any way into Säule 1 from outside the NdB and writes
<dir>/reports/reachability.md and .json.
Exit 0: clean; 1: findings (one line each); 2: unreadable input, a chart missing from the mirror, or a usage error.

  --render               also render every Helm release with the real Helm (${'`'}helm template${'`'}) from a chart mirror and
                         check the rendered objects (the Säule-1 guard, Pod Security, the Kubernetes schema);
                         writes <dir>/reports/render.md and .json
  --mirror <dir>         the chart mirror: packaged charts <chart>-<version>.tgz (default: CHART_MIRROR)
  --missing-ok <list>    chart@version entries known to be absent from the mirror: reported, not an error
  --help                 this text`;

export function verify(dir: string | undefined): VerifyOutput {
  if (!dir) return { code: 2, lines: [VERIFY_USAGE] };
  let stacks: SynthesizedStack[];
  try {
    stacks = readSynthesized(dir);
  } catch (e) {
    return { code: 2, lines: [`cannot read synthesized output in ${dir}: ${(e as Error).message}`] };
  }
  const findings = checkExposure(stacks);
  const rows = reachability(stacks);
  const reports = path.join(dir, 'reports');
  fs.mkdirSync(reports, { recursive: true });
  fs.writeFileSync(
    path.join(reports, 'reachability.json'),
    JSON.stringify({ findings, reachability: rows }, null, 2) + '\n',
  );
  fs.writeFileSync(path.join(reports, 'reachability.md'), reachabilityMarkdown(rows));
  const lines = findings.map(formatFinding);
  lines.push(
    findings.length === 0
      ? `verify: ${stacks.length} stacks, no way into Säule 1 from outside the NdB`
      : `verify: ${findings.length} finding(s) in ${stacks.length} stacks`,
  );
  return { code: findings.length === 0 ? 0 : 1, lines };
}

/** The command line: `--help`, or one output directory, optionally with the render stage. */
export async function verifyCli(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<VerifyOutput> {
  if (args.includes('--help')) return { code: 0, lines: [VERIFY_USAGE] };
  const usage = (problem: string): VerifyOutput => ({ code: 2, lines: [`verify: ${problem}`, VERIFY_USAGE] });
  let render = false;
  let mirror = env.CHART_MIRROR;
  const missingOk: string[] = [];
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--render') render = true;
    else if (a === '--mirror' || a === '--missing-ok') {
      const v = args[++i];
      if (!v || v.startsWith('-')) return usage(`${a} needs a value`);
      if (a === '--mirror') mirror = v;
      else missingOk.push(...v.split(',').filter(Boolean));
    } else if (a.startsWith('-')) return usage(`unknown option ${a}`);
    else dirs.push(a);
  }
  if (dirs.length !== 1) return usage(`one output directory expected, got ${dirs.length}`);
  const base = verify(dirs[0]);
  if (!render || base.code === 2) return base;
  if (!mirror) return usage('--render needs a chart mirror: --mirror <dir> or CHART_MIRROR');
  const stacks = readSynthesized(dirs[0]);
  const r = await renderStage(dirs[0], stacks, {
    mirror,
    missingOk,
    // RENDER_CACHE=<dir> puts the cache elsewhere (the benchmark measures with an empty one)
    cacheDir: env.RENDER_CACHE || path.join(projectRoot(), 'node_modules', '.cache', 'bund-messenger', 'render'),
  });
  return { code: Math.max(base.code, r.code) as 0 | 1 | 2, lines: [...base.lines, ...r.lines] };
}

if (require.main === module) {
  verifyCli(process.argv.slice(2)).then((out) => {
    for (const l of out.lines) (out.code === 0 ? process.stdout : process.stderr).write(`${l}\n`);
    process.exitCode = out.code;
  });
}
