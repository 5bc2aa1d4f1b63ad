/**
 * The catalogue of the Säule-1 guard, derived from its pack (policy/rules/guard/index.ts): one rule id per way Säule 1
 * could become reachable from outside the NdB, with what the rule forbids (each unit's explanation). The units
 * state their ids and explanations themselves and never import this file.
 */
import { GUARD_PACK } from './index';

/** The id of a P1 rule. */
export type ExposureRule = (typeof GUARD_PACK)[number]['id'];

/** Rule id -> what the rule forbids, in the order of the pack. */
export const EXPOSURE_RULES: Readonly<Record<ExposureRule, string>> = Object.fromEntries(
  GUARD_PACK.map((unit) => [unit.id, unit.explanation]),
  // every id of the pack is a key: the record is built from the pack itself
) as Record<ExposureRule, string>;

/** Whether a rule id is one of the guard's. */
export const isExposureRule = (id: string): id is ExposureRule => Object.hasOwn(EXPOSURE_RULES, id);
