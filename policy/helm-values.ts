/**
 * The values a helm_release hands to Helm, as Helm combines them: every values document deep-merged in order, then
 * `set` and `set_list` applied. `set_sensitive` values are hidden in the JSON; only their paths are known.
 */
import { parse as parseYaml } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Helm's coalescing of values files: maps merge recursively, everything else is replaced. */
export function mergeValues(base: Json, over: Json): Json {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeValues(out[k], v) : v;
  return out;
}

/** Splits a `--set` style path (`a.b[0].c`, `a\.b` for a literal dot) into keys. */
export function setPath(name: string): Array<string | number> {
  const parts: Array<string | number> = [];
  let cur = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '\\' && i + 1 < name.length) {
      cur += name[++i];
    } else if (c === '.') {
      if (cur) parts.push(cur);
      cur = '';
    } else if (c === '[') {
      if (cur) parts.push(cur);
      cur = '';
      const end = name.indexOf(']', i);
      parts.push(Number(name.slice(i + 1, end)));
      i = end;
    } else {
      cur += c;
    }
  }
  if (cur) parts.push(cur);
  return parts;
}

function setAt(values: Json, name: string, value: unknown): void {
  const keys = setPath(name);
  let cur = values;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      cur[key] = value;
    } else {
      if (cur[key] === undefined || cur[key] === null || typeof cur[key] !== 'object')
        cur[key] = typeof keys[i + 1] === 'number' ? [] : {};
      cur = cur[key];
    }
  });
}

const scalar = (v: unknown) => (v === 'true' ? true : v === 'false' ? false : v);

export interface ReleaseValues {
  readonly values: Json;
  /** Paths set through `set_sensitive` (their values are not in the JSON). */
  readonly sensitivePaths: readonly string[];
}

/** Throws when a values document is not YAML. */
export function releaseValues(body: Json): ReleaseValues {
  let values: Json = {};
  for (const doc of body.values ?? []) {
    values = mergeValues(values, parseYaml(String(doc).replace(/\$\$\{/g, '${')) ?? {});
  }
  for (const s of body.set ?? []) setAt(values, String(s.name), scalar(s.value));
  for (const s of body.set_list ?? []) setAt(values, String(s.name), s.value);
  return { values, sensitivePaths: (body.set_sensitive ?? []).map((s: Json) => String(s.name)) };
}

/** The chart's base name: `wire-server` for `wire/wire-server` or `oci://.../wire-server`. */
export function chartName(chart: unknown): string {
  return (
    String(chart ?? '')
      .split('/')
      .pop() ?? ''
  );
}
