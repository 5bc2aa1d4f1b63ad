/**
 * What the guard's units judge, computed once per run: the stacks with their references resolved, the facts
 * (zones, clusters, namespaces), and one pass over every resource that sorts each Säule-1 resource into the index
 * its rules read (Kubernetes objects, Helm releases with their values read once, label/annotation patches, resources
 * of unknown type, each stack's federation facts), with its scope and report position. The units then visit only
 * their part of the index, never the whole input again.
 */
import type { FactRead, WireInstanceFact } from '../../../constructs/facts';
import {
  collectFacts,
  defaultDenyNamespaces,
  providerAlias,
  stackCluster,
  type ClusterFacts,
  type ExpectedFacts,
  type FactProblem,
  type Facts,
} from '../../facts';
import { chartName, releaseValues } from '../../helm-values';
import { literalJson, toKubernetesObject, type KubernetesObject, type SynthesizedStack } from '../../k8s-objects';
import { field, outputValue, resources } from '../../synthesized-view';
import { knownChart, type GuardedChart } from './charts';
import { pillar1Namespaces, type GuardrailResource, type Pillar1Namespace } from './guardrail-resources';
import { entriesOf, labelsOf, lit, metadataField, metadataOf } from './json';
import { resolveReferences } from './references';
import { insideNdbOf, scopeOf, zoned, type InsideNdb, type Position, type Scope, type ZonedScope } from './scope';

/** A Kubernetes object of Säule 1: declared by a stack, or rendered by a chart of a release. */
export interface ObjectSite {
  readonly scope: ZonedScope;
  readonly object: KubernetesObject;
  /** For a rendered object: the base name of the release's chart. */
  readonly renderedBy?: { readonly chart: string };
}

/** A `kubernetes_*` resource of Säule 1 whose type the guard cannot translate into an object. */
export interface UnknownResourceSite {
  readonly scope: ZonedScope;
  readonly type: string;
}

/** A release's values as Helm combines them, or why they cannot be read that way. */
export type ReleaseValuesRead =
  | { readonly values: unknown; readonly sensitivePaths: readonly string[] }
  | { readonly error: string };

/** A `helm_release` of Säule 1. */
export interface ReleaseSite {
  readonly scope: ZonedScope;
  readonly body: unknown;
  /** The chart's base name (`wire-server` for `wire/wire-server`). */
  readonly chart: string;
  /** What the guard knows of the chart; undefined for a chart it does not know. */
  readonly known?: GuardedChart;
  readonly values: ReleaseValuesRead;
}

/** A `kubernetes_labels` or `kubernetes_annotations` patch of an existing object of Säule 1. */
export interface PatchSite {
  readonly scope: ZonedScope;
  readonly type: 'kubernetes_labels' | 'kubernetes_annotations';
  readonly body: unknown;
  /** The kind of the patched object, as literal text. */
  readonly kind: unknown;
  /** The labels or annotations it sets, as literal text. */
  readonly entries: ReadonlyArray<readonly [string, unknown]>;
}

/** One stack's federation facts (`locals.wire_instance`, `output.dns_entries`), judged after its resources. */
export interface StackSite {
  readonly stack: string;
  readonly position: Position;
  /** The cluster the stack deploys to (`locals.zone_cluster`), when the facts know it. */
  readonly cluster?: ClusterFacts;
  /** Its Wire instance as the facts read it (undefined: the stack records none). */
  readonly instance?: FactRead<WireInstanceFact>;
  readonly dnsEntries: unknown;
  /** The stack's Säule-1 releases. */
  readonly releases: readonly ReleaseSite[];
}

export interface GuardContext {
  readonly facts: Facts;
  readonly expected?: ExpectedFacts;
  /** Contradictions in the facts (P1-ZONE). */
  readonly factProblems: readonly FactProblem[];
  /** The stacks as synthesized, before references are resolved (P1-TERRAFORM judges the references themselves). */
  readonly synthesized: readonly SynthesizedStack[];
  /** Every Säule-1 resource the guard judges, with or without a known NdB zone (P1-ZONE). */
  readonly scopes: readonly Scope[];
  /** The Kubernetes objects of Säule 1, by kind. */
  readonly objects: ReadonlyMap<string, readonly ObjectSite[]>;
  readonly unknownResources: readonly UnknownResourceSite[];
  readonly releases: readonly ReleaseSite[];
  readonly patches: readonly PatchSite[];
  readonly stacks: readonly StackSite[];
  /** Namespaces, ResourceQuotas and admission manifests, in stack order (P1-QUOTA, P1-ADMISSION). */
  readonly guardrailResources: readonly GuardrailResource[];
  readonly pillar1Namespaces: readonly Pillar1Namespace[];
  /** `<cluster>/<namespace>` of every namespace with a default-deny NetworkPolicy. */
  readonly defaultDeny: ReadonlySet<string>;
  readonly insideNdb: InsideNdb;
}

/** Resource types whose objects the guardrail checks read (namespaces, quotas, admission manifests). */
const GUARDRAIL_TYPES = new Set(['kubernetes_namespace_v1', 'kubernetes_manifest', 'kubernetes_resource_quota_v1']);

/** The objects of the given kinds, kind by kind. */
export function objectsOf(context: GuardContext, ...kinds: string[]): ObjectSite[] {
  return kinds.flatMap((kind) => context.objects.get(kind) ?? []);
}

/** Objects by kind, each kind in the order of the input. */
function byKind(sites: readonly ObjectSite[]): Map<string, ObjectSite[]> {
  const out = new Map<string, ObjectSite[]>();
  for (const site of sites) {
    const kind = String(site.object.kind);
    const list = out.get(kind);
    if (list) list.push(site);
    else out.set(kind, [site]);
  }
  return out;
}

function readValues(body: unknown): ReleaseValuesRead {
  try {
    const { values, sensitivePaths }: { values: unknown; sensitivePaths: readonly string[] } = releaseValues(body);
    return { values, sensitivePaths };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

function releaseSite(scope: ZonedScope, body: unknown): ReleaseSite {
  const chart = chartName(field(body, 'chart'));
  return { scope, body, chart, known: knownChart(chart), values: readValues(body) };
}

/** The guard's analysis of the synthesized stacks (and, at synth, of what the validated federation declares). */
export function guardContext(synthesized: readonly SynthesizedStack[], expected?: ExpectedFacts): GuardContext {
  const stacks = resolveReferences(synthesized);
  const facts = collectFacts(stacks, expected);
  const scopes: Scope[] = [];
  const objects: ObjectSite[] = [];
  const unknownResources: UnknownResourceSite[] = [];
  const releases: ReleaseSite[] = [];
  const patches: PatchSite[] = [];
  const stackSites: StackSite[] = [];
  const guardrailResources: GuardrailResource[] = [];
  let seq = 0;
  // the stacks' resources and federation are reported after P1-TERRAFORM (0) and the facts' problems (1)
  const next = (): Position => [2, seq++];
  for (const stack of stacks) {
    const cluster = stackCluster(facts, stack);
    const on = { name: stack.name, onNdbCluster: cluster?.zone.kind === 'ndb' };
    const scope = (
      address: string,
      position: Position,
      provider: unknown,
      namespace: unknown,
      labels: Readonly<Record<string, unknown>>,
    ) => {
      const s = scopeOf(facts, on, { address, position }, provider, namespace, labels);
      if (s) scopes.push(s);
      return zoned(s) ? s : undefined;
    };
    const own: ReleaseSite[] = [];
    for (const { type, address, body } of resources(stack)) {
      const position = next();
      const provider = field(body, 'provider');
      const metadata = field(body, 'metadata');
      if (type === 'helm_release') {
        const s = scope(address, position, provider, lit(field(body, 'namespace')), {});
        if (s) own.push(releaseSite(s, body));
      } else if (type === 'kubernetes_annotations' || type === 'kubernetes_labels') {
        const kind = lit(field(body, 'kind'));
        const namespace = lit(
          field(metadata, 'namespace') ?? (kind === 'Namespace' ? field(metadata, 'name') : undefined),
        );
        const s = scope(address, position, provider, namespace, {});
        const set: unknown = literalJson(field(body, type === 'kubernetes_labels' ? 'labels' : 'annotations') ?? {});
        if (s) patches.push({ scope: s, type, body, kind, entries: entriesOf(set) });
      } else if (type.startsWith('kubernetes_')) {
        const object = toKubernetesObject(type, body);
        if (!object) {
          const labels: unknown = literalJson(field(metadata, 'labels') ?? {});
          const s = scope(address, position, provider, lit(field(metadata, 'namespace')), labelsOf(labels));
          if (s) unknownResources.push({ scope: s, type });
          continue;
        }
        if (GUARDRAIL_TYPES.has(type))
          guardrailResources.push({ stack, address, object, alias: providerAlias(provider) });
        const namespace =
          object.kind === 'Namespace' ? field(metadataOf(object, address), 'name') : metadataField(object, 'namespace');
        const s = scope(address, position, provider, namespace, labelsOf(metadataField(object, 'labels') ?? {}));
        if (s) objects.push({ scope: s, object });
      }
    }
    releases.push(...own);
    stackSites.push({
      stack: stack.name,
      position: next(),
      cluster,
      instance: facts.wireInstances.get(stack.name),
      dnsEntries: outputValue(stack, 'dns_entries'),
      releases: own,
    });
  }
  return {
    facts,
    expected,
    factProblems: facts.problems,
    synthesized,
    scopes,
    objects: byKind(objects),
    unknownResources,
    releases,
    patches,
    stacks: stackSites,
    guardrailResources,
    pillar1Namespaces: pillar1Namespaces(guardrailResources, facts),
    defaultDeny: defaultDenyNamespaces(stacks),
    insideNdb: insideNdbOf(facts),
  };
}

/**
 * The context of the objects a chart rendered for one release: they are judged by the same units as the objects
 * the stacks declare (the release's provider and namespace stand for theirs); each finding's resource is
 * `helm_release.<name> <Kind>/<namespace>/<name>`.
 */
export function renderedContext(
  base: GuardContext,
  stack: SynthesizedStack,
  address: string,
  body: unknown,
  rendered: readonly KubernetesObject[],
): GuardContext {
  const chart = chartName(field(body, 'chart'));
  const on = { name: stack.name, onNdbCluster: stackCluster(base.facts, stack)?.zone.kind === 'ndb' };
  const scopes: Scope[] = [];
  const objects: ObjectSite[] = [];
  rendered.forEach((object, i) => {
    const metadata = metadataOf(object, `${address} ${object.kind}`);
    const name = field(metadata, 'name');
    const namespace =
      object.kind === 'Namespace' ? name : (field(metadata, 'namespace') ?? lit(field(body, 'namespace')));
    const at = { address: `${address} ${object.kind}/${namespace ?? ''}/${name ?? ''}`, position: [i] };
    const labels = labelsOf(field(metadata, 'labels') ?? {});
    const s = scopeOf(base.facts, on, at, field(body, 'provider'), namespace, labels);
    if (!s) return;
    scopes.push(s);
    if (zoned(s)) objects.push({ scope: s, object, renderedBy: { chart } });
  });
  return {
    ...base,
    factProblems: [],
    synthesized: [],
    scopes,
    objects: byKind(objects),
    unknownResources: [],
    releases: [],
    patches: [],
    stacks: [],
    guardrailResources: [],
    pillar1Namespaces: [],
  };
}
