import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthFederation } from '../app/pipeline';
import { defaultFederation, ROOT, tmpDir } from './helpers';

/** The real command line (`npm run verify` is `node scripts/launch.js app/verify`, which compiles what changed). */
function verify(dir: string) {
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'launch.js'), 'app/verify', dir], {
    encoding: 'utf8',
  });
}

describe('verify command', () => {
  const dir = path.join(tmpDir(), 'out');
  synthFederation(defaultFederation(), dir);

  it('exits 0 on the clean default federation and writes the reachability report', () => {
    const r = verify(dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/no way into Säule 1 from outside the NdB/);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'reports', 'reachability.json'), 'utf8'));
    expect(report.findings).toEqual([]);
    const p1 = report.reachability.filter((row: { pillar: string }) => row.pillar === 'Säule 1');
    expect(p1.length).toBeGreaterThan(0);
    expect(p1.every((row: { from: string }) => row.from === 'ndb')).toBe(true);
    const md = fs.readFileSync(path.join(dir, 'reports', 'reachability.md'), 'utf8');
    expect(md).toContain('Säule 1 from outside the NdB: **not reachable**');
    expect(md).toContain('| ndb | ndb | Säule 1 | https://nginz-https.wire-s1.itzbund.ndb.example:443 |');
  });

  it('exits 1 with one line per finding (stack, address, rule, explanation)', () => {
    const bad = path.join(tmpDir(), 'out');
    fs.cpSync(dir, bad, { recursive: true });
    const file = path.join(bad, 'stacks', 'itzbund-ndb-1--wire-s1', 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.resource.kubernetes_service_v1 = {
      debug: {
        provider: 'kubernetes.itzbund-ndb-1',
        metadata: { name: 'debug', namespace: 'wire-s1' },
        spec: { type: 'NodePort' },
      },
    };
    fs.writeFileSync(file, JSON.stringify(json));
    const r = verify(bad);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      'itzbund-ndb-1--wire-s1 kubernetes_service_v1.debug [P1-SERVICE] Service of type NodePort opens a port on every node',
    );
    expect(r.stderr).toMatch(/verify: 1 finding\(s\) in 12 stacks/);
  });

  it('shows in the reachability report when Säule 1 becomes reachable from another zone', () => {
    const bad = path.join(tmpDir(), 'out');
    fs.cpSync(dir, bad, { recursive: true });
    const file = path.join(bad, 'stacks', 'itzbund-ndb-1--wire-s1', 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const nis = Object.values(json.resource.helm_release).find(
      (r) => (r as { chart: string }).chart === 'nginx-ingress-services',
    ) as { values: string[] };
    nis.values[0] = nis.values[0].replace('ingressClass: nginx-ndb', 'ingressClass: nginx-public');
    fs.writeFileSync(file, JSON.stringify(json));
    expect(verify(bad).status).toBe(1);
    const md = fs.readFileSync(path.join(bad, 'reports', 'reachability.md'), 'utf8');
    expect(md).toMatch(/Säule 1 from outside the NdB: \*\*\d+ endpoint\(s\) reachable\*\*/);
    expect(md).toContain(
      '| unknown (treat as internet) | unknown | Säule 1 | https://nginz-https.wire-s1.itzbund.ndb.example:443 | ingress class nginx-public |',
    );
  });

  it('exits 2 with one line when the input is unreadable (test/verify-malformed.test.ts: every malformed shape)', () => {
    const missing = path.join(tmpDir(), 'nothing-here');
    const none = verify(missing);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe(
      `verify: cannot read synthesized output: ${missing}: cannot be read: ENOENT: no such file or directory, stat '${missing}'\n`,
    );
    const broken = tmpDir();
    fs.writeFileSync(path.join(broken, 'manifest.json'), '{not json');
    const r = verify(broken);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^verify: cannot read synthesized output: .*manifest\.json: the cdktf manifest: not valid JSON \(.*\)\n$/,
    );
  });
});
