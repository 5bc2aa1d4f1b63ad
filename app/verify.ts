/**
 * `npm run verify -- <cdktf.out directory>`: checks any synthesized output for ways into Säule 1 from outside the
 * NdB. Exit 0 when clean, 1 when it finds exposures, 2 (one line, never a stack trace) when the input is unreadable
 * or has any shape the checks cannot rely on (policy/synthesized.ts), or when a check fails unexpectedly. Writes
 * `<dir>/reports/reachability.md` and `.json`. With `--render` it also renders every Helm release with the real
 * Helm and checks the rendered objects (policy/render/).
 *
 * The verify side of the one pipeline (app/pipeline.ts): read -> guard -> render -> reports, with the same guard
 * stage as synth; each report is written by an atomic rename.
 */
import * as path from 'node:path';
import { projectRoot } from '../config/paths';
import { formatFinding } from '../policy/exposure';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { renderStage } from '../policy/render/stage';
import { readSynthesizedOutput, SynthesizedShapeError, type SynthesizedOutput } from '../policy/synthesized';
import { guardStage } from './stages/guard';
import { reachabilityReports, ReportPathError, writeReports } from './stages/reports';

export interface VerifyOutput {
  readonly code: 0 | 1 | 2;
  readonly lines: readonly string[];
}

export const VERIFY_USAGE = `usage: npm run verify -- [--render [--mirror <dir>] [--missing-ok <chart@version,...>]] <cdktf.out directory>

Checks a synthesized output for any way into Säule 1 from outside the NdB and writes
<dir>/reports/reachability.md and .json.
Every stack directory on disk (<dir>/stacks/<name>/cdk.tf.json) is checked, also one manifest.json does not list.
Exit 0: clean; 1: findings (one line each); 2: unreadable or malformed input (one line naming the file and the
JSON path), an internal error, a chart missing from the mirror, or a usage error.

  --render               also render every Helm release with the real Helm (${'`'}helm template${'`'}) from a chart mirror and
                         check the rendered objects (the Säule-1 guard, Pod Security, the Kubernetes schema);
                         writes <dir>/reports/render.md and .json
  --mirror <dir>         the chart mirror: packaged charts <chart>-<version>.tgz (default: CHART_MIRROR)
  --missing-ok <list>    chart@version entries known to be absent from the mirror: reported, not an error
  --help                 this text`;

export function verify(dir: string | undefined): VerifyOutput {
  return guarded(dir).result;
}

/** Read and guard stages: the verdict, and the stacks read (for the render stage: one read of the output). */
function guarded(dir: string | undefined): { result: VerifyOutput; stacks?: readonly SynthesizedStack[] } {
  if (!dir) return { result: { code: 2, lines: [VERIFY_USAGE] } };
  let output: SynthesizedOutput;
  try {
    output = readSynthesizedOutput(dir);
  } catch (e) {
    return { result: unreadable(dir, e) };
  }
  return { result: guardOutput(dir, output), stacks: output.stacks };
}

function guardOutput(dir: string, output: SynthesizedOutput): VerifyOutput {
  const { stacks, unlisted } = output;
  try {
    const findings = guardStage(stacks);
    writeReports(dir, reachabilityReports(stacks, findings), { atomic: true });
    const lines = findings.map(formatFinding);
    const checked = unlisted.length === 0 ? '' : ` (${unlisted.length} not in manifest.json: ${unlisted.join(', ')})`;
    lines.push(
      findings.length === 0
        ? `verify: ${stacks.length} stacks${checked}, no way into Säule 1 from outside the NdB`
        : `verify: ${findings.length} finding(s) in ${stacks.length} stacks${checked}`,
    );
    return { code: findings.length === 0 ? 0 : 1, lines };
  } catch (e) {
    if (e instanceof ReportPathError) return { code: 2, lines: [oneLine(`verify: ${e.message}`)] };
    return failed(`checking ${dir}`, e);
  }
}

/** Exit 2 with one line: the output cannot be read, or has a shape the checks cannot rely on. */
function unreadable(dir: string, e: unknown): VerifyOutput {
  if (e instanceof SynthesizedShapeError)
    return { code: 2, lines: [oneLine(`verify: cannot read synthesized output: ${e.message}`)] };
  return failed(`reading ${dir}`, e);
}

/** Exit 2 with one line for anything unexpected: never 1 (findings) and never a stack trace. */
function failed(during: string, e: unknown): VerifyOutput {
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { code: 2, lines: [oneLine(`verify: internal error while ${during}, no verdict: ${what}`)] };
}

const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

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
  const { result: base, stacks } = guarded(dirs[0]);
  if (!render || base.code === 2 || !stacks) return base;
  if (!mirror) return usage('--render needs a chart mirror: --mirror <dir> or CHART_MIRROR');
  try {
    const r = await renderStage(dirs[0], stacks, {
      mirror,
      missingOk,
      // RENDER_CACHE=<dir> puts the cache elsewhere (the benchmark measures with an empty one)
      cacheDir: env.RENDER_CACHE || path.join(projectRoot(), 'node_modules', '.cache', 'bund-messenger', 'render'),
    });
    writeReports(dirs[0], r.files, { atomic: true });
    return { code: Math.max(base.code, r.code) as 0 | 1 | 2, lines: [...base.lines, ...r.lines] };
  } catch (e) {
    if (e instanceof ReportPathError) return { code: 2, lines: [oneLine(`verify: ${e.message}`)] };
    return failed(`rendering ${dirs[0]}`, e);
  }
}

/** `npm run verify`: runs the command line and prints its lines (stdout when clean, else stderr). */
export function verifyMain(args: readonly string[] = process.argv.slice(2)): Promise<void> {
  return verifyCli(args)
    .catch((e: unknown) => failed('verifying', e))
    .then((out) => {
      for (const l of out.lines) (out.code === 0 ? process.stdout : process.stderr).write(`${l}\n`);
      process.exitCode = out.code;
    });
}

if (require.main === module) void verifyMain();
