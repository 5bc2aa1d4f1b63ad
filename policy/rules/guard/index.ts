/**
 * The guard pack: one rule unit per P1 rule, run by the shared engine (policy/engine.ts) over the guard's context
 * (policy/rules/guard/context.ts). Every unit is an error that cannot be suppressed; the engine reports a finding
 * that two checks produce alike (e.g. a wrong ingress class seen by the chart's known path and by the value walk)
 * once.
 */
import { evaluate, type EngineFinding, type RuleUnit } from '../../engine';
import { admissionRule } from './admission';
import { callingIpRule } from './calling-ip';
import type { GuardContext } from './context';
import { federationRule } from './federation';
import { helmRule } from './helm';
import { hostnetRule } from './hostnet';
import { ingressRule } from './ingress';
import { netpolRule } from './netpol';
import { patchRule } from './patch';
import { quotaRule } from './quota';
import type { GuardRule } from './rule';
import { comparePositions, type Position } from './scope';
import { serviceRule } from './service';
import { terraformRule } from './terraform';
import { zoneRule } from './zone';

/**
 * The P1 rules, each with its id and explanation (the guard's catalogue, EXPOSURE_RULES, is derived from this list
 * in policy/rules/guard/catalogue.ts). {@link guardFindings} runs them in the guard's report order; `evaluate()` over
 * the pack reports the same findings unit by unit (each still carrying its `position`).
 */
export const GUARD_PACK = [
  zoneRule,
  serviceRule,
  ingressRule,
  hostnetRule,
  netpolRule,
  helmRule,
  callingIpRule,
  federationRule,
  patchRule,
  quotaRule,
  admissionRule,
  terraformRule,
] as const;

const placeKey = (rule: string, f: { stack?: string; resource?: string; message: string }) =>
  JSON.stringify([rule, f.stack ?? null, f.resource ?? null, f.message]);

/**
 * Runs the pack through the engine and returns its findings in the order the guard reports them: the order in
 * which it visits the input (see `Position`), not the order of the pack. The engine sees plain results; each
 * result's position is kept aside, the first one for findings the engine reports once.
 */
export function guardFindings(context: GuardContext, pack: readonly GuardRule[] = GUARD_PACK): EngineFinding[] {
  const positions = new Map<string, Position>();
  const units = pack.map(
    (rule): RuleUnit<GuardContext> => ({
      ...rule,
      *check(c) {
        for (const { position, ...result } of rule.check(c)) {
          const key = placeKey(rule.id, result);
          if (!positions.has(key)) positions.set(key, position);
          yield result;
        }
      },
    }),
  );
  return evaluate(units, context)
    .map((finding) => ({ finding, position: positions.get(placeKey(finding.rule, finding)) ?? [] }))
    .sort((a, b) => comparePositions(a.position, b.position))
    .map(({ finding }) => finding);
}
