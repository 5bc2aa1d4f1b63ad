/**
 * The ways a pipeline run refuses its input. Each is a finding of the config or the output, never a defect of the
 * app: the command prints its message and exits 1, and nothing is written.
 */
import type { Federation } from '../config/model';
import type { ComplianceFinding } from '../policy/compliance-rules';
import { formatFinding, type Finding } from '../policy/exposure';
import { complianceConsoleWriter } from '../policy/rules/compliance/writers';

export interface SynthAnnotation {
  readonly stack: string;
  readonly level: 'warning' | 'error' | 'info';
  readonly message: string;
}

/** A construct attached an error annotation (cdktf `Annotations.addError`); nothing was written. */
export class SynthError extends Error {
  constructor(readonly annotations: readonly SynthAnnotation[]) {
    super(`Synthesis failed:\n${annotations.map((a) => `  - ${a.stack}: ${a.message}`).join('\n')}`);
    this.name = 'SynthError';
  }
}

/** The compliance pack has unsuppressed errors; nothing was written. */
export class ComplianceError extends Error {
  constructor(
    readonly findings: readonly ComplianceFinding[],
    federation?: Federation,
  ) {
    super(
      // The console writer ends each line; the message ends with the last finding.
      `The compliance checks found ${findings.length} error(s):\n${complianceConsoleWriter(federation, '  ')(findings).replace(/\n$/, '')}`,
    );
    this.name = 'ComplianceError';
  }
}

/** The exposure guard found a path from outside the NdB into Säule 1; nothing was written. */
export class GuardError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(
      `The exposure guard found ${findings.length} way${findings.length === 1 ? '' : 's'} into Säule 1 from outside the NdB:\n` +
        findings.map((f) => `  ${formatFinding(f)}`).join('\n'),
    );
    this.name = 'GuardError';
  }
}
