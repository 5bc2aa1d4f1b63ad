/**
 * What the checks know about zones, clusters and namespaces. Read from the synthesized JSON (the `network_zone`
 * and `zone_cluster` locals the constructs write, provider blocks, namespace labels); at synth the validated
 * federation is passed in as well, and any disagreement between the two is itself a finding.
 */
import { cidrsOverlap, coversPublicInternet, describeCidr, parseCidr, type Cidr } from '../config/cidr';
import type { Cluster, Federation } from '../config/model';
import {
  FactLocals,
  malformedFactFields,
  NetworkZoneFactSchema,
  readFact,
  WireInstanceFactSchema,
  ZONE_KINDS,
  ZoneClusterFactSchema,
  type FactRead,
  type NetworkZoneFact,
  type NodePoolFact,
  type WireInstanceFact,
  type ZoneClusterFact,
  type ZoneKind,
} from '../constructs/facts';
import { terraformLiteral } from '../constructs/terraform-literals';
import { toKubernetesObject, type SynthesizedStack } from './k8s-objects';
import { field, isRecord, items, lengthOf, local, providerConfigs, resources, resourceTypes } from './synthesized-view';

export interface ZoneFacts {
  readonly id: string;
  readonly kind: ZoneKind;
  readonly cidrs: readonly string[];
  readonly networks: readonly Cidr[];
  readonly ingressClass: string;
  readonly loadBalancerClass: string;
}

export interface ClusterFacts {
  readonly id: string;
  readonly zone: ZoneFacts;
  readonly ingressControllerNamespace: string;
  readonly nodePools: readonly NodePoolFact[];
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
  /** Each Wire pillar's `locals.wire_instance` by stack name, parsed with its schema (or its malformed fields). */
  readonly wireInstances: ReadonlyMap<string, FactRead<WireInstanceFact>>;
  readonly problems: readonly FactProblem[];
}

/** The cluster a stack deploys to (its `locals.zone_cluster` id), when the facts know it. */
export function stackCluster(facts: Facts, stack: SynthesizedStack): ClusterFacts | undefined {
  const id = field(local(stack, FactLocals.zoneCluster), 'id');
  return typeof id === 'string' ? facts.clusters.get(id) : undefined;
}

/** A stack's Wire instance (`locals.wire_instance`), when it records one that parses. */
export function wireInstanceOf(facts: Facts, stack: string): WireInstanceFact | undefined {
  const read = facts.wireInstances.get(stack);
  return read && 'fact' in read ? read.fact : undefined;
}

/** A zone as the validated federation declares it. */
export type ExpectedZone = Omit<ZoneFacts, 'networks' | 'kind'> & { readonly kind: string };

/** Zones and clusters as the validated federation declares them. */
export interface ExpectedFacts {
  /** The zones; `kind` as the config names it (the config's schema allows only the zone kinds). */
  readonly zones: ReadonlyArray<ExpectedZone>;
  readonly clusters: ReadonlyArray<{
    id: string;
    zone: string;
    ingressControllerNamespace: string;
    /** How the config says Terraform reaches the cluster: the provider fields it must produce ({@link connectionOf}). */
    connection?: Readonly<Partial<Record<(typeof CONNECTION_FIELDS)[number], string>>>;
  }>;
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
      connection: expectedConnection(c.connection),
    })),
    chartRepositories: [...Object.values(f.chartRepositories), f.config.matrix.chartRepository],
  };
}

export function providerAlias(provider: unknown): string | undefined {
  if (typeof provider !== 'string') return undefined;
  const m = /^(?:kubernetes|helm)\.(.+)$/.exec(provider.replace(/^\$\{|\}$/g, ''));
  return m?.[1];
}

function zoneFacts(z: Omit<ZoneFacts, 'networks'>): ZoneFacts {
  return {
    id: z.id,
    kind: z.kind,
    cidrs: z.cidrs,
    networks: z.cidrs.map((x) => parseCidr(x)).filter((x): x is Cidr => !!x),
    ingressClass: z.ingressClass,
    loadBalancerClass: z.loadBalancerClass,
  };
}

/** A stack's `network_zone` and `zone_cluster` locals, parsed; or what is wrong with them. */
function parseZoneFacts(
  z: unknown,
  c: unknown,
): { zone: NetworkZoneFact; cluster: ZoneClusterFact } | { problem: string } {
  if (!z || typeof z !== 'object' || !c || typeof c !== 'object') {
    return {
      problem:
        'the stack deploys to Kubernetes but has no zone facts (locals.network_zone, locals.zone_cluster): it cannot be judged',
    };
  }
  const zone = NetworkZoneFactSchema.safeParse(z);
  const cluster = ZoneClusterFactSchema.safeParse(c);
  if (zone.success && cluster.success) return { zone: zone.data, cluster: cluster.data };
  const bad = [
    ...malformedFactFields(FactLocals.networkZone, NetworkZoneFactSchema, zone.error?.issues ?? []),
    ...malformedFactFields(FactLocals.zoneCluster, ZoneClusterFactSchema, cluster.error?.issues ?? []),
  ];
  return { problem: `the stack's zone facts are malformed (${bad.join(', ')}): it cannot be judged` };
}

/** Whether a stack creates anything through a Kubernetes or Helm provider. */
function deploysToKubernetes(s: SynthesizedStack): boolean {
  return resourceTypes(s).some((t) => t.startsWith('kubernetes_') || t === 'helm_release');
}

const sameZone = (a: ExpectedZone, b: ExpectedZone) =>
  a.id === b.id &&
  a.kind === b.kind &&
  a.ingressClass === b.ingressClass &&
  a.loadBalancerClass === b.loadBalancerClass &&
  JSON.stringify(a.cidrs) === JSON.stringify(b.cidrs);

/**
 * The provider fields that decide which API server Terraform talks to (the kubernetes provider's, and the same in
 * the helm provider's `kubernetes` block).
 */
const CONNECTION_FIELDS = [
  'config_path',
  'config_paths',
  'config_context',
  'config_context_cluster',
  'host',
  'cluster_ca_certificate',
] as const;

type Connection = Partial<Record<(typeof CONNECTION_FIELDS)[number], string>>;

/** The provider fields the config's cluster connection produces (constructs/zone-cluster.ts). */
function expectedConnection(c: Cluster['connection'] | undefined): Connection | undefined {
  if (c?.type === 'kubeconfig')
    return {
      config_path: terraformLiteral(c.path),
      ...(c.context ? { config_context: terraformLiteral(c.context) } : {}),
    };
  if (c?.type === 'exec') {
    const ca = c.clusterCaCertificateFile;
    return {
      host: terraformLiteral(c.host),
      // the config refuses quotes and backslashes in file paths, so this is how cdktf writes the call
      ...(ca ? { cluster_ca_certificate: `\${file(pathexpand(${JSON.stringify(terraformLiteral(ca))}))}` } : {}),
    };
  }
  return undefined;
}

/**
 * Where a kubernetes or helm provider block connects to: kubeconfig file(s) and context, cluster, API server host
 * and CA. A field set in another shape than a string (a list, a block) is kept as written, so it differs.
 */
function connectionOf(type: string, p: unknown): Connection {
  let k: unknown = type === 'helm' ? (isRecord(p) ? p.kubernetes : undefined) : p;
  if (Array.isArray(k) && k.length === 1) k = k[0];
  const out: Record<string, string> = {};
  if (k === undefined || k === null) return out;
  if (!isRecord(k)) return { host: JSON.stringify(k) };
  for (const f of CONNECTION_FIELDS) {
    const v = k[f];
    if (v !== undefined && v !== null) out[f] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

const connectionKey = (c: Connection): string => JSON.stringify(CONNECTION_FIELDS.map((f) => c[f] ?? null));

function describeConnection(c: Connection): string {
  const parts = CONNECTION_FIELDS.filter((f) => c[f] !== undefined).map((f) => `${f} ${c[f]}`);
  return parts.length ? parts.join(', ') : 'no connection fields (the environment, e.g. KUBE_CONFIG_PATH, decides)';
}

/**
 * Two connections reach the same cluster, as far as the JSON tells: the same API server host, or the same
 * kubeconfig file with the same context (or the file's current context on either side).
 */
function sameCluster(a: Connection, b: Connection): boolean {
  if (connectionKey(a) === connectionKey(b)) return true;
  if (a.host !== undefined && a.host === b.host) return true;
  const files = (c: Connection) => [c.config_path, c.config_paths].filter((x): x is string => x !== undefined);
  if (!files(a).some((f) => files(b).includes(f))) return false;
  const ctx = (c: Connection) => c.config_context_cluster ?? c.config_context;
  return ctx(a) === undefined || ctx(b) === undefined || ctx(a) === ctx(b);
}

export function collectFacts(stacks: readonly SynthesizedStack[], expected?: ExpectedFacts): Facts {
  const problems: FactProblem[] = [];
  const zones = new Map<string, ZoneFacts>();
  const clusters = new Map<string, ClusterFacts>();
  const expectZone = new Map((expected?.zones ?? []).map((z) => [z.id, z]));
  const expectCluster = new Map((expected?.clusters ?? []).map((c) => [c.id, c]));
  for (const s of stacks) {
    const z = local(s, FactLocals.networkZone);
    const raw = local(s, FactLocals.zoneCluster);
    if (!z && !raw && !deploysToKubernetes(s)) continue; // e.g. a SaaS agency: outputs only
    const parsed = parseZoneFacts(z, raw);
    if ('problem' in parsed) {
      // Fail closed: without sound facts nothing in this stack can be judged, so that is itself a finding.
      problems.push({ stack: s.name, address: 'locals', message: parsed.problem });
      continue;
    }
    const c = parsed.cluster;
    let zone = zoneFacts(parsed.zone);
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
      // the config's zone (its kind is one of the zone kinds: the config's schema allows no other)
      if (want) zone = zoneFacts({ ...want, kind: ZONE_KINDS.find((k) => k === want.kind) ?? zone.kind });
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
  problems.push(...providerProblems(stacks, clusters, expected));
  const namespaces = new Map<string, Record<string, string>>();
  const wireInstances = new Map<string, FactRead<WireInstanceFact>>();
  for (const s of stacks) {
    const instance = readFact(FactLocals.wireInstance, WireInstanceFactSchema, local(s, FactLocals.wireInstance));
    if (instance) wireInstances.set(s.name, instance);
    for (const { type, body } of resources(s)) {
      if (type !== 'kubernetes_namespace_v1' && type !== 'kubernetes_manifest') continue;
      const obj = toKubernetesObject(type, body);
      const alias = providerAlias(body.provider);
      if (obj?.kind === 'Namespace' && alias && obj.metadata?.name)
        namespaces.set(`${alias}/${obj.metadata.name}`, obj.metadata.labels ?? {});
    }
  }
  const ndb =
    [...clusters.values()].find((c) => c.zone.kind === 'ndb')?.zone ??
    [...zones.values()].find((z) => z.kind === 'ndb');
  return { clusters, namespaces, ndb, wireInstances, problems };
}

/**
 * Provider connections: every stack connects each provider alias (a cluster id) the same way, as the config says
 * when it is known; no two aliases reach the same cluster; a stack's second provider to another cluster. Each only
 * where an NdB cluster is involved.
 */
function providerProblems(
  stacks: readonly SynthesizedStack[],
  clusters: ReadonlyMap<string, ClusterFacts>,
  expected?: ExpectedFacts,
): FactProblem[] {
  const problems: FactProblem[] = [];
  const ndb = (id?: unknown) => typeof id === 'string' && !!id && clusters.get(id)?.zone.kind === 'ndb';
  // `own`: the stack's cluster id as recorded (read as it is: the zone facts' shape is judged by collectFacts)
  const uses: Array<{ stack: string; own?: unknown; type: string; alias?: string; conn: Connection }> = [];
  for (const s of stacks) {
    const zc = local(s, FactLocals.zoneCluster);
    const own = isRecord(zc) ? zc.id : undefined;
    for (const type of ['kubernetes', 'helm']) {
      const configs = providerConfigs(s, type);
      for (const p of Array.isArray(configs) ? configs : []) {
        const alias = typeof p?.alias === 'string' ? p.alias : undefined;
        uses.push({ stack: s.name, own, type, alias, conn: connectionOf(type, p) });
      }
    }
  }
  const at = (u: (typeof uses)[number]) => `provider.${u.type}.${u.alias ?? '(default)'}`;
  // the connection each alias should have: the config's, else the one most stacks use
  const reference = new Map<string, Connection>();
  for (const alias of new Set(uses.map((u) => u.alias))) {
    if (alias === undefined) continue;
    const want = expected?.clusters.find((c) => c.id === alias)?.connection;
    if (want) {
      reference.set(alias, want);
      continue;
    }
    const counts = new Map<string, { n: number; conn: Connection }>();
    for (const u of uses.filter((x) => x.alias === alias)) {
      const k = connectionKey(u.conn);
      counts.set(k, { n: (counts.get(k)?.n ?? 0) + 1, conn: u.conn });
    }
    const ranked = [...counts.values()].sort((a, b) => b.n - a.n);
    if (ranked.length === 1 || ranked[0].n > ranked[1].n) reference.set(alias, ranked[0].conn);
  }
  for (const u of uses) {
    const involved = ndb(u.own) || ndb(u.alias);
    if (u.alias === undefined || u.alias !== u.own) {
      const target = [...reference].find(([, c]) => sameCluster(c, u.conn))?.[0];
      if (involved || ndb(target))
        problems.push({
          stack: u.stack,
          address: at(u),
          message: `a second ${u.type} provider '${u.alias ?? '(default)'}' ${target ? `connects to cluster '${target}'` : 'connects to an undeclared cluster'} from a stack of cluster '${String(u.own ?? '(none)')}'`,
        });
      continue;
    }
    if (!involved) continue;
    const ref = reference.get(u.alias);
    if (CONNECTION_FIELDS.every((f) => u.conn[f] === undefined)) {
      problems.push({
        stack: u.stack,
        address: at(u),
        message: `the ${u.type} provider of NdB cluster '${u.alias}' has ${describeConnection(u.conn)}`,
      });
    } else if (!ref) {
      problems.push({
        stack: u.stack,
        address: at(u),
        message: `the stacks connect the ${u.type} provider of NdB cluster '${u.alias}' in different ways (${describeConnection(u.conn)} here), none of which is the agreed one`,
      });
    } else if (connectionKey(ref) !== connectionKey(u.conn)) {
      problems.push({
        stack: u.stack,
        address: at(u),
        message: `the ${u.type} provider of NdB cluster '${u.alias}' connects with ${describeConnection(u.conn)}, not ${describeConnection(ref)} as ${expected?.clusters.some((c) => c.id === u.alias && c.connection) ? 'the config says' : 'in the other stacks'}`,
      });
    }
    // no other cluster is reached the same way
    for (const [other, conn] of reference) {
      if (other !== u.alias && sameCluster(conn, u.conn))
        problems.push({
          stack: u.stack,
          address: at(u),
          message: `the ${u.type} provider of NdB cluster '${u.alias}' connects like cluster '${other}' (${describeConnection(u.conn)}): it would deploy there`,
        });
    }
  }
  // an NdB cluster reached like another cluster, seen from that cluster's stacks as well
  for (const [alias, conn] of reference) {
    if (ndb(alias)) continue;
    for (const [other, theirs] of reference) {
      if (other !== alias && ndb(other) && sameCluster(conn, theirs)) {
        const u = uses.find((x) => x.alias === alias);
        if (u)
          problems.push({
            stack: u.stack,
            address: at(u),
            message: `cluster '${alias}' is reached the same way as NdB cluster '${other}' (${describeConnection(conn)})`,
          });
      }
    }
  }
  return problems;
}

/**
 * `<cluster>/<namespace>` of every namespace that has a default-deny NetworkPolicy: all pods selected, both policy
 * types, and no rule that lets anything in or out.
 */
export function defaultDenyNamespaces(stacks: readonly SynthesizedStack[]): Set<string> {
  const denied = new Set<string>();
  for (const s of stacks) {
    for (const { type, body } of resources(s)) {
      if (type !== 'kubernetes_network_policy_v1' && type !== 'kubernetes_manifest') continue;
      const obj = toKubernetesObject(type, body);
      if (obj?.kind !== 'NetworkPolicy') continue;
      const spec = obj.spec ?? {};
      const types = new Set(items(field(spec, 'policyTypes')));
      const selector = field(spec, 'podSelector');
      const selectsAll =
        !selector ||
        (Object.keys((field(selector, 'matchLabels') ?? {}) as object).length === 0 &&
          !field(selector, 'matchExpressions'));
      if (
        selectsAll &&
        types.has('Ingress') &&
        types.has('Egress') &&
        !lengthOf(field(spec, 'ingress')) &&
        !lengthOf(field(spec, 'egress'))
      ) {
        denied.add(`${providerAlias(body.provider)}/${obj.metadata?.namespace}`);
      }
    }
  }
  return denied;
}
