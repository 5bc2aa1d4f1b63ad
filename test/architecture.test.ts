import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { architectureFiles, architectureGraph, toDot, toMermaid } from '../policy/architecture';
import { progressReporter } from '../app/progress';
import { synthFederation } from '../app/pipeline';
import { defaultFederation, ROOT, tmpDir, withPillar2 } from './helpers';

/** All text content of an SVG document. */
function svgTexts(svg: string): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (typeof n === 'string') out.push(n);
    else if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') Object.values(n).forEach(walk);
  };
  walk(new XMLParser({ ignoreAttributes: true, processEntities: true }).parse(svg));
  return out.map((t) => t.replace(/&#45;/g, '-'));
}

describe('architecture diagram', () => {
  const fed = defaultFederation();
  let svg = '';
  let files: Record<string, string> = {};
  beforeAll(async () => {
    files = await architectureFiles(fed);
    svg = files['architecture.svg'];
  });

  it('comes as SVG, Mermaid and DOT', () => {
    expect(Object.keys(files).sort()).toEqual(['architecture.dot', 'architecture.mmd', 'architecture.svg']);
    expect(files['architecture.mmd']).toMatch(/^flowchart LR/);
    expect(files['architecture.dot']).toMatch(/^digraph /);
    expect(svg).toMatch(/^(<\?xml[^>]*>\s*)?(<!DOCTYPE[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s\S]*<\/svg>\s*$/);
  });

  it('keeps the previous SVG when the graph is unchanged, and renders anew when it changed', async () => {
    const previous = { dot: files['architecture.dot'], svg: '<svg>kept</svg>' };
    expect((await architectureFiles(fed, previous))['architecture.svg']).toBe('<svg>kept</svg>');
    const other = defaultFederation((y) => withPillar2(y));
    expect((await architectureFiles(other, previous))['architecture.svg']).not.toBe('<svg>kept</svg>');
  });

  it('names every agency, zone, cluster and federation link', () => {
    const text = svgTexts(svg).join('\n');
    for (const t of fed.tenants) expect(text).toContain(`${t.name} (${t.id})`);
    for (const z of fed.zones) expect(text).toContain(z.name);
    for (const c of fed.clusters) expect(text).toContain(`Cluster ${c.id}`);
    for (const l of fed.config.wire.federationLinks)
      expect(text).toContain(`Föderation ${l.between[0]} – ${l.between[1]}`);
    expect(text).toContain('Föderation bab.bund.example – bfbs.bund.example');
    expect(text).toContain('Internet (kein Weg in Säule 1)');
  });

  it('draws the internet edge to internet clusters only, never to Säule 1', () => {
    const g = architectureGraph(defaultFederation((y) => withPillar2(y)));
    const fromInternet = g.edges.filter((e) => e.from === 'internet_edge').map((e) => e.to);
    expect(fromInternet).toEqual(['edge_itzbund_inet_1']);
    const dot = toDot(g);
    expect(dot).toContain('subgraph cluster_zone_internet');
    expect(toMermaid(g)).toContain('subgraph zone_ndb["Netze des Bundes (ndb, bis VS-NfD)"]');
  });

  it('renders without system binaries: no PATH, no Graphviz, still an SVG (air-gapped machines)', () => {
    // the compiled module (npm test builds it first), in a process that can find no program at all
    const script = `require(${JSON.stringify(path.join(ROOT, 'dist', 'policy', 'architecture.js'))})
      .renderSvg('digraph { a -> b }').then((svg) => process.stdout.write(svg))`;
    const r = spawnSync(process.execPath, ['-e', script], { env: { PATH: '' }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/<svg[\s\S]*<\/svg>\s*$/);
  });
});

describe('progress while synthesizing', () => {
  it('reports every stack on a terminal', () => {
    const writes: string[] = [];
    const report = progressReporter({ isTTY: true, write: (t) => writes.push(t) }, {});
    const seen: string[] = [];
    synthFederation(defaultFederation(), path.join(tmpDir(), 'out'), {
      onProgress: (done, total, stack) => {
        seen.push(`${done}/${total} ${stack}`);
        report!(done, total, stack);
      },
    });
    expect(seen).toHaveLength(12);
    expect(seen[11]).toMatch(/^12\/12 /);
    expect(writes.join('')).toContain('[1/12] ');
  });

  it('stays quiet in CI and when not on a terminal', () => {
    expect(progressReporter({ isTTY: true, write: () => undefined }, { CI: 'true' })).toBeUndefined();
    expect(progressReporter({ isTTY: false, write: () => undefined }, {})).toBeUndefined();
  });
});
