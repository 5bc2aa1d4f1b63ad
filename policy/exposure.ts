/**
 * The synth-time guard: nothing of Säule 1 (anything on an NdB cluster, or labelled pillar 1 / zone-kind ndb) is
 * reachable from outside the NdB. It reads only the synthesized Terraform JSON, so escape hatches and
 * `addOverride` are seen as what they produce.
 *
 * The rules are the units of the guard pack (policy/rules/guard/, one file per P1 rule), run by the shared engine
 * over one analysis of the input (policy/rules/guard/context.ts). This module is the guard's entry point:
 * `checkExposure` for the synthesized stacks, `ExposureGuard.checkRendered` for the objects a chart renders.
 */
import type { EngineFinding } from './engine';
import type { ExpectedFacts } from './facts';
import type { KubernetesObject, SynthesizedStack } from './k8s-objects';
import { EXPOSURE_RULES, isExposureRule, type ExposureRule } from './rules/guard/catalogue';
import { guardContext, renderedContext, type GuardContext } from './rules/guard/context';
import { guardFindings } from './rules/guard/index';

export { EXPOSURE_RULES, type ExposureRule };

export interface Finding {
  readonly stack: string;
  /** Terraform resource address `type.name` (or `locals.name`). */
  readonly address: string;
  readonly rule: ExposureRule;
  readonly message: string;
}

export function formatFinding(f: Finding): string {
  return `${f.stack} ${f.address} [${f.rule}] ${f.message}`;
}

/** A finding of the guard pack in the guard's shape (the engine's `resource` is the guard's `address`). */
function toFinding(f: EngineFinding): Finding {
  if (!isExposureRule(f.rule)) throw new Error(`internal: the guard pack reported the rule ${f.rule}`);
  return { stack: f.stack ?? '', address: f.resource ?? '', rule: f.rule, message: f.message };
}

/** The guard over one input: its analysis is computed once, for the stacks and for any objects charts render. */
export class ExposureGuard {
  private readonly context: GuardContext;

  constructor(stacks: readonly SynthesizedStack[], expected?: ExpectedFacts) {
    this.context = guardContext(stacks, expected);
  }

  /** Every P1 rule over the stacks. */
  run(): Finding[] {
    return guardFindings(this.context).map(toFinding);
  }

  /**
   * Checks the objects a chart rendered for a release with the same rules as the objects we declare ourselves.
   * Each finding's address is `helm_release.<name> <Kind>/<namespace>/<name>`.
   */
  checkRendered(
    stack: SynthesizedStack,
    address: string,
    body: unknown,
    objects: readonly KubernetesObject[],
  ): Finding[] {
    return guardFindings(renderedContext(this.context, stack, address, body, objects)).map(toFinding);
  }
}

/** Runs every exposure rule over the synthesized stacks. */
export function checkExposure(stacks: readonly SynthesizedStack[], expected?: ExpectedFacts): Finding[] {
  return new ExposureGuard(stacks, expected).run();
}
