/** Domain rule of data processing: which operators process data for an agency (its processors, Art. 28 DSGVO). */
import type { Cluster, Federation, HostedMatrixServer, Operator, Tenant, WirePillar } from '../model';
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

/** What a processor runs for the agency: a Wire pillar, the SaaS BundesMessenger, a Matrix server or delegation. */
export type ProcessedService =
  | { readonly kind: 'wire-pillar'; readonly pillar: WirePillar }
  | { readonly kind: 'saas'; readonly provider?: Operator }
  | { readonly kind: 'well-known'; readonly cluster: Cluster }
  | { readonly kind: 'matrix-server'; readonly server: HostedMatrixServer };

/** A processor together with the service of the agency it runs ({@link processingsOf}). */
export interface Processing extends Processor {
  readonly of: ProcessedService;
}

/**
 * Whether the agency operates it itself (self-hosting): the operator is the agency (operator id = tenant id). Such
 * an operator is no processor of the agency, and the agency is named as the operator of the service.
 */
export function operatedByAgency(operator: { readonly id: string }, tenant: { readonly id: string }): boolean {
  return operator.id === tenant.id;
}

/**
 * Each use of another operator's service by a tenant, in order: the operators of its Wire pillars, the SaaS
 * provider of its BundesMessenger, the operator of the cluster that serves its `.well-known/matrix` delegation (it
 * sees the addresses of its clients), the operators of the clusters of its BundesMessenger and BwMessenger. Never
 * the agency itself ({@link operatedByAgency}); not de-duplicated ({@link processorsOf} is).
 */
function processingsOf(tenant: Tenant): Processing[] {
  const out: Processing[] = [];
  const byOther = (operator: Operator, service: string, of: ProcessedService) => {
    if (!operatedByAgency(operator, tenant)) out.push({ operator: operator.id, name: operator.name, service, of });
  };
  for (const p of tenant.wirePillars)
    byOther(p.operator, `Wire Bund Säule ${p.pillar}`, { kind: 'wire-pillar', pillar: p });
  const bum = tenant.bundesMessengerService;
  if (bum?.mode === 'saas') {
    out.push({
      operator: bum.config.provider,
      name: bum.provider?.name ?? bum.config.provider,
      service: 'BundesMessenger (SaaS)',
      of: { kind: 'saas', provider: bum.provider },
    });
    const cluster = bum.wellKnownCluster;
    if (cluster) byOther(cluster.operator, WELL_KNOWN_SERVICE, { kind: 'well-known', cluster });
  }
  for (const server of tenant.matrixServers)
    byOther(
      server.cluster.operator,
      server.product === 'bundesmessenger' ? 'BundesMessenger (Cluster-Betrieb)' : 'BwMessenger',
      { kind: 'matrix-server', server },
    );
  return out;
}

/** Each operator and service once, in order, without what it runs. */
export function distinctProcessors(processings: readonly Processor[]): Processor[] {
  const seen = new Set<string>();
  return processings
    .filter((p) => !seen.has(`${p.operator}|${p.service}`) && seen.add(`${p.operator}|${p.service}`))
    .map(({ operator, name, service }) => ({ operator, name, service }));
}

/**
 * The operators (processors) whose services a tenant uses, with what for ({@link processingsOf}): each operator and
 * service once. A plain TenantConfig (a model built in code) is resolved against the federation first.
 */
export function processorsOf(federation: Federation, tenant: TenantConfig | Tenant): Processor[] {
  return distinctProcessors(processingsOf(resolvedTenant(federation, tenant)));
}

/** The data processing agreement (AVV, Art. 28 DSGVO) the tenant records with an operator, if any. */
export function agreementWith(tenant: TenantConfig, operatorId: string) {
  return tenant.dataProtection?.agreements.find((a) => a.processor === operatorId);
}

/** The open AVV steps of a tenant: each use of a processor's service with which it records no agreement. */
export function missingAgreements(tenant: Tenant): Processing[] {
  return processingsOf(tenant).filter((p) => !agreementWith(tenant, p.operator));
}
