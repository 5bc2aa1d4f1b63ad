/**
 * The rule engine, in the style of cdk-nag: every check is one rule unit (id, level, explanation, a check that
 * returns findings), and one engine evaluates a pack of units over a context, de-duplicates their findings, applies
 * suppressions (each with owner and reason; an unsuppressible rule refuses them) and hands the result to the pack's
 * writers.
 * The guard (P1-*) and the compliance pack (DS-*, VSNFD-*, WIRE-*, BSI-*) are two packs run by this engine.
 */

export type Level = 'error' | 'warning' | 'info';

/** Where a finding is: the agency, the stack and the resource, as far as they are known. */
export interface FindingPlace {
  readonly tenant?: string;
  readonly stack?: string;
  /** Terraform address `type.name` (or `locals.name`), or a rendered object `Kind namespace/name`. */
  readonly resource?: string;
}

/** What a rule's check returns: the message and where, and the variant when the rule declares levels per variant. */
export interface RuleResult extends FindingPlace {
  readonly message: string;
  /** One of the rule's declared `variants`: its level replaces the rule's level. */
  readonly variant?: string;
}

export interface Suppression {
  readonly owner: string;
  readonly reason: string;
}

/** A finding as the engine hands it to writers. */
export interface EngineFinding extends FindingPlace {
  readonly rule: string;
  readonly level: Level;
  readonly message: string;
  readonly suppressed?: Suppression;
}

export interface RuleUnit<Context> {
  readonly id: string;
  readonly level: Level;
  /** One line: what the rule requires (German for the compliance pack, whose texts reach the reports). */
  readonly explanation: string;
  /**
   * Levels that differ from `level`, declared here rather than set inside the check: e.g. WIRE-PROFILE is an error
   * for Säule 1, a warning for Säule 3, a note when a reason is recorded.
   */
  readonly variants?: Readonly<Record<string, Level>>;
  /** Rules that protect the zone separation of Säule 1 and the VS-NfD rules cannot be suppressed. */
  readonly unsuppressible?: boolean;
  /** BSI IT-Grundschutz requirements the rule covers (the reports' coverage table is generated from these). */
  readonly bsi?: readonly string[];
  check(context: Context): Iterable<RuleResult>;
}

export interface EngineOptions {
  /** The suppression that applies to a finding, if any (called only for suppressible rules). */
  readonly suppression?: (finding: EngineFinding) => Suppression | undefined;
}

/** The level of one result of a rule: its variant's declared level, or the rule's. */
export function levelOf(rule: RuleUnit<never>, result: RuleResult): Level {
  if (result.variant === undefined) return rule.level;
  const level = rule.variants?.[result.variant];
  if (!level) throw new Error(`internal: rule ${rule.id} returned the undeclared variant '${result.variant}'`);
  return level;
}

const findingKey = (f: EngineFinding) =>
  JSON.stringify([f.rule, f.level, f.tenant ?? null, f.stack ?? null, f.resource ?? null, f.message]);

/**
 * Runs every unit of a pack over the context. Findings come out in the order of the pack and of each check;
 * a finding equal to an earlier one (same rule, level, place and message) is reported once.
 */
export function evaluate<Context>(
  pack: readonly RuleUnit<Context>[],
  context: Context,
  options: EngineOptions = {},
): EngineFinding[] {
  const ids = new Set<string>();
  for (const rule of pack) {
    if (ids.has(rule.id)) throw new Error(`internal: rule ${rule.id} is in the pack twice`);
    ids.add(rule.id);
  }
  const seen = new Set<string>();
  const out: EngineFinding[] = [];
  for (const rule of pack) {
    for (const result of rule.check(context)) {
      // only the place and the message come from the check: rule and level are the unit's (a check that returns
      // a `level` or `rule` at run time changes nothing)
      const finding: EngineFinding = {
        rule: rule.id,
        level: levelOf(rule, result),
        ...(result.tenant !== undefined ? { tenant: result.tenant } : {}),
        ...(result.stack !== undefined ? { stack: result.stack } : {}),
        ...(result.resource !== undefined ? { resource: result.resource } : {}),
        message: result.message,
      };
      const key = findingKey(finding);
      if (seen.has(key)) continue;
      seen.add(key);
      const suppressed = rule.unsuppressible ? undefined : options.suppression?.(finding);
      out.push(suppressed ? { ...finding, suppressed } : finding);
    }
  }
  return out;
}

/** Unsuppressed errors: these fail synthesis (and make verify exit 1). */
export function blocking<F extends EngineFinding>(findings: readonly F[]): F[] {
  return findings.filter((f) => f.level === 'error' && !f.suppressed);
}

/**
 * A writer turns findings into one text. Each pack brings its own (the compliance pack's console lines and Markdown
 * table: policy/rules/compliance/writers.ts; the guard's lines: `formatFinding` in policy/exposure.ts).
 */
export type FindingWriter<F extends EngineFinding = EngineFinding> = (findings: readonly F[]) => string;

/** The catalogue of a pack (id, level, explanation, BSI requirements): the README table and the reports use it. */
export function catalogue(
  pack: readonly RuleUnit<never>[],
): Array<Pick<RuleUnit<never>, 'id' | 'level' | 'explanation' | 'bsi' | 'unsuppressible' | 'variants'>> {
  return pack.map(({ id, level, explanation, bsi, unsuppressible, variants }) => ({
    id,
    level,
    explanation,
    ...(bsi ? { bsi } : {}),
    ...(unsuppressible ? { unsuppressible } : {}),
    ...(variants ? { variants } : {}),
  }));
}
