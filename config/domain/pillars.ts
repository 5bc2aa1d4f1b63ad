/** Domain rules of the Wire Bund pillars (Säulen): their classification and where they may run. */
import type { Classification, STAGES, ZoneKind } from '../schema';
import { zoneMaxClassification, zoneMayCarry, type ZoneFacts } from './zones';

/** A Wire Bund pillar (Säule): 1 NdB (up to VS-NfD), 2 internet (external organisations), 3 Grundschutz. */
export type PillarNumber = 1 | 2 | 3;

/** The classification each Wire Bund pillar carries. */
export const PILLAR_CLASSIFICATION: Readonly<Record<PillarNumber, Classification>> = {
  1: 'VS-NfD',
  2: 'offen',
  3: 'offen',
};

/** Which zone kind each Wire Bund pillar (Säule) must run in: Säule 1 only in the NdB. */
export const PILLAR_ZONE_KIND: Readonly<Record<PillarNumber, ZoneKind>> = { 1: 'ndb', 2: 'internet', 3: 'grundschutz' };

/** The operator of a pillar that names none: ITZBund, which runs Säulen 1 and 3. */
export const DEFAULT_PILLAR_OPERATOR = 'itzbund';

/** Why a pillar may not run on a cluster in a zone. */
export type PillarPlacementProblem =
  | { readonly rule: 'zone-kind'; readonly wanted: ZoneKind }
  | { readonly rule: 'classification'; readonly needed: Classification; readonly max: Classification };

/**
 * Whether a pillar may run on a cluster in a zone: the zone is of the pillar's kind ({@link PILLAR_ZONE_KIND}; Säule 1
 * only in the NdB), and may carry the pillar's classification (at most its maxClassification). Empty when it may.
 */
export function pillarPlacementProblems(
  pillar: PillarNumber,
  zone: Pick<ZoneFacts, 'kind' | 'maxClassification'>,
): PillarPlacementProblem[] {
  const out: PillarPlacementProblem[] = [];
  const wanted = PILLAR_ZONE_KIND[pillar];
  if (zone.kind !== wanted) out.push({ rule: 'zone-kind', wanted });
  const needed = PILLAR_CLASSIFICATION[pillar];
  if (!zoneMayCarry(zone, needed)) out.push({ rule: 'classification', needed, max: zoneMaxClassification(zone) });
  return out;
}

/**
 * Whether a pillar may federate with an instance in a zone of the given kind (`unknown`/undefined: not declared):
 * Säule 1 only inside the NdB; the other pillars are not limited by this rule.
 */
export function pillarMayFederateWith(
  pillar: number | undefined,
  partnerZoneKind: ZoneKind | 'unknown' | undefined,
): boolean {
  return pillar !== 1 || partnerZoneKind === 'ndb';
}

/** The ephemeral demo datastores (no persistence, no backup) serve stage `pilot` only, never `production`. */
export function demoDatastoresAllowedIn(stage: (typeof STAGES)[number]): boolean {
  return stage !== 'production';
}
