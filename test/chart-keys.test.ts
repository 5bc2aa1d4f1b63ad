import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  chartFilesOfDir,
  chartFilesOfTarball,
  chartKeyPaths,
  derive,
  main,
  outOfDate,
  parseKeys,
  SourceError,
  TARGETS,
  untar,
  type KeysTarget,
} from '../scripts/chart-keys';
import { ROOT, tmpDir } from './helpers';

function writeFiles(dir: string, files: Record<string, string>): string {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Packs `dir/<folder>` with the system tar (an independent writer), as `helm package` packs a chart. */
function pack(dir: string, folder: string, out: string, format: 'gnu' | 'pax' | 'ustar'): string {
  const r = spawnSync('tar', [`--format=${format}`, '-czf', out, '-C', dir, folder], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  return out;
}

const LONG_NAME = `templates/${'a-template-whose-name-is-longer-than-the-hundred-bytes-of-a-tar-name-field'.repeat(2)}.yaml`;

/**
 * A chart `app` 1.0.0 with: list keys and a `<<` merge key; a subchart folder `plain` (declared without alias,
 * with a global); an undeclared subchart folder `extra`; a packaged subchart `db` (apiVersion v1: dependencies in
 * requirements.yaml) declared twice, under the aliases `primary` and `replica`, which has its own aliased
 * subchart `common` as `lib`. Returns the chart folder.
 */
function sampleChart(dir: string): string {
  const work = path.join(dir, 'src');
  writeFiles(work, {
    'db/Chart.yaml': 'apiVersion: v1\nname: db\nversion: 2.0.0\n',
    'db/requirements.yaml': 'dependencies:\n  - name: common\n    version: 0.1.0\n    alias: lib\n',
    'db/values.yaml': 'auth:\n  users: []\n',
    'db/charts/common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.1.0\ntype: library\n',
    'db/charts/common/values.yaml': 'exampleValue: x\n',
    [`db/${LONG_NAME}`]: 'kind: ConfigMap\n',
  });
  const app = writeFiles(path.join(dir, 'app'), {
    'Chart.yaml': [
      'apiVersion: v2',
      'name: app',
      'version: 1.0.0',
      'dependencies:',
      '  - { name: db, version: 2.0.0, alias: primary, condition: primary.enabled }',
      '  - { name: db, version: 2.0.0, alias: replica }',
      '  - { name: plain, version: 0.1.0 }',
      '',
    ].join('\n'),
    'values.yaml': [
      'image: { tag: "1" }',
      'hosts:',
      '  - name: a',
      '    paths: [/, /api]',
      'base: &base { replicas: 1 }',
      'web:',
      '  <<: *base',
      '  port: 80',
      'plain:',
      '  enabled: true',
      '',
    ].join('\n'),
    'charts/plain/Chart.yaml': 'apiVersion: v2\nname: plain\nversion: 0.1.0\n',
    'charts/plain/values.yaml': 'size: 1\nglobal:\n  imageRegistry: ""\n',
    'charts/extra/Chart.yaml': 'apiVersion: v2\nname: extra\nversion: 0.1.0\n',
    'charts/extra/values.yaml': 'labels: {}\n',
    'charts/README.md': 'not a chart\n',
    [LONG_NAME]: 'kind: ConfigMap\n',
  });
  pack(work, 'db', path.join(app, 'charts', 'db-2.0.0.tgz'), 'gnu');
  return app;
}

const SAMPLE_PATHS = [
  'base',
  'base.replicas',
  'extra',
  'extra.labels',
  'global',
  'global.imageRegistry',
  'hosts[]',
  'hosts[].name',
  'hosts[].paths[]',
  'image',
  'image.tag',
  'plain',
  'plain.enabled',
  'plain.global',
  'plain.global.imageRegistry',
  'plain.size',
  'primary',
  'primary.auth',
  'primary.auth.users[]',
  'primary.lib',
  'primary.lib.exampleValue',
  'replica',
  'replica.auth',
  'replica.auth.users[]',
  'replica.lib',
  'replica.lib.exampleValue',
  'web',
  'web.port',
  'web.replicas',
];

describe('deriving the key paths of a chart', () => {
  const dir = tmpDir('chart-keys-');
  const app = sampleChart(dir);
  const packaged = pack(dir, 'app', path.join(dir, 'app-1.0.0.tgz'), 'pax');

  it('reads tar archives: ustar and pax long names, GNU long names, nested packaged charts', () => {
    const files = untar(gunzipSync(fs.readFileSync(packaged)), packaged);
    expect(files.get(`app/${LONG_NAME}`)?.toString()).toBe('kind: ConfigMap\n');
    expect(files.get('app/values.yaml')?.toString()).toBe(fs.readFileSync(path.join(app, 'values.yaml'), 'utf8'));
    const db = chartFilesOfTarball(files.get('app/charts/db-2.0.0.tgz') as Buffer, 'db');
    expect(db.get(LONG_NAME)?.toString()).toBe('kind: ConfigMap\n');
    expect([...db.keys()].sort()).toContain('charts/common/values.yaml');
    // ustar: a path over 100 bytes split into prefix and name.
    const deep = `deep/${'a-folder-of-twenty-b/'.repeat(6)}values.yaml`;
    writeFiles(dir, { [deep]: 'a: 1\n' });
    const ustar = untar(gunzipSync(fs.readFileSync(pack(dir, 'deep', path.join(dir, 'deep.tgz'), 'ustar'))), 'deep');
    expect(ustar.get(deep)?.toString()).toBe('a: 1\n');
  });

  it('nests subcharts under their names or aliases, keeps lists and merge keys, lifts globals', () => {
    const c = chartKeyPaths(chartFilesOfTarball(fs.readFileSync(packaged), packaged), packaged);
    expect({ name: c.name, version: c.version }).toEqual({ name: 'app', version: '1.0.0' });
    expect([...c.paths].sort()).toEqual(SAMPLE_PATHS);
  });

  it('gives the same from the chart folder', () => {
    expect([...chartKeyPaths(chartFilesOfDir(app), app).paths].sort()).toEqual(SAMPLE_PATHS);
  });

  it('refuses what is not a chart', () => {
    const bad = path.join(dir, 'bad.tgz');
    fs.writeFileSync(bad, 'not gzip');
    expect(() => chartFilesOfTarball(fs.readFileSync(bad), bad)).toThrow(SourceError);
    expect(() => chartKeyPaths(new Map(), 'empty')).toThrow(/no Chart.yaml with a name/);
  });
});

describe('deriving the key file of a pinned chart version from mirror and reference', () => {
  const dir = tmpDir('chart-keys-');
  const mirror = path.join(dir, 'mirror');
  const reference = writeFiles(path.join(dir, 'reference'), {
    'defaults/app.values.yaml': 'image: { tag: "1" }\n',
    'defaults/sub.values.yaml': 'size: 1\n',
    'examples/app.yaml': 'image: { tag: "2", digest: x }\nplain: { size: 3 }\n',
    'keys.txt': '# a comment\nconfig\nconfig.a # commented\nconfig.extra.*\n',
  });
  fs.mkdirSync(mirror);
  const at = { mirror, reference };
  const target: KeysTarget = {
    chart: 'app',
    version: '1.0.0',
    file: 'keys/app-1.0.0.keys',
    sources: {
      defaults: ['defaults/app.values.yaml', 'plain:defaults/sub.values.yaml'],
      examples: ['examples/app.yaml'],
    },
  };
  const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

  it('takes the chart from the mirror, tags keys that only the examples have, names each source', () => {
    sampleChart(dir);
    const tgz = pack(dir, 'app', path.join(mirror, 'app-1.0.0.tgz'), 'pax');
    const packedSha = sha(tgz);
    const d = derive(target, at);
    fs.rmSync(tgz);
    expect(d.notes).toEqual([]);
    const text = d.text as string;
    expect(text).toContain(`# source: chart app-1.0.0.tgz sha256:${packedSha}\n`);
    expect(text).toContain(
      `# source: example examples/app.yaml sha256:${sha(path.join(reference, 'examples/app.yaml'))}\n`,
    );
    expect(text).not.toContain('defaults/app.values.yaml');
    const keys = parseKeys(text);
    expect([...keys.keys()]).toEqual([...SAMPLE_PATHS, 'image.digest'].sort());
    expect(keys.get('image.digest')).toBe('example');
    expect(keys.get('image.tag')).toBe('default');
    expect(keys.get('plain.size')).toBe('default');
    expect(text).toMatch(/^image\.digest\texample$/m);
    expect(text).toMatch(/^image\.tag$/m);
  });

  it('falls back to the reference defaults when the mirror lacks the chart, and says so', () => {
    const d = derive(target, at);
    expect(d.notes).toEqual(['not in the chart mirror']);
    expect(d.text).toContain('# source: defaults plain:defaults/sub.values.yaml sha256:');
    expect(d.text).toContain('# note: not in the chart mirror\n');
    expect(parseKeys(d.text as string)).toEqual(
      new Map([
        ['image', 'default'],
        ['image.digest', 'example'],
        ['image.tag', 'default'],
        ['plain', 'default'],
        ['plain.size', 'default'],
      ]),
    );
    // Deterministic: the same sources give the same text.
    expect(derive(target, at).text).toBe(d.text);
  });

  it('keeps free-form and commented markers of a key list', () => {
    const d = derive({ ...target, sources: { keyList: 'keys.txt' } }, at);
    expect(parseKeys(d.text as string)).toEqual(
      new Map([
        ['config', 'default'],
        ['config.a', 'commented'],
        ['config.extra.*', 'default'],
      ]),
    );
    expect(d.text).toMatch(/^config\.a\tcommented$/m);
    expect(d.text).toContain('\n#   | a comment\n');
  });

  it('reports a chart with no source at all, and names a listed source that is missing', () => {
    const none = derive({ ...target, sources: {} }, at);
    expect(none.text).toBeUndefined();
    expect(none.notes).toContain('no key source: neither in the chart mirror nor in the reference values');
    expect(() => derive({ ...target, sources: { examples: ['examples/gone.yaml'] } }, at)).toThrow(
      `examples/gone.yaml: not found in the reference values (${reference})`,
    );
  });

  it('refuses a packaged chart whose Chart.yaml names another version', () => {
    sampleChart(dir);
    const tgz = pack(dir, 'app', path.join(mirror, 'app-1.0.1.tgz'), 'gnu');
    expect(() => derive({ ...target, version: '1.0.1' }, at)).toThrow(/holds chart app 1.0.0, not app 1.0.1/);
    fs.rmSync(tgz);
  });
});

describe('npm run charts:keys', () => {
  const dir = tmpDir('chart-keys-');
  const root = path.join(dir, 'repo');
  const mirror = path.join(dir, 'mirror');
  fs.mkdirSync(mirror);
  const reference = writeFiles(path.join(dir, 'reference'), { 'a.yaml': 'a: { b: [1] }\n' });
  const targets: KeysTarget[] = [
    { chart: 'a', version: '1.0.0', file: 'keys/a-1.0.0.keys', sources: { defaults: ['a.yaml'] } },
    { chart: 'b', version: '2.0.0', file: 'keys/b-2.0.0.keys', sources: {} },
  ];
  const run = (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, root, targets });
    return { code, out: out.join(''), err: err.join('') };
  };
  const flags = ['--mirror', mirror, '--reference', reference];

  it('--help prints the usage and exits 0; an unknown flag exits 2 with the usage', () => {
    expect(run('--help')).toEqual({ code: 0, out: expect.stringMatching(/^Usage: npm run charts:keys/), err: '' });
    expect(run('--bogus')).toEqual({ code: 2, out: '', err: expect.stringMatching(/'--bogus'[^]*Usage:/) });
    expect(run('--check', 'chart.tgz').code).toBe(2);
  });

  it('writes the key files, reports a chart without source, and checks them', () => {
    const w = run(...flags);
    expect(w.code).toBe(1);
    expect(w.out).toContain('wrote keys/a-1.0.0.keys (2 key paths)');
    expect(w.err).toContain('b 2.0.0: no key source: neither in the chart mirror nor in the reference values');
    expect([...parseKeys(fs.readFileSync(path.join(root, 'keys/a-1.0.0.keys'), 'utf8')).keys()]).toEqual([
      'a',
      'a.b[]',
    ]);
    expect(fs.existsSync(path.join(root, 'keys/b-2.0.0.keys'))).toBe(false);

    const ok = run('--check', ...flags);
    expect(ok.out).toContain('1 key files up to date');

    fs.appendFileSync(path.join(root, 'keys/a-1.0.0.keys'), 'a.c\n');
    fs.writeFileSync(path.join(root, 'keys/a-0.9.0.keys'), 'a\n');
    const stale = run('--check', ...flags);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('out of date (run npm run charts:keys):\n  keys/a-1.0.0.keys\n  keys/a-0.9.0.keys\n');

    expect(run(...flags).out).toContain('removed keys/a-0.9.0.keys (no pinned chart version)');
    expect(outOfDate([derive(targets[0], { mirror, reference })], root)).toEqual([]);
  });

  it('exits 2 naming a source it cannot read and where it looked', () => {
    const gone = path.join(dir, 'no-such-mirror');
    expect(run('--check', '--mirror', gone, '--reference', reference)).toEqual({
      code: 2,
      out: '',
      err: `cannot read a source: chart mirror not found at ${gone} (set --mirror or CHART_MIRROR)\n`,
    });
    const r = run('--check', '--mirror', mirror, '--reference', path.join(dir, 'reference-empty'));
    expect(r.code).toBe(2);
  });

  it('prints the key paths of a chart given as argument', () => {
    const app = sampleChart(tmpDir('chart-keys-'));
    const r = run(app);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`# app 1.0.0 (${app})\n${SAMPLE_PATHS.join('\n')}\n`);
  });
});

describe('the checked-in key files', () => {
  const shared = path.resolve(ROOT, '..', 'shared');
  const at = {
    mirror: process.env.CHART_MIRROR ?? path.join(shared, 'charts'),
    reference: process.env.MESSENGER_REFERENCE_DIR ?? path.join(shared, 'reference'),
  };
  const haveSources = fs.existsSync(at.mirror) && fs.existsSync(at.reference);
  if (!haveSources) {
    process.stdout.write(
      `chart-keys.test: staleness check skipped: no chart mirror at ${at.mirror} or no reference at ${at.reference}\n`,
    );
  }
  const itWithSources = haveSources ? it : it.skip;

  itWithSources('are what the chart mirror and the reference values give (npm run charts:keys)', () => {
    expect(
      outOfDate(
        TARGETS.map((t) => derive(t, at)),
        ROOT,
      ),
    ).toEqual([]);
  });

  it('exist for every pinned chart version', () => {
    for (const t of TARGETS)
      expect(parseKeys(fs.readFileSync(path.join(ROOT, t.file), 'utf8')).size).toBeGreaterThan(0);
  });
});
