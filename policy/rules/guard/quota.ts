/**
 * P1-QUOTA: every Säule-1 namespace keeps a ResourceQuota with `services.loadbalancers` and `services.nodeports`
 * at 0 (the zone edge: at most its one load balancer and two node ports), so that the API server refuses Services
 * of type LoadBalancer or NodePort even if everything else failed. A namespace a chart creates has none.
 */
import { Labels } from '../../../constructs/labels';
import { field, lengthOf } from '../../synthesized-view';
import { objectsOf, type GuardContext } from './context';
import type { GuardrailResource } from './guardrail-resources';
import { metadataField } from './json';
import type { GuardRule } from './rule';
import { flag, type GuardResult } from './scope';

/**
 * What the zone edge (the cluster's ingress-controller namespace, labelled zone-edge) may own: its one load
 * balancer in the zone's class and the two node ports Kubernetes counts for it (`stacks/platform-stack.ts`).
 * Every other Säule-1 namespace: none.
 */
const EDGE_SERVICE_LIMITS = { 'services.loadbalancers': 1, 'services.nodeports': 2 } as const;
/** The quota limits that keep Services of type LoadBalancer and NodePort out of a namespace. */
const SERVICE_LIMITS = ['services.loadbalancers', 'services.nodeports'] as const;

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity as a number (`0`, `2`, `1k`, `500m`), or undefined when it cannot be read. */
export function quantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?\s*$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'm' ? n / 1000 : n * SUFFIX[m[2] ?? ''];
}

/** The declared namespaces' quotas, in the order of the namespaces. */
function declaredFindings({ pillar1Namespaces, guardrailResources }: GuardContext): GuardResult[] {
  const out: GuardResult[] = [];
  const at = (r: { stack: { name: string }; address: string }, message: string) =>
    out.push({ stack: r.stack.name, resource: r.address, message, position: [4, out.length] });
  const quotas = new Map<string, GuardrailResource[]>();
  for (const r of guardrailResources) {
    if (r.object.kind !== 'ResourceQuota') continue;
    const key = `${r.alias}/${metadataField(r.object, 'namespace')}`;
    quotas.set(key, [...(quotas.get(key) ?? []), r]);
  }
  for (const ns of pillar1Namespaces) {
    const edge = ns.cluster?.ingressControllerNamespace === ns.name && ns.labels[Labels.zoneEdge] === 'true';
    const allowed = (k: (typeof SERVICE_LIMITS)[number]) => (edge ? EDGE_SERVICE_LIMITS[k] : 0);
    const limits = `${SERVICE_LIMITS.map((k) => `${k} ${allowed(k)}`).join(', ')}${edge ? ' (zone edge)' : ''}`;
    const found = quotas.get(`${ns.alias}/${ns.name}`) ?? [];
    if (found.length === 0) {
      at(ns, `namespace '${ns.name}' has no ResourceQuota limiting ${limits}`);
      continue;
    }
    // Kubernetes enforces every quota of the namespace: the lowest unscoped hard limit counts. A scoped quota
    // (scopes, scopeSelector) does not count Services.
    const unscoped = found.filter((q) => {
      const spec = field(q.object, 'spec');
      return !lengthOf(field(spec, 'scopes')) && !field(spec, 'scopeSelector');
    });
    const problems: string[] = [];
    for (const k of SERVICE_LIMITS) {
      const values = unscoped
        .map((q) => quantity(field(field(field(q.object, 'spec'), 'hard'), k)))
        .filter((x): x is number => x !== undefined);
      const lowest = values.length ? Math.min(...values) : undefined;
      if (lowest === undefined) problems.push(`no unscoped ResourceQuota sets ${k} (must be ${allowed(k)})`);
      else if (lowest > allowed(k)) problems.push(`${k} is ${lowest}, more than ${allowed(k)}`);
    }
    if (problems.length === 0) continue;
    at(
      found.find((q) => metadataField(q.object, 'name') === 'guardrails') ?? found[0],
      `namespace '${ns.name}': ${problems.join('; ')}; Services of type LoadBalancer/NodePort would be admitted`,
    );
  }
  return out;
}

export const quotaRule: GuardRule<'P1-QUOTA'> = {
  id: 'P1-QUOTA',
  level: 'error',
  unsuppressible: true,
  explanation:
    'a Säule-1 namespace without its ResourceQuota of zero load balancers and node ports, or with a limit raised',
  *check(context) {
    yield* declaredFindings(context);
    for (const { scope, object, renderedBy } of objectsOf(context, 'Namespace')) {
      if (!renderedBy) continue;
      yield flag(
        scope,
        `the chart creates namespace '${metadataField(object, 'name') ?? ''}', which gets no ResourceQuota against load balancers and node ports`,
        2,
      );
    }
  },
};
