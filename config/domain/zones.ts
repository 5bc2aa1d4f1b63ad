/** Domain rules of network zones: what a zone may carry, who may federate across zones, what is internet-only. */
import { CLASSIFICATIONS, type Classification, type ZoneKind } from '../schema';

/** The facts of a zone the rules read (a zone of the config, of the model or of a construct). */
export interface ZoneFacts {
  readonly id: string;
  readonly kind: ZoneKind;
  /** As declared; undefined takes the default of the kind ({@link zoneMaxClassification}). */
  readonly maxClassification?: Classification;
}

/** The highest classification a zone may carry: as declared, by default VS-NfD in the NdB and `offen` elsewhere. */
export function zoneMaxClassification(zone: Pick<ZoneFacts, 'kind' | 'maxClassification'>): Classification {
  return zone.maxClassification ?? (zone.kind === 'ndb' ? 'VS-NfD' : 'offen');
}

/** Whether a zone of this kind may be declared for a classification: VS-NfD only in zones of kind `ndb`. */
export function zoneKindMayCarry(kind: ZoneKind, classification: Classification): boolean {
  return classification !== 'VS-NfD' || kind === 'ndb';
}

/** Whether a zone may carry data of a classification: the classification is at most the zone's maximum. */
export function zoneMayCarry(
  zone: Pick<ZoneFacts, 'kind' | 'maxClassification'>,
  classification: Classification,
): boolean {
  return CLASSIFICATIONS.indexOf(classification) <= CLASSIFICATIONS.indexOf(zoneMaxClassification(zone));
}

/** Servers in two zones may federate (and reach each other): zones of one kind, or both declaring the other. */
export function zonesMayFederate(
  a: { readonly id: string; readonly kind: string; readonly allowFederationWith: readonly string[] },
  b: { readonly id: string; readonly kind: string; readonly allowFederationWith: readonly string[] },
): boolean {
  return a.kind === b.kind || (a.allowFederationWith.includes(b.id) && b.allowFederationWith.includes(a.id));
}

/** Public ACME certificates (a CA on the internet) are only for clusters in the internet zone. */
export function acmeAllowedIn(zone: Pick<ZoneFacts, 'kind'>): boolean {
  return zone.kind === 'internet';
}

/** Open Matrix federation (with every server) is only for servers in the internet zone. */
export function openFederationAllowedIn(zone: Pick<ZoneFacts, 'kind'>): boolean {
  return zone.kind === 'internet';
}

/** The federation's internet zone: the first zone of kind `internet`, where SaaS offers are reached. */
export function internetZoneOf<Z extends Pick<ZoneFacts, 'kind'>>(zones: readonly Z[]): Z | undefined {
  return zones.find((z) => z.kind === 'internet');
}
