import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadFederation } from '../config/load';
import { LockError } from '../app/file-lock';
import { addTenant, cli, insertEntries, TenantError, UsageError } from '../scripts/tenant-new';
import { DEFAULT_YAML, ROOT, tmpDir } from './helpers';

function configCopy(text = DEFAULT_YAML, name = 'federation.yaml'): string {
  const file = path.join(tmpDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

/** `npm run tenant:new -- ...` as a process (scripts/launch.js transpiles what changed, as npm does). */
const LAUNCH = [path.join(ROOT, 'scripts', 'launch.js'), 'scripts/tenant-new'];
const CLI_ENV = { ...process.env, CI: 'true', FEDERATION_CONFIG: '' };

function tenantNew(args: string[]) {
  return spawnSync(process.execPath, [...LAUNCH, ...args], { encoding: 'utf8', env: CLI_ENV });
}

/**
 * The command line in this process (`cli`, what `npm run tenant:new` runs), its output captured: a spawned Node per
 * case would cost a second each. A few tests spawn the real command.
 */
async function tenantNewInProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
  const ci = process.env.CI;
  process.env.CI = 'true';
  try {
    return { status: await cli(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  }
}

function tenantNewAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...LAUNCH, ...args], { env: CLI_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The lines `after` added to `before`: fails unless every line of `before` is still there, in order and byte for
 * byte (line ends included).
 */
function addedLines(before: string, after: string): string[] {
  const old = before.split(/(?<=\n)/);
  const lines = after.split(/(?<=\n)/);
  const added: string[] = [];
  let i = 0;
  for (const line of lines) {
    if (i < old.length && line === old[i]) i++;
    else added.push(line);
  }
  if (i < old.length) throw new Error(`line ${i + 1} of the original is changed or gone: ${JSON.stringify(old[i])}`);
  return added;
}

const BKM = {
  id: 'bkm',
  name: 'Beauftragte für Kultur und Medien',
  kind: 'federal-authority',
  domain: 'bkm.bund.example',
  wire: '1,3',
  'vsnfd-devices': true,
  avv: ['itzbund:AVV-ITZ-2026-1:2026-01-10'],
};

const BZST = {
  id: 'bzst',
  name: 'Bundeszentralstelle für Beispiele',
  domain: 'bzst.bund.example',
  bundesmessenger: 'self-hosted',
  'cluster-zone': 'gs-bab',
  'pg-host': '172.21.0.10',
  'clamav-mirror': 'https://clamav.bzst.bund.example',
  dv: 'DV-2026-1:2026-02-01',
};

describe('tenant:new', () => {
  it('without a recorded AVV the agency is refused by DS-AVV (so no summary ever asks for a recorded one)', async () => {
    await expect(
      addTenant({
        config: configCopy(),
        id: 'bkm',
        name: 'Beauftragte für Kultur und Medien',
        kind: 'federal-authority',
        domain: 'bkm.bund.example',
        wire: '3',
        'dry-run': true,
      }),
    ).rejects.toThrow(/\[DS-AVV\] error \(tenant bkm\)/);
  });

  it('adds a Wire Bund agency from flags, keeps the comments, validates, and lists stacks and steps', async () => {
    const config = configCopy();
    const r = await addTenant({
      config,
      id: 'bkm',
      name: 'Beauftragte für Kultur und Medien',
      kind: 'federal-authority',
      domain: 'bkm.bund.example',
      wire: '1,3',
      'vsnfd-devices': true,
      avv: ['itzbund:AVV-ITZ-2026-1:2026-01-10'],
    });
    expect([...r.added].sort()).toEqual(['itzbund-gs-1--tenant-bkm', 'itzbund-ndb-1--tenant-bkm']);
    expect(r.changed).toEqual([]);
    // the AVV with ITZBund is recorded (--avv): not a step left
    expect(r.steps.join('\n')).not.toMatch(/Auftragsverarbeitungsvertrag/);
    // the devices are declared: not a step; the missing Dienstvereinbarung is one step, not also a finding
    expect(r.steps.join('\n')).not.toMatch(/VS-NfD-approved devices/);
    expect(r.steps.join('\n')).toMatch(/Conclude a Dienstvereinbarung/);
    expect(r.steps.join('\n')).not.toMatch(/DS-DIENSTVEREINBARUNG|DS-DPO|DS-DSFA/);
    const text = fs.readFileSync(config, 'utf8');
    expect(text).toContain('# yaml-language-server: $schema=./federation.schema.json');
    expect(text).toContain('# no Dienstvereinbarung yet: the compliance report recommends one');
    const f = loadFederation(config);
    expect(f.tenants.find((t) => t.id === 'bkm')?.wire?.pillars).toEqual(['wire-s1', 'wire-s3']);
  });

  it('refuses ids that exist and leaves the file alone', async () => {
    const config = configCopy();
    await expect(addTenant({ config, id: 'bmbsp', name: 'x' })).rejects.toThrow(
      /a tenant or operator with id 'bmbsp' exists already/,
    );
    await expect(addTenant({ config, id: 'itzbund', name: 'x' })).rejects.toThrow(TenantError);
    expect(fs.readFileSync(config, 'utf8')).toBe(DEFAULT_YAML);
  });

  it('refuses a tenant that fails the checks of synth (missing AVV) and leaves the file alone', async () => {
    const config = configCopy();
    await expect(
      addTenant({ config, id: 'bkm', name: 'BKM', kind: 'federal-authority', domain: 'bkm.bund.example', wire: '3' }),
    ).rejects.toThrow(/\[DS-AVV\] error \(tenant bkm\)/);
    expect(fs.readFileSync(config, 'utf8')).toBe(DEFAULT_YAML);
  });

  it('adds a self-hosting agency with its own cluster', async () => {
    const config = configCopy();
    const r = await addTenant({
      config,
      id: 'bzst',
      name: 'Bundeszentralstelle für Beispiele',
      domain: 'bzst.bund.example',
      bundesmessenger: 'self-hosted',
      'cluster-zone': 'gs-bab',
      'pg-host': '172.21.0.10',
      'clamav-mirror': 'https://clamav.bzst.bund.example',
      dv: 'DV-2026-1:2026-02-01',
    });
    expect([...r.added].sort()).toEqual(['bzst-bum--platform', 'bzst-bum--tenant-bzst']);
    expect(r.steps.join('\n')).toMatch(/Create Secret 'synapse-postgresql'/);
  });

  it('asks for what the flags leave open (terminal mode)', async () => {
    const config = configCopy();
    const answers: Array<[RegExp, string]> = [
      [/id/, 'bfdi'],
      [/Name/, 'Beispielbehörde für Datenschutz'],
      [/Art/, 'federal-authority'],
      [/Domain/, ''],
      [/Säulen/, ''],
      [/BundesMessenger/, 'saas'],
      [/Matrix-Servername/, ''],
      [/Homeserver-URL/, 'https://bfdi.bundesmessenger.t-systems.example'],
    ];
    const asked: string[] = [];
    const ask = async (q: string) => {
      asked.push(q);
      const a = answers.find(([re]) => re.test(q));
      if (!a) throw new Error(`unexpected question: ${q}`);
      return a[1];
    };
    await expect(addTenant({ config }, ask)).rejects.toThrow(/DS-AVV/);
    const r = await addTenant({ config, avv: ['t-systems:AVV-TSI-2026-3:2026-03-01'] }, ask);
    expect(r.added).toEqual(['saas--tenant-bfdi']);
    expect(asked).toContain('Homeserver-URL beim SaaS-Anbieter');
    const t = loadFederation(config).tenants.find((x) => x.id === 'bfdi');
    expect(t?.domain).toBe('bfdi.bund.example');
    expect(t?.bundesMessenger).toMatchObject({ mode: 'saas', serverName: 'bfdi.bund.example' });
  });

  it('runs as npm run tenant:new, exiting 1 with the config error cited in the new tenant block', () => {
    const config = configCopy();
    const r = tenantNew([
      '--config',
      config,
      '--id',
      'xyz',
      '--name',
      'X',
      '--kind',
      'ministry',
      '--domain',
      'xyz.bund.example',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/tenants\[5\]\.kind: not an allowed value; found "ministry"/);
    expect(r.stderr).toContain('The config was not changed.');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(fs.readFileSync(config, 'utf8')).toBe(DEFAULT_YAML);
  });
});

describe('tenant:new writes only the new lines', () => {
  it('YAML: every line of the file stays byte for byte; the tenant and its cluster are inserted in the file style', async () => {
    const config = configCopy();
    await addTenant({ config, ...BZST });
    const after = fs.readFileSync(config, 'utf8');
    const added = addedLines(DEFAULT_YAML, after);
    expect(added[0]).toBe('  - id: bzst-bum\n');
    expect(added).toContain('  - id: bzst\n');
    expect(added).toContain('      legalBasis: [public-task, employment-relationship]\n');
    // the cluster goes to the end of the clusters, before the next section
    const lines = after.split('\n');
    expect(lines[lines.indexOf('  - id: bzst-bum') - 1]).toBe('      namespace: ingress-bw');
    expect(lines.indexOf('  - id: bzst-bum')).toBeLessThan(lines.indexOf('wire:'));
    const f = loadFederation(config);
    expect(f.tenants.map((t) => t.id)).toEqual(['bmbsp', 'lamv', 'bfbs', 'bab', 'zbkbw', 'bzst']);
    expect(f.clusters.map((c) => c.id)).toContain('bzst-bum');
    expect(fs.readdirSync(path.dirname(config))).toEqual(['federation.yaml']);
  });

  it('YAML with CRLF line ends: the new lines end in CRLF too, the others stay as they were', async () => {
    const crlf = DEFAULT_YAML.replace(/\n/g, '\r\n');
    const config = configCopy(crlf);
    await addTenant({ config, ...BZST });
    const after = fs.readFileSync(config, 'utf8');
    const added = addedLines(crlf, after);
    expect(added.length).toBeGreaterThan(20);
    for (const line of added) expect(line).toMatch(/[^\r\n]\r\n$/);
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(loadFederation(config).tenants.map((t) => t.id)).toContain('bzst');
  });

  it('JSON: the config stays valid JSON in its indentation, with the tenant last', async () => {
    const json = `${JSON.stringify(parse(DEFAULT_YAML), null, 4)}\n`;
    const config = configCopy(json, 'federation.json');
    await addTenant({ config, ...BZST });
    const after = fs.readFileSync(config, 'utf8');
    const data = JSON.parse(after);
    expect(data.tenants.map((t: { id: string }) => t.id)).toEqual(['bmbsp', 'lamv', 'bfbs', 'bab', 'zbkbw', 'bzst']);
    expect(data.clusters[data.clusters.length - 1]).toMatchObject({ id: 'bzst-bum', zone: 'gs-bab' });
    const added = addedLines(json, after);
    // the former last elements get their comma; the rest are new lines at the file's indentation
    expect(added.filter((l) => l === '        },\n')).toHaveLength(2);
    expect(added).toContain('            "id": "bzst",\n');
    expect(added).toContain('            "id": "bzst-bum",\n');
    expect(loadFederation(config).tenants.map((t) => t.id)).toContain('bzst');
  });

  it('maps every line of the new text to a line of the original or of an inserted block', () => {
    const tenant = { id: 'n', name: 'N', dataProtection: { legalBasis: ['a'], agreements: [] } };
    const cluster = { id: 'c', zone: 'z' };
    const texts = [
      DEFAULT_YAML,
      DEFAULT_YAML.replace(/\n/g, '\r\n'),
      DEFAULT_YAML.trimEnd(),
      JSON.stringify(parse(DEFAULT_YAML), null, 2),
      'a: 1\ntenants: [{ id: x }]\nclusters:\n  - id: y\n    # about y\n\n# next\nz: 2\n',
      '{\n  "tenants": [\n  ],\n  "a": 1\n}\n',
    ];
    for (const text of texts) {
      const r = insertEntries(text, [
        { key: 'tenants', value: tenant, label: 'tenant' },
        { key: 'clusters', value: cluster, label: 'cluster' },
      ]);
      expect(parse(r.text)).toMatchObject({ tenants: expect.arrayContaining([tenant]) });
      const oldLines = text.split('\n');
      const newLines = r.text.split('\n');
      newLines.forEach((line, i) => {
        const at = r.lineOf(i + 1);
        if ('block' in at) {
          expect(at.line).toBeGreaterThanOrEqual(1);
          expect(at.line).toBeLessThanOrEqual(at.block.lines.length);
          expect(line.replace(/\r$/, '')).toBe(at.block.lines[at.line - 1]);
        } else {
          expect(at.original).toBeGreaterThanOrEqual(1);
          expect(at.original).toBeLessThanOrEqual(oldLines.length);
          // the same line, or the one that got a comma or the rest of an inserted line
          const old = oldLines[at.original - 1].replace(/\r$/, '');
          const inline = old.endsWith(']') && line.startsWith(old.slice(0, -1)) && line.endsWith(']');
          expect(line === oldLines[at.original - 1] || line.startsWith(old) || old.startsWith(line) || inline).toBe(
            true,
          );
        }
      });
      for (const b of r.blocks) {
        expect(b.afterLine).toBeLessThanOrEqual(oldLines.length);
        expect(
          newLines.slice(b.startLine - 1, b.startLine - 1 + b.lines.length).map((l) => l.replace(/\r$/, '')),
        ).toEqual(b.lines);
      }
    }
  });

  it('a config error after inserting cites only lines that exist: of the file on disk or of the block it shows', async () => {
    const fileLines = DEFAULT_YAML.split('\n').length;
    /** The blocks shown (name: number of lines), after checking that each cited line exists. */
    const checkCitations = (stderr: string): string[] => {
      const blocks = new Map<string, number>();
      const shownRe =
        /^The new (.+?), to be inserted into .* after line (\d+) \(not written[^\n]*\n((?:\s+\d+ \| .*\n?)+)/gm;
      for (const m of stderr.matchAll(shownRe)) {
        expect(Number(m[2])).toBeLessThanOrEqual(fileLines);
        blocks.set(m[1], m[3].trimEnd().split('\n').length);
      }
      const cited = [...stderr.matchAll(/^\s+- (.+?):(\d+):(\d+): /gm)];
      expect(cited.length).toBeGreaterThanOrEqual(1);
      for (const [, where, line] of cited) {
        const block = /^new (.+) \(below\)$/.exec(where);
        const limit = block ? blocks.get(block[1]) : where.endsWith('federation.yaml') ? fileLines : undefined;
        expect(limit).toBeDefined();
        expect(Number(line)).toBeLessThanOrEqual(limit!);
      }
      return [...blocks.keys()];
    };
    const config = configCopy();
    const base = ['--config', config, '--id', 'xyz', '--name', 'X', '--bundesmessenger', 'self-hosted'];
    const flags = ['--pg-host', 'pg', '--no-virus-scan', 'no virus scanner in this test setup'];
    // a schema error in the new tenant (which goes to the end of the file)
    const schema = await tenantNewInProcess([...base, '--kind', 'ministry', '--cluster-zone', 'gs-bab', ...flags]);
    expect(schema.status).toBe(1);
    expect(schema.stderr).toMatch(/new tenant 'xyz' \(below\):3:11: tenants\[5\]\.kind: not an allowed value/);
    // the new tenant goes after the last line of the tenants list (its last indented line)
    const lines = fs.readFileSync(config, 'utf8').split('\n');
    let lastTenantLine = lines.indexOf('tenants:');
    for (let i = lastTenantLine + 1; i < lines.length && !/^\S/.test(lines[i]); i++)
      if (lines[i].trim()) lastTenantLine = i;
    expect(schema.stderr).toMatch(
      new RegExp(
        `after line ${lastTenantLine + 1} .*\\n\\s+1 \\|   - id: xyz\\n\\s+2 \\|     name: X\\n\\s+3 \\|     kind: ministry\\n`,
      ),
    );
    expect(checkCitations(schema.stderr)).toEqual(["tenant 'xyz'"]);
    // a reference error in the new cluster (which goes into the middle of the file)
    const reference = await tenantNewInProcess([...base, '--cluster-zone', 'no-such-zone', ...flags]);
    expect(reference.status).toBe(1);
    expect(reference.stderr).toMatch(/new cluster 'xyz-bum' \(below\):2:11: clusters\[4\]\.zone: .*unknown zone/);
    expect(checkCitations(reference.stderr)).toEqual(["cluster 'xyz-bum'"]);
    expect(fs.readFileSync(config, 'utf8')).toBe(DEFAULT_YAML);
  });
});

describe('tenant:new takes a lock and writes atomically', () => {
  afterEach(() => jest.restoreAllMocks());

  it('two runs at the same time both end up in the file', async () => {
    const config = configCopy();
    const run = (id: string) =>
      tenantNewAsync([
        '--config',
        config,
        '--id',
        id,
        '--name',
        `Behörde ${id}`,
        '--wire',
        '3',
        '--avv',
        `itzbund:AVV-${id}:2026-01-10`,
      ]);
    const [a, b] = await Promise.all([run('ca'), run('cb')]);
    // the run that waits says so, and nothing else goes to stderr
    for (const r of [a, b]) {
      expect(r.stderr).toMatch(
        /^(waiting for .*\.lock: another tenant:new \(pid \d+\) is changing the config \(up to \d+ s\)\n)?$/,
      );
    }
    expect(a.stdout).toContain("Added tenant 'ca'");
    expect(b.stdout).toContain("Added tenant 'cb'");
    const ids = loadFederation(config).tenants.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['ca', 'cb']));
    expect(ids).toHaveLength(7);
    addedLines(DEFAULT_YAML, fs.readFileSync(config, 'utf8'));
    expect(fs.readdirSync(path.dirname(config))).toEqual(['federation.yaml']);
  });

  it('two runs with the same id: one adds it, the other is refused', async () => {
    const config = configCopy();
    const run = () =>
      tenantNewAsync([
        '--config',
        config,
        '--id',
        'same',
        '--name',
        'S',
        '--wire',
        '3',
        '--avv',
        'itzbund:A-1:2026-01-10',
      ]);
    const results = await Promise.all([run(), run()]);
    expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(results.find((r) => r.code === 1)?.stderr).toMatch(/id 'same' exists already/);
    expect(loadFederation(config).tenants.filter((t) => t.id === 'same')).toHaveLength(1);
  });

  it('waits for a run that holds the lock, then refuses with the lock file and its holder', async () => {
    const config = configCopy();
    const lock = `${fs.realpathSync(config)}.lock`;
    const holder = JSON.stringify({ pid: process.ppid, hostname: os.hostname(), time: '', token: 't' });
    fs.writeFileSync(lock, holder);
    const error = await addTenant({ config, ...BKM, lockTimeoutMs: 300 }).catch((e) => e);
    expect(error).toBeInstanceOf(LockError);
    expect(error.message).toContain(lock);
    expect(error.message).toContain(`pid ${process.ppid}`);
    expect(fs.readFileSync(config, 'utf8')).toBe(DEFAULT_YAML);
    expect(fs.readFileSync(lock, 'utf8')).toBe(holder);
  });

  it('a full disk while writing leaves the config byte-identical and no temporary or lock file', async () => {
    const config = configCopy();
    const realWrite = fs.writeSync;
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buffer: Buffer, offset: number) => {
      if (!Buffer.isBuffer(buffer) || !buffer.toString('utf8').includes('- id: bkm')) {
        return (realWrite as (...a: unknown[]) => number)(fd, buffer, offset);
      }
      realWrite(fd, buffer, 0, 100);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writeSync);
    await expect(addTenant({ config, ...BKM })).rejects.toThrow(/cannot write .*federation\.yaml \(ENOSPC\)/);
    expect(fs.readFileSync(config, 'utf8')).toBe(DEFAULT_YAML);
    expect(fs.readdirSync(path.dirname(config))).toEqual(['federation.yaml']);
  });

  it('--dry-run writes nothing and takes no lock', async () => {
    const config = configCopy();
    const dir = path.dirname(config);
    fs.chmodSync(dir, 0o500);
    try {
      const r = await addTenant({ config, ...BKM, 'dry-run': true });
      expect(r.text).toContain('  - id: bkm\n');
    } finally {
      fs.chmodSync(dir, 0o700);
    }
    expect(fs.readFileSync(config, 'utf8')).toBe(DEFAULT_YAML);
    expect(fs.readdirSync(dir)).toEqual(['federation.yaml']);
  });
});

describe('tenant:new arguments', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each(['--help', '-h'])('%s prints the usage and exits 0', async (flag) => {
    const r = await tenantNewInProcess([flag]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run tenant:new/);
    expect(r.stderr).toBe('');
  });

  const config = configCopy();
  const IDENTITY = ['--id', 'a', '--name', 'A', '--kind', 'federal-authority', '--domain', 'a.bund.example'];
  const dir = tmpDir();
  const fifo = path.join(dir, 'fifo.yaml');
  spawnSync('mkfifo', [fifo]);
  it.each<[string, string[], RegExp]>([
    ['an unknown flag', ['--no-such-flag'], /^tenant:new: unknown flag '--no-such-flag'$/m],
    ['a positional argument', ['--id', 'a', 'stray'], /^tenant:new: unexpected argument 'stray'/m],
    ['a value for a switch', ['--vsnfd-devices=yes'], /^tenant:new: --vsnfd-devices is a switch and takes no value/m],
    ['a flag without its value', ['--id'], /^tenant:new: --id <value>: the value is missing$/m],
    ['a flag given twice', ['--id', 'a', '--id', 'b'], /^tenant:new: --id is given more than once$/m],
    [
      'a missing config',
      ['--config', '/no/such/federation.yaml', '--id', 'a'],
      /--config \/no\/such\/federation\.yaml: no such file$/m,
    ],
    ['a directory as config', ['--config', dir, '--id', 'a'], /: is a directory, not a federation file$/m],
    [
      'a FIFO as config (it would block forever)',
      ['--config', fifo, '--id', 'a'],
      /: is not a regular file \(a FIFO, socket or device\)$/m,
    ],
    [
      'an agreement date that is no date',
      ['--config', config, ...IDENTITY, '--wire', '3', '--avv', 'itzbund:AVV-1:2026-13-01'],
      /--avv itzbund:AVV-1:2026-13-01: '2026-13-01' is not a date; expected <processor>:<reference>:<YYYY-MM-DD>/,
    ],
    ['--wire without a pillar', ['--config', config, ...IDENTITY, '--wire', ''], /--wire needs at least one pillar/],
    [
      'a required LDAP flag missing',
      ['--config', config, ...IDENTITY, '--wire', '3', '--ldap-host', 'ldap.a.example', '--ldap-bind-dn', 'cn=x'],
      /--ldap-base-dn is required/,
    ],
    [
      '--ldap-* without --wire',
      ['--config', config, '--id', 'a', '--ldap-host', 'h', '--ldap-base-dn', 'dc=x'],
      /--ldap-host, --ldap-base-dn need --wire/,
    ],
  ])('%s: one line naming it, the usage, exit 2, no stack trace', async (_, args, message) => {
    const r = await tenantNewInProcess(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')[0]).toMatch(/^tenant:new: /);
    expect(r.stderr).toContain('usage: npm run tenant:new');
    expect(r.stderr).not.toMatch(/^\s+at |Error:/m);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(config, 'utf8')).toBe(DEFAULT_YAML);
  });

  it('refuses an unreadable config as a usage error', async () => {
    const file = configCopy();
    const realRead = fs.readFileSync;
    jest.spyOn(fs, 'readFileSync').mockImplementation(((p: fs.PathOrFileDescriptor, o?: unknown) => {
      if (p === file) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return (realRead as (...a: unknown[]) => unknown)(p, o);
    }) as unknown as typeof fs.readFileSync);
    const error = await addTenant({ config: file, ...BKM }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`--config ${file}: cannot be read (EACCES)`);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['--ldap-* without --ldap-host', { wire: '3', 'ldap-base-dn': 'dc=x' }, /--ldap-base-dn needs --ldap-host/],
    ['--vsnfd-devices without --wire', { 'vsnfd-devices': true }, /--vsnfd-devices needs --wire/],
    ['--vsnfd-devices without Säule 1', { wire: '3', 'vsnfd-devices': true }, /--wire 3 names no Säule-1 pillar/],
    [
      'self-hosting flags without self-hosting',
      { 'pg-host': 'pg', kubeconfig: 'k' },
      /--kubeconfig, --pg-host need --bundesmessenger self-hosted/,
    ],
    [
      'self-hosting flags with saas',
      { bundesmessenger: 'saas', 'homeserver-url': 'https://h', 'pg-host': 'pg' },
      /--pg-host needs --bundesmessenger self-hosted/,
    ],
    ['saas flags with self-hosting', { ...BZST, id: 'bkm', provider: 'x' }, /--provider needs --bundesmessenger saas/],
    ['--server-name without BundesMessenger', { 'server-name': 's' }, /--server-name needs --bundesmessenger/],
    [
      '--cluster and --cluster-zone',
      { ...BZST, id: 'bkm', cluster: 'bab-bum-1' },
      /--cluster .* and --cluster-zone .* exclude each other/,
    ],
    [
      '--kubeconfig with --cluster',
      { ...BZST, id: 'bkm', 'cluster-zone': undefined, cluster: 'bab-bum-1', kubeconfig: 'k' },
      /--kubeconfig is for a new cluster/,
    ],
    [
      '--clamav-mirror and --no-virus-scan',
      { ...BZST, id: 'bkm', 'no-virus-scan': 'r' },
      /--clamav-mirror and --no-virus-scan exclude each other/,
    ],
  ])('refuses flags that would be ignored: %s', async (_, flags, message) => {
    const file = configCopy();
    const error = await addTenant({ config: file, id: 'bkm', name: 'BKM', ...flags }).catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(message);
    expect(fs.readFileSync(file, 'utf8')).toBe(DEFAULT_YAML);
  });

  it('refuses --ldap-* when the pillars asked on the terminal are none', async () => {
    const file = configCopy();
    const ask = async (q: string) => (/Säulen/.test(q) ? '' : 'x');
    await expect(addTenant({ config: file, id: 'bkm', name: 'B', 'ldap-host': 'h' }, ask)).rejects.toThrow(
      /--ldap-host needs --wire/,
    );
  });
});

describe('agreement references may contain colons', () => {
  it('--avv <processor>:<reference with :>:<date> keeps the whole reference', () => {
    const config = configCopy();
    const r = spawnSync(
      process.execPath,
      [
        'scripts/launch.js',
        'scripts/tenant-new',
        '--config',
        config,
        '--id',
        'bkm',
        '--name',
        'BKM',
        '--kind',
        'federal-authority',
        '--domain',
        'bkm.bund.example',
        '--wire',
        '3',
        '--avv',
        'itzbund:AVV:2026:0007:2026-01-15',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SYNTH_REUSE: 'off' }, timeout: 60_000 },
    );
    expect(r.status).toBe(0);
    const written = loadFederation(config).tenants.find((t) => t.id === 'bkm');
    expect(written?.dataProtection?.agreements).toEqual([
      { processor: 'itzbund', reference: 'AVV:2026:0007', date: '2026-01-15' },
    ]);
  });
});
