import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultFederation, defaultStacks, resources, stack, synthesize, tmpDir } from './helpers';
import { StackNames } from '../config/naming';
import { pgSchemaName } from '../stacks/state-backend';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { field, local, valueAt } from '../policy/synthesized-view';
import { synthFederation } from '../app/pipeline';

describe('default federation stacks', () => {
  const stacks = defaultStacks();

  it('has one platform stack per cluster, named <cluster>--<unit>', () => {
    const f = defaultFederation();
    expect(
      stacks
        .map((s) => s.name)
        .filter((n) => n.endsWith('--platform'))
        .sort(),
    ).toEqual(f.clusters.map((c) => StackNames.platform(c.id)).sort());
    for (const s of stacks) expect(s.name).toMatch(/^[a-z0-9-]+--[a-z0-9-]+$/);
  });

  it.each(defaultStacks().map((s) => s.name))('snapshot of %s', (name) => {
    expect(stack(stacks, name).json).toMatchSnapshot();
  });

  it('deploys every resource through the providers of its own cluster', () => {
    for (const s of stacks) {
      const cluster = valueAt(local(s, 'zone_cluster'), 'id');
      expect(cluster).toEqual(expect.any(String));
      for (const byName of Object.values(s.json.resource ?? {})) {
        for (const body of Object.values(byName as Record<string, { provider?: string }>)) {
          expect(body.provider).toMatch(new RegExp(`^(kubernetes|helm)\\.${cluster}$`));
        }
      }
    }
  });

  it('gives the zone edge the zone as its only outside source', () => {
    const s = stack(stacks, 'itzbund-ndb-1--platform');
    const pol = Object.values(resources(s, 'kubernetes_network_policy_v1')).find(
      (p) => p.metadata.name === 'allow-from-ip-zone',
    );
    expect(pol.spec.ingress[0].from).toEqual([
      { ip_block: { cidr: '10.64.0.0/12' } },
      { ip_block: { cidr: 'fd00:64::/32' } },
    ]);
  });
});

/** The `terraform.backend` block of a stack. */
const backendOf = (s: SynthesizedStack): unknown => field(s.json.terraform, 'backend');

describe('state backends', () => {
  it('uses a local state file per stack by default, outside the output directory', () => {
    const s = stack(defaultStacks(), 'itzbund-ndb-1--platform');
    expect(backendOf(s)).toEqual({ local: { path: '../../../terraform.itzbund-ndb-1--platform.tfstate' } });
    // Terraform runs in <outdir>/stacks/<stack>: the state lands beside <outdir>, not inside it
    const out = '/work/cdktf.out';
    expect(path.resolve(out, 'stacks', s.name, String(valueAt(backendOf(s), 'local.path')))).toBe(
      path.join(path.dirname(out), `terraform.${s.name}.tfstate`),
    );
  });

  it('keeps Terraform working files of the previous output on a new synth', () => {
    const out = path.join(tmpDir(), 'cdktf.out');
    synthFederation(defaultFederation(), out);
    const dir = path.join(out, 'stacks', 'itzbund-ndb-1--platform');
    fs.mkdirSync(path.join(dir, '.terraform', 'providers'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.terraform.lock.hcl'), 'lock');
    fs.writeFileSync(path.join(dir, 'terraform.tfstate'), '{}');
    synthFederation(defaultFederation(), out);
    expect(fs.readdirSync(dir).sort()).toEqual([
      '.terraform',
      '.terraform.lock.hcl',
      'cdk.tf.json',
      'terraform.tfstate',
    ]);
  });

  it('keeps long PostgreSQL schema names apart when it truncates them', () => {
    const a = pgSchemaName('tfstate', 'a-very-long-cluster-name-of-some-agency--tenant-with-a-long-id-1');
    const b = pgSchemaName('tfstate', 'a-very-long-cluster-name-of-some-agency--tenant-with-a-long-id-2');
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
  });

  it('uses one PostgreSQL schema per stack, with the connection string only from PG_CONN_STR', () => {
    const stacks = synthesize(defaultFederation((y) => y.replace('type: local', 'type: pg\n  schemaPrefix: bund')));
    const s = stack(stacks, 'itzbund-ndb-1--platform');
    expect(backendOf(s)).toEqual({ pg: { schema_name: 'bund_itzbund_ndb_1__platform' } });
    const schemas = stacks.map((x) => valueAt(backendOf(x), 'pg.schema_name'));
    expect(new Set(schemas).size).toBe(stacks.length);
  });

  it('uses an S3-compatible store (MinIO) without credentials in the output', () => {
    const stacks = synthesize(
      defaultFederation((y) =>
        y.replace('type: local', 'type: s3\n  bucket: tfstate\n  endpoint: https://minio.itzbund.example:9000'),
      ),
    );
    const backend = field(backendOf(stack(stacks, 'bab-bum-1--platform')), 's3');
    expect(backend).toMatchObject({
      bucket: 'tfstate',
      key: 'bund-messenger/bab-bum-1--platform.tfstate',
      endpoints: { s3: 'https://minio.itzbund.example:9000' },
      use_path_style: true,
    });
    expect(JSON.stringify(backend)).not.toMatch(/access_key|secret_key|token/);
  });
});

describe('cdktf deploy prerequisites', () => {
  it('has the CLI native module built (npm allowScripts)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pty = require('@cdktf/node-pty-prebuilt-multiarch');
    expect(typeof pty.spawn).toBe('function');
  });
});

describe('deploy order', () => {
  it('makes pillar stacks depend on their platform stack, and tenant stacks on both', () => {
    const out = path.join(tmpDir(), 'cdktf.out');
    synthFederation(defaultFederation(), out);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.stacks['itzbund-ndb-1--wire-s1'].dependencies).toEqual(['itzbund-ndb-1--platform']);
    expect([...manifest.stacks['itzbund-ndb-1--tenant-bmbsp'].dependencies].sort()).toEqual([
      'itzbund-ndb-1--platform',
      'itzbund-ndb-1--wire-s1',
    ]);
    expect(manifest.stacks['bab-bum-1--tenant-bab'].dependencies).toEqual(['bab-bum-1--platform']);
  });
});
