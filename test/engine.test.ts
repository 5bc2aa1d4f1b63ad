/**
 * The rule engine (policy/engine.ts): evaluation in pack order, de-duplication, declared variants, suppressions
 * (refused by unsuppressible rules), the blocking findings and the writers.
 */
import {
  blocking,
  catalogue,
  evaluate,
  levelOf,
  type EngineFinding,
  type RuleResult,
  type RuleUnit,
} from '../policy/engine';

/** A context of results per rule id: each test rule returns what the context holds for it. */
type Results = Readonly<Record<string, readonly RuleResult[]>>;

const rule = (id: string, over: Partial<RuleUnit<Results>> = {}): RuleUnit<Results> => ({
  id,
  level: 'error',
  explanation: `Regel ${id}`,
  check: (context) => context[id] ?? [],
  ...over,
});

const SUPPRESSION = { owner: 'ISB', reason: 'Ausnahme bis zur Migration, Freigabe 2025-07' };

describe('evaluate', () => {
  it('runs the units in the order of the pack and of each check', () => {
    const found = evaluate([rule('B'), rule('A')], {
      A: [{ message: 'a1' }, { message: 'a2' }],
      B: [{ message: 'b1' }],
    });
    expect(found.map((f) => `${f.rule} ${f.message}`)).toEqual(['B b1', 'A a1', 'A a2']);
  });

  it('reports a finding equal to an earlier one once; one that differs in place or message stays', () => {
    const found = evaluate([rule('A')], {
      A: [
        { message: 'gleich', stack: 's', resource: 'helm_release.x' },
        { message: 'gleich', stack: 's', resource: 'helm_release.x' },
        { message: 'gleich', stack: 's', resource: 'helm_release.y' },
        { message: 'anders', stack: 's', resource: 'helm_release.x' },
      ],
    });
    expect(found.map((f) => `${f.resource} ${f.message}`)).toEqual([
      'helm_release.x gleich',
      'helm_release.y gleich',
      'helm_release.x anders',
    ]);
  });

  it('refuses a pack that lists a rule twice', () => {
    expect(() => evaluate([rule('A'), rule('A')], {})).toThrow(/rule A is in the pack twice/);
  });
});

describe('variants', () => {
  const scan = rule('SCAN', { level: 'info', variants: { unacknowledged: 'error' } });

  it('a declared variant gets its level, a result without variant the rule level; the variant is not in the finding', () => {
    const found = evaluate([scan], {
      SCAN: [{ message: 'bestätigt' }, { message: 'offen', variant: 'unacknowledged' }],
    });
    expect(found).toEqual([
      { rule: 'SCAN', level: 'info', message: 'bestätigt' },
      { rule: 'SCAN', level: 'error', message: 'offen' },
    ]);
    expect(levelOf(scan, { message: 'x', variant: 'unacknowledged' })).toBe('error');
  });

  it('an undeclared variant is an internal error', () => {
    expect(() => evaluate([scan], { SCAN: [{ message: 'x', variant: 'reasoned' }] })).toThrow(
      /rule SCAN returned the undeclared variant 'reasoned'/,
    );
    expect(() => levelOf(rule('PLAIN'), { message: 'x', variant: 'any' })).toThrow(/undeclared variant/);
  });
});

describe('suppressions', () => {
  const context: Results = { OPEN: [{ message: 'o', tenant: 't' }], ZONE: [{ message: 'z', tenant: 't' }] };
  const asked: string[] = [];
  const found = evaluate([rule('OPEN'), rule('ZONE', { unsuppressible: true })], context, {
    suppression: (f) => {
      asked.push(f.rule);
      return SUPPRESSION;
    },
  });

  it('a suppressible rule carries the suppression that applies', () => {
    expect(found[0]).toEqual({ rule: 'OPEN', level: 'error', tenant: 't', message: 'o', suppressed: SUPPRESSION });
  });

  it('an unsuppressible rule ignores it (the callback is not even asked)', () => {
    expect(found[1]).toEqual({ rule: 'ZONE', level: 'error', tenant: 't', message: 'z' });
    expect(asked).toEqual(['OPEN']);
  });

  it('a finding no suppression applies to stays unsuppressed', () => {
    const none = evaluate([rule('OPEN')], context, { suppression: () => undefined });
    expect(none[0].suppressed).toBeUndefined();
  });
});

describe('blocking', () => {
  it('keeps the unsuppressed errors only', () => {
    const findings: EngineFinding[] = [
      { rule: 'A', level: 'error', message: 'blockiert' },
      { rule: 'A', level: 'error', message: 'unterdrückt', suppressed: SUPPRESSION },
      { rule: 'B', level: 'warning', message: 'Warnung' },
      { rule: 'C', level: 'info', message: 'Hinweis' },
    ];
    expect(blocking(findings).map((f) => f.message)).toEqual(['blockiert']);
  });
});

describe('catalogue', () => {
  it('the catalogue lists id, level, explanation and what a rule declares, in pack order', () => {
    expect(
      catalogue([
        rule('A', { bsi: ['APP.4.4.A7'] }),
        rule('B', { level: 'warning', unsuppressible: true, variants: { x: 'info' } }),
      ]),
    ).toEqual([
      { id: 'A', level: 'error', explanation: 'Regel A', bsi: ['APP.4.4.A7'] },
      { id: 'B', level: 'warning', explanation: 'Regel B', unsuppressible: true, variants: { x: 'info' } },
    ]);
  });
});

describe('the engine decides rule and level, never the check', () => {
  it('a check that returns a level or a rule at run time changes neither', () => {
    const sneaky: RuleUnit<null> = {
      id: 'X-SNEAKY',
      level: 'error',
      explanation: 'an error that tries to report itself as a note',
      *check() {
        yield { message: 'weakened', level: 'info', rule: 'X-OTHER' } as RuleResult;
      },
    };
    expect(evaluate([sneaky], null)).toEqual([{ rule: 'X-SNEAKY', level: 'error', message: 'weakened' }]);
  });
});
