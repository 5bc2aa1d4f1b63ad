import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseFederation } from '../config/load';
import { checkExposure } from '../policy/exposure';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { field, local } from '../policy/synthesized-view';
import { synthesize, synthesizeInMemory } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const RUNS = Number(process.env.GUARD_PROPERTY_RUNS ?? 300);

/** Random valid federations: an NdB zone, 1-3 Grundschutz zones, maybe the internet, clusters, pillars, agencies, links. */
const federationArb = fc
  .record({
    gsZones: fc.integer({ min: 1, max: 3 }),
    internet: fc.boolean(),
    clustersPerZone: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 5, maxLength: 5 }),
    pillarOnCluster: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
    demo: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
    sizes: fc.array(fc.constantFrom('small', 'medium', 'large'), { minLength: 10, maxLength: 10 }),
    externals: fc.array(fc.record({ zone: fc.integer({ min: 0, max: 3 }) }), { maxLength: 3 }),
    links: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('no_search', 'exact_handle_search', 'full_search')), {
      maxLength: 4,
    }),
    tenants: fc.array(
      fc.record({
        pillars: fc.array(fc.nat(), { maxLength: 3 }),
        ldap: fc.boolean(),
        kind: fc.constantFrom('federal-ministry', 'federal-authority', 'land-authority'),
        bum: fc.constantFrom('none', 'saas', 'self-hosted'),
        bumZone: fc.nat(),
      }),
      { maxLength: 4 },
    ),
  })
  .map((r) => {
    const zones: Json[] = [
      {
        id: 'ndb',
        name: 'NdB',
        kind: 'ndb',
        cidrs: ['10.0.0.0/12', 'fd00:1::/32'],
        ingressClass: 'nginx-ndb',
        loadBalancerClass: 'lb.ndb.example/internal',
      },
    ];
    for (let i = 1; i <= r.gsZones; i++) {
      zones.push({
        id: `gs${i}`,
        name: `GS ${i}`,
        kind: 'grundschutz',
        cidrs: [`10.${16 * i}.0.0/12`, `fd00:${i + 1}::/32`],
        ingressClass: `nginx-gs${i}`,
        loadBalancerClass: `lb.gs${i}.example/internal`,
      });
    }
    if (r.internet)
      zones.push({
        id: 'inet',
        name: 'Internet',
        kind: 'internet',
        cidrs: ['198.51.100.0/24'],
        ingressClass: 'nginx-public',
        loadBalancerClass: 'lb.dmz.example/public',
      });
    const clusters: Json[] = [];
    const pillars: Json[] = [];
    zones.forEach((z, zi) => {
      for (let j = 0; j < r.clustersPerZone[zi]; j++) {
        const id = `c-${z.id}-${j}`;
        const k = clusters.length;
        const base = z.cidrs[0].split('.').slice(0, 2).join('.');
        clusters.push({
          id,
          zone: z.id,
          operator: 'itzbund',
          connection: { type: 'kubeconfig', path: `~/.kube/${id}` },
          pki: { type: z.kind === 'internet' ? 'acme' : 'internal-ca', issuerName: `${id}-issuer` },
          ingressController: { namespace: `ingress-${z.id}` },
          nodePools: [{ name: 'calling', purpose: 'calling', nodeSelector: { pool: 'calling' } }],
        });
        if (z.kind === 'internet' || !r.pillarOnCluster[k % 10]) continue;
        const demo = r.demo[k % 10];
        const ip = (n: number) => `${base}.${k + 1}.${n}`;
        pillars.push({
          id: `p-${id}`,
          pillar: z.kind === 'ndb' ? 1 : 3,
          cluster: id,
          stage: demo ? 'pilot' : 'production',
          size: r.sizes[k % 10],
          domain: `${id}.wire.example`,
          datastores: demo
            ? { mode: 'demo' }
            : {
                mode: 'external',
                cassandra: [ip(11)],
                elasticsearch: [ip(12)],
                minio: [ip(13)],
                rabbitmq: [ip(14)],
                postgresql: { rw: [ip(15)] },
                redis: { host: `redis.${id}.example` },
                queues: { sqsEndpoint: `http://sqs.${id}.example`, snsEndpoint: `http://sns.${id}.example` },
              },
          calling: { nodes: [{ name: `${id}-calling-1`, advertisedIp: ip(21) }] },
        });
      }
    });
    const externalBackends = r.externals.map((e, i) => {
      const z = zones[Math.min(e.zone, zones.length - 1)];
      return {
        id: `ext${i}`,
        domain: `ext${i}.remote.example`,
        zone: z.id,
        classification: z.kind === 'ndb' ? 'VS-NfD' : 'offen',
      };
    });
    const instances = [
      ...pillars.map((p) => ({
        id: p.id,
        cls: p.pillar === 1 ? 'VS-NfD' : 'offen',
        kind: p.pillar === 1 ? 'ndb' : 'grundschutz',
        pillar: p.pillar,
      })),
      ...externalBackends.map((e) => ({
        id: e.id,
        cls: e.classification,
        kind: zones.find((z) => z.id === e.zone)!.kind,
        pillar: 0,
      })),
    ];
    const seen = new Set<string>();
    const federationLinks: Json[] = [];
    for (const [a, b, searchPolicy] of r.links) {
      if (instances.length < 2) break;
      const x = instances[a % instances.length];
      const y = instances[b % instances.length];
      const key = [x.id, y.id].sort().join('|');
      if (x.id === y.id || seen.has(key) || x.cls !== y.cls || (x.pillar === 0 && y.pillar === 0)) continue;
      if ((x.pillar === 1 && y.kind !== 'ndb') || (y.pillar === 1 && x.kind !== 'ndb')) continue;
      seen.add(key);
      federationLinks.push({ between: [x.id, y.id], searchPolicy });
    }
    const tenants = r.tenants.map((t, i) => {
      const ps = [...new Set(t.pillars.map((n) => pillars[n % Math.max(pillars.length, 1)]?.id).filter(Boolean))];
      const domain = `t${i}.agency.example`;
      let bundesMessenger: Json;
      if (t.bum === 'saas') {
        bundesMessenger = { mode: 'saas', serverName: domain, homeserverUrl: `https://t${i}.saas.example` };
      } else if (t.bum === 'self-hosted') {
        // the agency's own cluster, in a Grundschutz zone (the config refuses BundesMessenger in the NdB and a
        // self-hosted one in the internet zone)
        const zonesInside = zones.filter((z) => z.kind === 'grundschutz');
        const z = zonesInside[t.bumZone % zonesInside.length];
        const id = `c-t${i}`;
        clusters.push({
          id,
          zone: z.id,
          operator: `t${i}`,
          connection: { type: 'kubeconfig', path: `~/.kube/${id}` },
          ingressController: { namespace: 'ingress' },
        });
        bundesMessenger = {
          mode: 'self-hosted',
          cluster: id,
          serverName: domain,
          publicServerName: `matrix.${domain}`,
          adminApiServerName: `admin.${domain}`,
          privacyPolicyUrl: `https://${domain}/datenschutz`,
          imprintUrl: `https://${domain}/impressum`,
          postgresql: { host: `pg.${domain}`, existingSecret: 'pg' },
          virusScanning: { enabled: true, acknowledgeKeyDisclosure: true, clamavMirror: `https://clamav.${domain}` },
        };
      }
      return {
        ...(bundesMessenger ? { bundesMessenger } : {}),
        id: `t${i}`,
        name: `Agency ${i}`,
        kind: t.kind,
        domain: `t${i}.agency.example`,
        ...(ps.length
          ? {
              wire: {
                pillars: ps,
                ...(t.ldap
                  ? { ldap: { host: `ldap.t${i}.example`, baseDn: 'DC=x', bindDn: 'CN=y', existingSecret: 'ldap' } }
                  : {}),
              },
            }
          : {}),
      };
    });
    return {
      federation: { name: 'random' },
      operators: [
        { id: 'itzbund', name: 'ITZBund', kind: 'federal-it-service-provider' },
        { id: 't-systems', name: 'T-Systems International GmbH', kind: 'commercial-provider' },
      ],
      zones,
      clusters,
      wire: { pillars, externalBackends, federationLinks },
      tenants,
    };
  });

/** A stack's Terraform JSON, loosely typed: the mutators edit it in place. */
const jsonOf = (s: SynthesizedStack): Json => s.json;

/** The kind of the network zone a stack records (`ndb`: Säule 1), undefined without one. */
const zoneKind = (s: SynthesizedStack): unknown => field(local(s, 'network_zone'), 'kind');

function synthInMemory(config: Json): SynthesizedStack[] {
  return synthesizeInMemory(parseFederation(stringify(config), '/tmp/random-federation.yaml'));
}

function p1Namespaces(stacks: SynthesizedStack[]): Array<{ stack: SynthesizedStack; name: string; ns: Json }> {
  return stacks.flatMap((s) =>
    zoneKind(s) !== 'ndb'
      ? []
      : Object.entries(jsonOf(s).resource?.kubernetes_namespace_v1 ?? {}).map(([name, ns]) => ({
          stack: s,
          name,
          ns: ns as Json,
        })),
  );
}

type Mutator = (stacks: SynthesizedStack[], pick: number) => string | undefined;

/** Single mutations, each returning the address it changed (undefined when the federation has no target). */
const MUTATORS: Record<string, Mutator> = {
  'drop default deny': (st, pick) => {
    const all = p1Namespaces(st);
    if (!all.length) return undefined;
    const t = all[pick % all.length];
    const policies = jsonOf(t.stack).resource.kubernetes_network_policy_v1;
    for (const [k, p] of Object.entries(policies) as Array<[string, Json]>) {
      if (p.metadata.namespace === t.ns.metadata.name && p.metadata.name === 'default-deny') delete policies[k];
    }
    return `kubernetes_namespace_v1.${t.name}`;
  },
  'open a NetworkPolicy to the internet': (st, pick) => {
    const all = st
      .filter((s) => zoneKind(s) === 'ndb')
      .flatMap((s) => Object.entries(jsonOf(s).resource?.kubernetes_network_policy_v1 ?? {}) as Array<[string, Json]>);
    if (!all.length) return undefined;
    const [name, p] = all[pick % all.length];
    p.spec.ingress = [...(p.spec.ingress ?? []), { from: [{ ip_block: { cidr: '0.0.0.0/0' } }] }];
    return `kubernetes_network_policy_v1.${name}`;
  },
  'add a NodePort service': (st, pick) => {
    const all = p1Namespaces(st);
    if (!all.length) return undefined;
    const t = all[pick % all.length];
    jsonOf(t.stack).resource.kubernetes_service_v1 = {
      mutant: {
        provider: t.ns.provider,
        metadata: { name: 'mutant', namespace: t.ns.metadata.name },
        spec: { type: 'NodePort' },
      },
    };
    return 'kubernetes_service_v1.mutant';
  },
  'expose a release': (st, pick) => {
    const all = st
      .filter((s) => zoneKind(s) === 'ndb')
      .flatMap((s) => Object.entries(jsonOf(s).resource?.helm_release ?? {}) as Array<[string, Json]>);
    if (!all.length) return undefined;
    const [name, r] = all[pick % all.length];
    r.set = [...(r.set ?? []), { name: 'service.type', value: 'NodePort' }];
    return `helm_release.${name}`;
  },
  'unknown chart': (st, pick) => {
    const all = st
      .filter((s) => zoneKind(s) === 'ndb')
      .flatMap((s) => Object.entries(jsonOf(s).resource?.helm_release ?? {}) as Array<[string, Json]>);
    if (!all.length) return undefined;
    const [name, r] = all[pick % all.length];
    r.chart = 'random-chart';
    return `helm_release.${name}`;
  },
  'move to a foreign provider': (st, pick) => {
    const all = p1Namespaces(st);
    if (!all.length) return undefined;
    const t = all[pick % all.length];
    t.ns.provider = 'kubernetes.somewhere-else';
    return `kubernetes_namespace_v1.${t.name}`;
  },
};

/**
 * The property, as part `part` of `parts` (jest runs test files in parallel: the runs are split over files so that
 * both workers share them; each part draws its own random federations).
 */
export function guardProperty(part: number, parts: number): void {
  const runs = Math.ceil(RUNS / parts);
  describe(`property: random valid federations (part ${part + 1} of ${parts})`, () => {
    propertyTests(runs, part === 0);
  });
}

function propertyTests(runs: number, withFileComparison: boolean): void {
  it(`always synthesize with zero findings, keep the guardrails in every Säule-1 namespace, and catch any single mutation (${runs} runs)`, () => {
    fc.assert(
      fc.property(federationArb, fc.constantFrom(...Object.keys(MUTATORS)), fc.nat(), (config, mutator, pick) => {
        const stacks = synthInMemory(config);
        expect(checkExposure(stacks)).toEqual([]);
        for (const { stack, ns } of p1Namespaces(stacks)) {
          const name = ns.metadata.name;
          expect(['restricted', 'baseline', 'privileged']).toContain(
            ns.metadata.labels['pod-security.kubernetes.io/enforce'],
          );
          expect(ns.metadata.labels['pod-security.kubernetes.io/audit']).toBe('restricted');
          const policies = Object.values(jsonOf(stack).resource.kubernetes_network_policy_v1 ?? {}) as Json[];
          expect(policies.some((p) => p.metadata.namespace === name && p.metadata.name === 'default-deny')).toBe(true);
          const quota = (Object.values(jsonOf(stack).resource.kubernetes_resource_quota_v1 ?? {}) as Json[]).find(
            (q) => q.metadata.namespace === name,
          );
          if (ns.metadata.labels['messenger.bund/zone-edge'] !== 'true') {
            expect(quota.spec.hard['services.nodeports']).toBe('0');
            expect(quota.spec.hard['services.loadbalancers']).toBe('0');
          } else {
            expect(quota.spec.hard['services.loadbalancers']).toBe('1');
          }
        }
        const address = MUTATORS[mutator](stacks, pick);
        if (address === undefined) return;
        const findings = checkExposure(stacks);
        expect(findings.map((f) => f.address)).toContain(address);
      }),
      { numRuns: runs },
    );
  });

  if (!withFileComparison) return;

  it('the in-memory synthesis sees the same as the synthesized files', () => {
    const [config] = fc.sample(federationArb, { numRuns: 1, seed: 42 });
    // random agencies carry no data-protection declarations, which file synthesis (with compliance) refuses
    const fed = parseFederation(stringify({ ...config, tenants: [] }), '/tmp/random-federation.yaml');
    const strip = (j: Json) => JSON.parse(JSON.stringify(j, (k, v) => (k === '//' ? undefined : v)));
    const inMemory = new Map(synthesizeInMemory(fed).map((s) => [s.name, strip(s.json)]));
    const files = synthesize(fed);
    expect(files.length).toBeGreaterThan(0);
    expect([...inMemory.keys()].sort()).toEqual(files.map((s) => s.name).sort());
    for (const s of files) expect(inMemory.get(s.name)).toEqual(strip(s.json));
  });
}
