/**
 * P1-FEDERATION: Säule 1 federates only with declared instances in the NdB: its pillar's partners (`locals.
 * wire_instance`), wire-server's domain configs (never the strategy allowAll), BundesMessenger's whitelist (set),
 * and the DNS entries of its zone edge point only at the NdB's load balancer class (an entry it cannot read is a
 * finding).
 */
import { parseFederatorSrvDnsEntry, parseWellKnownDnsEntry, parseZoneEdgeDnsEntry } from '../../../constructs/facts';
import { field, items, valueAt } from '../../synthesized-view';
import { EXPOSURE_RULES } from './catalogue';
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
  const inst = site.instance;
  const ndbDomains = new Set<unknown>();
  if (inst && (field(inst, 'pillar') === 1 || site.cluster?.zone.kind === 'ndb')) {
    for (const p of items(field(inst, 'partners'))) {
      const zoneKind = field(p, 'zoneKind');
      if (zoneKind !== 'ndb')
        yield at(
          'locals.wire_instance',
          `Säule-1 instance '${field(inst, 'id')}' federates with '${field(p, 'domain')}' in zone '${field(p, 'zone')}' (${zoneKind})`,
        );
      else ndbDomains.add(field(p, 'domain'));
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

export const federationRule: GuardRule = {
  id: 'P1-FEDERATION',
  level: 'error',
  unsuppressible: true,
  explanation: EXPOSURE_RULES['P1-FEDERATION'],
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
