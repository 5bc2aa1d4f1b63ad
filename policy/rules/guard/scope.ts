/**
 * The Säule-1 scope of a resource: which resources the guard judges (anything deployed through an NdB cluster's
 * providers, labelled pillar 1 / zone-kind ndb, or in a stack of an NdB cluster), the NdB zone each must stay in,
 * and where each finding is reported.
 */
import { cidrsOverlap, coversPublicInternet, insideAny, parseAddressOrCidr } from '../../../config/cidr';
import { Labels } from '../../../constructs/labels';
import type { RuleResult } from '../../engine';
import { providerAlias, type ClusterFacts, type Facts, type ZoneFacts } from '../../facts';

/**
 * Where the guard reports a finding among all of its findings: compared element by element. The guard has always
 * reported in the order it visits the input (Terraform first, then the facts, then each stack's resources and
 * federation, then default deny, quotas and admission); the units keep that order through their positions.
 */
export type Position = readonly number[];

/** Orders positions element by element (a shorter one first when it is a prefix of the other). */
export function comparePositions(a: Position, b: Position): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** What a guard unit returns: the engine's result, always with stack and resource, and its report position. */
export interface GuardResult extends RuleResult {
  readonly stack: string;
  readonly resource: string;
  readonly position: Position;
}

/** A resource of Säule 1 the guard judges. */
export interface Scope {
  readonly stack: string;
  /** Terraform address (`type.name`), or `helm_release.<name> <Kind>/<namespace>/<name>` for a rendered object. */
  readonly address: string;
  /** The resource's `provider` meta-argument, as written. */
  readonly provider: unknown;
  /** The cluster whose providers deploy it, when known. */
  readonly cluster?: ClusterFacts;
  /** The NdB zone this resource must stay in (undefined when the input declares no NdB zone at all). */
  readonly zone?: ZoneFacts;
  readonly namespace?: unknown;
  /** Labels of the resource's namespace, as the project creates it (empty when it does not). */
  readonly namespaceLabels: Readonly<Record<string, unknown>>;
  readonly position: Position;
}

/** A Säule-1 resource whose NdB zone is known: the rules judge it against that zone. */
export interface ZonedScope extends Scope {
  readonly zone: ZoneFacts;
}

/** A finding on a scope's resource, reported at the scope's position followed by `step` (see {@link Position}). */
export function flag(scope: Scope, message: string, ...step: number[]): GuardResult {
  return { stack: scope.stack, resource: scope.address, message, position: [...scope.position, ...step] };
}

/** Labels that put an object (or a namespace) into Säule 1. */
export const pillar1Labels = (labels: Readonly<Record<string, unknown>>): boolean =>
  labels[Labels.pillar] === '1' || labels[Labels.zoneKind] === 'ndb';

/** A pod's nodeSelector is exactly the given one. */
export function sameSelector(a: unknown, b: Readonly<Record<string, string>>): boolean {
  if (!a || typeof a !== 'object') return false;
  const selector = a as Readonly<Record<string, unknown>>;
  const keys = Object.keys(selector);
  return keys.length === Object.keys(b).length && keys.every((k) => selector[k] === b[k]);
}

/** Judges whether an address or network stays inside an NdB zone ({@link insideNdbOf}). */
export type InsideNdb = (zone: ZoneFacts, addressOrCidr: unknown) => boolean;

/**
 * Every address `addressOrCidr` reaches, in any spelling (IPv4-mapped, NAT64, 6to4), lies inside the NdB zone's
 * declared networks, and none belongs to another zone or to the internet at large: zone facts widened to
 * `::ffff:0:0/96` or `0.0.0.0/1` admit nothing more than before. The other zones are those of the facts' clusters.
 */
export function insideNdbOf(facts: Facts): InsideNdb {
  const zones = [...facts.clusters.values()].map((c) => c.zone);
  const others = new Map<string, ZoneFacts[]>();
  return (zone, addressOrCidr) => {
    const net = parseAddressOrCidr(String(addressOrCidr));
    if (!net || !insideAny(zone.networks, net.text) || coversPublicInternet([net])) return false;
    let foreign = others.get(zone.id);
    if (!foreign) others.set(zone.id, (foreign = zones.filter((z) => z.id !== zone.id)));
    return !foreign.some((z) => z.networks.some((m) => cidrsOverlap(net, m)));
  };
}

/** A stack as the scope judges it: its name, and whether it deploys to an NdB cluster (`locals.zone_cluster`). */
export interface StackOnCluster {
  readonly name: string;
  readonly onNdbCluster: boolean;
}

/**
 * The scope of a resource when it belongs to Säule 1 (deployed through an NdB cluster's providers, labelled pillar 1
 * or zone-kind ndb itself or through its namespace, or in a stack of an NdB cluster), else undefined. Its zone is the
 * cluster's when that is the NdB, else the facts' NdB zone: a Säule-1 resource that landed elsewhere is still judged
 * against the NdB (and is a P1-ZONE finding of its own).
 */
export function scopeOf(
  facts: Facts,
  stack: StackOnCluster,
  at: { readonly address: string; readonly position: Position },
  provider: unknown,
  namespace: unknown,
  labels: Readonly<Record<string, unknown>>,
): Scope | undefined {
  const alias = providerAlias(provider);
  const cluster = alias ? facts.clusters.get(alias) : undefined;
  const namespaceLabels: Readonly<Record<string, unknown>> =
    (alias && namespace ? facts.namespaces.get(`${alias}/${namespace}`) : undefined) ?? {};
  const pillar1 =
    cluster?.zone.kind === 'ndb' || pillar1Labels(namespaceLabels) || pillar1Labels(labels) || stack.onNdbCluster;
  if (!pillar1) return undefined;
  const zone = cluster?.zone.kind === 'ndb' ? cluster.zone : facts.ndb;
  return {
    stack: stack.name,
    address: at.address,
    provider,
    cluster,
    zone,
    namespace,
    namespaceLabels,
    position: at.position,
  };
}

/** The scope has an NdB zone to be judged against. */
export const zoned = (scope: Scope | undefined): scope is ZonedScope => scope?.zone !== undefined;
