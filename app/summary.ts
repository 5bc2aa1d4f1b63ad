/** What `npm run synth` prints after a run: the stacks, the warnings, where the reports are (the console writer). */
import * as path from 'node:path';
import type { Federation } from '../config/model';
import { complianceConsoleWriter } from '../policy/rules/compliance/writers';
import { TERRAFORM_CLI_CONFIG_FILE } from '../stacks/terraform-cli-config';
import type { SynthResult } from './pipeline';

export interface Printed {
  readonly stdout: string;
  readonly stderr: string;
}

/** The summary of a finished synth: stacks on stdout, warnings (annotations, compliance) on stderr. */
export function synthSummary(federation: Federation, result: SynthResult, outdir: string): Printed {
  let stdout = `Synthesized ${result.stacks.length} stacks of '${federation.name}' into ${outdir}:\n`;
  for (const s of result.stacks) stdout += `  ${s}\n`;
  let stderr = '';
  for (const a of result.annotations.filter((x) => x.level === 'warning'))
    stderr += `WARNING ${a.stack}: ${a.message}\n`;
  const warnings = result.compliance.filter((x) => x.level === 'warning' && !x.suppressed);
  stderr += complianceConsoleWriter(federation, 'WARNING ')(warnings);
  stdout += `Reports: ${outdir}/reports/ (compliance per agency, architecture.svg)\n`;
  if (federation.config.terraform.providerMirror) {
    stdout += `Providers from the mirror only: export TF_CLI_CONFIG_FILE="${path.resolve(outdir, TERRAFORM_CLI_CONFIG_FILE)}"\n`;
  }
  return { stdout, stderr };
}
