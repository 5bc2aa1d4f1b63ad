/**
 * Domain rules of an agency's data protection steps: what it still must do (name a DPO, an AVV with each processor,
 * a DSFA, a deletion concept, a Dienstvereinbarung, VS-NfD approved devices on Säule 1). The agency's to-do list
 * (stacks/tenant-stack.ts) and the compliance rules are both built from these.
 */
import type { Tenant } from '../model';
import type { TenantConfig } from '../schema';
import { missingAgreements, type Processing } from './processors';

type Dsfa = NonNullable<TenantConfig['dataProtection']>['dsfa'];

/** The data protection officer (Art. 37 DSGVO) is not named. */
export function dataProtectionOfficerMissing(tenant: TenantConfig): boolean {
  return !tenant.dataProtection?.dataProtectionOfficer;
}

/** Whether a planned DSFA is overdue on a day (`YYYY-MM-DD`): its due date, when it lies before that day. */
function dsfaOverdue(dsfa: Dsfa, asOf: string | undefined): string | undefined {
  return asOf && dsfa?.status === 'planned' && dsfa.due && dsfa.due < asOf ? dsfa.due : undefined;
}

/** What is open of the data protection impact assessment (Art. 35 DSGVO). */
export type OpenDsfa =
  | { readonly state: 'undeclared' }
  | { readonly state: 'planned'; readonly due?: string; readonly overdue?: string };

/**
 * The open DSFA step: undeclared, or planned (overdue when its due date lies before `asOf`, {@link dsfaOverdue});
 * none when it is done or not required.
 */
export function openDsfa(tenant: TenantConfig, asOf: string | undefined): OpenDsfa | undefined {
  const dsfa = tenant.dataProtection?.dsfa;
  if (!dsfa) return { state: 'undeclared' };
  if (dsfa.status !== 'planned') return undefined;
  const overdue = dsfaOverdue(dsfa, asOf);
  return { state: 'planned', ...(dsfa.due ? { due: dsfa.due } : {}), ...(overdue ? { overdue } : {}) };
}

/** No deletion concept (retention and deletion periods per data category) is recorded. */
export function retentionMissing(tenant: TenantConfig): boolean {
  return !tenant.dataProtection?.retention;
}

/** No Dienstvereinbarung on the use of the messengers is recorded. */
export function serviceAgreementMissing(tenant: TenantConfig): boolean {
  return !tenant.dataProtection?.serviceAgreement;
}

/** The agency uses Wire Bund Säule 1 (up to VS-NfD) and does not declare that it uses VS-NfD approved devices. */
export function vsNfdDevicesUndeclared(tenant: Tenant): boolean {
  return tenant.wirePillars.some((p) => p.pillar === 1) && !tenant.dataProtection?.vsNfdApprovedDevices;
}

/** An open data protection step of an agency. */
export type DataProtectionStep =
  | { readonly step: 'agreement'; readonly processing: Processing }
  | { readonly step: 'vsnfd-devices' }
  | { readonly step: 'dpo' }
  | { readonly step: 'dsfa'; readonly dsfa: OpenDsfa }
  | { readonly step: 'retention' }
  | { readonly step: 'service-agreement' };

/** The compliance rule that reports each step (none for the deletion concept, which only the report lists). */
export const DATA_PROTECTION_STEP_RULES: Readonly<Record<DataProtectionStep['step'], string | undefined>> = {
  agreement: 'DS-AVV',
  'vsnfd-devices': 'VSNFD-DEVICES',
  dpo: 'DS-DPO',
  dsfa: 'DS-DSFA',
  retention: undefined,
  'service-agreement': 'DS-DIENSTVEREINBARUNG',
};

/**
 * The data protection steps an agency still must take, on a day (`YYYY-MM-DD`; a planned DSFA due before it is
 * overdue): an AVV with each processor ({@link missingAgreements}), VS-NfD devices on Säule 1, a DPO, the DSFA, a
 * deletion concept, a Dienstvereinbarung.
 */
export function openDataProtectionSteps(tenant: Tenant, asOf: string | undefined): DataProtectionStep[] {
  const dsfa = openDsfa(tenant, asOf);
  return [
    ...missingAgreements(tenant).map((processing) => ({ step: 'agreement' as const, processing })),
    ...(vsNfdDevicesUndeclared(tenant) ? [{ step: 'vsnfd-devices' as const }] : []),
    ...(dataProtectionOfficerMissing(tenant) ? [{ step: 'dpo' as const }] : []),
    ...(dsfa ? [{ step: 'dsfa' as const, dsfa }] : []),
    ...(retentionMissing(tenant) ? [{ step: 'retention' as const }] : []),
    ...(serviceAgreementMissing(tenant) ? [{ step: 'service-agreement' as const }] : []),
  ];
}
