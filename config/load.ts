/**
 * Reads a federation YAML file, validates it (schema, then semantic checks) and builds the model.
 * All errors are collected and thrown together as one ConfigError.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { $ZodIssue } from 'zod/v4/core';
import { parseCidr, type Cidr } from './cidr';
import { ConfigError, type ConfigIssue, type ConfigPath } from './errors';
import { DEFAULT_PILLAR_OPERATOR, PILLAR_CLASSIFICATION, zoneMaxClassification } from './domain';
import { byId, type Cluster, type Federation, type Operator, type WirePillar, type Zone } from './model';
import { resolveTenants } from './resolve';
import { federationSchema, redactCredentials, type Classification, type FederationConfig } from './schema';
import { checkSemantics } from './semantic';

import { DEFAULT_CONFIG_FILE } from './paths';
import { checkOwnedNames } from './naming';

/** The marker cdktf puts into strings for its references (see constructs/terraform-literals.ts). */
const TOKEN_MARKER = 'TfToken[';

export { DEFAULT_CONFIG_FILE, projectRoot } from './paths';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function displayName(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redactCredentials(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
  return value;
}

function valueAt(data: unknown, p: ConfigPath): unknown {
  let cur: unknown = data;
  for (const key of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** Walks the zod schema along a path (following the data through discriminated unions). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function schemaAt(schema: any, p: ConfigPath, data: unknown): any {
  let cur = schema;
  let value: unknown = data;
  const unwrap = () => {
    for (;;) {
      const def = cur?._zod?.def;
      if (!def) return;
      if (['optional', 'default', 'nullable', 'prefault', 'readonly', 'catch'].includes(def.type)) cur = def.innerType;
      else if (def.type === 'pipe') cur = def.in;
      else if (def.type === 'union' && def.discriminator && value && typeof value === 'object') {
        const d = (value as Record<string, unknown>)[def.discriminator];
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const match = def.options.find((o: any) => o._zod.def.shape[def.discriminator]._zod.def.values.includes(d));
        if (!match) return;
        cur = match;
      } else return;
    }
  };
  unwrap();
  for (const key of p) {
    const def = cur?._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object') cur = def.shape[key];
    else if (def.type === 'array') cur = def.element;
    else if (def.type === 'record') cur = def.valueType;
    else return undefined;
    value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
    unwrap();
  }
  return cur;
}

function describeZodIssue(issue: $ZodIssue, data: unknown): { path: ConfigPath; message: string; allowed?: string } {
  const p = issue.path as ConfigPath;
  switch (issue.code) {
    case 'invalid_value':
      return {
        path: p,
        message: valueAt(data, p) === undefined ? 'required key is missing' : 'not an allowed value',
        allowed: issue.values.map((v) => JSON.stringify(v)).join(' | '),
      };
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const union = schemaAt(federationSchema, p.slice(0, -1), data);
        const def = union?._zod?.def;
        const options: string[] = (def?.options ?? []).flatMap(
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          (o: any) => o._zod.def.shape[issue.discriminator as string]._zod.def.values as string[],
        );
        return {
          path: p,
          message: `unknown ${issue.discriminator}`,
          allowed: options.map((o) => JSON.stringify(o)).join(' | '),
        };
      }
      return { path: p, message: 'matches none of the allowed forms' };
    }
    case 'unrecognized_keys': {
      const obj = schemaAt(federationSchema, p, data);
      const keys = Object.keys(obj?._zod?.def?.shape ?? {});
      const credentialHint = issue.keys.some((k) => /token|password|secret|key|cert(?!ificateFile)|credential/i.test(k))
        ? ' (credentials never go into the config: use a kubeconfig path/context, an exec plugin or environment variable names)'
        : '';
      return {
        path: [...p, issue.keys[0]],
        message: `unknown key${issue.keys.length > 1 ? 's ' + issue.keys.map((k) => `'${k}'`).join(', ') : ` '${issue.keys[0]}'`}${credentialHint}`,
        allowed: `keys ${keys.join(', ')}`,
      };
    }
    case 'invalid_type':
      return {
        path: p,
        message: valueAt(data, p) === undefined ? 'required key is missing' : `wrong type`,
        allowed: `a value of type ${issue.expected}`,
      };
    case 'too_small':
      return {
        path: p,
        message: issue.message,
        allowed:
          issue.origin === 'array'
            ? `at least ${issue.minimum} item(s)`
            : issue.origin === 'string'
              ? `at least ${issue.minimum} character(s)`
              : `a value of at least ${issue.minimum}`,
      };
    default:
      return { path: p, message: issue.message };
  }
}

function position(doc: Document, lines: LineCounter, p: ConfigPath): { line?: number; column?: number } {
  for (let len = p.length; len >= 0; len--) {
    const node = doc.getIn(p.slice(0, len), true);
    if (node && (isScalar(node) || isMap(node) || isSeq(node)) && node.range) {
      const pos = lines.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

function resolvePath(baseDir: string, p: string): string {
  if (p.startsWith('~') || path.isAbsolute(p)) return p;
  return path.resolve(baseDir, p);
}

function buildModel(cfg: FederationConfig, file: string): Federation {
  const baseDir = path.dirname(file);
  const operators: Operator[] = cfg.operators.map((o) => ({ ...o }));
  for (const t of cfg.tenants) {
    operators.push({ id: t.id, name: t.name, kind: 'agency' });
  }
  const zones: Zone[] = cfg.zones.map((z) => ({
    ...z,
    maxClassification: zoneMaxClassification(z),
    networks: z.cidrs.map((c) => parseCidr(c) as Cidr),
  }));
  const clusters: Cluster[] = cfg.clusters.map((c) => ({
    ...c,
    connection:
      c.connection.type === 'kubeconfig'
        ? { ...c.connection, path: resolvePath(baseDir, c.connection.path) }
        : {
            ...c.connection,
            clusterCaCertificateFile:
              c.connection.clusterCaCertificateFile && resolvePath(baseDir, c.connection.clusterCaCertificateFile),
          },
    zone: byId(zones, c.zone),
    operator: byId(operators, c.operator),
  }));
  const instances = new Map<
    string,
    { domain: string; zone: Zone; classification: Classification; operator?: string }
  >();
  for (const p of cfg.wire.pillars) {
    instances.set(p.id, {
      domain: p.federationDomain ?? p.domain,
      zone: byId(clusters, p.cluster).zone,
      classification: PILLAR_CLASSIFICATION[p.pillar],
      operator: byId(operators, p.operator ?? DEFAULT_PILLAR_OPERATOR).name,
    });
  }
  for (const e of cfg.wire.externalBackends)
    instances.set(e.id, {
      domain: e.domain,
      zone: byId(zones, e.zone),
      classification: e.classification,
      operator: e.operator,
    });
  const pillars: WirePillar[] = cfg.wire.pillars.map((p) => ({
    ...p,
    cluster: byId(clusters, p.cluster),
    operator: byId(operators, p.operator ?? DEFAULT_PILLAR_OPERATOR),
    classification: PILLAR_CLASSIFICATION[p.pillar],
    federationDomain: p.federationDomain ?? p.domain,
    partners: cfg.wire.federationLinks
      .filter((l) => l.between.includes(p.id))
      .map((l) => {
        const other = l.between[0] === p.id ? l.between[1] : l.between[0];
        const inst = instances.get(other)!;
        return {
          id: other,
          domain: inst.domain,
          zone: inst.zone.id,
          zoneKind: inst.zone.kind,
          classification: inst.classification,
          ...(inst.operator !== undefined ? { operator: inst.operator } : {}),
          searchPolicy: l.searchPolicy,
        };
      }),
  }));
  return {
    sourceFile: file,
    name: cfg.federation.name,
    stateBackend: cfg.stateBackend,
    operators,
    zones,
    clusters,
    pillars,
    chartRepositories: cfg.wire.chartRepositories,
    tenants: resolveTenants(cfg.tenants, { zones, clusters, operators, pillars }),
    config: cfg,
  };
}

/**
 * Validates federation YAML text. `file` is the path the text came from: it names the file in errors and is the
 * base for relative paths.
 */
export function parseFederation(text: string, file: string): Federation {
  const absolute = path.resolve(file);
  const shown = displayName(absolute);
  const lines = new LineCounter();
  const yamlError = (message: string, offset?: number, value?: unknown): ConfigError => {
    const pos = offset === undefined ? undefined : lines.linePos(offset);
    return new ConfigError([
      {
        file: shown,
        path: [],
        line: pos?.line,
        column: pos?.col,
        message,
        value,
        allowed: 'YAML 1.2 (see config/federation.yaml for an example)',
      },
    ]);
  };
  const depth = maxNesting(text);
  if (depth.depth > MAX_NESTING) {
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    throw yamlError(`nested more than ${MAX_NESTING} levels deep`, depth.at, text.slice(depth.at, depth.at + 20));
  }
  let doc: Document;
  let data: unknown;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw yamlError(`not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  // Unknown tags (`!foo`) resolve to plain strings with only a warning: refused, like every unknown thing.
  const tagWarnings = doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (doc.errors.length === 0 && tagWarnings.length > 0) {
    const w = tagWarnings[0];
    throw yamlError(
      `unknown YAML tag ${text.slice(w.pos[0], w.pos[1]).split(/\s/)[0]}`,
      w.pos[0],
      text.slice(w.pos[0], w.pos[1]),
    );
  }
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const found = text.slice(e.pos[0], Math.min(e.pos[1], e.pos[0] + 40));
        if (e.code === 'MULTIPLE_DOCS') {
          return {
            file: shown,
            path: [],
            line: pos?.line,
            column: pos?.col,
            message: 'more than one YAML document (a second ---)',
            value: '---',
            allowed: 'one federation per file',
          } satisfies ConfigIssue;
        }
        const duplicate =
          e.code === 'DUPLICATE_KEY' ? /^[^:\n]*/.exec(text.slice(e.pos[0], e.pos[0] + 200))?.[0].trim() : undefined;
        return {
          file: shown,
          path: [],
          line: pos?.line,
          column: pos?.col,
          message: duplicate
            ? `not valid YAML: the key '${duplicate}' appears twice in one mapping`
            : `not valid YAML: ${e.message.split('\n')[0]}`,
          value: duplicate ?? found,
          allowed: duplicate
            ? 'each key once per mapping (merge the two entries)'
            : 'YAML 1.2 (see config/federation.yaml for an example)',
        } satisfies ConfigIssue;
      }),
    );
  }
  try {
    // Aliases are expanded here; the limit stops an alias bomb (a few lines that expand to gigabytes).
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw yamlError(
      /alias/i.test((e as Error).message)
        ? `too many alias expansions (more than ${MAX_ALIAS_COUNT}): the file looks like an alias bomb`
        : `not valid YAML: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const issue = (p: ConfigPath, message: string, value: unknown, allowed?: string): ConfigIssue => ({
    file: shown,
    path: p,
    ...position(doc, lines, p),
    message,
    // errors are printed and land in CI logs: a refused credential is not echoed
    value: redactDeep(value),
    allowed,
  });

  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError([
      {
        ...issue(
          [],
          data == null ? 'the file holds no federation (empty or only comments)' : 'not a mapping of keys',
          data,
        ),
        line: position(doc, lines, []).line ?? 1,
        column: 1,
        allowed: 'a mapping with federation, operators, zones, clusters, wire, tenants (see config/federation.yaml)',
      },
    ]);
  }
  const textIssues: ConfigIssue[] = [];
  checkText(data, (p, message, value, allowed) => textIssues.push(issue(p, message, value, allowed)));
  if (textIssues.length > 0) throw new ConfigError(textIssues);

  const parsed = federationSchema.safeParse(data ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((zi) => {
        const d = describeZodIssue(zi, data);
        return issue(d.path, d.message, valueAt(data, d.path), d.allowed);
      }),
    );
  }
  const issues: ConfigIssue[] = [];
  const add = (p: ConfigPath, message: string, value: unknown, allowed?: string) =>
    issues.push(issue(p, message, value, allowed));
  checkSemantics(parsed.data, add);
  // Names are derived from ids and references: checked once those are known to be sound.
  if (issues.length === 0) checkOwnedNames(parsed.data, add);
  if (issues.length > 0) throw new ConfigError(issues);
  const federation = { ...buildModel(parsed.data, absolute), sourceSha256: sha256(text) };
  // Not enumerable: the model stays plain data (structuredClone, JSON) with the locator beside it.
  Object.defineProperty(federation, 'locate', { value: (p: ConfigPath) => position(doc, lines, p), enumerable: false });
  return federation;
}

/** Reads and validates a federation file. */
export function loadFederation(file: string = DEFAULT_CONFIG_FILE): Federation {
  return parseFederation(readConfigText(file), file);
}

/** The largest config file read (a federation of 500 agencies is well under 1 MiB). */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * Reads a config file as UTF-8 text: only a regular file (a FIFO or device would block or never end), at most
 * {@link MAX_CONFIG_BYTES}, and valid UTF-8 (a Latin-1 file would otherwise turn umlauts into U+FFFD silently).
 */
export function readConfigText(file: string): string {
  const shown = displayName(path.resolve(file));
  const refuse = (message: string, extra: Partial<ConfigIssue> = {}): ConfigError =>
    new ConfigError([
      {
        file: shown,
        path: [],
        message,
        value: file,
        allowed: 'a readable UTF-8 YAML file (FEDERATION_CONFIG=<path>, default config/federation.yaml)',
        ...extra,
      },
    ]);
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      throw refuse(`not a regular file (${stat.isDirectory() ? 'a directory' : 'a FIFO, socket or device'})`);
    }
    if (stat.size > MAX_CONFIG_BYTES) throw refuse(`larger than ${MAX_CONFIG_BYTES} bytes (${stat.size})`);
    bytes = fs.readFileSync(file);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw refuse(`cannot read the config file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, bad);
    const line = before.filter((b) => b === 0x0a).length + 1;
    throw refuse('not valid UTF-8 (save the file as UTF-8)', {
      line,
      column: bad - before.lastIndexOf(0x0a),
      value: `byte 0x${bytes[bad].toString(16).padStart(2, '0')} at offset ${bad}`,
    });
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (0 when none is found). */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return 0;
}

/** Nesting deeper than this is refused before parsing (deep nesting would exhaust the parser's stack). */
export const MAX_NESTING = 64;
/** Alias expansions allowed when the YAML is turned into data. */
export const MAX_ALIAS_COUNT = 100;

/** The deepest bracket or indentation nesting of a YAML text, and where it is reached (a cheap upper bound). */
function maxNesting(text: string): { depth: number; at: number } {
  let depth = 0;
  let best = { depth: 0, at: 0 };
  let indent = -1;
  let lineStart = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = i + 1;
      indent = -1;
      quote = undefined;
      continue;
    }
    // Block nesting: every two columns of leading indentation may open one level.
    if (indent < 0 && c !== ' ' && c !== '-') indent = i - lineStart;
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    const level = depth + Math.floor(Math.max(indent, 0) / 2);
    if (level > best.depth) best = { depth: level, at: i };
  }
  return best;
}

/** Control characters and Unicode line separators; tab is allowed everywhere, a newline only in free-text reasons. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
/** Bidirectional overrides and isolates: they make text read differently from what it is (CVE-2021-42574). */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
/** Keys whose values are prose that may span lines (shown collapsed to one line in reports). */
const MULTILINE_KEYS = new Set(['reason']);

/**
 * Checks every string and key of the config for text that would change meaning on its way out: cdktf's token
 * marker (a string posing as a reference), control characters and newlines (forged lines in reports and logs),
 * bidirectional overrides.
 */
function checkText(
  data: unknown,
  report: (p: ConfigPath, message: string, value: unknown, allowed?: string) => void,
): void {
  const stack: Array<{ value: unknown; at: ConfigPath }> = [{ value: data, at: [] }];
  while (stack.length > 0) {
    const { value, at } = stack.pop()!;
    if (typeof value === 'string') {
      const key = at[at.length - 1];
      if (value.includes(TOKEN_MARKER)) {
        report(at, `contains '${TOKEN_MARKER}', the marker of a cdktf reference`, value, 'plain text');
      } else if (CONTROL.test(value) || (value.includes('\n') && !MULTILINE_KEYS.has(String(key)))) {
        report(
          at,
          'contains a line break or control character',
          value,
          MULTILINE_KEYS.has(String(key)) ? 'text and line breaks' : 'one line of text',
        );
      } else if (BIDI.test(value)) {
        report(at, 'contains a bidirectional override character', value, 'text without U+202A-U+202E, U+2066-U+2069');
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, at: [...at, i] }));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes(TOKEN_MARKER) || CONTROL.test(k) || k.includes('\n') || BIDI.test(k)) {
          report([...at, k], 'the key contains a control character or a cdktf token marker', k, 'plain keys');
        }
        stack.push({ value: v, at: [...at, k] });
      }
    }
  }
}
