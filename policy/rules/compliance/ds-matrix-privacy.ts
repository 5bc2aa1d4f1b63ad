/**
 * DS-MATRIX-PRIVACY: the privacy profile of each self-hosted BundesMessenger and BwMessenger (config/matrix-privacy.ts).
 * A setting weaker than its default (retention longer or forever, the whole user directory, profile lookups for all,
 * location sharing, the chart's DSGVO exporter) without a recorded reason is an error, and so is a tile server
 * outside the agency; the config refuses both already, so these errors guard models built in code. Weakened settings
 * with their reasons are listed in one note for the data protection officer. Messages are German (report).
 */
import { formatPath } from '../../../config/errors';
import {
  MATRIX_PRIVACY_LABELS,
  MIN_REASON,
  reasonGiven,
  tileServerOutside,
  weakenedMatrixPrivacy,
} from '../../../config/matrix-privacy';
import type { Tenant } from '../../../config/model';
import { StackNames } from '../../../config/naming';
import type { RuleResult } from '../../engine';
import { fixMatrixText } from '../../report/profiles';
import type { ComplianceUnit, ModelContext } from './context';
import { ownMatrixServers } from './matrix-servers';

/** Errors for weakenings without reason and a tile server outside the agency, one note listing those with reasons. */
function* agencyFindings(tenant: Tenant): Generator<RuleResult> {
  for (const { label, key, server, cluster } of ownMatrixServers(tenant)) {
    const place = { tenant: tenant.id, stack: StackNames.tenant(cluster.id, tenant.id) };
    const where = (path: readonly (string | number)[]) => `${key}.${formatPath(path)}`;
    const listed: string[] = [];
    for (const w of weakenedMatrixPrivacy(server.privacy)) {
      if (reasonGiven(w.reason)) {
        listed.push(`${MATRIX_PRIVACY_LABELS[w.setting]}: ${fixMatrixText(w.description)}. Begründung: ${w.reason}`);
      } else {
        yield {
          ...place,
          message: `${tenant.name}: ${label}: ${MATRIX_PRIVACY_LABELS[w.setting]}: ${fixMatrixText(w.description)}, ohne Begründung; ${where(w.path)} zurücksetzen oder eine Begründung (reason, mindestens ${MIN_REASON} Zeichen) angeben`,
        };
      }
    }
    const ls = server.privacy.locationSharing;
    if (ls?.enabled && tileServerOutside(ls.tileServer, server.serverName))
      yield {
        ...place,
        message: `${tenant.name}: ${label}: der Kartendienst ${ls.tileServer} liegt nicht in der Behörde (weder ${server.serverName} noch darunter): ein fremder Kartendienst erfährt die IP-Adresse jedes Geräts und den gezeigten Kartenausschnitt, also den geteilten Standort; einen eigenen Kartendienst unter ${server.serverName} angeben oder Standort teilen abschalten`,
      };
    if (listed.length > 0)
      yield {
        ...place,
        message: `${tenant.name}: ${label}: Datenschutzprofil mit begründeten Abweichungen vom Standard: ${listed.join(' | ')}`,
        variant: 'reasoned',
      };
  }
}

export const dsMatrixPrivacy: ComplianceUnit<ModelContext> = {
  id: 'DS-MATRIX-PRIVACY',
  level: 'error',
  explanation:
    'BundesMessenger/BwMessenger: Aufbewahrung, Nutzerverzeichnis, Profilabfragen, Standort teilen nur mit Begründung schwächer als der Standard',
  variants: { reasoned: 'info' },
  *check({ federation }) {
    for (const t of federation.tenants) yield* agencyFindings(t);
  },
};
