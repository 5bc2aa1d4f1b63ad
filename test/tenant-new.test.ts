import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFederation } from '../config/load';
import { addTenant, TenantError } from '../scripts/tenant-new';
import { DEFAULT_YAML, ROOT, tmpDir } from './helpers';

function configCopy(): string {
  const file = path.join(tmpDir(), 'federation.yaml');
  fs.writeFileSync(file, DEFAULT_YAML);
  return file;
}

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
    expect(r.steps.join('\n')).toMatch(/VS-NfD-approved devices/);
    expect(r.steps.join('\n')).toMatch(/DS-DIENSTVEREINBARUNG/);
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

  it('runs as npm run tenant:new, exiting 1 with the config error', () => {
    const config = configCopy();
    const r = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'dist', 'scripts', 'tenant-new.js'),
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
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/tenants\[5\]\.kind: not an allowed value; found "ministry"/);
    expect(r.stderr).toContain('The config was not changed.');
  });
});
