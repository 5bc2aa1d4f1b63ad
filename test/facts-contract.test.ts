/**
 * The facts contract (constructs/facts.ts): what the constructs of the default federation record parses with the
 * schemas the checks read it by; a mutated fact is a P1-ZONE finding (verify exit 1), a shape the reader refuses is
 * exit 2; and the typed view of a synthesized stack (policy/synthesized-view.ts) hands out its blocks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  AnnotationKeys,
  CLASSIFICATIONS,
  FactLocals,
  NamespaceLabelsSchema,
  NetworkZoneFactSchema,
  federatorSrvDnsEntry,
  parseFederatorSrvDnsEntry,
  parseWellKnownDnsEntry,
  parseZoneEdgeDnsEntry,
  wellKnownDnsEntry,
  WireInstanceFactSchema,
  WireProfileFactSchema,
  ZoneClusterFactSchema,
  zoneEdgeDnsEntry,
} from '../constructs/facts';
import { Labels } from '../constructs/labels';
import { collectFacts } from '../policy/facts';
import type { SynthesizedStack } from '../policy/k8s-objects';
import {
  dataSources,
  items,
  local,
  outputValue,
  providerConfigs,
  resource,
  resources,
  resourceTypes,
  type TypedStack,
} from '../policy/synthesized-view';
import { verify } from '../app/verify';
import { cloneDefaultStacks, defaultStacks, tmpDir } from './helpers';

const S1 = 'itzbund-ndb-1--wire-s1';

/** Every value the stacks record under one local. */
const recorded = (name: string) =>
  defaultStacks()
    .map((s) => ({ stack: s.name, value: local(s, name) }))
    .filter((x) => x.value !== undefined);

describe('the facts the constructs of the default federation record', () => {
  it.each([
    [FactLocals.networkZone, NetworkZoneFactSchema],
    [FactLocals.zoneCluster, ZoneClusterFactSchema],
    [FactLocals.wireInstance, WireInstanceFactSchema],
    [FactLocals.wireProfile, WireProfileFactSchema],
  ] as const)('locals.%s parses with its schema in every stack that records it', (name, schema) => {
    const facts = recorded(name);
    expect(facts.length).toBeGreaterThan(0);
    for (const { stack, value } of facts)
      expect([stack, schema.safeParse(value).error?.issues]).toEqual([stack, undefined]);
  });

  it('records the zone classification, the operator and the Kubernetes version beside what the checks read', () => {
    for (const { value } of recorded(FactLocals.networkZone))
      expect(CLASSIFICATIONS).toContain((value as { maxClassification?: string }).maxClassification);
    for (const { value } of recorded(FactLocals.zoneCluster))
      expect(value).toMatchObject({
        operator: expect.any(String),
        kubernetesVersion: expect.stringMatching(/^\d+\.\d+/),
      });
  });

  it('labels every namespace it creates within the label value domains', () => {
    const namespaces = defaultStacks().flatMap((s) => resources(s, 'kubernetes_namespace_v1'));
    expect(namespaces.length).toBeGreaterThan(5);
    for (const { address, body } of namespaces) {
      const labels = (body.metadata as { labels?: Record<string, string> }).labels;
      expect([address, NamespaceLabelsSchema.safeParse(labels).error?.issues]).toEqual([address, undefined]);
    }
    const kinds = new Set(
      namespaces.map((n) => (n.body.metadata as { labels: Record<string, string> }).labels[Labels.zoneKind]),
    );
    expect([...kinds].sort()).toEqual(['grundschutz', 'ndb']);
  });

  it('names the calling nodes by the annotation the checks read', () => {
    const ips = resources(defaultStacks().find((s) => s.name === S1)!, 'kubernetes_annotations').map(
      (r) => (r.body.annotations as Record<string, string>)[AnnotationKeys.externalIp],
    );
    expect(ips.length).toBeGreaterThan(0);
    for (const ip of ips) expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it("writes each zone-edge DNS entry so that it reads back with the zone's load balancer class", () => {
    const stacks = defaultStacks().filter((s) => local(s, FactLocals.wireInstance));
    expect(stacks.length).toBeGreaterThan(0);
    for (const s of stacks) {
      const zone = NetworkZoneFactSchema.parse(local(s, FactLocals.networkZone));
      const entries = (outputValue(s, 'dns_entries') as string[]).filter((e) => !e.includes(' SRV '));
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) {
        const parsed = parseZoneEdgeDnsEntry(entry);
        expect(parsed?.loadBalancerClass).toBe(zone.loadBalancerClass);
        expect(zoneEdgeDnsEntry(parsed!)).toBe(entry);
      }
    }
    expect(parseZoneEdgeDnsEntry('_wire-server-federator._tcp.example SRV 0 10 443 federator.example')).toBeUndefined();
  });
});

it('every DNS entry of every stack reads back through the writer that wrote it', () => {
  const kinds = new Map<string, number>();
  for (const s of defaultStacks()) {
    for (const entry of items(outputValue(s, 'dns_entries'))) {
      const text = String(entry);
      const edge = parseZoneEdgeDnsEntry(text);
      const srv = parseFederatorSrvDnsEntry(text);
      const wellKnown = parseWellKnownDnsEntry(text);
      expect([edge, srv, wellKnown].filter(Boolean)).toHaveLength(1);
      if (edge) expect(zoneEdgeDnsEntry(edge)).toBe(text);
      if (srv) expect(federatorSrvDnsEntry(srv)).toBe(text);
      if (wellKnown) expect(wellKnownDnsEntry(wellKnown)).toBe(text);
      const kind = edge ? 'edge' : srv ? 'srv' : 'well-known';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
  }
  // the default federation has all three kinds
  expect([...kinds.keys()].sort()).toEqual(['edge', 'srv', 'well-known']);
  expect(parseWellKnownDnsEntry('https://a.example/.well-known/matrix/server -> not json')).toBeUndefined();
});

describe('a mutated fact', () => {
  /** The default stacks with the Säule-1 stack's locals edited. */
  function mutated(edit: (locals: Record<string, Record<string, unknown>>) => void): SynthesizedStack[] {
    const stacks = cloneDefaultStacks();
    edit(stacks.find((s) => s.name === S1)!.json.locals as Record<string, Record<string, unknown>>);
    return stacks;
  }
  const problems = (stacks: SynthesizedStack[]) =>
    collectFacts(stacks)
      .problems.filter((p) => p.stack === S1)
      .map((p) => `${p.address}: ${p.message}`);

  it('the default output has none', () => {
    expect(collectFacts(defaultStacks()).problems).toEqual([]);
  });

  it.each([
    [
      'a zone kind there is not',
      (l: Record<string, Record<string, unknown>>) => (l.network_zone.kind = 'dmz'),
      'network_zone.kind',
    ],
    ['no networks', (l: Record<string, Record<string, unknown>>) => delete l.network_zone.cidrs, 'network_zone.cidrs'],
    [
      'no networks at all',
      (l: Record<string, Record<string, unknown>>) => (l.network_zone.cidrs = []),
      'network_zone.cidrs',
    ],
    [
      'a node pool without its selector',
      (l: Record<string, Record<string, unknown>>) =>
        (l.zone_cluster.nodePools = [{ name: 'calling', purpose: 'calling' }]),
      'zone_cluster.nodePools',
    ],
    [
      'several fields, named in the order of the schemas',
      (l: Record<string, Record<string, unknown>>) => {
        l.network_zone.cidrs = ['ndb'];
        l.network_zone.id = null;
        l.zone_cluster.zone = '';
      },
      'network_zone.id, network_zone.cidrs (not a CIDR), zone_cluster.zone',
    ],
    [
      'a zone that is a list',
      (l: Record<string, Record<string, unknown>>) => (l.network_zone = [] as never),
      'network_zone.id, network_zone.kind, network_zone.ingressClass, network_zone.loadBalancerClass, network_zone.cidrs',
    ],
  ])('%s: the stack cannot be judged', (_, edit, fields) => {
    expect(problems(mutated(edit))).toEqual([
      `locals: the stack's zone facts are malformed (${fields}): it cannot be judged`,
    ]);
  });

  it('missing facts: the stack cannot be judged (and its providers belong to no cluster)', () => {
    expect(problems(mutated((l) => delete l.zone_cluster))).toContain(
      'locals: the stack deploys to Kubernetes but has no zone facts (locals.network_zone, locals.zone_cluster): it cannot be judged',
    );
  });

  describe('in a synthesized output', () => {
    /** The default stacks written as a cdktf output directory. */
    function outputOf(stacks: readonly SynthesizedStack[]): string {
      const dir = path.join(tmpDir(), 'out');
      const manifest = {
        stacks: Object.fromEntries(
          stacks.map((s) => [s.name, { synthesizedStackPath: `stacks/${s.name}/cdk.tf.json` }]),
        ),
      };
      for (const s of stacks) {
        fs.mkdirSync(path.join(dir, 'stacks', s.name), { recursive: true });
        fs.writeFileSync(path.join(dir, 'stacks', s.name, 'cdk.tf.json'), JSON.stringify(s.json));
      }
      fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
      return dir;
    }

    it('a wrong zone kind or missing networks are a P1-ZONE finding: verify exits 1', () => {
      for (const [edit, field] of [
        [(l: Record<string, Record<string, unknown>>) => (l.network_zone.kind = 'dmz'), 'network_zone.kind'],
        [(l: Record<string, Record<string, unknown>>) => delete l.network_zone.cidrs, 'network_zone.cidrs'],
      ] as const) {
        const r = verify(outputOf(mutated(edit)));
        expect(r.code).toBe(1);
        expect(r.lines).toContain(
          `${S1} locals [P1-ZONE] the stack's zone facts are malformed (${field}): it cannot be judged`,
        );
      }
    });

    it('locals that are no object are refused before any check: verify exits 2', () => {
      const stacks = cloneDefaultStacks();
      (stacks.find((s) => s.name === S1)!.json as { locals: unknown }).locals = [];
      const refused = verify(outputOf(stacks));
      expect(refused.code).toBe(2);
      expect(refused.lines).toEqual([expect.stringMatching(/at locals: expected an object, found an array$/)]);
    });
  });
});

describe('the typed view of a synthesized stack', () => {
  const stack: TypedStack = {
    name: 'small',
    json: {
      provider: { kubernetes: [{ alias: 'c1', config_path: '~/.kube/c1' }] },
      resource: {
        kubernetes_namespace_v1: { a: { metadata: { name: 'a' } }, b: { metadata: { name: 'b' } } },
        helm_release: { r: { chart: 'wire-server' } },
      },
      data: { kubernetes_secret_v1: { s: { metadata: { name: 's' } } } },
      locals: { zone_cluster: { id: 'c1' } },
      output: { dns_entries: { value: ['x'] } },
    },
  };

  it('hands out resources of one type or all, each with its address and body', () => {
    expect(resources(stack, 'kubernetes_namespace_v1')).toEqual([
      {
        type: 'kubernetes_namespace_v1',
        name: 'a',
        address: 'kubernetes_namespace_v1.a',
        body: { metadata: { name: 'a' } },
      },
      {
        type: 'kubernetes_namespace_v1',
        name: 'b',
        address: 'kubernetes_namespace_v1.b',
        body: { metadata: { name: 'b' } },
      },
    ]);
    expect(resources(stack).map((r) => r.address)).toEqual([
      'kubernetes_namespace_v1.a',
      'kubernetes_namespace_v1.b',
      'helm_release.r',
    ]);
    expect(resources(stack, 'kubernetes_service_v1')).toEqual([]);
    expect(resourceTypes(stack)).toEqual(['kubernetes_namespace_v1', 'helm_release']);
    expect(resource(stack, 'helm_release', 'r')).toEqual({ chart: 'wire-server' });
    expect(resource(stack, 'helm_release', 'constructor')).toBeUndefined();
  });

  it('hands out data sources, locals, provider configurations and outputs', () => {
    expect(dataSources(stack).map((d) => d.address)).toEqual(['data.kubernetes_secret_v1.s']);
    expect(local(stack, 'zone_cluster')).toEqual({ id: 'c1' });
    expect(local(stack, 'toString')).toBeUndefined();
    expect(providerConfigs(stack, 'kubernetes')).toEqual([{ alias: 'c1', config_path: '~/.kube/c1' }]);
    expect(providerConfigs(stack, 'helm')).toEqual([]);
    expect(outputValue(stack, 'dns_entries')).toEqual(['x']);
    expect(outputValue(stack, 'hasOwnProperty')).toBeUndefined();
    expect(resources({ name: 'empty', json: {} })).toEqual([]);
  });
});
