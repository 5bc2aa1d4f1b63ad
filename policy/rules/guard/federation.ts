/**
 * P1-FEDERATION: Säule 1 federates only with declared instances in the NdB (config/domain `pillarMayFederateWith`):
 * its pillar's partners (`locals.wire_instance`, as the facts parse it: facts that do not parse are a finding),
 * wire-server's domain configs (never the strategy allowAll), BundesMessenger's whitelist (set), and the DNS entries
 * of its zone edge point only at the NdB's load balancer class (an entry it cannot read is a finding).
 */
import { pillarMayFederateWith } from '../../../config/domain';
import { parseFederatorSrvDnsEntry, parseWellKnownDnsEntry, parseZoneEdgeDnsEntry } from '../../../constructs/facts';
import { field, items, valueAt } from '../../synthesized-view';
import type { StackSite } from './context';
import type { GuardRule } from './rule';
import { flag, type GuardResult } from './scope';

/**
 * What is wrong with a DNS entry of a stack in an NdB zone, if anything: a zone-edge entry ({@link
 * parseZoneEdgeDnsEntry}) must name the zone's load balancer class. The stacks write only zone-edge entries, the
 * federator's SRV record and a SaaS agency's `.well-known/matrix` files (served by the agency's own web server, not
 * by this cluster), all through constructs/facts.ts; any other entry cannot be read and is a finding (fail closed).
 */
function dnsEntryProblem(entry: unknown, loadBalancerClass: string): string | undefined {
  const text = typeof entry === 'string' ? entry : undefined;
  const edge = text === undefined ? undefined : parseZoneEdgeDnsEntry(text);
  if (edge) {
    return edge.loadBalancerClass === loadBalancerClass
      ? undefined
      : `DNS entry points to load balancer class ${edge.loadBalancerClass}, outside the NdB`;
  }
  if (text !== undefined && (parseFederatorSrvDnsEntry(text) || parseWellKnownDnsEntry(text))) return undefined;
  return `DNS entry ${JSON.stringify(entry) ?? String(entry)} is neither a zone-edge entry, the federator's SRV record nor a .well-known/matrix file: the guard cannot tell where it points`;
}

/** One stack's federation: its instance's partners, its wire-server releases, its DNS entries. */
function* stackFindings(site: StackSite): Iterable<GuardResult> {
  const at = (resource: string, message: string): GuardResult => ({
    stack: site.stack,
    resource,
    message,
    position: site.position,
  });
  const read = site.instance;
  const ndbDomains = new Set<unknown>();
  if (read && 'malformed' in read) {
    // fail closed: an instance whose facts do not parse may be Säule 1, and its federation cannot be judged
    yield at(
      'locals.wire_instance',
      `the stack's Wire instance facts are malformed (${read.malformed.join(', ')}): its federation cannot be judged`,
    );
  } else if (read && (read.fact.pillar === 1 || site.cluster?.zone.kind === 'ndb')) {
    const inst = read.fact;
    for (const p of inst.partners) {
      if (!pillarMayFederateWith(1, p.zoneKind))
        yield at(
          'locals.wire_instance',
          `Säule-1 instance '${inst.id}' federates with '${p.domain}' in zone '${p.zone}' (${p.zoneKind})`,
        );
      else ndbDomains.add(p.domain);
    }
  }
  for (const { scope, chart, values } of site.releases) {
    if (chart !== 'wire-server' || !('values' in values)) continue;
    const opt = valueAt(values.values, 'brig.config.optSettings') ?? {};
    if (field(opt, 'setFederationStrategy') === 'allowAll')
      yield at(scope.address, 'setFederationStrategy allowAll federates with any backend, also outside the NdB');
    for (const d of items(field(opt, 'setFederationDomainConfigs'))) {
      const domain = field(d, 'domain');
      if (!ndbDomains.has(domain))
        yield at(scope.address, `federation with '${domain}', which is not a declared NdB instance`);
    }
  }
  if (site.cluster?.zone.kind === 'ndb') {
    for (const entry of items(site.dnsEntries)) {
      const problem = dnsEntryProblem(entry, site.cluster.zone.loadBalancerClass);
      if (problem !== undefined) yield at('output.dns_entries', problem);
    }
  }
}

export const federationRule: GuardRule<'P1-FEDERATION'> = {
  id: 'P1-FEDERATION',
  level: 'error',
  unsuppressible: true,
  explanation: 'a federation link or DNS entry to an instance outside the NdB',
  *check({ releases, stacks }) {
    for (const { scope, chart, values } of releases) {
      if (chart !== 'bundesmessenger' || !('values' in values)) continue;
      if (!Array.isArray(valueAt(values.values, 'extraConfig.federation_domain_whitelist')))
        yield flag(
          scope,
          'bundesmessenger: extraConfig.federation_domain_whitelist is unset, so the server federates with everyone',
          2,
        );
    }
    for (const site of stacks) yield* stackFindings(site);
  },
};
