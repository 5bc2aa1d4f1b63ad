/**
 * `npm run charts:pull`: the real Helm pulls every chart an output deploys from its repository into a mirror. The
 * repository here is a real Helm repository served on the loopback interface (index.yaml and a packaged chart made
 * with `helm package` and `helm repo index`).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { helmBinary } from '../policy/render/helm';
import { pullArgs } from '../scripts/charts-pull';
import { ROOT, tmpDir } from './helpers';

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(ROOT, 'scripts', 'launch.js'), 'scripts/charts-pull', ...args], {
      env: { ...process.env, CHART_MIRROR: '' },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b) => (stdout += b));
    p.stderr.on('data', (b) => (stderr += b));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** An output with one stack whose releases name these charts. */
function output(releases: Array<{ chart: string; version: string; repository: string }>): string {
  const dir = path.join(tmpDir(), 'out');
  fs.mkdirSync(path.join(dir, 'stacks', 's'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      stacks: { s: { synthesizedStackPath: 'stacks/s/cdk.tf.json', workingDirectory: 'stacks/s', dependencies: [] } },
    }),
  );
  const helm_release = Object.fromEntries(
    releases.map((r, i) => [`r${i}`, { name: r.chart, namespace: 'ns', provider: 'helm.c', ...r }]),
  );
  fs.writeFileSync(path.join(dir, 'stacks', 's', 'cdk.tf.json'), JSON.stringify({ resource: { helm_release } }));
  return dir;
}

describe('npm run charts:pull', () => {
  it('pulls from https and OCI repositories with the right helm arguments', () => {
    expect(
      pullArgs({ chart: 'wire-server', version: '5.32.0', repository: 'https://charts.example/wire' }, '/m'),
    ).toEqual([
      'pull',
      'wire-server',
      '--repo',
      'https://charts.example/wire',
      '--version',
      '5.32.0',
      '--destination',
      '/m',
    ]);
    expect(
      pullArgs(
        { chart: 'bundesmessenger', version: '1.16.0', repository: 'oci://registry.example/bwi/helm-chart' },
        '/m',
      ),
    ).toEqual([
      'pull',
      'oci://registry.example/bwi/helm-chart/bundesmessenger',
      '--version',
      '1.16.0',
      '--destination',
      '/m',
    ]);
  });

  it('fills a mirror from a real Helm repository, keeps what is there, and reports a chart it cannot get', async () => {
    const repo = tmpDir();
    const src = path.join(tmpDir(), 'demo');
    fs.mkdirSync(path.join(src, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(src, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 1.2.3\n');
    fs.writeFileSync(path.join(src, 'values.yaml'), 'x: 1\n');
    fs.writeFileSync(
      path.join(src, 'templates', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: demo}\n',
    );
    const helm = helmBinary();
    expect(spawnSync(helm, ['package', src, '--destination', repo], { encoding: 'utf8' }).status).toBe(0);
    const server = http.createServer((req, res) => {
      const file = path.join(repo, path.basename(String(req.url)));
      if (!fs.existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200).end(fs.readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(spawnSync(helm, ['repo', 'index', repo, '--url', url], { encoding: 'utf8' }).status).toBe(0);
      const mirror = path.join(tmpDir(), 'mirror');
      const out = output([
        { chart: 'demo', version: '1.2.3', repository: url },
        { chart: 'demo', version: '1.2.3', repository: url },
      ]);
      const first = await run(['--mirror', mirror, out]);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(`pulled demo 1.2.3 from ${url}`);
      expect(fs.readdirSync(mirror)).toEqual(['demo-1.2.3.tgz']);
      const second = await run(['--mirror', mirror, out]);
      expect(second.stdout).toContain('kept   demo 1.2.3');
      const missing = await run(['--mirror', mirror, output([{ chart: 'nope', version: '9.9.9', repository: url }])]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(new RegExp(`could not pull nope 9\\.9\\.9 from ${url.replace(/[.:/]/g, '\\$&')}`));
      expect(fs.readdirSync(mirror)).toEqual(['demo-1.2.3.tgz']);
    } finally {
      server.close();
    }
  });

  it('fails closed: no mirror, no output, an unknown flag', async () => {
    expect((await run([tmpDir()])).code).toBe(2);
    const r = await run(['--mirror', tmpDir(), path.join(tmpDir(), 'none')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read the synthesized output/);
    expect((await run(['--bogus'])).code).toBe(2);
  });
});
