import * as fs from 'node:fs';
import * as path from 'node:path';
import { TerraformStack, type App, type IStackSynthesizer, type ISynthesisSession } from 'cdktf';
import type { Federation } from '../config/model';
import type { ComplianceFinding } from '../policy/compliance-rules';
import {
  blockingFindings,
  buildReport,
  evaluateCompliance,
  formatComplianceFinding,
  reportMarkdown,
} from '../policy/compliance';
import { checkExposure, formatFinding, type Finding } from '../policy/exposure';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { reportIssue } from '../policy/report/provenance';
import { expectedFacts } from '../policy/facts';
import { readSynthesized } from '../policy/synthesized';
import { buildFederationApp } from './app';
import { TERRAFORM_CLI_CONFIG_FILE, terraformCliConfig } from './terraform-cli-config';
import { replaceOutput } from './output-dir';
import { projectRoot } from '../config/paths';

export interface SynthAnnotation {
  readonly stack: string;
  readonly level: 'warning' | 'error' | 'info';
  readonly message: string;
}

export interface SynthResult {
  readonly outdir: string;
  readonly stacks: readonly string[];
  /** Warnings and errors the constructs attached (cdktf annotations). */
  readonly annotations: readonly SynthAnnotation[];
  /** All compliance findings (suppressed ones included), also in the reports. */
  readonly compliance: readonly ComplianceFinding[];
}

/** Thrown when a construct attached an error annotation; nothing was written. */
export class SynthError extends Error {
  constructor(readonly annotations: readonly SynthAnnotation[]) {
    super(`Synthesis failed:\n${annotations.map((a) => `  - ${a.stack}: ${a.message}`).join('\n')}`);
    this.name = 'SynthError';
  }
}

/** Thrown when the compliance pack has unsuppressed errors; nothing was written. */
export class ComplianceError extends Error {
  constructor(
    readonly findings: readonly ComplianceFinding[],
    federation?: Federation,
  ) {
    super(
      `The compliance checks found ${findings.length} error(s):\n${findings.map((f) => `  ${formatComplianceFinding(f, federation)}`).join('\n')}`,
    );
    this.name = 'ComplianceError';
  }
}

/** Thrown when the exposure guard finds a path from outside the NdB into Säule 1; nothing was written. */
export class GuardError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(
      `The exposure guard found ${findings.length} way${findings.length === 1 ? '' : 's'} into Säule 1 from outside the NdB:\n` +
        findings.map((f) => `  ${formatFinding(f)}`).join('\n'),
    );
    this.name = 'GuardError';
  }
}

const LEVELS: Record<string, SynthAnnotation['level']> = {
  '@cdktf/warn': 'warning',
  '@cdktf/error': 'error',
  '@cdktf/info': 'info',
};

export interface SynthOptions {
  /** May change the app before synthesis (escape hatches); the guard sees the result. */
  readonly customize?: (app: App) => void;
  /** Called after each stack is synthesized. */
  readonly onProgress?: (done: number, total: number, stack: string) => void;
  /**
   * Called with the finished output, still in its scratch directory, before it replaces `outdir`: files written
   * there (the diagram, the synth record) arrive together with the rest, in one step.
   */
  readonly finish?: (scratch: string, result: SynthResult) => void;
  /** More paths the output directory must never contain (the config file and the repository always count). */
  readonly protect?: readonly string[];
}

/**
 * Synthesizes the federation into a scratch directory next to `outdir`, runs the exposure guard and the compliance
 * pack over the JSON, and only then replaces `outdir` (stacks/output-dir.ts: only a previous output or an empty
 * directory, under a lock), so a failure (an error annotation, a guard finding) leaves the previous output as it was.
 */
export function synthFederation(federation: Federation, outdir: string, options: SynthOptions = {}): SynthResult {
  const { customize, onProgress, finish } = options;
  const target = path.resolve(outdir);
  const protect = [federation.sourceFile, projectRoot(), ...(options.protect ?? [])];
  return replaceOutput(target, { protect }, (scratch) => {
    const app = buildFederationApp(federation, { outdir: scratch });
    customize?.(app);
    // Error annotations of the constructs stop synthesis here, as one SynthError that names each (cdktf itself
    // would throw a generic error in app.synth()).
    const constructErrors = errorAnnotations(app);
    if (constructErrors.length > 0) throw new SynthError(constructErrors);
    if (onProgress) reportProgress(app, onProgress);
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(scratch, 'manifest.json'), 'utf8')) as {
      stacks: Record<string, { annotations: Array<{ level: string; message: string }> }>;
    };
    const annotations = Object.entries(manifest.stacks).flatMap(([stack, s]) =>
      s.annotations.map((a) => ({ stack, level: LEVELS[a.level] ?? 'info', message: a.message })),
    );
    const errors = annotations.filter((a) => a.level === 'error');
    if (errors.length > 0) throw new SynthError(errors);
    const stacks = readSynthesized(scratch, { ownOutput: true });
    const findings = checkExposure(stacks, expectedFacts(federation));
    if (findings.length > 0) throw new GuardError(findings);
    const compliance = evaluateCompliance(federation, stacks);
    const blocking = blockingFindings(compliance);
    if (blocking.length > 0) throw new ComplianceError(blocking, federation);
    writeComplianceReports(federation, compliance, stacks, path.join(scratch, 'reports', 'compliance'));
    const mirror = federation.config.terraform.providerMirror;
    if (mirror) fs.writeFileSync(path.join(scratch, TERRAFORM_CLI_CONFIG_FILE), terraformCliConfig(mirror));
    const result: SynthResult = { outdir: target, stacks: Object.keys(manifest.stacks), annotations, compliance };
    finish?.(scratch, result);
    return result;
  });
}

/** The error annotations the constructs attached, with the stack of each. */
function errorAnnotations(app: App): SynthAnnotation[] {
  return app.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === '@cdktf/error')
        .map((m) => ({ stack: TerraformStack.of(c).node.id, level: 'error' as const, message: String(m.data) })),
    );
}

/**
 * One Markdown (German) and one JSON report per agency, all with the same provenance (date of issue, project version
 * and commit, SHA-256 of the config file: policy/report/provenance.ts).
 */
function writeComplianceReports(
  federation: Federation,
  findings: readonly ComplianceFinding[],
  stacks: readonly SynthesizedStack[],
  dir: string,
): void {
  fs.mkdirSync(dir, { recursive: true });
  const issue = reportIssue(projectRoot(), federation.sourceFile, process.env, new Date(), federation.sourceSha256);
  for (const tenant of federation.tenants) {
    const report = buildReport(federation, tenant, findings, { issue, stacks });
    fs.writeFileSync(path.join(dir, `${tenant.id}.json`), JSON.stringify(report, null, 2) + '\n');
    fs.writeFileSync(path.join(dir, `${tenant.id}.md`), reportMarkdown(report));
  }
}

/** Wraps each stack's synthesizer so that progress is reported stack by stack. */
function reportProgress(app: App, onProgress: (done: number, total: number, stack: string) => void): void {
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  let done = 0;
  for (const stack of stacks) {
    const inner: IStackSynthesizer = stack.synthesizer;
    stack.synthesizer = {
      synthesize(session: ISynthesisSession) {
        inner.synthesize(session);
        onProgress(++done, stacks.length, stack.node.id);
      },
    };
  }
}
