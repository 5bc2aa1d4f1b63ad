/**
 * What the checks know about zones, clusters and namespaces. Read from the synthesized JSON (the `network_zone`
 * and `zone_cluster` locals the constructs write, provider blocks, namespace labels); at synth the validated
 * federation is passed in as well, and any disagreement between the two is itself a finding.
 */
import { cidrsOverlap, coversPublicInternet, describeCidr, parseCidr, type Cidr } from '../config/cidr';
import type { Federation } from '../config/model';
import { toKubernetesObject, type SynthesizedStack } from './k8s-objects';

export interface ZoneFacts {
  readonly id: string;
  readonly kind: string;
  readonly cidrs: readonly string[];
  readonly networks: readonly Cidr[];
  readonly ingressClass: string;
  readonly loadBalancerClass: string;
}

export interface ClusterFacts {
  readonly id: string;
  readonly zone: ZoneFacts;
  readonly ingressControllerNamespace: string;
  readonly nodePools: ReadonlyArray<{ name: string; purpose: string; nodeSelector: Record<string, string> }>;
}

/** A contradiction in the facts themselves (tampered locals, a second provider to an NdB cluster, ...). */
export interface FactProblem {
  readonly stack: string;
  readonly address: string;
  readonly message: string;
}

export interface Facts {
  readonly clusters: ReadonlyMap<string, ClusterFacts>;
  /** Labels of every namespace the project creates, by `<cluster>/<namespace>`. */
  readonly namespaces: ReadonlyMap<string, Record<string, string>>;
  /** The NdB zone (first one found), used to judge pillar-1 resources that landed elsewhere. */
  readonly ndb?: ZoneFacts;
  readonly problems: readonly FactProblem[];
}

/** Zones and clusters as the validated federation declares them. */
export interface ExpectedFacts {
  readonly zones: ReadonlyArray<Omit<ZoneFacts, 'networks'>>;
  readonly clusters: ReadonlyArray<{ id: string; zone: string; ingressControllerNamespace: string }>;
  /** The chart repositories the config names (Wire's three, BundesMessenger's). */
  readonly chartRepositories?: readonly string[];
}

export function expectedFacts(f: Federation): ExpectedFacts {
  return {
    zones: f.zones.map((z) => ({
      id: z.id,
      kind: z.kind,
      cidrs: z.cidrs,
      ingressClass: z.ingressClass,
      loadBalancerClass: z.loadBalancerClass,
    })),
    clusters: f.clusters.map((c) => ({
      id: c.id,
      zone: c.zone.id,
      ingressControllerNamespace: c.ingressController.namespace,
    })),
    chartRepositories: [...Object.values(f.chartRepositories), f.config.matrix.chartRepository],
  };
}

export function providerAlias(provider: unknown): string | undefined {
  if (typeof provider !== 'string') return undefined;
  const m = /^(?:kubernetes|helm)\.(.+)$/.exec(provider.replace(/^\$\{|\}$/g, ''));
  return m?.[1];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function zoneFacts(z: Json): ZoneFacts {
  return {
    id: z.id,
    kind: z.kind,
    cidrs: z.cidrs ?? [],
    networks: (z.cidrs ?? []).map((x: string) => parseCidr(x)).filter((x: Cidr | undefined): x is Cidr => !!x),
    ingressClass: z.ingressClass,
    loadBalancerClass: z.loadBalancerClass,
  };
}

const isString = (x: unknown): x is string => typeof x === 'string' && x.length > 0;

/** What is wrong with a stack's `network_zone` and `zone_cluster` locals, if anything. */
function factsShapeProblem(z: Json, c: Json): string | undefined {
  if (!z || typeof z !== 'object' || !c || typeof c !== 'object') {
    return 'the stack deploys to Kubernetes but has no zone facts (locals.network_zone, locals.zone_cluster): it cannot be judged';
  }
  const bad: string[] = [];
  for (const k of ['id', 'kind', 'ingressClass', 'loadBalancerClass'])
    if (!isString(z[k])) bad.push(`network_zone.${k}`);
  if (!Array.isArray(z.cidrs) || z.cidrs.length === 0 || !z.cidrs.every(isString)) bad.push('network_zone.cidrs');
  else if (z.cidrs.some((x: string) => !parseCidr(x))) bad.push('network_zone.cidrs (not a CIDR)');
  for (const k of ['id', 'zone', 'ingressControllerNamespace']) if (!isString(c[k])) bad.push(`zone_cluster.${k}`);
  if (c.nodePools !== undefined && !Array.isArray(c.nodePools)) bad.push('zone_cluster.nodePools');
  return bad.length > 0 ? `the stack's zone facts are malformed (${bad.join(', ')}): it cannot be judged` : undefined;
}

/** Whether a stack creates anything through a Kubernetes or Helm provider. */
function deploysToKubernetes(s: SynthesizedStack): boolean {
  return Object.keys(s.json.resource ?? {}).some((t) => t.startsWith('kubernetes_') || t === 'helm_release');
}

const sameZone = (a: Omit<ZoneFacts, 'networks'>, b: Omit<ZoneFacts, 'networks'>) =>
  a.id === b.id &&
  a.kind === b.kind &&
  a.ingressClass === b.ingressClass &&
  a.loadBalancerClass === b.loadBalancerClass &&
  JSON.stringify(a.cidrs) === JSON.stringify(b.cidrs);

/** Where a provider block connects to: kubeconfig file and context, or API server host. */
function connectionOf(p: Json): string {
  const k = p.kubernetes ?? p;
  return JSON.stringify([k.config_path ?? null, k.config_context ?? null, k.host ?? null]);
}

export function collectFacts(stacks: readonly SynthesizedStack[], expected?: ExpectedFacts): Facts {
  const problems: FactProblem[] = [];
  const zones = new Map<string, ZoneFacts>();
  const clusters = new Map<string, ClusterFacts>();
  const expectZone = new Map((expected?.zones ?? []).map((z) => [z.id, z]));
  const expectCluster = new Map((expected?.clusters ?? []).map((c) => [c.id, c]));
  for (const s of stacks) {
    const z = s.json.locals?.network_zone;
    const c = s.json.locals?.zone_cluster;
    if (!z && !c && !deploysToKubernetes(s)) continue; // e.g. a SaaS agency: outputs only
    const malformed = factsShapeProblem(z, c);
    if (malformed) {
      // Fail closed: without sound facts nothing in this stack can be judged, so that is itself a finding.
      problems.push({ stack: s.name, address: 'locals', message: malformed });
      continue;
    }
    let zone = zoneFacts(z);
    const want = expectZone.get(zone.id);
    if (
      expected &&
      (!want || !sameZone(want, zone) || c.zone !== zone.id || expectCluster.get(c.id)?.zone !== zone.id)
    ) {
      problems.push({
        stack: s.name,
        address: 'locals.network_zone',
        message: `the stack's zone facts ('${zone.id}', cluster '${c.id}') differ from the federation config`,
      });
      if (want) zone = zoneFacts(want);
    }
    const seen = zones.get(zone.id);
    if (seen && !sameZone(seen, zone)) {
      problems.push({
        stack: s.name,
        address: 'locals.network_zone',
        message: `zone '${zone.id}' is described differently than in other stacks`,
      });
    } else if (!seen) {
      zones.set(zone.id, zone);
    }
    const world = zone.kind === 'ndb' ? coversPublicInternet(zone.networks) : undefined;
    if (world) {
      problems.push({
        stack: s.name,
        address: 'locals.network_zone',
        message: `the NdB zone claims ${zone.cidrs.join(', ')}, which includes the internet (${world}, in any spelling)`,
      });
    }
    // the NdB shares no address with another zone, in any spelling (IPv4-mapped, NAT64, 6to4 included)
    for (const other of zones.values()) {
      const [ndb, them] = zone.kind === 'ndb' ? [zone, other] : [other, zone];
      if (other.id === zone.id || ndb.kind !== 'ndb') continue;
      const hit = ndb.networks.find((n) => them.networks.some((m) => cidrsOverlap(n, m)));
      if (hit)
        problems.push({
          stack: s.name,
          address: 'locals.network_zone',
          message: `the NdB zone '${ndb.id}' claims ${describeCidr(hit)}, which covers addresses of zone '${them.id}' (${them.cidrs.join(', ')})`,
        });
    }
    if (!clusters.has(c.id)) {
      clusters.set(c.id, {
        id: c.id,
        zone: zones.get(zone.id) ?? zone,
        ingressControllerNamespace: c.ingressControllerNamespace,
        nodePools: c.nodePools ?? [],
      });
    }
  }
  // Providers: each stack deploys through its own cluster's providers only, and a connection belongs to one cluster.
  const owner = new Map<string, string>();
  for (const s of stacks) {
    const own = s.json.locals?.zone_cluster?.id;
    for (const type of ['kubernetes', 'helm']) {
      for (const p of (s.json.provider?.[type] ?? []) as Json[]) {
        if (p.alias === own) owner.set(connectionOf(p), own);
      }
    }
  }
  for (const s of stacks) {
    const own = s.json.locals?.zone_cluster?.id;
    for (const type of ['kubernetes', 'helm']) {
      for (const p of (s.json.provider?.[type] ?? []) as Json[]) {
        if (p.alias === own) continue;
        const target = owner.get(connectionOf(p));
        const ndb = (id?: string) => !!id && clusters.get(id)?.zone.kind === 'ndb';
        if (ndb(own) || ndb(target) || ndb(p.alias)) {
          problems.push({
            stack: s.name,
            address: `provider.${type}.${p.alias ?? '(default)'}`,
            message: `a second ${type} provider '${p.alias ?? '(default)'}' ${target ? `connects to cluster '${target}'` : 'connects to an undeclared cluster'} from a stack of cluster '${own ?? '(none)'}'`,
          });
        }
      }
    }
  }
  const namespaces = new Map<string, Record<string, string>>();
  for (const s of stacks) {
    for (const [type, byName] of Object.entries(s.json.resource ?? {}) as Array<[string, Record<string, Json>]>) {
      if (type !== 'kubernetes_namespace_v1' && type !== 'kubernetes_manifest') continue;
      for (const body of Object.values(byName)) {
        const obj = toKubernetesObject(type, body);
        const alias = providerAlias(body.provider);
        if (obj?.kind === 'Namespace' && alias && obj.metadata?.name)
          namespaces.set(`${alias}/${obj.metadata.name}`, obj.metadata.labels ?? {});
      }
    }
  }
  const ndb =
    [...clusters.values()].find((c) => c.zone.kind === 'ndb')?.zone ??
    [...zones.values()].find((z) => z.kind === 'ndb');
  return { clusters, namespaces, ndb, problems };
}

/**
 * `<cluster>/<namespace>` of every namespace that has a default-deny NetworkPolicy: all pods selected, both policy
 * types, and no rule that lets anything in or out.
 */
export function defaultDenyNamespaces(stacks: readonly SynthesizedStack[]): Set<string> {
  const denied = new Set<string>();
  for (const s of stacks) {
    for (const [type, byName] of Object.entries(s.json.resource ?? {}) as Array<[string, Record<string, Json>]>) {
      if (type !== 'kubernetes_network_policy_v1' && type !== 'kubernetes_manifest') continue;
      for (const body of Object.values(byName)) {
        const obj = toKubernetesObject(type, body) as Json;
        if (obj?.kind !== 'NetworkPolicy') continue;
        const spec = obj.spec ?? {};
        const types = new Set(spec.policyTypes ?? []);
        const selectsAll =
          !spec.podSelector ||
          (Object.keys(spec.podSelector.matchLabels ?? {}).length === 0 && !spec.podSelector.matchExpressions);
        if (
          selectsAll &&
          types.has('Ingress') &&
          types.has('Egress') &&
          !spec.ingress?.length &&
          !spec.egress?.length
        ) {
          denied.add(`${providerAlias(body.provider)}/${obj.metadata?.namespace}`);
        }
      }
    }
  }
  return denied;
}
