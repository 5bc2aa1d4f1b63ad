/**
 * Reads a federation YAML file, validates it (schema, then semantic checks) and builds the model.
 * All errors are collected and thrown together as one ConfigError.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { $ZodIssue } from 'zod/v4/core';
import { parseCidr, type Cidr } from './cidr';
import { ConfigError, type ConfigIssue, type ConfigPath } from './errors';
import { byId, type Cluster, type Federation, type Operator, type WirePillar, type Zone } from './model';
import { federationSchema, type FederationConfig } from './schema';
import { checkSemantics, PILLAR_CLASSIFICATION } from './semantic';

import { DEFAULT_CONFIG_FILE } from './paths';

export { DEFAULT_CONFIG_FILE, projectRoot } from './paths';

function displayName(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
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
        allowed: `at least ${issue.minimum} ${issue.origin === 'array' ? 'item(s)' : 'character(s)'}`,
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
    maxClassification: z.maxClassification ?? (z.kind === 'ndb' ? 'VS-NfD' : 'offen'),
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
  const instances = new Map<string, { domain: string; zone: string }>();
  for (const p of cfg.wire.pillars) {
    instances.set(p.id, { domain: p.federationDomain ?? p.domain, zone: byId(clusters, p.cluster).zone.id });
  }
  for (const e of cfg.wire.externalBackends) instances.set(e.id, { domain: e.domain, zone: e.zone });
  const pillars: WirePillar[] = cfg.wire.pillars.map((p) => ({
    ...p,
    cluster: byId(clusters, p.cluster),
    operator: byId(operators, p.operator ?? 'itzbund'),
    classification: PILLAR_CLASSIFICATION[p.pillar],
    federationDomain: p.federationDomain ?? p.domain,
    partners: cfg.wire.federationLinks
      .filter((l) => l.between.includes(p.id))
      .map((l) => {
        const other = l.between[0] === p.id ? l.between[1] : l.between[0];
        const inst = instances.get(other)!;
        return { id: other, domain: inst.domain, zone: inst.zone, searchPolicy: l.searchPolicy };
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
    tenants: cfg.tenants,
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
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return {
          file: shown,
          path: [],
          line: pos?.line,
          column: pos?.col,
          message: `not valid YAML: ${e.message.split('\n')[0]}`,
          value: text.slice(e.pos[0], Math.min(e.pos[1], e.pos[0] + 40)),
          allowed: 'YAML 1.2 (see config/federation.yaml for an example)',
        } satisfies ConfigIssue;
      }),
    );
  }
  const data: unknown = doc.toJS();
  const issue = (p: ConfigPath, message: string, value: unknown, allowed?: string): ConfigIssue => ({
    file: shown,
    path: p,
    ...position(doc, lines, p),
    message,
    value,
    allowed,
  });

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
  checkSemantics(parsed.data, (p, message, value, allowed) => issues.push(issue(p, message, value, allowed)));
  if (issues.length > 0) throw new ConfigError(issues);
  return buildModel(parsed.data, absolute);
}

/** Reads and validates a federation file. */
export function loadFederation(file: string = DEFAULT_CONFIG_FILE): Federation {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([
      {
        file: displayName(path.resolve(file)),
        path: [],
        message: `cannot read the config file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
        value: file,
        allowed: 'a readable YAML file (FEDERATION_CONFIG=<path>, default config/federation.yaml)',
      },
    ]);
  }
  return parseFederation(text, file);
}
