import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_YAML, ROOT, tmpDir, withPillar2 } from './helpers';

/** Runs the compiled app (`npm test` builds it first) the way `npm run synth` does. */
function synth(env: Record<string, string>) {
  return spawnSync(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
    encoding: 'utf8',
  });
}

describe('synth command', () => {
  it('synthesizes the default federation and lists its stacks', () => {
    const out = path.join(tmpDir(), 'cdktf.out');
    const r = synth({ CDKTF_OUTDIR: out });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Synthesized 12 stacks/);
    expect(r.stdout).toContain('itzbund-ndb-1--platform');
    expect(fs.existsSync(path.join(out, 'stacks', 'itzbund-ndb-1--platform', 'cdk.tf.json'))).toBe(true);
    expect(fs.readdirSync(path.join(out, 'reports')).sort()).toEqual([
      'architecture.dot',
      'architecture.mmd',
      'architecture.svg',
      'compliance',
    ]);
    // not a terminal: no progress lines
    expect(r.stderr).not.toMatch(/\[\d+\/\d+\]/);
  });

  it('fails on a malformed config with file, path, value and what is allowed, and leaves the output untouched', () => {
    const dir = tmpDir();
    const out = path.join(dir, 'cdktf.out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'previous-run.txt'), 'keep me');
    const file = path.join(dir, 'broken.yaml');
    fs.writeFileSync(
      file,
      DEFAULT_YAML.replace('mode: self-hosted', 'mode: selfhost').replace('kind: internet', 'kind: dmz'),
    );
    const r = synth({ CDKTF_OUTDIR: out, FEDERATION_CONFIG: file });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('2 errors');
    expect(r.stderr).toMatch(
      /broken\.yaml:\d+:\d+: tenants\[3\]\.bundesMessenger\.mode: unknown mode; found "selfhost"; allowed: "self-hosted" \| "saas"/,
    );
    expect(r.stderr).toMatch(
      /broken\.yaml:\d+:\d+: zones\[4\]\.kind: not an allowed value; found "dmz"; allowed: "ndb" \| "grundschutz" \| "internet"/,
    );
    expect(fs.readdirSync(out)).toEqual(['previous-run.txt']);
    expect(fs.readdirSync(dir).sort()).toEqual(['broken.yaml', 'cdktf.out']);
  });

  it('fails when FEDERATION_CONFIG names a missing file', () => {
    const out = path.join(tmpDir(), 'cdktf.out');
    const r = synth({ CDKTF_OUTDIR: out, FEDERATION_CONFIG: '/nope/federation.yaml' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('/nope/federation.yaml');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('warns visibly when Säule 2 is declared', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'pillar2.yaml');
    fs.writeFileSync(file, withPillar2(DEFAULT_YAML));
    const r = synth({ CDKTF_OUTDIR: path.join(dir, 'out'), FEDERATION_CONFIG: file });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/WARNING itzbund-inet-1--wire-s2: Säule 2 .* is not implemented in reality today/);
    const plain = synth({ CDKTF_OUTDIR: path.join(dir, 'out2') });
    expect(plain.stderr).not.toMatch(/Säule 2/);
    expect(plain.stderr).toMatch(
      /WARNING config\/federation\.yaml:\d+: \[DS-DIENSTVEREINBARUNG\] warning \(tenant lamv\)/,
    );
  });
});
