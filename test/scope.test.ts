import { stringify } from 'yaml';
import { parseFederation } from '../config/load';
import { generateFederation } from '../scripts/generate-federation';
import { synthesizeInMemory } from './helpers';

function synth(agencies: number) {
  const fed = parseFederation(stringify(generateFederation(agencies)), '/tmp/generated-federation.yaml');
  return new Map(synthesizeInMemory(fed).map((s) => [s.name, JSON.stringify(s.json)]));
}

describe('plan scope: adding one agency changes at most the stacks that agency uses', () => {
  // the generator's agency kinds: 0 Wire Säulen 1+3 with LDAP, 4 SaaS with .well-known, 5 SaaS, 7 self-hosted
  it.each([
    [20, 'Wire Bund Säulen 1 and 3 with LDAP'],
    [24, 'BundesMessenger SaaS with delegation'],
    [25, 'BundesMessenger SaaS'],
    [27, 'BundesMessenger self-hosted on its own cluster'],
  ])('agency %i (%s)', (n) => {
    const before = synth(n);
    const after = synth(n + 1);
    const id = `b${String(n).padStart(4, '0')}`;
    const changed = [...after.keys()].filter((name) => before.get(name) !== after.get(name));
    const removed = [...before.keys()].filter((name) => !after.has(name));
    expect(removed).toEqual([]);
    expect(changed.length).toBeGreaterThan(0);
    for (const name of changed) expect(name.includes(`tenant-${id}`) || name.startsWith(`${id}-`)).toBe(true);
  });
});

describe('the generated federations of the benchmark', () => {
  it('pass the compliance pack: every kind of agency records the agreements it needs', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { blockingFindings } = require('../policy/compliance') as typeof import('../policy/compliance');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { tenantFindings } = require('../policy/compliance-rules') as typeof import('../policy/compliance-rules');
    const fed = parseFederation(stringify(generateFederation(10)), '/tmp/generated-federation.yaml');
    expect(blockingFindings(tenantFindings(fed)).map((f) => `${f.rule} ${f.tenant}`)).toEqual([]);
  });
});
