/**
 * The one pipeline (app/): the library entry writes what `npm run synth` writes, and verify's reports are replaced
 * by an atomic rename, never written through a link.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesize } from '../app';
import { synthFederation } from '../app/pipeline';
import { verify } from '../app/verify';
import { DEFAULT_CONFIG_FILE } from '../config/paths';
import { readSynthesized } from '../policy/synthesized';
import { items, outputValue } from '../policy/synthesized-view';
import { defaultFederation, ROOT, tmpDir } from './helpers';

const EPOCH = '1790000000';

/** Every file of an output (relative path -> sha256), without the run's own bookkeeping. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.posix.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (!['.synth-record.json', '.messenger-bund-output'].includes(e.name))
        out[r] = createHash('sha256')
          .update(fs.readFileSync(path.join(dir, r)))
          .digest('hex');
    }
  };
  walk('');
  return out;
}

describe('app/ pipeline', () => {
  it('the library entry synthesizes the same output as npm run synth, diagram and reports included', async () => {
    const dir = tmpDir();
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'launch.js'), 'main'], {
      cwd: ROOT,
      env: {
        ...process.env,
        CHECKPOINT_DISABLE: '1',
        SYNTH_REUSE: 'off',
        SOURCE_DATE_EPOCH: EPOCH,
        CDKTF_OUTDIR: path.join(dir, 'cli'),
      },
      encoding: 'utf8',
    });
    expect(cli.status).toBe(0);
    const result = await synthesize(DEFAULT_CONFIG_FILE, path.join(dir, 'lib'), {
      env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH },
    });
    expect(result.stacks).toHaveLength(12);
    const fromCli = tree(path.join(dir, 'cli'));
    expect(Object.keys(fromCli)).toEqual(
      expect.arrayContaining(['reports/architecture.svg', 'reports/compliance/bab.md', 'reports/compliance/bab.json']),
    );
    // the manifest names the output directory; everything else is byte for byte the same
    const differing = Object.keys(fromCli).filter((f) => tree(path.join(dir, 'lib'))[f] !== fromCli[f]);
    expect(differing.filter((f) => f !== 'manifest.json')).toEqual([]);
    expect(Object.keys(tree(path.join(dir, 'lib'))).sort()).toEqual(Object.keys(fromCli).sort());
  });

  it('verify replaces its reports by a rename: a link in their place is replaced, its target is left alone', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'out');
    await synthesize(DEFAULT_CONFIG_FILE, out);
    const outside = path.join(dir, 'outside.json');
    fs.writeFileSync(outside, 'not verify’s\n');
    fs.symlinkSync(outside, path.join(out, 'reports', 'reachability.json'));
    expect(verify(out).code).toBe(0);
    expect(fs.readFileSync(outside, 'utf8')).toBe('not verify’s\n');
    expect(fs.lstatSync(path.join(out, 'reports', 'reachability.json')).isFile()).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'reports', 'reachability.json'), 'utf8')).findings).toEqual([]);
    // no temporary file is left behind
    expect(fs.readdirSync(path.join(out, 'reports')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('one day of check per run', () => {
  /** lamv plans its DSFA for 2026-03-31: the findings, its to-do list and its report judge it on the run's day. */
  function run(now: string) {
    const out = path.join(tmpDir(), 'out');
    const result = synthFederation(defaultFederation(), out, { env: {}, now: new Date(now) });
    const dsfa = result.compliance.find((f) => f.rule === 'DS-DSFA' && f.tenant === 'lamv')?.message ?? '';
    const todo = readSynthesized(out)
      .filter((s) => s.name.endsWith('--tenant-lamv'))
      .flatMap((s) => items(outputValue(s, 'agency_todo')).map(String))
      .filter((t) => /data protection impact assessment/.test(t));
    const report = fs.readFileSync(path.join(out, 'reports', 'compliance', 'lamv.md'), 'utf8');
    return { dsfa, todo, report };
  }

  it('is the day the caller gives, for findings, to-do lists and reports alike (not the machine’s clock)', () => {
    const before = run('2026-01-15T12:00:00Z');
    expect(before.dsfa).not.toMatch(/überfällig/);
    expect(before.todo.length).toBeGreaterThan(0);
    expect(before.todo.every((t) => !/^Overdue/.test(t))).toBe(true);
    expect(before.report).toContain('15.01.2026');
    const after = run('2026-06-01T12:00:00Z');
    expect(after.dsfa).toMatch(/überfällig seit 31\.03\.2026/);
    expect(after.todo.some((t) => /^Overdue since 2026-03-31/.test(t))).toBe(true);
    expect(after.report).toContain('01.06.2026');
  });
});

describe('verify writes its reports inside the output directory only', () => {
  it('refuses a reports directory that is a symlink leading out (exit 2), and writes nothing there', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'out');
    await synthesize(DEFAULT_CONFIG_FILE, out);
    const elsewhere = path.join(dir, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.rmSync(path.join(out, 'reports'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(out, 'reports'));
    const r = verify(out);
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([expect.stringMatching(/^verify: reports in .* leads to .*elsewhere, outside the output/)]);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });
});
