import * as fs from 'node:fs';
import * as path from 'node:path';
import { keyPaths, parseKeys, TARGETS, type KeyTag } from '../scripts/chart-keys';
import { ROOT } from './helpers';

export { keyPaths };

const loaded = new Map<string, ReadonlyMap<string, KeyTag>>();

/**
 * The key paths of the pinned version of a chart, with where each comes from: the checked-in key file that
 * scripts/chart-keys.ts derives from the chart mirror and the reference values (`npm run charts:keys`).
 */
export function chartKeys(chart: string): ReadonlyMap<string, KeyTag> {
  const known = loaded.get(chart);
  if (known) return known;
  const target = TARGETS.find((t) => t.chart === chart);
  if (!target) throw new Error(`no pinned chart '${chart}' in scripts/chart-keys.ts`);
  const file = path.join(ROOT, target.file);
  if (!fs.existsSync(file)) throw new Error(`${target.file} is missing: run npm run charts:keys`);
  const keys = parseKeys(fs.readFileSync(file, 'utf8'));
  loaded.set(chart, keys);
  return keys;
}

/**
 * Paths that are not in the reference although the value is valid, because the path lies under a free-form map
 * (`*` matches one segment).
 */
export function matchesFreeForm(p: string, freeForm: readonly string[]): boolean {
  return freeForm.some((pattern) => {
    const re = new RegExp(
      '^' +
        pattern
          .split('.')
          .map((seg) => (seg === '*' ? '[^.]+' : seg.replace(/[[\]]/g, '\\$&')))
          .join('\\.') +
        '(\\..+|\\[\\].*)?$',
    );
    return re.test(p);
  });
}

/** The paths of `values` that neither the reference, nor a free-form map, nor an allow-list entry explains. */
export function unknownPaths(
  values: unknown,
  reference: ReadonlySet<string>,
  freeForm: readonly string[],
  allowList: Readonly<Record<string, string>> = {},
): string[] {
  return keyPaths(values).filter((p) => !reference.has(p) && !matchesFreeForm(p, freeForm) && !(p in allowList));
}
