/**
 * The guard fails closed on its own inputs: a stack that deploys to Kubernetes without sound zone facts cannot be
 * judged, and that is a finding (verify and synth stop), not a stack silently skipped.
 */
import { checkExposure } from '../policy/exposure';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { defaultStacks } from './helpers';

const P1 = 'itzbund-ndb-1--wire-s1';

function mutated(edit: (s: SynthesizedStack) => void): SynthesizedStack[] {
  const stacks = structuredClone(defaultStacks());
  edit(stacks.find((s) => s.name === P1)!);
  return stacks;
}

describe('zone facts the guard cannot judge', () => {
  it('the default output has sound facts', () => {
    expect(checkExposure(defaultStacks()).filter((f) => f.address === 'locals')).toEqual([]);
  });

  it.each([
    ['facts removed', (s: SynthesizedStack) => delete s.json.locals, /has no zone facts/],
    ['zone id null', (s: SynthesizedStack) => (s.json.locals.network_zone.id = null), /network_zone\.id/],
    [
      'cidrs not a list',
      (s: SynthesizedStack) => (s.json.locals.network_zone.cidrs = '10.0.0.0/8'),
      /network_zone\.cidrs/,
    ],
    ['cidrs empty', (s: SynthesizedStack) => (s.json.locals.network_zone.cidrs = []), /network_zone\.cidrs/],
    ['a cidr that is none', (s: SynthesizedStack) => (s.json.locals.network_zone.cidrs = ['ndb']), /not a CIDR/],
    ['cluster id missing', (s: SynthesizedStack) => delete s.json.locals.zone_cluster.id, /zone_cluster\.id/],
  ])('%s: a P1-ZONE finding on the stack', (_, edit, message) => {
    const findings = checkExposure(mutated(edit)).filter((f) => f.stack === P1 && f.address === 'locals');
    expect(findings).toEqual([expect.objectContaining({ rule: 'P1-ZONE', message: expect.stringMatching(message) })]);
  });
});
