/**
 * The data-protection and BSI compliance pack (in the style of cdk-nag), as the rest of the project uses it: the
 * catalogue of rules, the agency rules on the validated model and the BSI rules on the synthesized stacks. Each rule
 * is one unit in policy/rules/compliance/; the engine (policy/engine.ts) runs them, de-duplicates their findings and
 * applies suppressions (policy/compliance.ts).
 */
import type { Federation } from '../config/model';
import { resolvedFederation } from '../config/resolve';
import { catalogue, evaluate, type EngineFinding, type Level } from './engine';
import type { SynthesizedStack } from './k8s-objects';
import { COMPLIANCE_PACK, MODEL_UNITS, STACK_UNITS } from './rules/compliance';

/** A rule of the catalogue: id, level, title (German, for the reports), and what it covers. */
export interface ComplianceRule {
  readonly id: string;
  readonly level: Level;
  readonly title: string;
  /** Rules that protect the zone separation of Säule 1 and the VS-NfD rules cannot be suppressed. */
  readonly unsuppressible?: boolean;
  /** BSI IT-Grundschutz requirements the rule covers. */
  readonly bsi?: readonly string[];
  /** Levels of the rule's variants that differ from `level`. */
  readonly variants?: Readonly<Record<string, Level>>;
}

/** The catalogue of the pack, in its order. */
export const COMPLIANCE_RULES: readonly ComplianceRule[] = catalogue(COMPLIANCE_PACK).map(
  ({ explanation, ...rule }) => ({ ...rule, title: explanation }),
);

export const RULES_BY_ID = new Map(COMPLIANCE_RULES.map((r) => [r.id, r]));

/** A finding of the compliance pack (suppressed when a suppression of the config applies). */
export type ComplianceFinding = EngineFinding;

/**
 * Data-protection, VS-NfD and Wire-profile rules per agency, on the validated model (no suppressions applied).
 * `asOf` is the day of the check (`YYYY-MM-DD`, the report's date of issue): a planned DSFA due before it is overdue.
 */
export function tenantFindings(federation: Federation, asOf?: string): ComplianceFinding[] {
  return evaluate(MODEL_UNITS, { federation: resolvedFederation(federation), ...(asOf !== undefined ? { asOf } : {}) });
}

/** BSI IT-Grundschutz checks on the synthesized resources (no suppressions applied). */
export function resourceFindings(
  stacks: readonly SynthesizedStack[],
  imageRegistry?: string,
  digests: Readonly<Record<string, string>> = {},
): ComplianceFinding[] {
  return evaluate(STACK_UNITS, { stacks, images: { ...(imageRegistry ? { registry: imageRegistry } : {}), digests } });
}
