/**
 * The compliance pack: data protection (DS-*), VS-NfD (VSNFD-*), the Wire profile of the pillars (WIRE-PROFILE),
 * read on the validated model, and BSI IT-Grundschutz (BSI-*), read on the synthesized stacks. One unit per rule,
 * in the order of the catalogue; the engine (policy/engine.ts) runs them. A new rule is one file here and one line
 * below; a unit that names BSI requirements (`covers`) adds its rows to the reports' coverage table.
 */
import { bsiClusterSeparation } from './bsi-app-4-4-a15';
import { bsiNetworkSeparation } from './bsi-app-4-4-a7';
import { bsiResourceLimits } from './bsi-sys-1-6-a15';
import { bsiPodSecurity } from './bsi-sys-1-6-a17';
import { bsiImages } from './bsi-sys-1-6-a6';
import type { ComplianceContext, ComplianceUnit, ModelContext, StackContext } from './context';
import { dsAvv } from './ds-avv';
import { dsConsent } from './ds-consent';
import { dsDienstvereinbarung } from './ds-dienstvereinbarung';
import { dsDpo } from './ds-dpo';
import { dsDsfa } from './ds-dsfa';
import { dsLegalBasis } from './ds-legal-basis';
import { dsMatrixPrivacy } from './ds-matrix-privacy';
import { dsPresence } from './ds-presence';
import { dsVirusScan } from './ds-virus-scan';
import { vsnfdDevices } from './vsnfd-devices';
import { vsnfdProducts } from './vsnfd-products';
import { wireProfile } from './wire-profile';

/** The rules on the validated model: data protection and VS-NfD per agency, the Wire profile per pillar. */
export const MODEL_UNITS: readonly ComplianceUnit<ModelContext>[] = [
  dsLegalBasis,
  dsConsent,
  dsAvv,
  dsDienstvereinbarung,
  dsDpo,
  dsDsfa,
  dsPresence,
  dsVirusScan,
  dsMatrixPrivacy,
  vsnfdDevices,
  vsnfdProducts,
  wireProfile,
];

/** The BSI IT-Grundschutz rules on the synthesized stacks. */
export const STACK_UNITS: readonly ComplianceUnit<StackContext>[] = [
  bsiNetworkSeparation,
  bsiClusterSeparation,
  bsiPodSecurity,
  bsiImages,
  bsiResourceLimits,
];

/** The whole pack, in the order of the catalogue (and of the findings). */
export const COMPLIANCE_PACK: readonly ComplianceUnit<ComplianceContext>[] = [...MODEL_UNITS, ...STACK_UNITS];
