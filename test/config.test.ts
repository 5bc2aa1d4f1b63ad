import * as fs from 'node:fs';
import * as path from 'node:path';
import { cidrsOverlap, insideAny, parseCidr, parseIp } from '../config/cidr';
import { ConfigError } from '../config/errors';
import { loadFederation, parseFederation } from '../config/load';
import { federationJsonSchema } from '../config/schema';
import { SCHEMA_FILES } from '../scripts/write-schemas';
import { defaultFederation, DEFAULT_YAML, ROOT, synthesize, tmpDir } from './helpers';

describe('default federation', () => {
  const f = defaultFederation();

  it('has the zones, clusters and agencies the product promises', () => {
    expect(f.zones.filter((z) => z.kind === 'ndb')).toHaveLength(1);
    expect(f.zones.filter((z) => z.kind === 'grundschutz').length).toBeGreaterThanOrEqual(2);
    expect(f.zones.filter((z) => z.kind === 'internet')).toHaveLength(1);
    expect(f.pillars.map((p) => [p.pillar, p.cluster.zone.kind, p.operator.id])).toEqual([
      [1, 'ndb', 'itzbund'],
      [3, 'grundschutz', 'itzbund'],
    ]);
    const kinds = f.tenants.map((t) => t.kind);
    expect(kinds).toEqual(expect.arrayContaining(['federal-ministry', 'land-authority', 'bundeswehr']));
    expect(f.tenants.find((t) => t.wire?.pillars.length === 2)?.kind).toBe('federal-ministry');
    expect(f.tenants.filter((t) => t.bundesMessenger?.mode === 'saas')).toHaveLength(1);
    expect(f.tenants.filter((t) => t.bundesMessenger?.mode === 'self-hosted')).toHaveLength(1);
    expect(f.clusters.find((c) => c.operator.kind === 'agency')?.id).toBe('bab-bum-1');
  });

  it('gives NdB the classification VS-NfD and others offen', () => {
    expect(f.zones.map((z) => [z.kind, z.maxClassification])).toContainEqual(['ndb', 'VS-NfD']);
    expect(f.zones.filter((z) => z.kind !== 'ndb').every((z) => z.maxClassification === 'offen')).toBe(true);
  });
});

describe('FEDERATION_CONFIG files elsewhere', () => {
  it('resolves relative paths against the config file', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'agency.yaml');
    fs.writeFileSync(file, DEFAULT_YAML.replace('path: ~/.kube/bab-bum-1.yaml', 'path: kube/bab.yaml'));
    const f = loadFederation(file);
    const c = f.clusters.find((x) => x.id === 'bab-bum-1');
    expect(c?.connection).toMatchObject({ type: 'kubeconfig', path: path.join(dir, 'kube', 'bab.yaml') });
    // ~ stays for Terraform to expand on the machine that runs it
    expect(f.clusters[0].connection).toMatchObject({ path: '~/.kube/itzbund-ndb-1.yaml' });
  });

  it('names a missing file', () => {
    expect(() => loadFederation('/nonexistent/federation.yaml')).toThrow(
      /\/nonexistent\/federation.yaml.*cannot read the config file \(ENOENT\)/,
    );
    expect(() => loadFederation('/nonexistent/federation.yaml')).toThrow(ConfigError);
  });
});

describe('JSON Schema for editors', () => {
  it.each(SCHEMA_FILES.map(([f, make]) => [f, make]))(
    '%s is checked in and up to date (run `npm run schema`)',
    (file, make) => {
      const checkedIn = JSON.parse(fs.readFileSync(path.join(ROOT, file as string), 'utf8'));
      expect(checkedIn).toEqual((make as () => object)());
    },
  );

  it('describes the keys architects edit', () => {
    const schema = federationJsonSchema() as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['zones', 'clusters', 'wire', 'tenants', 'stateBackend', 'operators']),
    );
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('CIDR arithmetic', () => {
  it('parses IPv4 and IPv6', () => {
    expect(parseIp('10.0.0.1')).toEqual({ family: 4, value: 0x0a000001n });
    expect(parseIp('::1')).toEqual({ family: 6, value: 1n });
    expect(parseIp('fd00:64::')?.value).toBe(0xfd000064n << 96n);
    expect(parseIp('::ffff:10.0.0.1')?.value).toBe((0xffffn << 32n) | 0x0a000001n);
    for (const bad of ['10.0.0', '256.0.0.1', '1:2:3:4:5:6:7:8:9', '1::2::3', 'abc', '01.2.3.4']) {
      expect(parseIp(bad)).toBeUndefined();
    }
  });

  it('checks overlap and containment', () => {
    const ndb = parseCidr('10.64.0.0/12')!;
    expect(cidrsOverlap(ndb, parseCidr('10.79.255.0/24')!)).toBe(true);
    expect(cidrsOverlap(ndb, parseCidr('10.80.0.0/12')!)).toBe(false);
    // ::/0 holds ::ffff:10.64.0.0/108, the same NdB addresses in IPv4-mapped spelling
    expect(cidrsOverlap(ndb, parseCidr('::/0')!)).toBe(true);
    expect(insideAny([ndb], '10.64.1.2')).toBe(true);
    expect(insideAny([ndb], '10.80.0.1')).toBe(false);
    expect(insideAny([ndb], '0.0.0.0/0')).toBe(false);
    expect(insideAny([parseCidr('fd00:64::/32')!], 'fd00:64:1::/48')).toBe(true);
    expect(parseCidr('10.0.0.1/8')).toBeUndefined();
  });
});

describe('README config reference', () => {
  it('is a complete, valid federation that synthesizes clean', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Config reference'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toBeDefined();
    const f = parseFederation(yaml!, path.join(ROOT, 'README.md'));
    expect(f.pillars.map((p) => p.id)).toEqual(['wire-s1']);
    expect(
      synthesize(f)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['itzbund-ndb-1--platform', 'itzbund-ndb-1--tenant-bmbsp', 'itzbund-ndb-1--wire-s1']);
  });
});
