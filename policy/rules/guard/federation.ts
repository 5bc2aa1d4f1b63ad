/**
 * P1-FEDERATION: Säule 1 federates only with declared instances in the NdB: its pillar's partners (`locals.
 * wire_instance`), wire-server's domain configs (never the strategy allowAll), BundesMessenger's whitelist (set),
 * and the DNS entries of its zone edge point only at the NdB's load balancer class.
 */
import { parseZoneEdgeDnsEntry } from '../../../constructs/facts';
import { EXPOSURE_RULES } from './catalogue';
import type { StackSite } from './context';
import { field, items, valueAt } from './json';
import type { GuardRule } from './rule';
import { flag, type GuardResult } from './scope';

/** The load balancer class a DNS entry points at: the zone-edge form, or any entry that names a class. */
function dnsClass(entry: unknown): string | undefined {
  const text = String(entry);
  return parseZoneEdgeDnsEntry(text)?.loadBalancerClass ?? /class (\S+)\)/.exec(text)?.[1];
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
      const cls = dnsClass(entry);
      if (cls !== undefined && cls !== site.cluster.zone.loadBalancerClass)
        yield at('output.dns_entries', `DNS entry points to load balancer class ${cls}, outside the NdB`);
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
