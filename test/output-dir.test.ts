/**
 * Families 1 and 9 of the fail-closed issue: the output directory is replaced only when it is a previous output
 * of this app or empty, never a path that holds the config, the repository, a root or home; two synths into one
 * directory give one run's output; a killed run leaves nothing behind that the next run does not clean up.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFederation } from '../config/load';
import { checkOutputDir, OUTPUT_MARKER, OutputDirError } from '../app/output-dir';
import { synthFederation } from '../app/pipeline';
import { DEFAULT_YAML, ROOT, tmpDir } from './helpers';

/** A config file in its own directory, as an architect keeps it. */
function federationIn(dir: string, yaml = DEFAULT_YAML) {
  const file = path.join(dir, 'config', 'federation.yaml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, yaml);
  return { file, federation: parseFederation(yaml, file) };
}

/** Every file below `dir` with its content, to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
    }
  };
  walk('');
  return out;
}

const launch = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['scripts/launch.js', 'main'], {
    cwd: ROOT,
    env: { ...process.env, SYNTH_REUSE: 'off', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('the output directory', () => {
  let dir: string;
  beforeEach(() => (dir = tmpDir('bmi-out-')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("refuses the config's own directory and leaves it as it was (CDKTF_OUTDIR=config)", () => {
    const { file, federation } = federationIn(dir);
    const before = snapshot(path.dirname(file));
    expect(() => synthFederation(federation, path.dirname(file))).toThrow(
      new RegExp(`refusing to write the output to .*: it contains ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    expect(snapshot(path.dirname(file))).toEqual(before);
  });

  it('refuses a directory that contains the config or the repository', () => {
    const { federation } = federationIn(dir);
    expect(() => synthFederation(federation, dir)).toThrow(OutputDirError);
    expect(() => checkOutputDir(ROOT, { protect: [ROOT] })).toThrow(/it contains/);
    expect(() => checkOutputDir(path.dirname(ROOT), { protect: [ROOT] })).toThrow(/it contains/);
  });

  it('refuses filesystem roots and home, also spelled with ../ (checked, never deleted)', () => {
    expect(() => checkOutputDir('/', { protect: [] })).toThrow(/filesystem root/);
    expect(() => checkOutputDir(path.join(ROOT, '../'.repeat(30)), { protect: [] })).toThrow(/filesystem root/);
    expect(() => checkOutputDir(os.homedir(), { protect: [] })).toThrow(/home directory/);
    // a directory that contains home is refused for that reason (an empty parent of home would pass otherwise)
    const parent = tmpDir('home-parent-');
    fs.mkdirSync(path.join(parent, 'u', 'home'), { recursive: true });
    // HOME is read by the process itself: a child with another HOME (the compiled module; npm test builds it)
    const check = (dir: string) =>
      spawnSync(
        process.execPath,
        [
          '-e',
          `try { require(${JSON.stringify(path.join(ROOT, 'dist', 'app', 'output-dir.js'))}).checkOutputDir(${JSON.stringify(dir)}, { protect: [] }); } catch (e) { process.stdout.write(e.message); }`,
        ],
        { env: { ...process.env, HOME: path.join(parent, 'u', 'home') }, encoding: 'utf8' },
      ).stdout;
    expect(check(path.join(parent, 'u'))).toMatch(/it is the home directory or contains it/);
    expect(check(path.join(parent, 'u', 'home', 'x', '..'))).toMatch(/it is the home directory/);
    expect(check(path.join(parent, 'u', 'home', 'out'))).toBe('');
  });

  it('refuses a plain file and a non-empty directory that is no output of this app', () => {
    const { federation } = federationIn(dir);
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'keep me');
    expect(() => synthFederation(federation, file)).toThrow(/exists and is not a directory/);
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
    const other = path.join(dir, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'thesis.tex'), 'keep me too');
    expect(() => synthFederation(federation, other)).toThrow(/not empty and is not an output of this app/);
    expect(snapshot(other)).toEqual({ 'thesis.tex': 'keep me too' });
  });

  it('a file named like the old synth record proves nothing: a directory with user files is refused', () => {
    const { federation } = federationIn(dir);
    const other = path.join(dir, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'important.txt'), 'keep me');
    fs.writeFileSync(path.join(other, '.synth-record.json'), '{}');
    expect(() => synthFederation(federation, other)).toThrow(/not empty and is not an output of this app/);
    expect(fs.readFileSync(path.join(other, 'important.txt'), 'utf8')).toBe('keep me');
  });

  it('an output of an earlier version (a real synth record, no marker) is replaced', () => {
    const { federation } = federationIn(dir);
    const out = path.join(dir, 'out');
    synthFederation(federation, out);
    fs.rmSync(path.join(out, OUTPUT_MARKER));
    fs.writeFileSync(
      path.join(out, '.synth-record.json'),
      JSON.stringify({ key: 'a'.repeat(64), files: { 'manifest.json': 'b'.repeat(64) }, stdout: '', stderr: '' }),
    );
    synthFederation(federation, out);
    expect(fs.existsSync(path.join(out, OUTPUT_MARKER))).toBe(true);
  });

  it('writes into an empty directory and replaces its own output, keeping Terraform working files', () => {
    const { federation } = federationIn(dir);
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    synthFederation(federation, out);
    expect(fs.existsSync(path.join(out, OUTPUT_MARKER))).toBe(true);
    const stackDir = path.join(out, 'stacks', 'itzbund-ndb-1--platform');
    fs.mkdirSync(path.join(stackDir, '.terraform'));
    fs.writeFileSync(path.join(stackDir, '.terraform.lock.hcl'), 'lock');
    fs.writeFileSync(path.join(out, 'stale.txt'), 'from an older run');
    synthFederation(federation, out);
    expect(fs.existsSync(path.join(stackDir, '.terraform'))).toBe(true);
    expect(fs.readFileSync(path.join(stackDir, '.terraform.lock.hcl'), 'utf8')).toBe('lock');
    expect(fs.existsSync(path.join(out, 'stale.txt'))).toBe(false);
    expect(fs.readdirSync(dir).sort()).toEqual(['config', 'out']);
  });

  it('removes the scratch output of a run that died, never a user copy of an output beside it', () => {
    const { federation } = federationIn(dir);
    const out = path.join(dir, 'out');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadScratch = `${out}.tmp-${dead.stdout}`;
    fs.mkdirSync(deadScratch);
    fs.writeFileSync(path.join(deadScratch, OUTPUT_MARKER), '');
    fs.writeFileSync(path.join(deadScratch, '.messenger-bund-scratch'), `${dead.stdout}\n`);
    // a user's backup copy of an earlier output, named like a scratch directory: it has no scratch marker
    const backup = `${out}.old-${Number(dead.stdout) + 1000000}`;
    fs.mkdirSync(backup);
    fs.writeFileSync(path.join(backup, OUTPUT_MARKER), '');
    fs.writeFileSync(path.join(backup, 'NOTES.txt'), 'mine');
    synthFederation(federation, out);
    expect(fs.existsSync(deadScratch)).toBe(false);
    expect(fs.readFileSync(path.join(backup, 'NOTES.txt'), 'utf8')).toBe('mine');
    expect(fs.existsSync(path.join(out, '.messenger-bund-scratch'))).toBe(false);
  });

  it('a symlinked output directory stays a symlink; its target is replaced, Terraform files kept', () => {
    const { federation } = federationIn(dir);
    const real = path.join(dir, 'real', 'out');
    fs.mkdirSync(real, { recursive: true });
    const link = path.join(dir, 'cdktf.out');
    fs.symlinkSync(real, link);
    synthFederation(federation, link);
    fs.mkdirSync(path.join(real, 'stacks', 'itzbund-ndb-1--platform', '.terraform'));
    synthFederation(federation, link);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.existsSync(path.join(real, 'manifest.json'))).toBe(true);
    expect(fs.existsSync(path.join(real, 'stacks', 'itzbund-ndb-1--platform', '.terraform'))).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'real'))).toEqual(['out']);
  });

  it('synth reports an unwritable output as an error, not a trace', () => {
    const { file } = federationIn(dir);
    fs.writeFileSync(path.join(dir, 'file'), '');
    const r = launch({ FEDERATION_CONFIG: file, CDKTF_OUTDIR: path.join(dir, 'file', 'out') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot write the output .*: (ENOTDIR|EEXIST)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an internal error is one line without a trace (the trace on request), and nothing is written', () => {
    const { file } = federationIn(dir);
    const out = path.join(dir, 'out');
    // cdktf parses its context from the environment: broken JSON there fails inside the app, not in the config
    const r = launch({ FEDERATION_CONFIG: file, CDKTF_OUTDIR: out, CDKTF_CONTEXT_JSON: '{not json' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^internal error: .*JSON.* \(MESSENGER_DEBUG=1 shows the trace\)\nNothing was written/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
    const debug = launch({
      FEDERATION_CONFIG: file,
      CDKTF_OUTDIR: out,
      CDKTF_CONTEXT_JSON: '{not json',
      MESSENGER_DEBUG: '1',
    });
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('CDKTF_OUTDIR=config through the real entry point: exit 1, config untouched', () => {
    const { file } = federationIn(dir);
    const before = snapshot(path.dirname(file));
    const r = launch({ FEDERATION_CONFIG: file, CDKTF_OUTDIR: path.dirname(file) });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to write the output/);
    expect(snapshot(path.dirname(file))).toEqual(before);
  });

  it('two concurrent synths into one directory leave one run’s complete output', async () => {
    const a = federationIn(path.join(dir, 'a'));
    const withoutLamv = DEFAULT_YAML.replace(/\n {2}- id: lamv\n[\s\S]*?(?=\n {2}- id: bfbs)/, '');
    expect(withoutLamv).not.toBe(DEFAULT_YAML);
    const b = federationIn(path.join(dir, 'b'), withoutLamv);
    const out = path.join(dir, 'out');
    const run = (file: string) =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ['scripts/launch.js', 'main'], {
          cwd: ROOT,
          env: { ...process.env, SYNTH_REUSE: 'off', FEDERATION_CONFIG: file, CDKTF_OUTDIR: out },
          stdio: 'ignore',
        });
        child.on('exit', (code) => resolve(code ?? -1));
      });
    const codes = await Promise.all([run(a.file), run(b.file)]);
    expect(codes).toEqual([0, 0]);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
      stacks: Record<string, unknown>;
    };
    const stacks = Object.keys(manifest.stacks).sort();
    const onDisk = fs.readdirSync(path.join(out, 'stacks')).sort();
    const reports = fs.readdirSync(path.join(out, 'reports', 'compliance'));
    // One run's output, whole: the manifest, the stack directories and the reports agree.
    expect(onDisk).toEqual(stacks);
    const hasLamv = stacks.some((s) => s.endsWith('--tenant-lamv'));
    expect(reports.includes('lamv.md')).toBe(hasLamv);
    expect(fs.existsSync(path.join(out, 'reports', 'architecture.svg'))).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['a', 'b', 'out']);
  }, 120_000);

  it('Ctrl-C during a synth leaves the output complete or as it was, and no scratch directory', async () => {
    const { file } = federationIn(dir);
    const out = path.join(dir, 'out');
    const child = spawn(process.execPath, ['scripts/launch.js', 'main'], {
      cwd: ROOT,
      env: { ...process.env, SYNTH_REUSE: 'off', FEDERATION_CONFIG: file, CDKTF_OUTDIR: out },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += String(d)));
    // interrupt while the output is being built (its scratch directory exists), however loaded the machine is
    const scratch = `${out}.tmp-${child.pid}`;
    for (let i = 0; i < 1500 && !fs.existsSync(scratch); i++) await new Promise((r) => setTimeout(r, 20));
    expect(fs.existsSync(scratch)).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('exit', (c, signal) => r(c ?? signal)));
    // the run says it was stopped (130), whether the output was swapped in before or not
    expect(code).toBe(130);
    expect(stderr).toMatch(/SIGINT: stopped; .* is complete or unchanged/);
    const left = fs.readdirSync(dir).filter((n) => n !== 'config');
    expect(left.filter((n) => n !== 'out')).toEqual([]);
    if (left.includes('out')) {
      for (const f of [OUTPUT_MARKER, 'manifest.json', 'reports/architecture.svg']) {
        expect(fs.existsSync(path.join(out, f))).toBe(true);
      }
    }
  }, 60_000);
});
