/**
 * The values a helm_release hands to Helm, as Helm combines them: every values document deep-merged in order, then
 * `set`, `set_list` and `set_sensitive` applied the way the helm provider applies them (Helm's `--set` syntax,
 * `strvals`). Values documents are read as Helm reads them: YAML 1.1 (`yes`, `on`, `Y` are true; merge keys).
 * `set_sensitive` values are hidden in the JSON; only their paths are known.
 *
 * Every string is read as the literal text Terraform hands over: `$${` is `${` and `%%{` is `%{`
 * ({@link terraformText}); live templates are findings of their own (`P1-TERRAFORM`,
 * policy/rules/guard/terraform.ts).
 */
import { mergeHelmValues } from '../constructs/helm-values-merge';
import { parse as parseYaml } from 'yaml';

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

/** A map or a list of the values, indexed by key or position (a scalar throws on assignment, as in strict mode). */
type Container = Record<string | number, unknown>;

function setAt(values: unknown, name: string, value: unknown): void {
  const keys = setPath(name);
  if (keys.length === 0) throw new Error(`'${name}': no key`);
  let cur = values as Container;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      cur[key] = value;
    } else {
      const next = cur[key];
      if (next === undefined || next === null || typeof next !== 'object')
        cur[key] = typeof keys[i + 1] === 'number' ? [] : {};
      cur = cur[key] as Container;
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
  /** The merged values: a map for every release Helm installs (a values document may be anything else). */
  readonly values: unknown;
  /** Paths set through `set_sensitive` (their values are not in the JSON). */
  readonly sensitivePaths: readonly string[];
}

/** Throws when a values document is not YAML, or a `set` entry cannot be read as Helm would. */
/**
 * Parsed values per release body: the guard, the reachability report, the compliance pack and the render stage all
 * read the same releases; YAML parsing is the dominant cost, so each body is parsed once (callers get a copy).
 */
const parsedReleases = new Map<string, ReleaseValues>();

export function releaseValues(body: unknown): ReleaseValues {
  if (!isMap(body)) return readReleaseValues(body);
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

/** A field of the release body (a body that is no object has none to read: that throws, as reading it did). */
function bodyField(body: unknown, key: string): unknown {
  if (body === null || body === undefined) throw new TypeError(`Cannot read properties of ${body} (reading '${key}')`);
  return isMap(body) ? body[key] : undefined;
}

/** A field of one `set` entry, as `entry?.field` read it. */
const entryField = (entry: unknown, key: string): unknown => (isMap(entry) ? entry[key] : undefined);

/** The items of a list field; a string yields its characters and anything else but a list throws, as a loop did. */
function listItems(v: unknown): readonly unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  throw new TypeError(`${JSON.stringify(v) ?? String(v)} is not iterable`);
}

function readReleaseValues(body: unknown): ReleaseValues {
  let values: unknown = {};
  for (const doc of listItems(bodyField(body, 'values'))) {
    values = mergeHelmValues(values, parseYaml(terraformText(String(doc)), { version: '1.1' }) ?? {});
  }
  const text = (v: unknown) => terraformText(String(v ?? ''));
  for (const s of listItems(bodyField(body, 'set'))) {
    const t = entryField(s, 'type');
    const type = t === undefined ? 'auto' : String(t);
    const name = text(entryField(s, 'name'));
    const value = text(entryField(s, 'value'));
    if (type === 'literal') setAt(values, name, value);
    else if (type === 'auto' || type === 'string')
      for (const a of setAssignments(`${name}=${value}`, type === 'string')) setAt(values, a.name, a.value);
    else throw new Error(`set '${name}': type '${type}' is not one the helm provider knows`);
  }
  for (const s of listItems(bodyField(body, 'set_list'))) {
    const v = entryField(s, 'value');
    const list = Array.isArray(v) ? v.map(text) : [text(v)];
    for (const a of setAssignments(`${text(entryField(s, 'name'))}={${list.join(',')}}`))
      setAt(values, a.name, a.value);
  }
  const sensitivePaths = listItems(bodyField(body, 'set_sensitive')).map((s) => {
    const name = terraformText(String(entryField(s, 'name') ?? ''));
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
