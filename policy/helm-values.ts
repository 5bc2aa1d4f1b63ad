/**
 * The values a helm_release hands to Helm, as Helm combines them: every values document deep-merged in order, then
 * `set`, `set_list` and `set_sensitive` applied the way the helm provider applies them (Helm's `--set` syntax,
 * `strvals`). Values documents are read as Helm reads them: YAML 1.1 (`yes`, `on`, `Y` are true; merge keys).
 * `set_sensitive` values are hidden in the JSON; only their paths are known.
 *
 * Every string is read as the literal text Terraform hands over: `$${` is `${` and `%%{` is `%{`
 * ({@link terraformText}); live templates are findings of their own (`P1-TERRAFORM`, policy/exposure.ts).
 */
import { parse as parseYaml } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The literal text of an escaped Terraform string: `$${` reads back as `${`, `%%{` as `%{`. */
export function terraformText(s: string): string {
  return s.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}

/**
 * Go template truthiness (`{{ if .Values.x }}`): false, 0, nil, "" and empty maps and lists are false; anything
 * else is true, also the string "false". A chart switch that enables exposure is on when this is true.
 */
export function goTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

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
      if (end < 0 || !/^\d+$/.test(name.slice(i + 1, end))) throw new Error(`'${name}': not a list index`);
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
  if (keys.length === 0) throw new Error(`'${name}': no key`);
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

/**
 * Helm's `strvals` typing of a `--set` value: true/false/null in any case, 0, and integers without a leading zero;
 * everything else stays a string. `set` entries with `type = "string"` are not typed.
 */
export function setScalar(v: string, asString = false): unknown {
  if (asString) return v;
  const lower = v.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (v === '0') return 0;
  if (v.length > 0 && v[0] !== '0' && /^[-+]?\d+$/.test(v)) {
    const n = Number(v);
    if (Number.isSafeInteger(n)) return n;
  }
  return v;
}

/** Reads up to an unescaped stop character; `\x` stands for `x`. */
function readUntil(text: string, at: number, stops: string): { value: string; end: number } {
  let value = '';
  let i = at;
  for (; i < text.length && !stops.includes(text[i]); i++) {
    if (text[i] === '\\' && i + 1 < text.length) value += text[++i];
    else value += text[i];
  }
  return { value, end: i };
}

/**
 * The assignments Helm's `strvals.ParseInto` reads from `name=value` (the helm provider joins each `set` entry this
 * way): unescaped commas separate further assignments, `{a,b}` is a list. A name or value the guard cannot read
 * this way throws (the caller turns that into a finding).
 */
export function setAssignments(line: string, asString = false): Array<{ name: string; value: unknown }> {
  const out: Array<{ name: string; value: unknown }> = [];
  let i = 0;
  while (i < line.length) {
    // the key: up to `=`, with `\` escapes kept for setPath
    let j = i;
    let rawName = '';
    for (; j < line.length && line[j] !== '='; j++) {
      if (line[j] === ',' || line[j] === '{' || line[j] === '}') throw new Error(`'${line}': key without a value`);
      if (line[j] === '\\' && j + 1 < line.length) rawName += line[j++];
      rawName += line[j];
    }
    if (j >= line.length) throw new Error(`'${line}': key '${rawName}' without a value`);
    i = j + 1;
    if (line[i] === '{') {
      const items: unknown[] = [];
      i++;
      for (;;) {
        const r = readUntil(line, i, ',}');
        if (r.end >= line.length) throw new Error(`'${line}': list without a closing brace`);
        if (r.value !== '' || line[r.end] === ',' || items.length > 0) items.push(setScalar(r.value, asString));
        i = r.end + 1;
        if (line[r.end] === '}') break;
      }
      if (i < line.length && line[i] !== ',') throw new Error(`'${line}': text after a list`);
      out.push({ name: rawName, value: items });
      i++;
    } else {
      const r = readUntil(line, i, ',');
      out.push({ name: rawName, value: setScalar(r.value, asString) });
      i = r.end + 1;
    }
  }
  return out;
}

export interface ReleaseValues {
  readonly values: Json;
  /** Paths set through `set_sensitive` (their values are not in the JSON). */
  readonly sensitivePaths: readonly string[];
}

/** Throws when a values document is not YAML, or a `set` entry cannot be read as Helm would. */
/**
 * Parsed values per release body: the guard, the reachability report, the compliance pack and the render stage all
 * read the same releases; YAML parsing is the dominant cost, so each body is parsed once (callers get a copy).
 */
const parsedReleases = new Map<string, ReleaseValues>();

export function releaseValues(body: Json): ReleaseValues {
  if (body === null || typeof body !== 'object') return readReleaseValues(body);
  // keyed by what the values are made of (callers may pass copies of one body)
  const key = JSON.stringify([body.values, body.set, body.set_list, body.set_sensitive]);
  let parsed = parsedReleases.get(key);
  if (!parsed) {
    parsed = readReleaseValues(body);
    if (parsedReleases.size >= 10_000) parsedReleases.clear();
    parsedReleases.set(key, parsed);
  }
  return structuredClone(parsed);
}

function readReleaseValues(body: Json): ReleaseValues {
  let values: Json = {};
  for (const doc of body.values ?? []) {
    values = mergeValues(values, parseYaml(terraformText(String(doc)), { version: '1.1' }) ?? {});
  }
  const text = (v: unknown) => terraformText(String(v ?? ''));
  for (const s of body.set ?? []) {
    const type = s?.type === undefined ? 'auto' : String(s.type);
    if (type === 'literal') setAt(values, text(s.name), text(s.value));
    else if (type === 'auto' || type === 'string')
      for (const a of setAssignments(`${text(s.name)}=${text(s.value)}`, type === 'string'))
        setAt(values, a.name, a.value);
    else throw new Error(`set '${text(s.name)}': type '${type}' is not one the helm provider knows`);
  }
  for (const s of body.set_list ?? []) {
    const items = Array.isArray(s?.value) ? s.value.map(text) : [text(s?.value)];
    for (const a of setAssignments(`${text(s?.name)}={${items.join(',')}}`)) setAt(values, a.name, a.value);
  }
  const sensitivePaths = (body.set_sensitive ?? []).map((s: Json) => {
    const name = terraformText(String(s?.name ?? ''));
    // `a=b,c` would set more than the one hidden path
    if (readUntil(name, 0, ',={}').end !== name.length)
      throw new Error(`set_sensitive '${name}': a name with an unescaped , = { or } sets more than one path`);
    setPath(name);
    return name;
  });
  return { values, sensitivePaths };
}

/** The chart's base name: `wire-server` for `wire/wire-server` or `oci://.../wire-server`. */
export function chartName(chart: unknown): string {
  return (
    terraformText(String(chart ?? ''))
      .split('/')
      .pop() ?? ''
  );
}
