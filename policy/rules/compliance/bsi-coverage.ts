/**
 * The BSI coverage table of the reports, generated: one row per requirement of the catalogue that a rule of the pack
 * covers (the rule and its text) or that the catalogue explains without a rule, in the catalogue's order.
 */
import { BSI_REQUIREMENTS, type BsiRequirement } from './bsi-catalogue';
import type { ComplianceUnit, CoverageFacts } from './context';
import { COMPLIANCE_PACK } from './index';

/** One row of the coverage table. */
export interface CoverageRow {
  readonly requirement: string;
  readonly title: string;
  /** The rule that checks the requirement; absent when none does. */
  readonly rule?: string;
  /** How the requirement is met (the table's "Umsetzung"). */
  readonly how: string;
}

/**
 * The coverage table of a pack against a catalogue; the texts about images and Pod Security follow the facts. The
 * first unit that names a requirement is its rule. A unit that names a requirement the catalogue lacks is an error.
 */
export function coverageTable(
  pack: readonly ComplianceUnit<never>[],
  catalogue: readonly BsiRequirement[],
  facts: CoverageFacts,
): CoverageRow[] {
  const known = new Set(catalogue.map((r) => r.id));
  for (const unit of pack) {
    for (const id of unit.bsi ?? []) {
      if (!known.has(id)) throw new Error(`internal: rule ${unit.id} covers ${id}, which the BSI catalogue lacks`);
      if (!unit.coverage?.[id])
        throw new Error(`internal: rule ${unit.id} names ${id} without saying how it covers it`);
    }
  }
  return catalogue.flatMap((r): CoverageRow[] => {
    const unit = pack.find((u) => u.bsi?.includes(r.id));
    const how = unit?.coverage?.[r.id];
    if (unit && how !== undefined)
      return [{ requirement: r.id, title: r.title, rule: unit.id, how: typeof how === 'string' ? how : how(facts) }];
    return r.withoutRule !== undefined ? [{ requirement: r.id, title: r.title, how: r.withoutRule }] : [];
  });
}

/** The coverage table of the compliance pack for one report. */
export function bsiCoverage(facts: CoverageFacts): CoverageRow[] {
  return coverageTable(COMPLIANCE_PACK, BSI_REQUIREMENTS, facts);
}
