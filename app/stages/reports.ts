/**
 * Stage 6 of the pipeline: every report as a file name and its text. The pipeline writes them all into the scratch
 * output, which replaces the output directory in one step (app/output-dir.ts); verify writes each with an atomic
 * rename. Nothing here writes by itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Federation } from '../../config/model';
import { projectRoot } from '../../config/paths';
import { buildReport, reportMarkdown } from '../../policy/compliance';
import type { ComplianceFinding } from '../../policy/compliance-rules';
import type { Finding } from '../../policy/exposure';
import type { SynthesizedStack } from '../../policy/k8s-objects';
import { reachability, reachabilityMarkdown } from '../../policy/reachability';
import { reportIssue } from '../../policy/report/provenance';
import { writeFileAtomic } from '../file-lock';
import { TERRAFORM_CLI_CONFIG_FILE, terraformCliConfig } from '../../stacks/terraform-cli-config';

/** Output files: path relative to the output directory (`/`-separated) -> content. */
export type ReportFiles = Record<string, string>;

export interface SynthReportInputs {
  readonly federation: Federation;
  readonly compliance: readonly ComplianceFinding[];
  readonly stacks: readonly SynthesizedStack[];
  /** The architecture diagram files (`architecture.svg`, `.mmd`, `.dot`), rendered before synthesis. */
  readonly diagram?: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: Date;
}

/**
 * The files of a synth besides the stacks: one German Markdown and one JSON compliance report per agency (all with
 * the same provenance: date of issue, project version and commit, SHA-256 of the config: policy/report/provenance.ts),
 * the diagram, and the Terraform CLI config when the federation names a provider mirror.
 */
export function synthReports(inputs: SynthReportInputs): ReportFiles {
  const { federation, compliance, stacks } = inputs;
  const files: ReportFiles = {};
  const issue = reportIssue(projectRoot(), federation.sourceFile, inputs.env, inputs.now, federation.sourceSha256);
  for (const tenant of federation.tenants) {
    const report = buildReport(federation, tenant, compliance, { issue, stacks });
    files[`reports/compliance/${tenant.id}.json`] = JSON.stringify(report, null, 2) + '\n';
    files[`reports/compliance/${tenant.id}.md`] = reportMarkdown(report);
  }
  for (const [name, text] of Object.entries(inputs.diagram ?? {})) files[`reports/${name}`] = text;
  const mirror = federation.config.terraform.providerMirror;
  if (mirror) files[TERRAFORM_CLI_CONFIG_FILE] = terraformCliConfig(mirror);
  return files;
}

/** verify's report: every path into the NdB and every finding (`reports/reachability.md` and `.json`). */
export function reachabilityReports(stacks: readonly SynthesizedStack[], findings: readonly Finding[]): ReportFiles {
  const rows = reachability(stacks);
  return {
    'reports/reachability.json': JSON.stringify({ findings, reachability: rows }, null, 2) + '\n',
    'reports/reachability.md': reachabilityMarkdown(rows),
  };
}

/** A report's directory leads out of the output directory (a symlink): nothing is written there. */
export class ReportPathError extends Error {}

/**
 * Writes report files under `dir`. `atomic`: each through a temporary file renamed over the report (a reader sees
 * the old report or the new one, never half of one; a symlink in its place is replaced, never followed), and only
 * inside `dir`: a report directory that is a symlink leading out of it is refused (ReportPathError) before anything
 * is written. Without it the files are written plainly: for a scratch directory that replaces the output as a whole.
 */
export function writeReports(dir: string, files: ReportFiles, options: { readonly atomic?: boolean } = {}): void {
  const root = options.atomic ? fs.realpathSync(dir) : dir;
  const made = new Set<string>();
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, ...rel.split('/'));
    const parent = path.dirname(file);
    if (!made.has(parent)) {
      if (options.atomic) insideOrRefuse(root, dir, parent);
      fs.mkdirSync(parent, { recursive: true });
      if (options.atomic) insideOrRefuse(root, dir, parent);
    }
    made.add(parent);
    if (!options.atomic) {
      fs.writeFileSync(file, text);
      continue;
    }
    writeFileAtomic(file, text, { replaceSymlink: true });
  }
}

/** Throws when the existing part of `parent` resolves to a place outside `root` (the real path of `dir`). */
function insideOrRefuse(root: string, dir: string, parent: string): void {
  let existing = parent;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const real = fs.realpathSync(existing);
  const rel = path.relative(root, real);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new ReportPathError(
      `${path.relative(dir, parent) || '.'} in ${dir} leads to ${real}, outside the output directory: reports not written`,
    );
  }
}
