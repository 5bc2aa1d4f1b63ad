/** Stage 3 of the pipeline: the exposure guard over the synthesized JSON (the P1-* pack). */
import type { Federation } from '../../config/model';
import { checkExposure, type Finding } from '../../policy/exposure';
import { expectedFacts } from '../../policy/facts';
import type { SynthesizedStack } from '../../policy/k8s-objects';
import { GuardError } from '../errors';

/**
 * The guard's findings. With the federation (synth), the zone facts in the JSON must also match the config, and any
 * finding is a GuardError; without it (verify of an output of unknown origin) the findings are returned.
 */
export function guardStage(stacks: readonly SynthesizedStack[], federation?: Federation): Finding[] {
  if (!federation) return checkExposure(stacks);
  const findings = checkExposure(stacks, expectedFacts(federation));
  if (findings.length > 0) throw new GuardError(findings);
  return findings;
}
