/** The README's rule tables are the packs: every unit has its row, with its level, and no row names a lost rule. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMPLIANCE_PACK } from '../policy/rules/compliance';
import { GUARD_PACK } from '../policy/rules/guard';
import { ROOT } from './helpers';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The rows of a Markdown table whose first cell is a rule id in backticks with the given prefixes. */
function rows(text: string, prefixes: readonly string[]): string[][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => prefixes.some((p) => l.startsWith(`| \`${p}`)))
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim().replace(/^`|`$/g, '')),
    );
}

/** The level column as the README writes it. */
const levelText = (u: (typeof COMPLIANCE_PACK)[number]) => `${u.level}${u.unsuppressible ? ', not suppressible' : ''}`;

describe('README rule tables', () => {
  it('the guard table lists exactly the guard pack, in its order', () => {
    expect(rows(README, ['P1-']).map((r) => r[0])).toEqual(GUARD_PACK.map((u) => u.id));
  });

  it('the compliance table lists exactly the compliance pack, in its order, with each level', () => {
    expect(rows(README, ['DS-', 'VSNFD-', 'WIRE-', 'BSI-']).map((r) => [r[0], r[1]])).toEqual(
      COMPLIANCE_PACK.map((u) => [u.id, levelText(u)]),
    );
  });

  it('fails on a table that drifted from the packs', () => {
    const drifted = README.replace(
      '| `DS-DPO`                | warning ',
      '| `DS-DPO`                | error   ',
    ).replace(/\n\s*\| `P1-QUOTA`[^\n]*/, '');
    expect(drifted).not.toBe(README);
    expect(rows(drifted, ['P1-']).map((r) => r[0])).not.toEqual(GUARD_PACK.map((u) => u.id));
    expect(rows(drifted, ['DS-', 'VSNFD-', 'WIRE-', 'BSI-']).map((r) => [r[0], r[1]])).not.toEqual(
      COMPLIANCE_PACK.map((u) => [u.id, levelText(u)]),
    );
  });
});
