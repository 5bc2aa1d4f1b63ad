/**
 * Flows: the connections each Wire pillar needs, evaluated against every NetworkPolicy on its cluster (ours from
 * the Terraform JSON and the charts' rendered ones), the way Kubernetes does: a pod is isolated for a direction
 * once a policy of its namespace selects it for that direction, and then only what some rule allows passes.
 * A needed flow that is blocked breaks the product (no calls, no downloads); a Säule-1 flow out of the NdB must be
 * blocked.
 */
import { labelSelectorMatches } from '../label-selector';
import { insideAny, parseCidr, type Cidr } from '../../config/cidr';
import { NAMESPACE_NAME_LABEL } from '../../constructs/labels';
import { CHARTS } from '../../constructs/charts';
import type { FlowEnd } from '../../constructs/charts/descriptor';
import { collectFacts, providerAlias, wireInstanceOf, type Facts } from '../facts';
import { chartName, releaseValues } from '../helm-values';
import { toKubernetesObject, type KubernetesObject, type SynthesizedStack } from '../k8s-objects';
import { AnnotationKeys, FactLocals } from '../../constructs/facts';
import { field, local, resources } from '../synthesized-view';
import type { RenderResult } from './render';

export type Endpoint =
  | { readonly pod: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> } }
  | { readonly ip: string };

export interface Flow {
  /** The stack whose facts the flow comes from. */
  readonly stack: string;
  readonly cluster: string;
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly what: string;
}

/** A Kubernetes label selector. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[];
  }>;
}

/** A peer of a NetworkPolicy rule (`from` / `to` entry). */
interface PolicyPeer {
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
}

interface PolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number | string;
}

interface PolicyRule {
  readonly ports?: readonly PolicyPort[];
  readonly from?: readonly PolicyPeer[];
  readonly to?: readonly PolicyPeer[];
}

/** The spec of a NetworkPolicy, as Kubernetes defines it (networking.k8s.io/v1). */
interface NetworkPolicySpec {
  readonly podSelector?: LabelSelector;
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly PolicyRule[];
  readonly egress?: readonly PolicyRule[];
}

interface Policy {
  readonly namespace: string;
  readonly spec: NetworkPolicySpec;
}

/** Kubernetes label selector semantics (matchLabels and matchExpressions). */

export class NetworkPolicyModel {
  private readonly policies = new Map<string, Policy[]>();
  private readonly namespaceLabels = new Map<string, Record<string, string>>();

  add(cluster: string, obj: KubernetesObject): void {
    if (obj.kind === 'NetworkPolicy') {
      const list = this.policies.get(cluster) ?? [];
      // the object as Kubernetes reads it: a NetworkPolicy's spec (its shape is the schema check's to judge)
      list.push({ namespace: obj.metadata.namespace ?? 'default', spec: (obj.spec ?? {}) as NetworkPolicySpec });
      this.policies.set(cluster, list);
    } else if (obj.kind === 'Namespace' && obj.metadata.name) {
      this.namespaceLabels.set(`${cluster}/${obj.metadata.name}`, {
        ...(obj.metadata.labels ?? {}),
        [NAMESPACE_NAME_LABEL]: obj.metadata.name,
      });
    }
  }

  private nsLabels(cluster: string, ns: string): Record<string, string> {
    return this.namespaceLabels.get(`${cluster}/${ns}`) ?? { [NAMESPACE_NAME_LABEL]: ns };
  }

  /** Does a policy peer (`from`/`to` entry) match the endpoint, seen from a policy in namespace `home`? */
  private peerMatches(cluster: string, home: string, peer: PolicyPeer, e: Endpoint): boolean {
    if (peer.ipBlock) {
      if (!('ip' in e)) return false;
      const inside = insideAny(
        [parseCidr(peer.ipBlock.cidr)].filter((c): c is Cidr => !!c),
        e.ip,
      );
      const except = (peer.ipBlock.except ?? []).some((x) =>
        insideAny(
          [parseCidr(x)].filter((c): c is Cidr => !!c),
          e.ip,
        ),
      );
      return inside && !except;
    }
    if (!('pod' in e)) return false;
    const nsOk = peer.namespaceSelector
      ? labelSelectorMatches(peer.namespaceSelector, this.nsLabels(cluster, e.pod.namespace))
      : e.pod.namespace === home;
    const podOk = peer.podSelector ? labelSelectorMatches(peer.podSelector, e.pod.labels) : true;
    return nsOk && podOk;
  }

  private portMatches(ports: readonly PolicyPort[] | undefined, port: number): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
      if ((p.protocol ?? 'TCP') !== 'TCP') return false;
      if (p.port === undefined) return true;
      const start = Number(p.port);
      if (Number.isNaN(start)) return true; // a named port: assume the pod names it so
      return port >= start && port <= Number(p.endPort ?? start);
    });
  }

  /** Is the direction allowed for the pod end of a flow? */
  private allowed(
    cluster: string,
    pod: { namespace: string; labels: Readonly<Record<string, string>> },
    direction: 'Ingress' | 'Egress',
    other: Endpoint,
    port: number,
  ): boolean {
    const relevant = (this.policies.get(cluster) ?? []).filter((p) => {
      const types: readonly string[] =
        p.spec.policyTypes ?? (direction === 'Ingress' || p.spec.egress ? [direction] : []);
      return (
        p.namespace === pod.namespace &&
        types.includes(direction) &&
        labelSelectorMatches(p.spec.podSelector ?? {}, pod.labels)
      );
    });
    if (relevant.length === 0) return true; // not isolated
    const key = direction === 'Ingress' ? 'ingress' : 'egress';
    const peerKey = direction === 'Ingress' ? 'from' : 'to';
    return relevant.some((p) =>
      (p.spec[key] ?? []).some((rule) => {
        const peers = rule[peerKey];
        return (
          this.portMatches(rule.ports, port) &&
          (!peers || peers.length === 0 || peers.some((peer) => this.peerMatches(cluster, p.namespace, peer, other)))
        );
      }),
    );
  }

  /** Why the flow is blocked, or undefined when both ends let it pass. */
  blocked(f: Flow): string | undefined {
    if ('pod' in f.from && !this.allowed(f.cluster, f.from.pod, 'Egress', f.to, f.port)) {
      return `egress from namespace '${f.from.pod.namespace}' is not allowed`;
    }
    if ('pod' in f.to && !this.allowed(f.cluster, f.to.pod, 'Ingress', f.from, f.port)) {
      return `ingress into namespace '${f.to.pod.namespace}' is not allowed`;
    }
    return undefined;
  }
}

/** Every NetworkPolicy and Namespace on each cluster: declared ones and the ones the charts rendered. */
export function networkPolicyModel(
  stacks: readonly SynthesizedStack[],
  results: readonly RenderResult[],
): NetworkPolicyModel {
  const model = new NetworkPolicyModel();
  for (const s of stacks) {
    for (const type of ['kubernetes_network_policy_v1', 'kubernetes_namespace_v1', 'kubernetes_manifest']) {
      for (const { body } of resources(s, type)) {
        const obj = toKubernetesObject(type, body);
        if (obj) model.add(providerAlias(body.provider) ?? '', obj);
      }
    }
  }
  for (const r of results) {
    if (r.status !== 'rendered') continue;
    for (const o of r.objects) model.add(providerAlias(r.release.body.provider) ?? '', o.object);
  }
  return model;
}

/**
 * The flows each release needs: the `flows` of the descriptors of the charts a stack deploys, resolved with the facts
 * of the stack (the cluster, the release namespaces, the zone's ingress namespace, the datastore and calling node
 * addresses the config names). For Säule 1 also: no service of the pillar reaches the internet.
 */
export function neededFlows(
  stacks: readonly SynthesizedStack[],
  facts: Facts = collectFacts(stacks),
  internetProbe = '9.9.9.9',
): Array<Flow & { expect: 'allowed' | 'blocked' }> {
  const out: Array<Flow & { expect: 'allowed' | 'blocked' }> = [];
  for (const s of stacks) {
    // every stack on a cluster: Wire pillars (wire_instance, as the facts parse it) and agencies' Matrix servers alike
    const instance = wireInstanceOf(facts, s.name);
    // the zone facts as recorded, read leniently: their shape is the guard's to judge (policy/facts.ts)
    const zc = local(s, FactLocals.zoneCluster);
    if (!zc) continue;
    const releases = resources(s, 'helm_release').map((r) => r.body);
    const cluster = String(field(zc, 'id'));
    const cidrs = field(local(s, FactLocals.networkZone), 'cidrs');
    const zoneClient = Array.isArray(cidrs)
      ? cidrs.find((c): c is string => typeof c === 'string' && !c.includes(':'))
      : undefined;
    const calling = resources(s, 'kubernetes_annotations')
      .map((a) => field(a.body.annotations, AnnotationKeys.externalIp))
      .filter((ip): ip is string => !!ip && typeof ip === 'string');
    const endpointsOf = (chart: string): string[] => {
      const r = releases.find((x) => chartName(x.chart) === chart);
      if (!r) return [];
      try {
        const v = releaseValues(r).values;
        const list = (key: string): unknown[] => {
          const l = field(v, key);
          return Array.isArray(l) ? l : [];
        };
        return [...list('IPs'), ...list('RWIPs'), ...list('ROIPs')].map(String);
      } catch {
        return [];
      }
    };
    /** The endpoints an end stands for (one flow each). */
    const resolve = (end: FlowEnd, namespace: string): Endpoint[] => {
      if ('pod' in end) return [{ pod: { namespace, labels: { app: end.pod } } }];
      if ('zoneIngress' in end)
        return [
          {
            pod: {
              namespace: String(field(zc, 'ingressControllerNamespace')),
              labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
            },
          },
        ];
      if ('zoneClient' in end) return zoneClient ? [{ ip: firstHost(zoneClient) }] : [];
      if ('endpointsOf' in end) return endpointsOf(end.endpointsOf).map((ip) => ({ ip }));
      return calling.map((ip) => ({ ip }));
    };
    const describe = (e: Endpoint) => ('ip' in e ? ` at ${e.ip}` : '');
    const federating = (instance?.partners.length ?? 0) > 0;
    for (const r of releases) {
      const d = CHARTS[chartName(r.chart)];
      const P = instance?.id ?? String(r.namespace);
      for (const f of (d?.flows ?? []).filter((x) => x.when !== 'federating' || federating)) {
        for (const from of resolve(f.from, String(r.namespace))) {
          for (const to of resolve(f.to, String(r.namespace))) {
            out.push({
              stack: s.name,
              cluster,
              from,
              to,
              port: f.port,
              what: `${P}: ${f.what}${describe(to)}`,
              expect: 'allowed',
            });
          }
        }
      }
    }
    if (instance?.pillar === 1) {
      const P = instance.id;
      for (const app of ['brig', 'galley', 'cargohold', 'gundeck', 'background-worker', 'federator', 'nginz']) {
        out.push({
          stack: s.name,
          cluster,
          from: { pod: { namespace: P, labels: { app } } },
          to: { ip: internetProbe },
          port: 443,
          what: `${P}: ${app} -> the internet (${internetProbe}:443) stays closed`,
          expect: 'blocked',
        });
      }
    }
  }
  return out;
}

/** The first host address of an IPv4 network (10.64.0.0/12 -> 10.64.0.1), a client address inside it. */
function firstHost(cidr: string): string {
  const parts = cidr.split('/')[0].split('.').map(Number);
  parts[3] += 1;
  return parts.join('.');
}
