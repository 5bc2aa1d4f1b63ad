/**
 * German labels for the compliance reports: the enum values of the config (tenant, zone and operator kinds, legal
 * bases, finding levels) and the English texts that constructs record in the synthesized JSON (reasons for Pod
 * Security exceptions, images that values cannot redirect). The reports show these labels, never the raw values.
 * Plain data (no I/O): the compliance rules use it too. The maps of config values are keyed by the config's types, so
 * a new tenant kind, zone kind or legal basis does not compile until it has its German label.
 */
import type { LegalBasis, TenantKind, ZoneKind } from '../../config/schema';

export const TENANT_KIND_LABELS: Readonly<Record<TenantKind, string>> = {
  'federal-ministry': 'Bundesministerium',
  'federal-authority': 'Bundesbehörde',
  'land-authority': 'Landesbehörde',
  municipality: 'Kommune',
  bundeswehr: 'Bundeswehr',
};

export const ZONE_KIND_LABELS: Readonly<Record<ZoneKind, string>> = {
  ndb: 'Netze des Bundes (NdB)',
  grundschutz: 'IT-Grundschutz-Netz',
  internet: 'Internet',
};

/** Labels of the legal bases for federal bodies (BDSG) and Bundeswehr. */
const LEGAL_BASIS_LABELS: Readonly<Record<LegalBasis, string>> = {
  'public-task': 'Wahrnehmung einer öffentlichen Aufgabe (Art. 6 Abs. 1 lit. e DSGVO, § 3 BDSG)',
  'employment-relationship': 'Beschäftigungsverhältnis (Art. 88 DSGVO, § 26 BDSG)',
  consent: 'Einwilligung (für Beschäftigte unzulässig)',
};

/** Labels of the legal bases for bodies of a Land (Landesbehörde, Kommune): the Land's data protection act applies. */
export const LAND_LEGAL_BASIS_LABELS: Readonly<Record<LegalBasis, string>> = {
  'public-task':
    'Wahrnehmung einer öffentlichen Aufgabe (Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit dem Landesdatenschutzgesetz des Landes)',
  'employment-relationship':
    'Beschäftigungsverhältnis (Art. 88 DSGVO in Verbindung mit dem Landesdatenschutzgesetz des Landes)',
  consent: 'Einwilligung (für Beschäftigte unzulässig)',
};

/** Whether a tenant kind is a body of a Land (Land data protection act, Land commissioner) rather than federal. */
const isLandBody = (kind: TenantKind): boolean => kind === 'land-authority' || kind === 'municipality';

/** The label of a legal basis for a tenant of that kind. */
export const legalBasisLabel = (basis: LegalBasis, kind: TenantKind): string =>
  label(isLandBody(kind) ? LAND_LEGAL_BASIS_LABELS : LEGAL_BASIS_LABELS, basis);

/** The supervisory authority for data protection of a tenant kind, as subject of a sentence (capitalised). */
export const supervisor = (kind: TenantKind): string =>
  isLandBody(kind) ? 'Die oder der Landesbeauftragte für den Datenschutz' : 'Der BfDI';

export const LEVEL_LABELS = { error: 'Fehler', warning: 'Warnung', info: 'Hinweis' } as const;

/** A label for a config value; an unknown value is shown as it is (it is a code, never free text). */
export const label = (labels: Readonly<Record<string, string>>, value: string): string => labels[value] ?? value;

/** `YYYY-MM-DD` as `DD.MM.YYYY`; anything else unchanged. */
export function germanDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/**
 * German versions of the texts that constructs and chart descriptors record in English: the reasons of Pod
 * Security exceptions (namespace annotation `AnnotationKeys.podSecurityReason`, constructs/facts.ts) and the images a chart's values
 * cannot redirect. A test holds every such text of the project to this table.
 */
export const CONSTRUCT_TEXTS_DE: Readonly<Record<string, string>> = {
  'sftd and coturn run with hostNetwork on the dedicated calling node pool (Wire requirement)':
    'sftd und coturn laufen mit hostNetwork auf dem eigenen Calling-Node-Pool (Vorgabe von Wire)',
  "wire-server 5.32's post-install hook Jobs spar-migrate-data and brig-index-migrate-data set no securityContext and take none from values; every other pod of the namespace meets restricted (checked on the rendered chart)":
    'die Post-Install-Hook-Jobs spar-migrate-data und brig-index-migrate-data von wire-server 5.32 setzen keinen securityContext und übernehmen keinen aus den Werten; alle übrigen Pods des Namespace erfüllen restricted (am gerenderten Chart geprüft)',
  'the ingress-nginx controller binds ports 80/443 and escalates privileges for its nginx workers':
    'der ingress-nginx-Controller bindet die Ports 80/443 und erweitert für seine nginx-Worker die Rechte',
  'the ldap-scim-bridge chart 5.32 sets no securityContext on its CronJob and takes none from values; the namespace holds nothing else':
    'das Chart ldap-scim-bridge 5.32 setzt für seinen CronJob keinen securityContext und übernimmt keinen aus den Werten; der Namespace enthält sonst nichts',
  'alpine:3.21.3 (hard-coded in the cannon StatefulSet and the cassandra-migrations Job)':
    'alpine:3.21.3 (fest eingetragen im StatefulSet von cannon und im Job cassandra-migrations)',
  'the images of the Bitnami subcharts that the chart does not set (redis and postgresql helpers)':
    'die Images der Bitnami-Subcharts, die das Chart nicht setzt (Hilfsprogramme für redis und postgresql)',
  'the join-call proxy and helper images of sftd 0.135.0 (the chart is not in the mirror; not known here)':
    'die Images des Join-Call-Proxys und der Hilfsprogramme von sftd 0.135.0 (Chart nicht im Spiegel; hier unbekannt)',
  'a demo chart (pilot only): its images keep the chart defaults':
    'ein Demo-Chart (nur Pilot): seine Images bleiben die Vorgaben des Charts',
  'the helper images of coturn 4.6.2-federation-wireapp.47 (the chart is not in the mirror; not known here)':
    'die Images der Hilfsprogramme von coturn 4.6.2-federation-wireapp.47 (Chart nicht im Spiegel; hier unbekannt)',
};

/** The German version of a construct text; an unknown text is quoted as recorded (`Originaltext: ...`). */
export const germanText = (text: string): string => CONSTRUCT_TEXTS_DE[text] ?? `Originaltext: ${text}`;
