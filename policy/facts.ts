/**
 * What the checks know about zones, clusters and namespaces, read from the synthesized JSON itself (the
 * `network_zone` and `zone_cluster` locals the constructs write, and the namespaces' labels), never from props.
 */
import { parseCidr, type Cidr } from '../config/cidr';
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

export interface Facts {
  readonly clusters: ReadonlyMap<string, ClusterFacts>;
  /** Labels of every namespace the project creates, by `<cluster>/<namespace>`. */
  readonly namespaces: ReadonlyMap<string, Record<string, string>>;
  /** The NdB zone (first one found), used to judge pillar-1 resources that landed elsewhere. */
  readonly ndb?: ZoneFacts;
}

export function providerAlias(provider: unknown): string | undefined {
  if (typeof provider !== 'string') return undefined;
  const m = /^(?:kubernetes|helm)\.(.+)$/.exec(provider.replace(/^\$\{|\}$/g, ''));
  return m?.[1];
}

export function collectFacts(stacks: readonly SynthesizedStack[]): Facts {
  const clusters = new Map<string, ClusterFacts>();
  for (const s of stacks) {
    const z = s.json.locals?.network_zone;
    const c = s.json.locals?.zone_cluster;
    if (!z || !c) continue;
    const zone: ZoneFacts = {
      id: z.id,
      kind: z.kind,
      cidrs: z.cidrs ?? [],
      networks: (z.cidrs ?? []).map((x: string) => parseCidr(x)).filter((x: Cidr | undefined): x is Cidr => !!x),
      ingressClass: z.ingressClass,
      loadBalancerClass: z.loadBalancerClass,
    };
    clusters.set(c.id, {
      id: c.id,
      zone,
      ingressControllerNamespace: c.ingressControllerNamespace,
      nodePools: c.nodePools ?? [],
    });
  }
  const namespaces = new Map<string, Record<string, string>>();
  for (const s of stacks) {
    for (const body of Object.values(s.json.resource?.kubernetes_namespace_v1 ?? {}) as Array<{
      provider?: string;
      metadata?: { name?: string; labels?: Record<string, string> };
    }>) {
      const alias = providerAlias(body.provider);
      if (alias && body.metadata?.name) namespaces.set(`${alias}/${body.metadata.name}`, body.metadata.labels ?? {});
    }
  }
  const ndb = [...clusters.values()].find((c) => c.zone.kind === 'ndb')?.zone;
  return { clusters, namespaces, ndb };
}

/**
 * `<cluster>/<namespace>` of every namespace that has a default-deny NetworkPolicy: all pods selected, both policy
 * types, and no rule that lets anything in or out.
 */
export function defaultDenyNamespaces(stacks: readonly SynthesizedStack[]): Set<string> {
  const denied = new Set<string>();
  for (const s of stacks) {
    for (const body of Object.values(s.json.resource?.kubernetes_network_policy_v1 ?? {}) as Array<{
      provider?: string;
    }>) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const obj = toKubernetesObject('kubernetes_network_policy_v1', body) as any;
      const spec = obj?.spec ?? {};
      const types = new Set(spec.policyTypes ?? []);
      const selectsAll =
        !spec.podSelector ||
        (Object.keys(spec.podSelector.matchLabels ?? {}).length === 0 && !spec.podSelector.matchExpressions);
      if (selectsAll && types.has('Ingress') && types.has('Egress') && !spec.ingress?.length && !spec.egress?.length) {
        denied.add(`${providerAlias(body.provider)}/${obj.metadata.namespace}`);
      }
    }
  }
  return denied;
}
