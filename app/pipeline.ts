/**
 * The one pipeline: load -> synth -> guard -> compliance -> reports (the render stage needs a chart mirror and runs
 * in `npm run verify -- --render`, app/verify.ts). `npm run synth` (main.ts) and the library entry (app/index.ts) run
 * `synthesize`, so both produce the same output; `tenant:new` checks a new agency with `synthFederation`, the same
 * stages into a temporary directory, without the diagram.
 *
 * Everything is built in a scratch directory next to the output and only then replaces it (app/output-dir.ts: only a
 * previous output or an empty directory, under a lock): a refusal (a config error, an error annotation, a guard or
 * compliance finding) leaves the previous output as it was, and the reports arrive together with the stacks.
 */
import * as path from 'node:path';
import type { Federation } from '../config/model';
import { projectRoot } from '../config/paths';
import type { ComplianceFinding } from '../policy/compliance-rules';
import { checkSuppressions } from '../policy/compliance';
import { issueDate } from '../policy/report/provenance';
import { readSynthesized } from '../policy/synthesized';
import type { SynthAnnotation } from './errors';
import { replaceOutput } from './output-dir';
import { complianceStage } from './stages/compliance';
import { guardStage } from './stages/guard';
import { synthReports, writeReports } from './stages/reports';
import { synthStage, type SynthStageOptions } from './stages/synth';

export { ComplianceError, GuardError, SynthError, type SynthAnnotation } from './errors';

export interface SynthResult {
  /** The federation the output was synthesized from. */
  readonly federation: Federation;
  readonly outdir: string;
  readonly stacks: readonly string[];
  /** Warnings and notes the constructs attached (cdktf annotations). */
  readonly annotations: readonly SynthAnnotation[];
  /** All compliance findings (suppressed ones included), also in the reports. */
  readonly compliance: readonly ComplianceFinding[];
}

export interface SynthOptions extends SynthStageOptions {
  /**
   * Called with the finished output, still in its scratch directory, before it replaces `outdir`: files written
   * there (the synth record) arrive together with the rest, in one step.
   */
  readonly finish?: (scratch: string, result: SynthResult) => void;
  /** More paths the output directory must never contain (the config file and the repository always count). */
  readonly protect?: readonly string[];
  /** The architecture diagram files, rendered beforehand (rendering is asynchronous: `synthesize` does it). */
  readonly diagram?: Readonly<Record<string, string>>;
  /** The environment the reports' provenance reads (SOURCE_DATE_EPOCH, CI commit variables). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The moment of the run, for the reports' date of issue. @default now */
  readonly now?: Date;
}

/**
 * Stages 2-6 for a loaded federation, synchronously: synth, guard, compliance and the reports, into a scratch
 * directory that then replaces `outdir`. Without `diagram` no diagram is written (`synthesize` renders it).
 */
export function synthFederation(federation: Federation, outdir: string, options: SynthOptions = {}): SynthResult {
  const target = path.resolve(outdir);
  const env = options.env ?? process.env;
  const now = options.now ?? new Date();
  // one day for the whole run: the findings (an overdue DSFA), the agencies' to-do lists and the reports' date
  const asOf = issueDate(env, now).date;
  const protect = [federation.sourceFile, projectRoot(), ...(options.protect ?? [])];
  // what the config alone decides fails before any synthesis: suppressions naming unknown or unsuppressible rules
  checkSuppressions(federation);
  return replaceOutput(target, { protect }, (scratch) => {
    const synthesized = synthStage(federation, scratch, { ...options, asOf });
    const stacks = readSynthesized(scratch, { ownOutput: true });
    guardStage(stacks, federation);
    const compliance = complianceStage(federation, stacks, asOf);
    writeReports(
      scratch,
      synthReports({
        federation,
        compliance,
        stacks,
        diagram: options.diagram,
        env,
        now,
      }),
    );
    const result: SynthResult = { federation, outdir: target, ...synthesized, compliance };
    options.finish?.(scratch, result);
    return result;
  });
}

/**
 * The whole pipeline, as `npm run synth` runs it: loads the config file (or takes a loaded federation), renders the
 * architecture diagram (keeping the previous SVG when the graph is unchanged) and runs the stages into `outdir`.
 */
export async function synthesize(
  input: string | Federation,
  outdir: string,
  options: Omit<SynthOptions, 'diagram'> = {},
): Promise<SynthResult> {
  const { loadFederation } = await import('../config/load');
  const federation = typeof input === 'string' ? loadFederation(input) : input;
  const { architectureFiles, readPreviousDiagram } = await import('../policy/architecture');
  const diagram = await architectureFiles(federation, readPreviousDiagram(path.join(outdir, 'reports')));
  return synthFederation(federation, outdir, { ...options, diagram });
}
