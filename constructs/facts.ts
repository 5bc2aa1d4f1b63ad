/**
 * The facts contract between constructs and checks: what a construct records in the synthesized JSON for the checks
 * over it (policy/) to read back, as zod schemas with their inferred types. Constructs build each fact through
 * these types, so they cannot record a fact the checks cannot read, and the checks read each fact back through the
 * same schema ({@link readFact}): a fact that does not parse is a finding, never a pass.
 *
 * - `locals.network_zone` ({@link NetworkZoneFact}): the zone a stack deploys into (constructs/network-zone.ts).
 * - `locals.zone_cluster` ({@link ZoneClusterFact}): the cluster it deploys to (constructs/zone-cluster.ts).
 * - `locals.wire_instance` ({@link WireInstanceFact}): a Wire Bund pillar (stacks/wire-pillar-stack.ts).
 *   policy/facts.ts parses these three per stack (`collectFacts`), and the guard and the render checks take them
 *   typed from there.
 * - `locals.wire_profile` ({@link WireProfileFact}): the pillar's team features; the galley contract of the
 *   wire-server chart (constructs/charts/wire-server.ts) parses it, with the Säule-1 part of `wire_instance`.
 * - Namespace labels: the value domains the constructs write ({@link NamespaceLabelsSchema}; test/facts-contract
 *   holds the output to them). The checks read single labels (constructs/labels.ts `Labels`) of any namespace,
 *   also one made by hand, so they do not require the whole set; the annotations they read: {@link AnnotationKeys}.
 * - DNS entries of a pillar (`output.dns_entries`): its zone edge ({@link zoneEdgeDnsEntry}) and its federator's SRV
 *   record ({@link federatorSrvDnsEntry}), each with its reader.
 *
 * Plain data: no cdktf, no files; the schemas are built once, at module load.
 */
import { z } from 'zod';
import { parseCidr } from '../config/cidr';
import type { WireProfile } from '../config/wire-profile';
import { LABEL_PREFIX, Labels, MANAGED_BY } from './labels';

/** The `locals` names the facts are recorded under. */
export const FactLocals = {
  networkZone: 'network_zone',
  zoneCluster: 'zone_cluster',
  wireInstance: 'wire_instance',
  wireProfile: 'wire_profile',
} as const;

/** ndb: Netze des Bundes; grundschutz: an agency network at IT-Grundschutz level; internet. */
export const ZONE_KINDS = ['ndb', 'grundschutz', 'internet'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

/** The classifications a zone or namespace may carry. */
export const CLASSIFICATIONS = ['offen', 'VS-NfD'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** The purposes of a node pool (`calling`: dedicated nodes for sftd and coturn, which run with hostNetwork). */
export const NODE_POOL_PURPOSES = ['general', 'calling', 'ingress'] as const;
export type NodePoolPurpose = (typeof NODE_POOL_PURPOSES)[number];

/** The Wire Bund pillars (Säulen). */
export const PILLARS = [1, 2, 3] as const;

/** What a check reports when a CIDR of a zone's facts does not parse (the issue's `message`). */
export const NOT_A_CIDR = 'not a CIDR';

const text = z.string().min(1);

/**
 * `locals.network_zone`: what the checks rely on (a stack's facts that do not parse cannot be judged). The key order
 * is the order in which the checks name malformed fields. Other fields are ignored by the checks.
 */
export const NetworkZoneFactSchema = z.object({
  id: text,
  kind: z.enum(ZONE_KINDS),
  ingressClass: text,
  loadBalancerClass: text,
  /** The zone's IPv4 and IPv6 networks, at least one. */
  cidrs: z.array(text.refine((c) => parseCidr(c) !== undefined, { message: NOT_A_CIDR })).min(1),
});
export type NetworkZoneFact = z.infer<typeof NetworkZoneFactSchema>;
/** `locals.network_zone` as constructs/network-zone.ts records it: also the highest classification it may carry. */
export type RecordedNetworkZone = NetworkZoneFact & { readonly maxClassification: Classification };

/** One node pool of `locals.zone_cluster`. */
export const NodePoolFactSchema = z.object({
  name: text,
  purpose: z.enum(NODE_POOL_PURPOSES),
  nodeSelector: z.record(z.string(), z.string()),
});
export type NodePoolFact = z.infer<typeof NodePoolFactSchema>;

/**
 * `locals.zone_cluster`: what the checks rely on. The key order is the order in which the checks name malformed
 * fields. Other fields are ignored by the checks.
 */
export const ZoneClusterFactSchema = z.object({
  id: text,
  /** The id of the cluster's zone (its `network_zone.id`). */
  zone: text,
  /** Namespace that runs the zone's ingress controller: the only way into the cluster from its zone. */
  ingressControllerNamespace: text,
  nodePools: z.array(NodePoolFactSchema).optional(),
});
export type ZoneClusterFact = z.infer<typeof ZoneClusterFactSchema>;
/**
 * `locals.zone_cluster` as constructs/zone-cluster.ts records it: also the operator's id and the Kubernetes version
 * the cluster runs (`1.31`; verify --render renders the charts against it).
 */
export type RecordedZoneCluster = ZoneClusterFact & {
  readonly operator: string;
  readonly nodePools: NodePoolFact[];
  readonly kubernetesVersion: string;
};

/** The fields of a fact schema that must be present, in the schema's order. */
const requiredFields = (schema: z.ZodObject): string[] =>
  Object.entries(schema.shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([name]) => name);

/**
 * The malformed fields of one recorded fact (`<local>.<field>`, in the schema's order) from the issues of its
 * schema; a CIDR that is a string but none is named as such.
 */
export function malformedFactFields(name: string, schema: z.ZodObject, issues: readonly z.core.$ZodIssue[]): string[] {
  const bad = new Map<string, boolean>(); // field -> only "not a CIDR" issues
  for (const issue of issues) {
    const fields = issue.path.length === 0 ? requiredFields(schema) : [String(issue.path[0])];
    for (const f of fields) {
      const onlyCidr = issue.path.length > 1 && issue.code === 'custom' && issue.message === NOT_A_CIDR;
      bad.set(f, (bad.get(f) ?? true) && onlyCidr);
    }
  }
  return Object.keys(schema.shape)
    .filter((f) => bad.has(f))
    .map((f) => `${name}.${f}${bad.get(f) ? ` (${NOT_A_CIDR})` : ''}`);
}

/** A recorded fact read back through its schema: the typed fact, or its malformed fields. */
export type FactRead<T> = { readonly fact: T } | { readonly malformed: readonly string[] };

/** One recorded fact (the value of `locals.<name>`) read back through its schema; undefined when none is recorded. */
export function readFact<S extends z.ZodObject>(
  name: string,
  schema: S,
  value: unknown,
): FactRead<z.output<S>> | undefined {
  if (value === undefined) return undefined;
  const parsed = schema.safeParse(value);
  return parsed.success ? { fact: parsed.data } : { malformed: malformedFactFields(name, schema, parsed.error.issues) };
}

/** A federation partner of a Wire pillar; `unknown` when the partner's zone is not declared. */
export const WirePartnerFactSchema = z.object({
  id: text,
  domain: text,
  zone: text,
  zoneKind: z.union([z.enum(ZONE_KINDS), z.literal('unknown')]),
});
export type WirePartnerFact = z.infer<typeof WirePartnerFactSchema>;

/** `locals.wire_instance`: which pillar a stack deploys, its federation domain, zone and federation partners. */
export const WireInstanceFactSchema = z.object({
  id: text,
  pillar: z.union([z.literal(PILLARS[0]), z.literal(PILLARS[1]), z.literal(PILLARS[2])]),
  /** The pillar's federation domain. */
  domain: text,
  zone: text,
  partners: z.array(WirePartnerFactSchema),
});
export type WireInstanceFact = z.infer<typeof WireInstanceFactSchema>;

/**
 * `locals.wire_profile`: the team features galley enforces (config/wire-profile.ts `WireProfile`, recorded whole),
 * what is weaker than the pillar's preset, and the recorded reason.
 */
export const WireProfileFactSchema = z.object({
  /** Checked as an object only: its settings are typed by config/wire-profile.ts, the checks read each with care. */
  profile: z.custom<WireProfile>((v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
  weakened: z.array(z.string()),
  reason: z.string().optional(),
});
export type WireProfileFact = z.infer<typeof WireProfileFactSchema>;

/** The value domains of the labels the project puts on its namespaces (constructs/labels.ts `Labels`). */
export const NamespaceLabelsSchema = z.object({
  [Labels.managedBy]: z.literal(MANAGED_BY),
  [Labels.zone]: text,
  [Labels.zoneKind]: z.enum(ZONE_KINDS),
  [Labels.cluster]: text,
  [Labels.classification]: z.enum(CLASSIFICATIONS),
  [Labels.service]: text,
  [Labels.pillar]: z.enum(['1', '2', '3']).optional(),
  [Labels.tenant]: text.optional(),
  [Labels.zoneEdge]: z.literal('true').optional(),
});
export type NamespaceLabels = z.infer<typeof NamespaceLabelsSchema>;

/** Annotation keys the constructs write and the checks read. */
export const AnnotationKeys = {
  /** On a namespace below Pod Security `restricted`: why (constructs/guarded-namespace.ts). */
  podSecurityReason: `${LABEL_PREFIX}/pod-security-reason`,
  /** On such a namespace: the only workloads (`Kind/name`, comma-separated) exempt from `restricted`. */
  podSecurityRestrictedExcept: `${LABEL_PREFIX}/pod-security-restricted-except`,
  /** On a calling node: the public address sftd and coturn announce (constructs/wire/wire-bund-pillar.ts). */
  externalIp: 'wire.com/external-ip',
} as const;

/** A host of a pillar that DNS points at the load balancer of its zone's ingress controller. */
export interface ZoneEdgeDnsEntry {
  readonly host: string;
  /** The namespace of the zone's ingress controller. */
  readonly ingressControllerNamespace: string;
  /** The load balancer class of the zone edge. */
  readonly loadBalancerClass: string;
}

/** The text of a zone-edge entry in `output.dns_entries` (for the people who create the DNS records). */
export function zoneEdgeDnsEntry(e: ZoneEdgeDnsEntry): string {
  return `${e.host} -> load balancer of ${e.ingressControllerNamespace} (class ${e.loadBalancerClass})`;
}

const ZONE_EDGE_ENTRY = /^(\S+) -> load balancer of (\S+) \(class (\S+)\)$/;

/** A zone-edge entry of `output.dns_entries` read back ({@link zoneEdgeDnsEntry}), or undefined for another entry. */
export function parseZoneEdgeDnsEntry(entry: string): ZoneEdgeDnsEntry | undefined {
  const m = ZONE_EDGE_ENTRY.exec(entry);
  return m ? { host: m[1], ingressControllerNamespace: m[2], loadBalancerClass: m[3] } : undefined;
}

/** The SRV record by which federating backends find a pillar's federator. */
export interface FederatorSrvDnsEntry {
  /** The pillar's federation domain. */
  readonly federationDomain: string;
  /** The federator's host (itself a zone-edge entry). */
  readonly federator: string;
}

/** The text of the federator's SRV entry in `output.dns_entries`. */
export function federatorSrvDnsEntry(e: FederatorSrvDnsEntry): string {
  return `_wire-server-federator._tcp.${e.federationDomain} SRV 0 10 443 ${e.federator}`;
}

const FEDERATOR_SRV_ENTRY = /^_wire-server-federator\._tcp\.(\S+) SRV 0 10 443 (\S+)$/;

/** The federator's SRV entry read back ({@link federatorSrvDnsEntry}), or undefined for another entry. */
export function parseFederatorSrvDnsEntry(entry: string): FederatorSrvDnsEntry | undefined {
  const m = FEDERATOR_SRV_ENTRY.exec(entry);
  return m ? { federationDomain: m[1], federator: m[2] } : undefined;
}

/** A `.well-known/matrix` file that an agency's own web server serves for its SaaS BundesMessenger. */
export interface WellKnownDnsEntry {
  /** The agency's Matrix server name (its domain). */
  readonly serverName: string;
  readonly file: 'server' | 'client';
  /** The file's JSON content. */
  readonly content: string;
}

/** The text of a `.well-known/matrix` entry in a tenant's `output.dns_entries`. */
export function wellKnownDnsEntry(e: WellKnownDnsEntry): string {
  return `https://${e.serverName}/.well-known/matrix/${e.file} -> ${e.content}`;
}

const WELL_KNOWN_ENTRY = /^https:\/\/([^\s/]+)\/\.well-known\/matrix\/(server|client) -> (\{.*\})$/;

/** A `.well-known/matrix` entry read back ({@link wellKnownDnsEntry}), or undefined for another entry. */
export function parseWellKnownDnsEntry(entry: string): WellKnownDnsEntry | undefined {
  const m = WELL_KNOWN_ENTRY.exec(entry);
  return m ? { serverName: m[1], file: m[2] as 'server' | 'client', content: m[3] } : undefined;
}
