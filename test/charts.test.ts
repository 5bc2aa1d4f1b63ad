/** The chart descriptors: one per chart, the single home of each chart's facts. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHARTS, WIRE_CHART_DESCRIPTORS } from '../constructs/charts';
import { resources, stringField } from '../policy/synthesized-view';
import { defaultStacks, ROOT } from './helpers';

describe('chart descriptors', () => {
  it('one file per chart, named after the chart, and every consumer reads the pins from them', () => {
    const files = fs
      .readdirSync(path.join(ROOT, 'constructs', 'charts'))
      .filter((f) => !['descriptor.ts', 'index.ts', 'wire-images.ts'].includes(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(files).toEqual(Object.keys(CHARTS).sort());
    for (const [name, d] of Object.entries(CHARTS)) expect(d.chart).toBe(name);
    // no consumer repeats a pin: outside the descriptors, no source names a chart version
    const sources: string[] = ['main.ts'];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = path.join(dir, e.name);
        if (e.isDirectory()) walk(rel);
        else if (rel.endsWith('.ts') && !rel.startsWith(path.join('constructs', 'charts') + path.sep))
          sources.push(rel);
      }
    };
    for (const dir of ['app', 'config', 'constructs', 'policy', 'scripts', 'stacks']) walk(dir);
    const pins = [...new Set(Object.values(CHARTS).map((d) => d.version))];
    const repeated = sources.flatMap((f) => {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      return pins.filter((v) => text.includes(`'${v}'`) || text.includes(`"${v}"`)).map((v) => `${f}: ${v}`);
    });
    expect(repeated).toEqual([]);
  });

  it('a pillar deploys exactly the charts whose descriptors say how (values, Secret paths, namespace)', () => {
    const stacks = defaultStacks();
    const pillarCharts = new Set(
      stacks
        .filter((s) => s.name.endsWith('--wire-s1') || s.name.endsWith('--wire-s3'))
        .flatMap((s) => resources(s, 'helm_release').map((r) => stringField(r.body, 'chart'))),
    );
    const external = Object.values(WIRE_CHART_DESCRIPTORS).filter((d) => d.pillar && d.images !== undefined);
    // external datastores in the default federation; the demo charts only with datastores.mode: demo
    for (const d of external) {
      const demo = ['databases-ephemeral', 'fake-aws', 'rabbitmq'].includes(d.chart);
      expect(`${d.chart} ${pillarCharts.has(d.chart)}`).toBe(`${d.chart} ${!demo}`);
    }
    for (const c of pillarCharts)
      expect(WIRE_CHART_DESCRIPTORS[c as keyof typeof WIRE_CHART_DESCRIPTORS].pillar).toBeDefined();
  });

  it('every pinned version has its derived key paths checked in (npm run charts:keys)', () => {
    for (const d of Object.values(CHARTS)) {
      const dir = d.chart === 'bundesmessenger' ? 'matrix' : 'wire';
      const file = path.join(ROOT, 'constructs', dir, 'chart-keys', `${d.chart}-${d.version}.keys`);
      expect(fs.existsSync(file) ? d.chart : `missing ${file}`).toBe(d.chart);
    }
  });

  it('every flow names a port and both ends; images name the values that hold them', () => {
    for (const d of Object.values(CHARTS)) {
      for (const f of d.flows ?? []) {
        expect(f.port).toBeGreaterThan(0);
        expect(f.what).toMatch(new RegExp(`${f.port}`));
      }
      for (const i of d.images.images) {
        expect(i.name).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
        const where = i.registry.kind === 'own-value' ? i.registry.registryPath : i.registry.repositoryPath;
        expect(where).toMatch(/^[A-Za-z0-9_.-]+$/);
      }
    }
  });
});
