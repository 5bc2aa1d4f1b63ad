import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

/**
 * The upstream reference values (read-only data): `../shared/reference` beside the repository, or
 * MESSENGER_REFERENCE_DIR (pipelines outside this workplace provide a copy there).
 */
export const REFERENCE =
  process.env.MESSENGER_REFERENCE_DIR ?? path.resolve(__dirname, '..', '..', 'shared', 'reference');
if (!fs.existsSync(REFERENCE)) {
  throw new Error(
    `reference values not found at ${REFERENCE}: set MESSENGER_REFERENCE_DIR to a copy of shared/reference`,
  );
}

/** Every key path of a values object: `a.b.c`, lists as `a.b[]`, list items' keys as `a.b[].c`. */
export function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    const here = `${prefix}[]`;
    return [here, ...value.flatMap((v) => (v && typeof v === 'object' ? keyPaths(v, here) : []))];
  }
  if (value === null || typeof value !== 'object') return prefix ? [prefix] : [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return prefix ? [prefix] : [];
  return [...(prefix ? [prefix] : []), ...entries.flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k))];
}

/** Key paths of a reference YAML file, optionally nested under a prefix (umbrella subcharts). */
export function referencePaths(file: string, under = ''): Set<string> {
  const doc = parse(fs.readFileSync(path.join(REFERENCE, file), 'utf8')) ?? {};
  return new Set(keyPaths(under ? { [under]: doc } : doc));
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
