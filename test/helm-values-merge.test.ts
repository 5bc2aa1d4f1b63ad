/** Helm's coalescing of values, one implementation for writing values and reading them back. */
import { mergeHelmValues } from '../constructs/helm-values-merge';
import { releaseValues } from '../policy/helm-values';

describe('mergeHelmValues', () => {
  it('merges maps key by key, replaces lists and scalars, keeps the base for undefined', () => {
    expect(
      mergeHelmValues({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3], e: true }, d: undefined, f: null }),
    ).toEqual({ a: { b: 1, c: [3], e: true }, d: 'x', f: null });
  });

  it('merges own keys only: a key named like an Object property is a plain key', () => {
    expect(mergeHelmValues({}, { constructor: { enabled: true } })).toEqual({ constructor: { enabled: true } });
    expect(mergeHelmValues({ toString: 'a' }, { toString: { b: 1 } })).toEqual({ toString: { b: 1 } });
  });

  it('is what the checks read a release with: later values documents over earlier ones', () => {
    const read = releaseValues({
      values: ['service:\n  type: ClusterIP\n  ports: [80]\n', 'service:\n  type: NodePort\n'],
    });
    expect('values' in read && read.values).toEqual({ service: { type: 'NodePort', ports: [80] } });
  });
});
