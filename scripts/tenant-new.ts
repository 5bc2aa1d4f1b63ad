/**
 * `npm run tenant:new -- --id bkm --name "..." --kind federal-authority --domain bkm.bund.example --wire 3 ...`
 * Adds an agency tenant to the federation config (keeping its comments), validates the result with the same
 * checks as synth (schema, references, guard, compliance), refuses ids that exist, prints the stacks that will
 * change and the steps left to the agency. On a terminal, it asks for what the flags leave open.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { isSeq, parseDocument } from 'yaml';
import { ConfigError } from '../config/errors';
import { DEFAULT_CONFIG_FILE, parseFederation } from '../config/load';
import type { Federation } from '../config/model';
import { TENANT_KINDS } from '../config/schema';
import { formatComplianceFinding } from '../policy/compliance';
import { readSynthesized } from '../policy/synthesized';
import { StackNames } from '../stacks/naming';
import { synthFederation } from '../stacks/synth';

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
  help: { type: 'boolean' },
} as const;

export const USAGE = `usage: npm run tenant:new -- --id <id> --name <name> --kind <kind> --domain <domain> [options]

Adds an agency (tenant) to the federation file, validates it like synth does, and prints the stacks that change
and the steps left for the agency. On a terminal it asks for whatever the flags leave open.
Exit 0: added; 1: refused (the file is unchanged); 2: a usage error.

  --config <file>              the federation file (default: FEDERATION_CONFIG or config/federation.yaml)
  --kind <kind>                federal-ministry | federal-authority | land-authority | municipality | bundeswehr
  --wire <pillars>             Wire Bund Säulen or pillar ids, e.g. 1,3
  --ldap-host <host> --ldap-base-dn <dn> --ldap-bind-dn <dn>   LDAP sync into Wire (with --wire)
  --bundesmessenger <mode>     self-hosted | saas
    self-hosted: --cluster <existing id> | --cluster-zone <zone> [--kubeconfig <path>] (a new own cluster)
                 --server-name <name>
                 --privacy-url <url> --imprint-url <url> --pg-host <host>
                 (--clamav-mirror <url> | --no-virus-scan <reason>)
    saas:        --server-name <name> --homeserver-url <url> [--provider <operator>]
  --avv <processor>:<reference>:<YYYY-MM-DD>   a data processing agreement (repeatable)
  --dv <reference>:<YYYY-MM-DD>                the Dienstvereinbarung
  --vsnfd-devices              the agency uses VS-NfD-approved devices (Säule 1)
  --dry-run                    show everything, write nothing
  --help                       this text`;

export class TenantError extends Error {}

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
  throw new TenantError(`--${key} is required (${question})`);
}

/** Builds the tenant entry (and, for self-hosting, its cluster) from flags and answers. */
export async function buildTenant(
  federation: Federation,
  opts: Json,
  ask?: Ask,
): Promise<{ tenant: Json; cluster?: Json }> {
  const id = await need(opts, 'id', ask, 'Kurzname (id) der Behörde, z. B. bkm');
  if (federation.tenants.some((t) => t.id === id) || federation.operators.some((o) => o.id === id)) {
    throw new TenantError(
      `a tenant or operator with id '${id}' exists already in ${federation.sourceFile}; choose another id`,
    );
  }
  const name = await need(opts, 'name', ask, 'Name der Behörde');
  const kind = await need(opts, 'kind', ask, `Art (${TENANT_KINDS.join(', ')})`, 'federal-authority');
  const domain = await need(opts, 'domain', ask, 'Domain der Behörde', `${id}.bund.example`);
  const tenant: Json = { id, name, kind, domain };
  const dataProtection: Json = { legalBasis: ['public-task', 'employment-relationship'], agreements: [] };

  const wire = opts.wire ?? (ask ? await ask('Wire-Bund-Säulen (z. B. 1,3; leer für keine)', '') : '');
  if (wire) {
    const pillars = String(wire)
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
  }

  let cluster: Json | undefined;
  const bum =
    opts.bundesmessenger ?? (ask ? await ask('BundesMessenger (self-hosted, saas; leer für keinen)', '') : '');
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
    const [processor, reference, date] = avv.split(':');
    if (!processor || !reference || !date)
      throw new TenantError(`--avv ${avv}: expected <processor>:<reference>:<YYYY-MM-DD>`);
    dataProtection.agreements.push({ processor, reference, date });
  }
  if (opts.dv) {
    const [reference, date] = String(opts.dv).split(':');
    dataProtection.serviceAgreement = { reference, date, allowsPresence: false };
  }
  tenant.dataProtection = dataProtection;
  return { tenant, cluster };
}

/** The config text with the tenant (and cluster) appended, comments kept. */
export function withTenant(text: string, tenant: Json, cluster?: Json): string {
  const doc = parseDocument(text);
  for (const [key, value] of [
    ['tenants', tenant],
    ['clusters', cluster],
  ] as const) {
    if (!value) continue;
    const seq = doc.get(key, true);
    if (isSeq(seq)) seq.add(doc.createNode(value));
    else doc.set(key, doc.createNode([value]));
  }
  return doc.toString({ lineWidth: 0 });
}

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
  readonly text: string;
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly steps: readonly string[];
}

/** Adds a tenant: validates with the same checks as synth and reports the stacks that will change. */
export async function addTenant(opts: Json, ask?: Ask): Promise<TenantResult> {
  const file = path.resolve(opts.config ?? process.env.FEDERATION_CONFIG ?? DEFAULT_CONFIG_FILE);
  const before = fs.readFileSync(file, 'utf8');
  const current = parseFederation(before, file);
  const { tenant, cluster } = await buildTenant(current, opts, ask);
  const text = withTenant(before, tenant, cluster);
  const next = parseFederation(text, file);
  const oldStacks = synthToTemp(current);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-new-'));
  let result;
  try {
    result = synthFederation(next, path.join(dir, 'out'));
    const stacks = readSynthesized(path.join(dir, 'out'));
    const added = stacks.filter((s) => !oldStacks.has(s.name)).map((s) => s.name);
    const changed = stacks
      .filter((s) => oldStacks.has(s.name) && oldStacks.get(s.name) !== JSON.stringify(s.json))
      .map((s) => s.name);
    const todo = stacks
      .filter((s) => s.name.endsWith(`--tenant-${tenant.id}`) || s.name === StackNames.saasTenant(tenant.id))
      .flatMap((s) => s.json.output?.agency_todo?.value ?? []);
    const avv: string | undefined = stacks.find(
      (s) => s.name === StackNames.saasTenant(tenant.id) || s.name.endsWith(`--tenant-${tenant.id}`),
    )?.json.output?.data_processing_agreement?.value;
    // only a step while the agreement is still missing
    const saas = avv && avv.endsWith('required before use') ? avv : undefined;
    const findings = result.compliance
      .filter((f) => f.tenant === tenant.id && f.level !== 'info')
      .map(formatComplianceFinding);
    const steps = [...new Set<string>([...todo, ...(saas ? [saas] : []), ...findings])];
    if (!opts['dry-run']) fs.writeFileSync(file, text);
    return { file, text, added, changed, steps };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function terminalAsk(): { ask: Ask; close: () => void } {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  return {
    ask: async (q, fallback) => rl.question(fallback ? `${q} [${fallback}]: ` : `${q}: `),
    close: () => rl.close(),
  };
}

async function cli(): Promise<number> {
  let values;
  try {
    values = parseArgs({ options: OPTIONS, allowPositionals: false }).values;
  } catch (e) {
    process.stderr.write(`tenant:new: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const interactive = process.stdin.isTTY && !process.env.CI ? terminalAsk() : undefined;
  try {
    const r = await addTenant(values, interactive?.ask);
    process.stdout.write(`${values['dry-run'] ? 'Would add' : 'Added'} tenant '${values.id ?? ''}' to ${r.file}.\n`);
    process.stdout.write(
      `Stacks that will change:\n${[...r.added.map((s) => `  + ${s} (new)`), ...r.changed.map((s) => `  ~ ${s}`)].join('\n') || '  (none)'}\n`,
    );
    process.stdout.write(`Steps left for the agency:\n${r.steps.map((s) => `  - ${s}`).join('\n') || '  (none)'}\n`);
    return 0;
  } catch (e) {
    if (
      e instanceof TenantError ||
      e instanceof ConfigError ||
      (e instanceof Error && /^The (exposure guard|compliance checks)/.test(e.message))
    ) {
      process.stderr.write(`${e.message}\nThe config was not changed.\n`);
      return 1;
    }
    throw e;
  } finally {
    interactive?.close();
  }
}

if (require.main === module) {
  cli().then((code) => {
    process.exitCode = code;
  });
}
