/**
 * The fast synth path: the launcher that the cdktf.json app command runs (transpile what changed, no type check),
 * the reuse of an output whose inputs are unchanged, and the provider bindings loaded on first use.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RECORD_FILE, synthInputsKey, unchangedOutput, writeSynthRecord } from '../app/output-record';
import { ROOT, tmpDir } from './helpers';

const node = (args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) =>
  spawnSync(process.execPath, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...opts.env },
    encoding: 'utf8',
  });

describe('scripts/launch.js (the cdktf.json app command)', () => {
  /** A tiny project with the real launcher and tsconfig. */
  function project(): string {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.copyFileSync(path.join(ROOT, 'scripts', 'launch.js'), path.join(dir, 'scripts', 'launch.js'));
    fs.copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    fs.mkdirSync(path.join(dir, 'config'));
    fs.writeFileSync(path.join(dir, 'config', 'word.ts'), "export const WORD: string = 'first';\n");
    fs.writeFileSync(
      path.join(dir, 'main.ts'),
      "import { WORD } from './config/word';\nconst main: boolean = require.main === module;\nprocess.stdout.write(`${WORD} ${main} ${process.argv.slice(2).join(',')}\\n`);\n",
    );
    return dir;
  }

  it('transpiles on first use, runs the module as main with its arguments, and refuses unknown modules', () => {
    const dir = project();
    const r = node(['scripts/launch.js', 'main', 'a', 'b'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('first true a,b\n');
    expect(fs.existsSync(path.join(dir, 'dist', 'config', 'word.js'))).toBe(true);
    const missing = node(['scripts/launch.js', 'nope'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no module 'nope'");
  });

  it('transpiles nothing when nothing changed, and exactly what changed otherwise', () => {
    const dir = project();
    node(['scripts/launch.js', 'main'], { cwd: dir });
    const js = (f: string) => path.join(dir, 'dist', f);
    const mtime = (f: string) => fs.statSync(js(f)).mtimeMs;
    const before = { main: mtime('main.js'), word: mtime('config/word.js') };
    expect(node(['scripts/launch.js', 'main'], { cwd: dir }).stdout).toBe('first true \n');
    expect({ main: mtime('main.js'), word: mtime('config/word.js') }).toEqual(before);
    // A type error does not stop the fast path (type checking belongs to npm test) ...
    fs.writeFileSync(path.join(dir, 'config', 'word.ts'), "export const WORD: number = 'second';\n");
    expect(node(['scripts/launch.js', 'main'], { cwd: dir }).stdout).toBe('second true \n');
    expect(mtime('main.js')).toBe(before.main);
    expect(mtime('config/word.js')).not.toBe(before.word);
  });

  it('the project’s own app command is the launcher', () => {
    const cdktf = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8'));
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
    // `cdktf synth|deploy` and `npm run synth` run the same command (the end-to-end test below runs it)
    expect(scripts.synth).toBe(cdktf.app);
    // no script but test and build runs the type checker
    for (const [name, cmd] of Object.entries(scripts as Record<string, string>)) {
      if (!['build', 'test'].includes(name)) expect(`${name}: ${cmd}`).not.toMatch(/\btsc\b|npm run --silent build/);
    }
  });
});

describe('an output with unchanged inputs is kept', () => {
  function inputs() {
    const dir = tmpDir();
    const root = path.join(dir, 'root');
    fs.mkdirSync(path.join(root, 'dist', 'stacks'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'main.js'), '// app\n');
    fs.writeFileSync(path.join(root, 'dist', 'stacks', 'a.js'), '// stack code\n');
    fs.writeFileSync(path.join(root, 'package-lock.json'), '{}\n');
    const configFile = path.join(dir, 'federation.yaml');
    fs.writeFileSync(configFile, 'federation: {name: x}\n');
    const outdir = path.join(dir, 'out');
    fs.mkdirSync(path.join(outdir, 'stacks', 's1', '.terraform'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'manifest.json'), '{"stacks":{}}\n');
    fs.writeFileSync(path.join(outdir, 'stacks', 's1', 'cdk.tf.json'), '{}\n');
    fs.writeFileSync(path.join(outdir, 'stacks', 's1', '.terraform', 'x'), 'provider cache\n');
    return { root, configFile, outdir, env: {} as Record<string, string> };
  }

  it('records what synth wrote (not Terraform’s working files) and accepts it while nothing changed', () => {
    const i = inputs();
    const key = synthInputsKey(i)!;
    writeSynthRecord(i.outdir, key, { stdout: 'Synthesized 1 stack\n', stderr: '' });
    const record = unchangedOutput(i.outdir, key);
    expect(Object.keys(record!.files).sort()).toEqual(['manifest.json', 'stacks/s1/cdk.tf.json']);
    expect(record!.stdout).toBe('Synthesized 1 stack\n');
    // Terraform working files may change freely.
    fs.writeFileSync(path.join(i.outdir, 'stacks', 's1', '.terraform', 'x'), 'other\n');
    fs.writeFileSync(path.join(i.outdir, 'terraform.s1.tfstate'), '{}');
    expect(unchangedOutput(i.outdir, key)).toBeDefined();
  });

  it.each([
    ['the config', (i: ReturnType<typeof inputs>) => fs.appendFileSync(i.configFile, '# more\n')],
    [
      'the compiled app',
      (i: ReturnType<typeof inputs>) => fs.appendFileSync(path.join(i.root, 'dist', 'stacks', 'a.js'), '//\n'),
    ],
    [
      'the locked dependencies',
      (i: ReturnType<typeof inputs>) => fs.writeFileSync(path.join(i.root, 'package-lock.json'), '{"x":1}'),
    ],
    ['the cdktf context', (i: ReturnType<typeof inputs>) => (i.env.CDKTF_CONTEXT_JSON = '{"a":1}')],
    ['HCL output', (i: ReturnType<typeof inputs>) => (i.env.SYNTH_HCL_OUTPUT = 'true')],
  ])('changes the key when %s changes', (_what, change) => {
    const i = inputs();
    const key = synthInputsKey(i)!;
    writeSynthRecord(i.outdir, key, { stdout: '', stderr: '' });
    change(i);
    const next = synthInputsKey(i)!;
    expect(next).not.toBe(key);
    expect(unchangedOutput(i.outdir, next)).toBeUndefined();
  });

  it('is not kept when a written file was changed or removed, or the record is broken', () => {
    for (const spoil of [
      (o: string) => fs.writeFileSync(path.join(o, 'stacks', 's1', 'cdk.tf.json'), '{"tampered":1}'),
      (o: string) => fs.rmSync(path.join(o, 'manifest.json')),
      (o: string) => fs.writeFileSync(path.join(o, RECORD_FILE), 'not json'),
      (o: string) => fs.writeFileSync(path.join(o, RECORD_FILE), 'null'),
    ]) {
      const i = inputs();
      const key = synthInputsKey(i)!;
      writeSynthRecord(i.outdir, key, { stdout: '', stderr: '' });
      spoil(i.outdir);
      expect(unchangedOutput(i.outdir, key)).toBeUndefined();
    }
  });

  it('end to end: a second synth keeps the output, a changed config or SYNTH_REUSE=off synthesizes anew', () => {
    const dir = tmpDir();
    const out = path.join(dir, 'out');
    const config = path.join(dir, 'federation.yaml');
    fs.copyFileSync(path.join(ROOT, 'config', 'federation.yaml'), config);
    // exactly the cdktf.json app command
    const [program, ...args] = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).app.split(' ');
    expect(program).toBe('node');
    const synth = (env: Record<string, string> = {}) =>
      node(args, { env: { CDKTF_OUTDIR: out, FEDERATION_CONFIG: config, ...env } });
    const first = synth();
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^Synthesized 12 stacks/);
    const stackFile = path.join(out, 'stacks', 'itzbund-ndb-1--platform', 'cdk.tf.json');
    const written = fs.statSync(stackFile).mtimeMs;
    const second = synth();
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(
      `${first.stdout}(inputs unchanged since the last synth: ${out} kept as it was; SYNTH_REUSE=off synthesizes anew)\n`,
    );
    expect(second.stderr).toBe(first.stderr);
    expect(fs.statSync(stackFile).mtimeMs).toBe(written);
    // a tampered stack is written again
    fs.writeFileSync(stackFile, '{}');
    expect(synth().stdout).not.toContain('inputs unchanged');
    expect(JSON.parse(fs.readFileSync(stackFile, 'utf8')).resource).toBeDefined();
    expect(synth({ SYNTH_REUSE: 'off' }).stdout).not.toContain('inputs unchanged');
    fs.appendFileSync(config, '# a comment changes the input\n');
    expect(synth().stdout).not.toContain('inputs unchanged');
  });
});

describe('provider bindings load on first use', () => {
  it('importing the bindings loads no resource class; using one loads just that one', () => {
    const r = node([
      '-e',
      `const p = require(${JSON.stringify(path.join(ROOT, 'dist', 'constructs', 'providers.js'))});
       const loaded = () => Object.keys(require.cache).filter((f) => /@cdktf\\/provider-(kubernetes|helm)\\/lib\\/[^/]+\\/index\\.js$/.test(f)).map((f) => f.split('/lib/')[1].split('/')[0]).sort();
       const before = loaded();
       const ns = p.NamespaceV1;
       process.stdout.write(JSON.stringify({ before, after: loaded(), name: ns.name, keys: Object.keys(p).length }));`,
    ]);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toEqual({ before: [], after: ['namespace-v1'], name: 'NamespaceV1', keys: 14 });
  });
});

describe('--help on every npm script that takes arguments', () => {
  const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  const withArgs = ['verify', 'pipeline', 'bench', 'schema', 'charts:keys', 'charts:pull', 'tenant:new'];

  it.each(withArgs)('npm run %s -- --help prints usage and exits 0; an unknown flag exits 2', (name) => {
    const module = /^node scripts\/launch\.js (\S+)$/.exec(scripts[name])?.[1];
    expect(module).toBeDefined();
    const help = node(['scripts/launch.js', module!, '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^usage: npm run ${name.replace(':', '\\:')}`, 'i'));
    const wrong = node(['scripts/launch.js', module!, '--no-such-flag']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/usage: npm run/i);
  });
});
