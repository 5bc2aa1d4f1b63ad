/**
 * Per-chart render contracts (`contracts` of the chart descriptors): what a chart must render for its services to
 * start and be reachable, checked on the rendered objects (a value that is null in a service's rendered config file
 * makes that service crash-loop; the chart renders it anyway).
 */
import { parse } from 'yaml';
import { CHARTS } from '../../constructs/charts';
import type { KubernetesObject } from '../k8s-objects';
import { field, valueAt } from '../synthesized-view';

/** Equal as the contract means it: lists as sets of their items, everything else as JSON. */
function sameValue(got: unknown, want: unknown): boolean {
  const norm = (v: unknown): string =>
    Array.isArray(v) ? JSON.stringify(v.map((x) => JSON.stringify(x)).sort()) : JSON.stringify(v ?? null);
  return norm(got) === norm(want);
}

/**
 * Problems of a release's rendered objects against its chart's contracts: [object ref, message]. `locals` are the
 * facts of the release's stack, for contracts whose expectations depend on them.
 */
export function contractProblems(
  chart: string,
  objects: readonly KubernetesObject[],
  locals: Readonly<Record<string, unknown>> = {},
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const c of CHARTS[chart]?.contracts ?? []) {
    let expected: ReadonlyArray<readonly [string, unknown, string]> | undefined;
    if ('expected' in c) {
      try {
        expected = c.expected(locals);
      } catch (e) {
        // facts that cannot be read cannot be judged: a finding, never a pass
        out.push([`ConfigMap//${c.configMap}`, `${c.file}: the stack's facts cannot be read: ${(e as Error).message}`]);
        continue;
      }
      if (expected.length === 0) continue;
    }
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === c.configMap);
    const ref = `ConfigMap/${cm?.metadata.namespace ?? ''}/${c.configMap}`;
    const text = field(cm?.data, c.file);
    if (typeof text !== 'string') {
      out.push([ref, `the chart renders no ${c.file} in ConfigMap ${c.configMap}`]);
      continue;
    }
    if ('forbidden' in c) {
      const line = c.forbidden.exec(text)?.[0].trim();
      if (line) out.push([ref, `${c.file}: '${line}': ${c.why}`]);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = parse(text);
    } catch (e) {
      out.push([ref, `${c.file} is not YAML: ${(e as Error).message}`]);
      continue;
    }
    if (!('required' in c)) {
      for (const [p, want, why] of expected ?? []) {
        const got = valueAt(parsed, p);
        if (!sameValue(got, want))
          out.push([ref, `${c.file}: ${p} is ${JSON.stringify(got ?? null)}, not ${JSON.stringify(want)}; ${why}`]);
      }
      continue;
    }
    for (const [p, why] of c.required) {
      if (valueAt(parsed, p) == null) out.push([ref, `${c.file}: ${p} is null; ${why}`]);
    }
  }
  return out;
}
