/**
 * The architecture diagram written at synth: zones as boundaries, clusters inside them, pillars and messengers on
 * the clusters, agencies and what they use, federation links, and the internet edge. One graph model, rendered as
 * Graphviz DOT (to SVG, in process with Graphviz compiled to WebAssembly) and as Mermaid source.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { internetZoneOf } from '../config/domain';
import type { Federation } from '../config/model';
import { resolvedFederation } from '../config/resolve';

export interface ArchNode {
  readonly id: string;
  readonly label: string;
  readonly shape: 'box' | 'ellipse' | 'cylinder' | 'note';
}

export interface ArchGroup {
  readonly id: string;
  readonly label: string;
  readonly style: 'zone' | 'cluster';
  readonly nodes: ArchNode[];
  readonly groups: ArchGroup[];
}

export interface ArchEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly kind: 'uses' | 'federation' | 'edge';
}

export interface ArchitectureGraph {
  readonly title: string;
  readonly groups: ArchGroup[];
  readonly nodes: ArchNode[];
  readonly edges: ArchEdge[];
}

const nid = (...parts: string[]) => parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');

export function architectureGraph(model: Federation): ArchitectureGraph {
  // the library edge: the tenants of a model built in code are resolved here, once
  const f = resolvedFederation(model);
  const zoneGroups = new Map<string, ArchGroup>();
  for (const z of f.zones) {
    zoneGroups.set(z.id, {
      id: nid('zone', z.id),
      label: `${z.name} (${z.kind}, bis ${z.maxClassification})`,
      style: 'zone',
      nodes: [],
      groups: [],
    });
  }
  const clusterGroups = new Map<string, ArchGroup>();
  for (const c of f.clusters) {
    const g: ArchGroup = {
      id: nid('cluster', c.id),
      label: `Cluster ${c.id} (${c.operator.name})`,
      style: 'cluster',
      nodes: [],
      groups: [],
    };
    g.nodes.push({
      id: nid('edge', c.id),
      label: `Zonen-Eingang ${c.ingressController.namespace} (${c.zone.ingressClass})`,
      shape: 'ellipse',
    });
    clusterGroups.set(c.id, g);
    zoneGroups.get(c.zone.id)?.groups.push(g);
  }
  const nodes: ArchNode[] = [];
  const edges: ArchEdge[] = [];
  for (const p of f.pillars) {
    clusterGroups.get(p.cluster.id)?.nodes.push({
      id: nid('wire', p.id),
      label: `Wire Bund Säule ${p.pillar} (${p.id}, ${p.classification})`,
      shape: 'cylinder',
    });
    edges.push({ from: nid('edge', p.cluster.id), to: nid('wire', p.id), label: 'HTTPS', kind: 'edge' });
  }
  for (const e of f.config.wire.externalBackends) {
    zoneGroups.get(e.zone)?.nodes.push({
      id: nid('ext', e.id),
      label: `Wire ${e.domain} (extern, ${e.classification})`,
      shape: 'cylinder',
    });
  }
  for (const l of f.config.wire.federationLinks) {
    const end = (id: string) => (f.pillars.some((p) => p.id === id) ? nid('wire', id) : nid('ext', id));
    edges.push({
      from: end(l.between[0]),
      to: end(l.between[1]),
      label: `Föderation ${l.between[0]} – ${l.between[1]}`,
      kind: 'federation',
    });
  }
  const internet = internetZoneOf(f.zones);
  const matrixNode = new Map<string, string>();
  for (const t of f.tenants) {
    const agency = nid('agency', t.id);
    nodes.push({ id: agency, label: `${t.name} (${t.id})`, shape: 'note' });
    for (const pid of t.wire?.pillars ?? [])
      edges.push({ from: agency, to: nid('wire', pid), label: 'nutzt', kind: 'uses' });
    const bum = t.bundesMessenger;
    const service = t.bundesMessengerService;
    if (bum?.mode === 'self-hosted') {
      const id = nid('bum', t.id);
      clusterGroups.get(bum.cluster)?.nodes.push({ id, label: `BundesMessenger ${bum.serverName}`, shape: 'cylinder' });
      edges.push({ from: agency, to: id, label: 'betreibt selbst', kind: 'uses' });
      matrixNode.set(bum.serverName, id);
    } else if (bum?.mode === 'saas') {
      const id = nid('saas', t.id);
      const node: ArchNode = {
        id,
        label: `BundesMessenger SaaS ${bum.serverName} (${(service?.mode === 'saas' ? service.provider?.name : undefined) ?? bum.provider})`,
        shape: 'cylinder',
      };
      if (internet) zoneGroups.get(internet.id)?.nodes.push(node);
      else nodes.push(node);
      edges.push({ from: agency, to: id, label: 'SaaS', kind: 'uses' });
      matrixNode.set(bum.serverName, id);
      if (bum.wellKnown) {
        const wk = nid('wellknown', t.id);
        clusterGroups
          .get(bum.wellKnown.cluster)
          ?.nodes.push({ id: wk, label: `.well-known/matrix ${t.domain}`, shape: 'box' });
        edges.push({ from: wk, to: id, label: 'Delegation', kind: 'uses' });
      }
    }
    if (t.bwMessenger) {
      const id = nid('bwm', t.id);
      clusterGroups
        .get(t.bwMessenger.cluster)
        ?.nodes.push({ id, label: `BwMessenger ${t.bwMessenger.serverName}`, shape: 'cylinder' });
      edges.push({ from: agency, to: id, label: 'nutzt', kind: 'uses' });
      matrixNode.set(t.bwMessenger.serverName, id);
    }
  }
  for (const t of f.tenants) {
    for (const server of [t.bundesMessenger?.mode === 'self-hosted' ? t.bundesMessenger : undefined, t.bwMessenger]) {
      if (server?.federation.mode !== 'allowList') continue;
      for (const other of server.federation.servers) {
        const from = matrixNode.get(server.serverName);
        const to = matrixNode.get(other);
        if (from && to)
          edges.push({ from, to, label: `Föderation ${server.serverName} – ${other}`, kind: 'federation' });
      }
    }
  }
  // The internet edge: what the internet can reach. Säule 1 never appears behind it.
  const inet: ArchNode = { id: 'internet_edge', label: 'Internet (kein Weg in Säule 1)', shape: 'ellipse' };
  if (internet) zoneGroups.get(internet.id)?.nodes.push(inet);
  else nodes.push(inet);
  for (const c of f.clusters.filter((x) => x.zone.kind === 'internet')) {
    edges.push({ from: 'internet_edge', to: nid('edge', c.id), label: c.zone.loadBalancerClass, kind: 'edge' });
  }
  return { title: f.name, groups: [...zoneGroups.values()], nodes, edges };
}

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function toDot(g: ArchitectureGraph): string {
  const out: string[] = [
    `digraph architecture {`,
    `  label=${q(g.title)}; labelloc=t; fontname="Helvetica"; compound=true; rankdir=LR;`,
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=8];',
  ];
  const node = (n: ArchNode, indent: string) => out.push(`${indent}${n.id} [label=${q(n.label)}, shape=${n.shape}];`);
  const group = (gr: ArchGroup, indent: string) => {
    out.push(`${indent}subgraph cluster_${gr.id} {`);
    out.push(`${indent}  label=${q(gr.label)}; style=${gr.style === 'zone' ? '"rounded,bold"' : 'dashed'};`);
    gr.nodes.forEach((n) => node(n, `${indent}  `));
    gr.groups.forEach((x) => group(x, `${indent}  `));
    if (gr.nodes.length === 0 && gr.groups.length === 0)
      out.push(`${indent}  ${gr.id}_empty [label="", shape=point, style=invis];`);
    out.push(`${indent}}`);
  };
  g.groups.forEach((gr) => group(gr, '  '));
  g.nodes.forEach((n) => node(n, '  '));
  for (const e of g.edges) {
    const style =
      e.kind === 'federation'
        ? ', style=dashed, dir=both, color="#1f4e99"'
        : e.kind === 'edge'
          ? ', color="#888888"'
          : '';
    out.push(`  ${e.from} -> ${e.to} [label=${q(e.label)}${style}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

const m = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;

export function toMermaid(g: ArchitectureGraph): string {
  const out: string[] = ['flowchart LR', `  %% ${g.title}`];
  const shape = (n: ArchNode) =>
    n.shape === 'cylinder' ? `[(${m(n.label)})]` : n.shape === 'ellipse' ? `([${m(n.label)}])` : `[${m(n.label)}]`;
  const group = (gr: ArchGroup, indent: string) => {
    out.push(`${indent}subgraph ${gr.id}[${m(gr.label)}]`);
    gr.nodes.forEach((n) => out.push(`${indent}  ${n.id}${shape(n)}`));
    gr.groups.forEach((x) => group(x, `${indent}  `));
    out.push(`${indent}end`);
  };
  g.groups.forEach((gr) => group(gr, '  '));
  g.nodes.forEach((n) => out.push(`  ${n.id}${shape(n)}`));
  for (const e of g.edges) out.push(`  ${e.from} ${e.kind === 'federation' ? '<-.->' : '-->'}|${m(e.label)}| ${e.to}`);
  return out.join('\n') + '\n';
}

/** Renders DOT to SVG in process (Graphviz as WebAssembly; no system binaries). */
export async function renderSvg(dot: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { instance } = require('@viz-js/viz') as typeof import('@viz-js/viz');
  const viz = await instance();
  return viz.renderString(dot, { format: 'svg' });
}

/** The diagram of a previous output, so an unchanged diagram is not rendered again. */
export interface PreviousDiagram {
  readonly dot: string;
  readonly svg: string;
}

/** Reads `<dir>/architecture.dot` and `.svg` of a previous output, if both are there. */
export function readPreviousDiagram(dir: string): PreviousDiagram | undefined {
  try {
    return {
      dot: fs.readFileSync(path.join(dir, 'architecture.dot'), 'utf8'),
      svg: fs.readFileSync(path.join(dir, 'architecture.svg'), 'utf8'),
    };
  } catch {
    return undefined;
  }
}

/**
 * The diagram files: `architecture.svg`, `.mmd` (Mermaid) and `.dot`. Rendering loads Graphviz (WebAssembly, about
 * a fifth of a synth); when the DOT source equals the previous output's, its SVG is the same and is kept.
 */
export async function architectureFiles(f: Federation, previous?: PreviousDiagram): Promise<Record<string, string>> {
  const graph = architectureGraph(f);
  const dot = toDot(graph);
  const svg = previous?.dot === dot && previous.svg.includes('</svg>') ? previous.svg : await renderSvg(dot);
  return { 'architecture.dot': dot, 'architecture.mmd': toMermaid(graph), 'architecture.svg': svg };
}
