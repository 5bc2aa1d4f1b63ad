/** The shape of a guard unit: a rule unit of the engine over the guard's context, with positioned results. */
import type { RuleUnit } from '../../engine';
import type { GuardContext } from './context';
import type { GuardResult } from './scope';

/**
 * A unit of the guard pack: its rule id (`P1-...`), its explanation (what the rule forbids) and its check. Every P1
 * rule is an error that cannot be suppressed.
 */
export interface GuardRule<Id extends string = string> extends RuleUnit<GuardContext> {
  readonly id: Id;
  readonly level: 'error';
  readonly unsuppressible: true;
  check(context: GuardContext): Iterable<GuardResult>;
}
