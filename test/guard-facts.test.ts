/**
 * The guard fails closed on its own inputs: a stack that deploys to Kubernetes without sound zone facts cannot be
 * judged, and that is a finding (verify and synth stop), not a stack silently skipped.
 */
import { checkExposure } from '../policy/exposure';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { defaultStacks } from './helpers';

const P1 = 'itzbund-ndb-1--wire-s1';

/** The Terraform JSON of a stack as a test edits it. */
interface EditableJson {
  locals?: { network_zone: Record<string, unknown>; zone_cluster: Record<string, unknown> };
}

function mutated(edit: (json: EditableJson) => void): SynthesizedStack[] {
  const stacks = structuredClone(defaultStacks());
  edit(stacks.find((s) => s.name === P1)!.json as EditableJson);
  return stacks;
}

describe('zone facts the guard cannot judge', () => {
  it('the default output has sound facts', () => {
    expect(checkExposure(defaultStacks()).filter((f) => f.address === 'locals')).toEqual([]);
  });

  it.each([
    ['facts removed', (j: EditableJson) => delete j.locals, /has no zone facts/],
    ['zone id null', (j: EditableJson) => (j.locals!.network_zone.id = null), /network_zone\.id/],
    ['cidrs not a list', (j: EditableJson) => (j.locals!.network_zone.cidrs = '10.0.0.0/8'), /network_zone\.cidrs/],
    ['cidrs empty', (j: EditableJson) => (j.locals!.network_zone.cidrs = []), /network_zone\.cidrs/],
    ['a cidr that is none', (j: EditableJson) => (j.locals!.network_zone.cidrs = ['ndb']), /not a CIDR/],
    ['cluster id missing', (j: EditableJson) => delete j.locals!.zone_cluster.id, /zone_cluster\.id/],
  ])('%s: a P1-ZONE finding on the stack', (_, edit, message) => {
    const findings = checkExposure(mutated(edit)).filter((f) => f.stack === P1 && f.address === 'locals');
    expect(findings).toEqual([expect.objectContaining({ rule: 'P1-ZONE', message: expect.stringMatching(message) })]);
  });
});
