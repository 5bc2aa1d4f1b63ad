/** Domain rule of data processing: which operators process data for an agency (its processors, Art. 28 DSGVO). */
import type { Federation, Tenant } from '../model';
import { resolvedTenant } from '../resolve';
import type { TenantConfig } from '../schema';

/** The service name of the `.well-known/matrix` delegation a cluster of the federation serves for a SaaS agency. */
export const WELL_KNOWN_SERVICE = 'BundesMessenger (.well-known-Delegation der Domain)';

/** An operator that processes data for an agency, and for which service. */
export interface Processor {
  readonly operator: string;
  readonly name: string;
  readonly service: string;
}

/**
 * The operators (processors) whose services a tenant uses, with what for: the operators of its Wire pillars, the
 * SaaS provider of its BundesMessenger, the operators of the clusters that run its BundesMessenger, its BwMessenger
 * and its `.well-known/matrix` delegation (which sees the addresses of its clients). Never the agency itself; each
 * operator and service once.
 */
export function processorsOf(
  federation: Federation,
  tenant: TenantConfig | Tenant,
): Array<{ operator: string; name: string; service: string }> {
  const t = resolvedTenant(federation, tenant);
  const out: Processor[] = [];
  const byOther = (operator: { readonly id: string; readonly name: string }, service: string) => {
    if (operator.id !== t.id) out.push({ operator: operator.id, name: operator.name, service });
  };
  for (const p of t.wirePillars) byOther(p.operator, `Wire Bund Säule ${p.pillar}`);
  const bum = t.bundesMessengerService;
  if (bum?.mode === 'saas') {
    out.push({
      operator: bum.config.provider,
      name: bum.provider?.name ?? bum.config.provider,
      service: 'BundesMessenger (SaaS)',
    });
    // the cluster that serves the agency's domain (.well-known/matrix) sees the addresses of its clients
    if (bum.wellKnownCluster) byOther(bum.wellKnownCluster.operator, WELL_KNOWN_SERVICE);
  }
  if (bum?.mode === 'self-hosted') byOther(bum.cluster.operator, 'BundesMessenger (Cluster-Betrieb)');
  if (t.bwMessengerService) byOther(t.bwMessengerService.cluster.operator, 'BwMessenger');
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(`${p.operator}|${p.service}`) && seen.add(`${p.operator}|${p.service}`));
}
