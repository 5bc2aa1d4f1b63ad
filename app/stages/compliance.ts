/** Stage 5 of the pipeline: the compliance pack (data protection, VS-NfD, BSI) over the model and the JSON. */
import type { Federation } from '../../config/model';
import { blockingFindings, evaluateCompliance } from '../../policy/compliance';
import type { ComplianceFinding } from '../../policy/compliance-rules';
import type { SynthesizedStack } from '../../policy/k8s-objects';
import { ComplianceError } from '../errors';

/**
 * All findings, suppressions applied; unsuppressed errors are a ComplianceError. `asOf` is the day of the check
 * (`YYYY-MM-DD`), the reports' date of issue: a planned DSFA due before it is overdue.
 */
export function complianceStage(
  federation: Federation,
  stacks: readonly SynthesizedStack[],
  asOf: string,
): ComplianceFinding[] {
  const findings = evaluateCompliance(federation, stacks, asOf);
  const blocking = blockingFindings(findings);
  if (blocking.length > 0) throw new ComplianceError(blocking, federation);
  return findings;
}
