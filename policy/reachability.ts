/**
 * Which zone can reach which service endpoint of which pillar, derived from the synthesized JSON: hosts behind the
 * zone edge (ingress class and load-balancer class of the cluster's zone) and calling IPs on the calling nodes.
 */
import { insideAny } from '../config/cidr';
import { collectFacts, providerAlias, wireInstanceOf, type ZoneFacts } from './facts';
import { chartName, releaseValues } from './helm-values';
import type { SynthesizedStack } from './k8s-objects';
import { AnnotationKeys } from '../constructs/facts';
import { Labels } from '../constructs/labels';
import { field, resources, valueAt } from './synthesized-view';

export interface ReachabilityRow {
  /** The zone whose networks can reach the endpoint. */
  readonly from: string;
  readonly fromKind: string;
  readonly stack: string;
  readonly cluster: string;
  readonly pillar: string;
  readonly endpoint: string;
  readonly via: string;
}

export function reachability(stacks: readonly SynthesizedStack[]): ReachabilityRow[] {
  const facts = collectFacts(stacks);
  const zones = [...new Map([...facts.clusters.values()].map((c) => [c.zone.id, c.zone])).values()];
  const zoneByLbClass = new Map(zones.map((z) => [z.loadBalancerClass, z]));
  const zoneByIngressClass = new Map(zones.map((z) => [z.ingressClass, z]));
  const zoneOfIp = (ip: string) => zones.find((z) => insideAny(z.networks, ip));
  const from = (z: ZoneFacts | undefined) => ({
    from: z?.id ?? 'unknown (treat as internet)',
    fromKind: z?.kind ?? 'unknown',
  });
  const rows: ReachabilityRow[] = [];
  for (const s of stacks) {
    for (const { body } of resources(s, 'helm_release')) {
      const cluster = facts.clusters.get(providerAlias(body.provider) ?? '');
      if (!cluster) continue;
      const ns = facts.namespaces.get(`${cluster.id}/${String(body.namespace)}`) ?? {};
      const pillar = ns[Labels.pillar] ? `Säule ${ns[Labels.pillar]}` : (ns[Labels.service] ?? '-');
      let values: unknown = {};
      try {
        values = releaseValues(body).values;
      } catch {
        continue;
      }
      if (chartName(body.chart) === 'nginx-ingress-services') {
        const ingressClass = valueAt(values, 'config.ingressClass');
        for (const host of new Set(Object.values((valueAt(values, 'config.dns') ?? {}) as object))) {
          rows.push({
            ...from(typeof ingressClass === 'string' ? zoneByIngressClass.get(ingressClass) : undefined),
            stack: s.name,
            cluster: cluster.id,
            pillar,
            endpoint: `https://${String(host)}:443`,
            via: `ingress class ${String(ingressClass ?? '(chart default)')}`,
          });
        }
      }
      if (chartName(body.chart) === 'ingress-nginx-controller') {
        const lbClass = field(valueAt(values, 'ingress-nginx.controller.service') ?? {}, 'loadBalancerClass');
        const zone = typeof lbClass === 'string' ? zoneByLbClass.get(lbClass) : undefined;
        rows.push({
          ...from(zone),
          stack: s.name,
          cluster: cluster.id,
          pillar: 'zone edge',
          endpoint: 'tcp/80, tcp/443 (ingress controller)',
          via: `load balancer class ${String(lbClass ?? '(none)')}`,
        });
      }
    }
    for (const { body } of resources(s, 'kubernetes_annotations')) {
      const cluster = facts.clusters.get(providerAlias(body.provider) ?? '');
      const ip = field(body.annotations, AnnotationKeys.externalIp);
      if (!cluster || !ip) continue;
      const inst = wireInstanceOf(facts, s.name);
      rows.push({
        ...from(zoneOfIp(String(ip))),
        stack: s.name,
        cluster: cluster.id,
        pillar: inst ? `Säule ${inst.pillar}` : '-',
        endpoint: `udp ${String(ip)} (TURN/SFT media)`,
        via: `calling node ${String(field(body.metadata, 'name'))}`,
      });
    }
  }
  return rows;
}

export function reachabilityMarkdown(rows: readonly ReachabilityRow[]): string {
  const internetToP1 = rows.filter((r) => r.fromKind !== 'ndb' && r.pillar === 'Säule 1');
  const lines = [
    '# Erreichbarkeit / Reachability',
    '',
    `Säule 1 from outside the NdB: ${internetToP1.length === 0 ? '**not reachable**' : `**${internetToP1.length} endpoint(s) reachable**`}`,
    '',
    '| from zone | kind | pillar | endpoint | via | cluster | stack |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) => `| ${r.from} | ${r.fromKind} | ${r.pillar} | ${r.endpoint} | ${r.via} | ${r.cluster} | ${r.stack} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
