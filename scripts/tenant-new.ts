/**
 * `npm run tenant:new -- --id bkm --name "..." --kind federal-authority --domain bkm.bund.example --wire 3 ...`
 * Adds an agency tenant to the federation config, validates the result with the same checks as synth (schema,
 * references, guard, compliance), refuses ids that exist, prints the stacks that will change and the steps left to
 * the agency. On a terminal, it asks for what the flags leave open.
 *
 * It fails closed: the config is locked (`<config>.lock`) from reading to writing, so concurrent runs add their
 * tenants one after the other; it is replaced atomically (a temporary file renamed over it), so a full disk never
 * leaves a part of it; only the new lines are inserted (comments, quoting, indentation and line endings stay as
 * they are, a JSON config stays JSON); and every flag error is a one-line message with the usage (exit 2).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { Document, isMap, isScalar, isSeq, parseDocument, visit, type YAMLSeq } from 'yaml';
import { ConfigError, formatIssue, type ConfigIssue } from '../config/errors';
import { DEFAULT_CONFIG_FILE, parseFederation } from '../config/load';
import type { Federation } from '../config/model';
import { TENANT_KINDS } from '../config/schema';
import { formatComplianceFinding } from '../policy/rules/compliance/writers';
import { readSynthesized } from '../policy/synthesized';
import { items, outputValue } from '../policy/synthesized-view';
import { LockError, withFileLock, writeFileAtomic } from '../app/file-lock';
import { StackNames } from '../config/naming';
import { ComplianceError, GuardError, SynthError, synthFederation } from '../app/pipeline';
import { RULES_IN_AGENCY_TODO } from '../stacks/tenant-stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export type Ask = (question: string, fallback?: string) => Promise<string>;

export interface TenantOptions {
  readonly [key: string]: string | boolean | string[] | undefined;
}

const OPTIONS = {
  config: { type: 'string' },
  id: { type: 'string' },
  name: { type: 'string' },
  kind: { type: 'string' },
  domain: { type: 'string' },
  wire: { type: 'string' },
  'ldap-host': { type: 'string' },
  'ldap-base-dn': { type: 'string' },
  'ldap-bind-dn': { type: 'string' },
  bundesmessenger: { type: 'string' },
  cluster: { type: 'string' },
  'cluster-zone': { type: 'string' },
  kubeconfig: { type: 'string' },
  'server-name': { type: 'string' },
  'privacy-url': { type: 'string' },
  'imprint-url': { type: 'string' },
  'pg-host': { type: 'string' },
  'clamav-mirror': { type: 'string' },
  'no-virus-scan': { type: 'string' },
  'homeserver-url': { type: 'string' },
  provider: { type: 'string' },
  avv: { type: 'string', multiple: true },
  dv: { type: 'string' },
  'vsnfd-devices': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const USAGE = `usage: npm run tenant:new -- --id <id> --name <name> --kind <kind> --domain <domain> [options]

Adds an agency (tenant) to the federation file, validates it like synth does, and prints the stacks that change
and the steps left for the agency. On a terminal it asks for whatever the flags leave open. Only the new lines are
inserted; the file is locked (<file>.lock) while it is read, checked and replaced.
Exit 0: added; 1: refused (the file is unchanged); 2: a usage error (the file is unchanged).

  --config <file>              the federation file (default: FEDERATION_CONFIG or config/federation.yaml)
  --kind <kind>                federal-ministry | federal-authority | land-authority | municipality | bundeswehr
  --wire <pillars>             Wire Bund Säulen or pillar ids, e.g. 1,3
  --ldap-host <host> --ldap-base-dn <dn> --ldap-bind-dn <dn>   LDAP sync into Wire (needs --wire)
  --bundesmessenger <mode>     self-hosted | saas
    self-hosted: --cluster <existing id> | --cluster-zone <zone> [--kubeconfig <path>] (a new own cluster)
                 --server-name <name>
                 --privacy-url <url> --imprint-url <url> --pg-host <host>
                 (--clamav-mirror <url> | --no-virus-scan <reason>)
    saas:        --server-name <name> --homeserver-url <url> [--provider <operator>]
  --avv <processor>:<reference>:<YYYY-MM-DD>   a data processing agreement (repeatable)
  --dv <reference>:<YYYY-MM-DD>                the Dienstvereinbarung
  --vsnfd-devices              the agency uses VS-NfD-approved devices (needs a Säule-1 pillar in --wire)
  --dry-run                    show everything, write nothing
  -h, --help                   this text`;

/** The tenant is refused (exit 1); the config is unchanged. */
export class TenantError extends Error {}

/** A flag error (exit 2); the config is unchanged. */
export class UsageError extends TenantError {}

/** Parses the command line; every problem is one UsageError line. */
export function parseCli(args: readonly string[]): Json {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: false, strict: true, tokens: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const first = err.message.split('\n')[0];
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new UsageError(`${first.replace(/^Unknown option/, 'unknown flag')}`);
    }
    if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const arg = /'(.*)'/.exec(first)?.[1] ?? '';
      throw new UsageError(`unexpected argument '${arg}': every value follows its flag (quote values with spaces)`);
    }
    const boolean = /^Option '(--[\w-]+)' does not take an argument/.exec(first);
    if (boolean) {
      const given = args.find((a) => a.startsWith(`${boolean[1]}=`)) ?? boolean[1];
      throw new UsageError(`${boolean[1]} is a switch and takes no value (found '${given}'); give it alone`);
    }
    if (/argument is ambiguous/.test(first)) {
      const flag = /'(--[\w-]+)'/.exec(first)?.[1] ?? '';
      throw new UsageError(
        `${flag} needs a value, found the next flag (a value starting with - is written ${flag}=-...)`,
      );
    }
    throw new UsageError(first.replace(/^Option '([^']*)' argument missing$/, '$1: the value is missing'));
  }
  const seen = new Set<string>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option' || t.name === 'avv') continue;
    if (seen.has(t.name)) throw new UsageError(`--${t.name} is given more than once`);
    seen.add(t.name);
  }
  return parsed.values;
}

const LDAP_FLAGS = ['ldap-host', 'ldap-base-dn', 'ldap-bind-dn'];
const SELF_HOSTED_FLAGS = [
  'cluster',
  'cluster-zone',
  'kubeconfig',
  'privacy-url',
  'imprint-url',
  'pg-host',
  'clamav-mirror',
  'no-virus-scan',
];
const SAAS_FLAGS = ['homeserver-url', 'provider'];

/**
 * Flags that would be silently ignored in this combination. `wire` and `bundesMessenger` are the values in effect
 * ('' for none); undefined while a terminal may still ask for them.
 */
export function flagConflict(
  opts: Json,
  wire: string | undefined,
  bundesMessenger: string | undefined,
): string | undefined {
  const given = (k: string) => opts[k] !== undefined && opts[k] !== false;
  const list = (ks: string[]) => `${ks.map((k) => `--${k}`).join(', ')} ${ks.length === 1 ? 'needs' : 'need'}`;
  const ldap = LDAP_FLAGS.filter(given);
  if (ldap.length > 0 && wire === '') return `${list(ldap)} --wire (the LDAP sync is for Wire Bund)`;
  if (ldap.length > 0 && !given('ldap-host')) return `${list(ldap)} --ldap-host`;
  if (given('vsnfd-devices') && wire === '') return '--vsnfd-devices needs --wire with a Säule-1 pillar';
  if (given('cluster') && given('cluster-zone')) {
    return '--cluster (an existing cluster) and --cluster-zone (a new cluster) exclude each other';
  }
  if (given('kubeconfig') && given('cluster'))
    return '--kubeconfig is for a new cluster (--cluster-zone), not --cluster';
  if (given('clamav-mirror') && given('no-virus-scan')) return '--clamav-mirror and --no-virus-scan exclude each other';
  if (bundesMessenger === undefined || !['', 'self-hosted', 'saas'].includes(bundesMessenger)) return undefined;
  const selfHosted = SELF_HOSTED_FLAGS.filter(given);
  if (selfHosted.length > 0 && bundesMessenger !== 'self-hosted') {
    return `${list(selfHosted)} --bundesmessenger self-hosted`;
  }
  const saas = SAAS_FLAGS.filter(given);
  if (saas.length > 0 && bundesMessenger !== 'saas') return `${list(saas)} --bundesmessenger saas`;
  if (given('server-name') && bundesMessenger === '') return '--server-name needs --bundesmessenger';
  return undefined;
}

async function need(
  opts: Json,
  key: string,
  ask: Ask | undefined,
  question: string,
  fallback?: string,
): Promise<string> {
  if (typeof opts[key] === 'string' && opts[key] !== '') return opts[key];
  if (ask) {
    const answer = (await ask(question, fallback)).trim();
    if (answer !== '') return answer;
    if (fallback !== undefined) return fallback;
  } else if (fallback !== undefined) {
    return fallback;
  }
  throw new UsageError(`--${key} is required (${question})`);
}

/** A calendar date as the config takes it. */
function isoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

/**
 * `<first>:<reference>:<YYYY-MM-DD>` with a reference that may itself contain ':' (file numbers often do): the
 * first and the last part are fixed, the reference is everything between.
 */
function splitAgreement(flag: string, value: string, withProcessor: boolean): string[] {
  const parts = value.split(':');
  const date = parts.pop() ?? '';
  const head = withProcessor ? [parts.shift() ?? ''] : [];
  const reference = parts.join(':');
  const format = withProcessor ? '<processor>:<reference>:<YYYY-MM-DD>' : '<reference>:<YYYY-MM-DD>';
  if (head.some((h) => !h) || !reference) throw new UsageError(`--${flag} ${value}: expected ${format}`);
  if (!isoDate(date))
    throw new UsageError(`--${flag} ${value}: '${date}' is not a date; expected ${format}, e.g. 2026-01-15`);
  return [...head, reference, date];
}

function refuseExisting(federation: Federation, id: string, clusterId?: string): void {
  if (federation.tenants.some((t) => t.id === id) || federation.operators.some((o) => o.id === id)) {
    throw new TenantError(
      `a tenant or operator with id '${id}' exists already in ${federation.sourceFile}; choose another id`,
    );
  }
  if (clusterId && federation.clusters.some((c) => c.id === clusterId)) {
    throw new TenantError(
      `a cluster with id '${clusterId}' exists already in ${federation.sourceFile}; name it with --cluster, or choose another id`,
    );
  }
}

/** Builds the tenant entry (and, for self-hosting, its cluster) from flags and answers. */
export async function buildTenant(
  federation: Federation,
  opts: Json,
  ask?: Ask,
): Promise<{ tenant: Json; cluster?: Json }> {
  const id = await need(opts, 'id', ask, 'Kurzname (id) der Behörde, z. B. bkm');
  refuseExisting(federation, id);
  const name = await need(opts, 'name', ask, 'Name der Behörde');
  const kind = await need(opts, 'kind', ask, `Art (${TENANT_KINDS.join(', ')})`, 'federal-authority');
  const domain = await need(opts, 'domain', ask, 'Domain der Behörde', `${id}.bund.example`);
  const tenant: Json = { id, name, kind, domain };
  const dataProtection: Json = { legalBasis: ['public-task', 'employment-relationship'], agreements: [] };

  if (opts.wire !== undefined && String(opts.wire).trim() === '')
    throw new UsageError('--wire needs at least one pillar (a number such as 1,3 or pillar ids)');
  const wire = String(opts.wire ?? (ask ? await ask('Wire-Bund-Säulen (z. B. 1,3; leer für keine)', '') : '')).trim();
  const conflict = flagConflict(opts, wire, undefined);
  if (conflict) throw new UsageError(conflict);
  if (wire) {
    const pillars = wire
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map((x) => {
        const p = /^\d$/.test(x)
          ? federation.pillars.find((y) => y.pillar === Number(x))
          : federation.pillars.find((y) => y.id === x);
        if (!p)
          throw new TenantError(
            `--wire ${x}: no such pillar; declared: ${federation.pillars.map((y) => `${y.id} (Säule ${y.pillar})`).join(', ')}`,
          );
        return p;
      });
    tenant.wire = { pillars: pillars.map((p) => p.id) };
    if (opts['ldap-host']) {
      tenant.wire.ldap = {
        host: opts['ldap-host'],
        baseDn: await need(opts, 'ldap-base-dn', ask, 'LDAP base DN'),
        bindDn: await need(opts, 'ldap-bind-dn', ask, 'LDAP bind DN'),
        existingSecret: 'ldap-credentials',
      };
    }
    if (pillars.some((p) => p.pillar === 1)) dataProtection.vsNfdApprovedDevices = !!opts['vsnfd-devices'];
    else if (opts['vsnfd-devices']) {
      throw new UsageError(`--vsnfd-devices is for Säule 1, and --wire ${wire} names no Säule-1 pillar`);
    }
  }

  let cluster: Json | undefined;
  const bum = String(
    opts.bundesmessenger ?? (ask ? await ask('BundesMessenger (self-hosted, saas; leer für keinen)', '') : ''),
  ).trim();
  const bumConflict = flagConflict(opts, wire, bum);
  if (bumConflict) throw new UsageError(bumConflict);
  if (bum === 'saas') {
    tenant.bundesMessenger = {
      mode: 'saas',
      serverName: await need(opts, 'server-name', ask, 'Matrix-Servername', domain),
      homeserverUrl: await need(opts, 'homeserver-url', ask, 'Homeserver-URL beim SaaS-Anbieter'),
      provider: opts.provider ?? 't-systems',
    };
  } else if (bum === 'self-hosted') {
    let clusterId = opts.cluster as string | undefined;
    if (!clusterId) {
      const zone = await need(
        opts,
        'cluster-zone',
        ask,
        `Zone des eigenen Clusters (${federation.zones.map((z) => z.id).join(', ')})`,
      );
      clusterId = `${id}-bum`;
      refuseExisting(federation, id, clusterId);
      cluster = {
        id: clusterId,
        zone,
        operator: id,
        connection: {
          type: 'kubeconfig',
          path: await need(opts, 'kubeconfig', ask, 'kubeconfig des Clusters', `~/.kube/${clusterId}.yaml`),
        },
        ingressController: { namespace: 'ingress' },
      };
    }
    const serverName = await need(opts, 'server-name', ask, 'Matrix-Servername', domain);
    const noScan = opts['no-virus-scan'];
    tenant.bundesMessenger = {
      mode: 'self-hosted',
      cluster: clusterId,
      serverName,
      publicServerName: `matrix.${serverName}`,
      adminApiServerName: `matrix-admin.${serverName}`,
      privacyPolicyUrl: await need(
        opts,
        'privacy-url',
        ask,
        'URL der Datenschutzerklärung',
        `https://www.${domain}/datenschutz`,
      ),
      imprintUrl: await need(opts, 'imprint-url', ask, 'URL des Impressums', `https://www.${domain}/impressum`),
      postgresql: { host: await need(opts, 'pg-host', ask, 'PostgreSQL-Host'), existingSecret: 'synapse-postgresql' },
      federation: { mode: 'none' },
      virusScanning: noScan
        ? { enabled: false, reason: noScan }
        : {
            enabled: true,
            acknowledgeKeyDisclosure: true,
            clamavMirror: await need(opts, 'clamav-mirror', ask, 'interner ClamAV-Spiegel (URL)'),
          },
    };
  } else if (bum) {
    throw new TenantError(`--bundesmessenger ${bum}: allowed are 'self-hosted' and 'saas'`);
  }

  for (const avv of (opts.avv as string[] | undefined) ?? []) {
    const [processor, reference, date] = splitAgreement('avv', avv, true);
    dataProtection.agreements.push({ processor, reference, date });
  }
  if (opts.dv !== undefined) {
    const [reference, date] = splitAgreement('dv', String(opts.dv), false);
    dataProtection.serviceAgreement = { reference, date, allowsPresence: false };
  }
  tenant.dataProtection = dataProtection;
  return { tenant, cluster };
}

// ---------------------------------------------------------------------------------------------------------------
// Inserting only the new lines

/** An entry to append to a top-level list of the config. */
export interface NewEntry {
  /** The top-level key: 'tenants' or 'clusters'. */
  readonly key: string;
  readonly value: Json;
  /** How messages name it, e.g. "tenant 'bkm'". */
  readonly label: string;
}

/** Where an entry went, in the new text. */
export interface InsertedBlock {
  readonly label: string;
  /** 1-based line of the original text the block follows (0: at the start). */
  readonly afterLine: number;
  /** 1-based line of the new text the block starts at. */
  readonly startLine: number;
  /** The block's lines (without line ends) as written; empty when the entry went into an existing line. */
  readonly lines: readonly string[];
}

export interface Insertion {
  readonly text: string;
  readonly blocks: readonly InsertedBlock[];
  /** Maps a 1-based line of the new text to the original line, or to a line of an inserted block. */
  readonly lineOf: (line: number) => { original: number } | { block: InsertedBlock; line: number };
}

interface Edit {
  readonly offset: number;
  readonly text: string;
  readonly label: string;
  /** Offset of the block's first line inside `text`, and its lines. */
  readonly blockAt: number;
  readonly lines: readonly string[];
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 0-based line of an offset. */
function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function lineEnding(text: string): string {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

/** The file's indentation step: a tab, or the smallest indentation of a content line (default 2 spaces). */
function indentUnit(text: string): string {
  let min = Infinity;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const ws = /^[ \t]*/.exec(line)![0];
    if (ws === '' || line.trim() === '' || line.trim().startsWith('#')) continue;
    if (ws.startsWith('\t')) return '\t';
    min = Math.min(min, ws.length);
  }
  return ' '.repeat(Number.isFinite(min) ? Math.min(min, 8) : 2);
}

function leadingWs(text: string, starts: readonly number[], offset: number): string {
  const start = starts[lineAt(starts, offset)];
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

/** Whether only blanks stand before `offset` on its line. */
function startsLine(text: string, starts: readonly number[], offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(starts[lineAt(starts, offset)], offset));
}

/** The entry as block YAML lines of one sequence item (`- ...`), in the file's style. */
function yamlItemLines(value: Json, indent: number, indentSeq: boolean): string[] {
  const doc = new Document([value]);
  visit(doc, {
    Seq(_, node) {
      // short lists of plain values on one line, as the federation file writes them
      if (node !== doc.contents && node.items.length > 0 && node.items.every(isScalar)) node.flow = true;
    },
    Scalar(_, node) {
      // dates stay strings for YAML 1.1 readers too
      if (typeof node.value === 'string' && /^\d{4}-\d\d-\d\d$/.test(node.value)) node.type = 'QUOTE_SINGLE';
    },
  });
  return doc.toString({ indent, indentSeq, lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '').split('\n');
}

function jsonLines(value: Json, unit: string): string[] {
  return JSON.stringify(value, null, unit).split('\n');
}

/** Whether the text is a JSON document (a config named .json, or one whose top level is a flow mapping). */
function isJsonText(text: string, file?: string): boolean {
  return (file !== undefined && /\.json$/i.test(file)) || /^\uFEFF?\s*\{/.test(text);
}

/** Appends `value` to a flow sequence (`[...]`, JSON arrays included). */
function flowSeqEdit(
  text: string,
  starts: number[],
  seq: YAMLSeq,
  entry: NewEntry,
  eol: string,
  unit: string,
  file?: string,
): Edit {
  const open = seq.range![0];
  let close = seq.range![1] - 1;
  while (close > open && text[close] !== ']') close--;
  const multiLine = text.slice(open, close).includes('\n');
  const last = seq.items[seq.items.length - 1] as { range?: [number, number, number] } | undefined;
  if (!multiLine && !(seq.items.length === 0 && isJsonText(text, file))) {
    // a one-line list stays one line: the entry goes in compactly
    const before = text.slice(open + 1, close).trimEnd();
    const sep = seq.items.length === 0 ? '' : before.endsWith(',') ? ' ' : ', ';
    const at = open + 1 + before.length;
    return { offset: at, text: `${sep}${JSON.stringify(entry.value)}`, label: entry.label, blockAt: 0, lines: [] };
  }
  const openIndent = leadingWs(text, starts, open);
  if (!last?.range) {
    // an empty list: the entry on its own lines after '[' (the ']' keeps its line, or gets one)
    const itemIndent = openIndent + unit;
    const lines = jsonLines(entry.value, unit).map((l) => itemIndent + l);
    const tail = multiLine ? '' : eol + openIndent;
    return { offset: open + 1, text: eol + lines.join(eol) + tail, label: entry.label, blockAt: eol.length, lines };
  }
  const lastStart = last.range[0];
  const itemIndent = startsLine(text, starts, lastStart) ? leadingWs(text, starts, lastStart) : openIndent + unit;
  const lines = jsonLines(entry.value, unit).map((l) => itemIndent + l);
  let end = last.range[1];
  const between = text.slice(end, close);
  const comma = /^\s*,/.exec(between);
  if (comma) end += comma[0].length;
  const lead = comma ? eol : `,${eol}`;
  return { offset: end, text: lead + lines.join(eol), label: entry.label, blockAt: lead.length, lines };
}

function entryEdit(text: string, doc: Document, entry: NewEntry, file?: string): Edit {
  const starts = lineStartsOf(text);
  const eol = lineEnding(text);
  const unit = indentUnit(text);
  const root = doc.contents;
  if (!isMap(root) || !root.range) throw new TenantError('the federation file has no top-level mapping');
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === entry.key);
  const value = pair?.value;
  if (isSeq(value) && value.flow) return flowSeqEdit(text, starts, value, entry, eol, unit, file);
  if (isSeq(value) && value.items.length > 0 && value.range) {
    const first = value.items[0] as { range?: [number, number, number] };
    const firstAt = first.range?.[0] ?? value.range[0];
    let dash = firstAt - 1;
    while (dash > 0 && text[dash] !== '-') dash--;
    const dashCol = dash - starts[lineAt(starts, dash)];
    const keyAt = (pair!.key as { range?: [number, number, number] }).range?.[0] ?? 0;
    const keyCol = keyAt - starts[lineAt(starts, keyAt)];
    const indent = unit === '\t' ? 2 : unit.length;
    const lines = yamlItemLines(entry.value, indent, dashCol > keyCol).map((l) =>
      l === '' ? l : ' '.repeat(dashCol) + l,
    );
    const last = value.items[value.items.length - 1] as { range?: [number, number, number] };
    let k = (last.range?.[1] ?? value.range[1]) - 1;
    while (k > 0 && /\s/.test(text[k])) k--;
    let lastLine = lineAt(starts, k);
    // comments indented under the last item belong to it
    for (let j = lastLine + 1; j < starts.length; j++) {
      const line = text.slice(starts[j], starts[j + 1] ?? text.length).replace(/\r?\n$/, '');
      if (line.trim() === '') continue;
      const col = line.length - line.trimStart().length;
      if (line.trimStart().startsWith('#') && col > dashCol) lastLine = j;
      else break;
    }
    return lineEdit(text, starts, lastLine, lines, entry.label, eol);
  }
  if (pair && (value === null || (isScalar(value) && value.value === null && !value.source))) {
    // `tenants:` with nothing after it: the list starts on the next line
    const keyAt = (pair.key as { range?: [number, number, number] }).range?.[0] ?? 0;
    const keyLine = lineAt(starts, keyAt);
    const keyCol = keyAt - starts[keyLine];
    const indent = unit === '\t' ? 2 : unit.length;
    const lines = yamlItemLines(entry.value, indent, true).map((l) => ' '.repeat(keyCol + indent) + l);
    return lineEdit(text, starts, keyLine, lines, entry.label, eol);
  }
  if (pair) {
    throw new TenantError(`'${entry.key}' in the federation file is not a list; cannot add the ${entry.label}`);
  }
  if (root.flow) {
    // a JSON config without the key: add `"key": [ ... ]` as its last member
    let close = root.range[1] - 1;
    while (close > root.range[0] && text[close] !== '}') close--;
    const lastPair = root.items[root.items.length - 1];
    const lastValue = lastPair?.value as { range?: [number, number, number] } | undefined;
    const keyRange = (lastPair?.key as { range?: [number, number, number] } | undefined)?.range;
    const memberIndent = keyRange ? leadingWs(text, starts, keyRange[0]) : unit;
    const lines = [
      `${memberIndent}${JSON.stringify(entry.key)}: [`,
      ...jsonLines(entry.value, unit).map((l) => memberIndent + unit + l),
      `${memberIndent}]`,
    ];
    const at = lastValue?.range?.[1] ?? root.range[0] + 1;
    const lead = lastPair ? `,${eol}` : eol;
    return { offset: at, text: lead + lines.join(eol), label: entry.label, blockAt: lead.length, lines };
  }
  // a block mapping without the key: `key:` and the list at its end
  const indent = unit === '\t' ? 2 : unit.length;
  const lines = [`${entry.key}:`, ...yamlItemLines(entry.value, indent, true).map((l) => ' '.repeat(indent) + l)];
  return lineEdit(text, starts, starts.length - 1, lines, entry.label, eol);
}

/** Inserts whole lines after 0-based line `after` (at the end when it is the last line). */
function lineEdit(text: string, starts: number[], after: number, lines: string[], label: string, eol: string): Edit {
  const next = starts[after + 1];
  if (next !== undefined && next < text.length) {
    return { offset: next, text: lines.map((l) => l + eol).join(''), label, blockAt: 0, lines };
  }
  if (text.endsWith('\n')) {
    return { offset: text.length, text: lines.map((l) => l + eol).join(''), label, blockAt: 0, lines };
  }
  // no line end at the end of the file: the block ends the file the same way
  return { offset: text.length, text: eol + lines.join(eol), label, blockAt: eol.length, lines };
}

/**
 * The config text with the entries appended to their top-level lists. Only new lines are added, in the file's
 * indentation and line endings (in JSON, the former last element also gets its comma); the rest stays byte for
 * byte as it was.
 */
export function insertEntries(text: string, entries: readonly NewEntry[], file?: string): Insertion {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new TenantError(`the federation file is not valid YAML: ${doc.errors[0].message}`);
  const edits = entries.map((e) => entryEdit(text, doc, e, file)).sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < edits.length; i++) {
    if (edits[i].offset === edits[i - 1].offset) {
      throw new TenantError(`cannot add ${edits[i - 1].label} and ${edits[i].label} at the same place of the file`);
    }
  }
  let out = '';
  let from = 0;
  const placed: Array<{ edit: Edit; newOffset: number }> = [];
  for (const e of edits) {
    out += text.slice(from, e.offset);
    placed.push({ edit: e, newOffset: out.length });
    out += e.text;
    from = e.offset;
  }
  out += text.slice(from);
  const origStarts = lineStartsOf(text);
  const newStarts = lineStartsOf(out);
  const regions = placed.map(({ edit, newOffset }) => {
    const line = lineAt(newStarts, newOffset) + 1;
    const breaks = edit.text.split('\n').length - 1;
    const block: InsertedBlock = {
      label: edit.label,
      afterLine: edit.offset > 0 ? lineAt(origStarts, edit.offset - 1) + 1 : 0,
      startLine: lineAt(newStarts, newOffset + edit.blockAt) + 1,
      lines: edit.lines,
    };
    return { line, breaks, block };
  });
  const lineOf = (n: number): { original: number } | { block: InsertedBlock; line: number } => {
    let shift = 0;
    for (const r of regions) {
      const { block } = r;
      if (block.lines.length > 0 && n >= block.startLine && n < block.startLine + block.lines.length) {
        return { block, line: n - block.startLine + 1 };
      }
      // the insert's own lines: block lines (above) and the line it split (its rest moves down)
      if (n >= r.line && n <= r.line + r.breaks) return { original: r.line - shift };
      if (n < r.line) break;
      shift += r.breaks;
    }
    return { original: n - shift };
  };
  return { text: out, blocks: regions.map((r) => r.block), lineOf };
}

/** The config text with the tenant (and cluster) appended: only new lines, the rest of the text unchanged. */
export function withTenant(text: string, tenant: Json, cluster?: Json, file?: string): string {
  return insertEntries(text, newEntries(tenant, cluster), file).text;
}

function newEntries(tenant: Json, cluster?: Json): NewEntry[] {
  return [
    { key: 'tenants', value: tenant, label: `tenant '${tenant.id}'` },
    ...(cluster ? [{ key: 'clusters', value: cluster, label: `cluster '${cluster.id}'` }] : []),
  ];
}

/** A config error in the text with the new entries, cited by the lines of the file on disk or of the new block. */
export class TenantConfigError extends ConfigError {
  constructor(issues: readonly ConfigIssue[], message: string) {
    super(issues);
    this.message = message;
  }
}

function citeAgainstFile(error: ConfigError, insertion: Insertion, file: string): TenantConfigError {
  const shownBlocks = new Set<InsertedBlock>();
  const issues = error.issues.map((i): ConfigIssue => {
    if (!i.line) return i;
    const at = insertion.lineOf(i.line);
    if ('original' in at) return { ...i, line: at.original };
    shownBlocks.add(at.block);
    return { ...i, file: `new ${at.block.label} (below)`, line: at.line };
  });
  const lines = [
    `The federation config with the new entries would have ${issues.length} error${issues.length === 1 ? '' : 's'}:`,
    ...issues.map((i) => `  - ${formatIssue(i)}`),
  ];
  for (const b of insertion.blocks.filter((x) => shownBlocks.has(x))) {
    const width = String(b.lines.length).length;
    lines.push(
      `The new ${b.label}, to be inserted into ${file} after line ${b.afterLine} (not written; lines numbered from 1):`,
      ...b.lines.map((l, n) => `  ${String(n + 1).padStart(width)} | ${l}`),
    );
  }
  return new TenantConfigError(issues, lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------------------------
// Reading, validating and writing

function synthToTemp(federation: Federation): Map<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-new-'));
  try {
    synthFederation(federation, path.join(dir, 'out'));
    return new Map(readSynthesized(path.join(dir, 'out')).map((s) => [s.name, JSON.stringify(s.json)]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface TenantResult {
  readonly file: string;
  readonly id: string;
  readonly text: string;
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly steps: readonly string[];
}

/** The config file named by --config, FEDERATION_CONFIG or the default, and how to name its source in errors. */
function configFile(opts: Json): { file: string; source: string } {
  if (typeof opts.config === 'string') return { file: path.resolve(opts.config), source: `--config ${opts.config}` };
  if (process.env.FEDERATION_CONFIG) {
    return {
      file: path.resolve(process.env.FEDERATION_CONFIG),
      source: `FEDERATION_CONFIG=${process.env.FEDERATION_CONFIG}`,
    };
  }
  return { file: DEFAULT_CONFIG_FILE, source: DEFAULT_CONFIG_FILE };
}

/** Reads the config as UTF-8 text; a file that is missing, a directory, unreadable or not UTF-8 is refused. */
function readConfig(file: string, source: string, make: (m: string) => TenantError): string {
  let raw: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw make(`${source}: is a directory, not a federation file`);
    // a FIFO, socket or device would block or never end
    if (!stat.isFile()) throw make(`${source}: is not a regular file (a FIFO, socket or device)`);
    raw = fs.readFileSync(file);
  } catch (e) {
    if (e instanceof TenantError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? `cannot be read (${code})`
          : `cannot be read (${code ?? String(e)})`;
    throw make(`${source}: ${why}`);
  }
  const text = raw.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(raw)) throw make(`${source}: is not UTF-8 text`);
  return text;
}

/** The file as messages name it: relative below the working directory, else absolute. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** How long a run waits for another run that holds the config's lock. */
const LOCK_TIMEOUT_MS = 120_000;

/** Adds a tenant: validates with the same checks as synth and reports the stacks that will change. */
export async function addTenant(opts: Json, ask?: Ask): Promise<TenantResult> {
  const early = flagConflict(opts, opts.wire ?? (ask ? undefined : ''), opts.bundesmessenger ?? (ask ? undefined : ''));
  if (early) throw new UsageError(early);
  const { file, source } = configFile(opts);
  const before = readConfig(file, source, (m) => new UsageError(m));
  const current = parseFederation(before, file);
  const { tenant, cluster } = await buildTenant(current, opts, ask);

  // read, insert, validate and write under the lock: a run that waited sees the tenants added meanwhile
  const commit = (): TenantResult => {
    const text = readConfig(file, source, (m) => new TenantError(m));
    const federation = text === before ? current : parseFederation(text, file);
    refuseExisting(federation, tenant.id, cluster?.id);
    const insertion = insertEntries(text, newEntries(tenant, cluster), file);
    let next: Federation;
    try {
      next = parseFederation(insertion.text, file);
    } catch (e) {
      if (e instanceof ConfigError) throw citeAgainstFile(e, insertion, shown(file));
      throw e;
    }
    const oldStacks = synthToTemp(federation);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-new-'));
    try {
      let result;
      try {
        result = synthFederation(next, path.join(dir, 'out'));
      } catch (e) {
        if (e instanceof ConfigError) throw citeAgainstFile(e, insertion, shown(file));
        throw e;
      }
      const stacks = readSynthesized(path.join(dir, 'out'));
      const added = stacks.filter((s) => !oldStacks.has(s.name)).map((s) => s.name);
      const changed = stacks
        .filter((s) => oldStacks.has(s.name) && oldStacks.get(s.name) !== JSON.stringify(s.json))
        .map((s) => s.name);
      const ours = (name: string) =>
        name.endsWith(`--tenant-${tenant.id}`) || name === StackNames.saasTenant(tenant.id);
      const todo = stacks
        .filter((s) => ours(s.name))
        .flatMap((s) => items(outputValue(s, 'agency_todo')).filter((t): t is string => typeof t === 'string'));
      const ourStack = stacks.find((s) => ours(s.name));
      const avv = ourStack && outputValue(ourStack, 'data_processing_agreement');
      // only a step while the agreement is still missing
      const saas = typeof avv === 'string' && avv.endsWith('required before use') ? avv : undefined;
      // findings whose step the agency_todo already lists are shown once, as that step
      const findings = result.compliance
        .filter((f) => f.tenant === tenant.id && f.level !== 'info' && !RULES_IN_AGENCY_TODO.has(f.rule))
        .map((f) => formatComplianceFinding(f));
      const steps = [...new Set<string>([...todo, ...(saas ? [saas] : []), ...findings])];
      if (!opts['dry-run']) {
        try {
          writeFileAtomic(file, insertion.text);
        } catch (e) {
          throw new TenantError(`cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
        }
      }
      return { file, id: tenant.id, text: insertion.text, added, changed, steps };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  if (opts['dry-run']) return commit();
  // lockTimeoutMs: for callers (and tests) that must not wait the full time; no command-line flag
  return withFileLock(`${fs.realpathSync(file)}.lock`, commit, {
    timeoutMs: opts.lockTimeoutMs ?? LOCK_TIMEOUT_MS,
    onWait: (holder, lockFile) =>
      process.stderr.write(
        `waiting for ${lockFile}: another tenant:new (pid ${holder?.pid ?? '?'}) is changing the config (up to ${Math.round((opts.lockTimeoutMs ?? LOCK_TIMEOUT_MS) / 1000)} s)\n`,
      ),
  });
}

function terminalAsk(): { ask: Ask; close: () => void } {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  return {
    ask: async (q, fallback) => rl.question(fallback ? `${q} [${fallback}]: ` : `${q}: `),
    close: () => rl.close(),
  };
}

/** Whether an error is a refusal to report in one message (exit 1), not a defect. */
function isRefusal(e: unknown): e is Error {
  return (
    e instanceof TenantError ||
    e instanceof ConfigError ||
    e instanceof LockError ||
    e instanceof SynthError ||
    e instanceof GuardError ||
    e instanceof ComplianceError
  );
}

export async function cli(args: readonly string[] = process.argv.slice(2)): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let values;
  try {
    values = parseCli(args);
  } catch (e) {
    process.stderr.write(`tenant:new: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const interactive = process.stdin.isTTY && !process.env.CI ? terminalAsk() : undefined;
  try {
    const r = await addTenant(values, interactive?.ask);
    process.stdout.write(`${values['dry-run'] ? 'Would add' : 'Added'} tenant '${r.id}' to ${r.file}.\n`);
    process.stdout.write(
      `Stacks that will change:\n${[...r.added.map((s) => `  + ${s} (new)`), ...r.changed.map((s) => `  ~ ${s}`)].join('\n') || '  (none)'}\n`,
    );
    process.stdout.write(`Steps left for the agency:\n${r.steps.map((s) => `  - ${s}`).join('\n') || '  (none)'}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`tenant:new: ${e.message}\nThe config was not changed.\n\n${USAGE}\n`);
      return 2;
    }
    if (isRefusal(e)) {
      process.stderr.write(`${e.message}\nThe config was not changed.\n`);
      return 1;
    }
    process.stderr.write(
      `tenant:new: unexpected error (the config was not changed): ${(e as Error)?.stack ?? String(e)}\n`,
    );
    return 1;
  } finally {
    interactive?.close();
  }
}

if (require.main === module) {
  cli().then((code) => {
    process.exitCode = code;
  });
}
