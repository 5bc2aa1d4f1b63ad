/**
 * P1-QUOTA: every Säule-1 namespace keeps a ResourceQuota with `services.loadbalancers` and `services.nodeports`
 * at 0 (the zone edge: at most its one load balancer and two node ports), so that the API server refuses Services
 * of type LoadBalancer or NodePort even if everything else failed. A namespace a chart creates has none.
 */
import { EDGE_SERVICE_LIMITS, quantity, SERVICE_LIMITS, type GuardrailResource } from '../../guardrails';
import { Labels } from '../../../constructs/labels';
import { field, lengthOf } from '../../synthesized-view';
import { EXPOSURE_RULES } from './catalogue';
import { objectsOf, type GuardContext } from './context';
import { metadataField } from './json';
import type { GuardRule } from './rule';
import { flag, type GuardResult } from './scope';

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

export const quotaRule: GuardRule = {
  id: 'P1-QUOTA',
  level: 'error',
  unsuppressible: true,
  explanation: EXPOSURE_RULES['P1-QUOTA'],
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
