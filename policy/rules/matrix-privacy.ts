/**
 * DS-MATRIX-PRIVACY: the privacy profile of each self-hosted BundesMessenger and BwMessenger (config/matrix-privacy.ts).
 * A setting weaker than its default (retention longer or forever, the whole user directory, profile lookups for all,
 * location sharing, the chart's DSGVO exporter) without a recorded reason is an error, and so is a tile server
 * outside the agency; the config refuses both already, so these errors guard models built in code. Weakened settings
 * with their reasons are listed as a note for the data protection officer. Messages are German (report).
 */
import type { Federation } from '../../config/model';
import { StackNames } from '../../config/naming';
import type { MatrixServerConfig, TenantConfig } from '../../config/schema';
import {
  MATRIX_PRIVACY_LABELS,
  MIN_REASON,
  reasonGiven,
  tileServerOutside,
  weakenedMatrixPrivacy,
} from '../../config/matrix-privacy';
import { formatPath } from '../../config/errors';
import type { ComplianceFinding } from '../compliance-rules';
import { fixMatrixText } from '../report/profiles';

export const MATRIX_PRIVACY_RULE = 'DS-MATRIX-PRIVACY';

/** The self-hosted Matrix servers of an agency, with their label and config path. */
function matrixServers(tenant: TenantConfig): Array<[label: string, key: string, server: MatrixServerConfig]> {
  const out: Array<[string, string, MatrixServerConfig]> = [];
  if (tenant.bundesMessenger?.mode === 'self-hosted')
    out.push(['BundesMessenger', 'bundesMessenger', tenant.bundesMessenger]);
  if (tenant.bwMessenger) out.push(['BwMessenger', 'bwMessenger', tenant.bwMessenger]);
  return out;
}

/** DS-MATRIX-PRIVACY for one agency: errors for weakenings without reason, one note listing those with reasons. */
export function matrixPrivacyFindings(federation: Federation, tenant: TenantConfig): ComplianceFinding[] {
  const out: ComplianceFinding[] = [];
  for (const [label, key, server] of matrixServers(tenant)) {
    const at = (f: Pick<ComplianceFinding, 'level' | 'message'>): ComplianceFinding => ({
      rule: MATRIX_PRIVACY_RULE,
      tenant: tenant.id,
      ...(federation.clusters.some((c) => c.id === server.cluster)
        ? { stack: StackNames.tenant(server.cluster, tenant.id) }
        : {}),
      ...f,
    });
    const where = (path: readonly (string | number)[]) => `${key}.${formatPath(path)}`;
    const weakened = weakenedMatrixPrivacy(server.privacy);
    const listed: string[] = [];
    for (const w of weakened) {
      if (reasonGiven(w.reason)) {
        listed.push(`${MATRIX_PRIVACY_LABELS[w.setting]}: ${fixMatrixText(w.description)}. Begründung: ${w.reason}`);
      } else {
        out.push(
          at({
            level: 'error',
            message: `${tenant.name}: ${label}: ${MATRIX_PRIVACY_LABELS[w.setting]}: ${fixMatrixText(w.description)}, ohne Begründung; ${where(w.path)} zurücksetzen oder eine Begründung (reason, mindestens ${MIN_REASON} Zeichen) angeben`,
          }),
        );
      }
    }
    const ls = server.privacy.locationSharing;
    if (ls?.enabled) {
      const outside = tileServerOutside(ls.tileServer, server.serverName);
      if (outside)
        out.push(
          at({
            level: 'error',
            message: `${tenant.name}: ${label}: der Kartendienst ${ls.tileServer} liegt nicht in der Behörde (weder ${server.serverName} noch darunter): ein fremder Kartendienst erfährt die IP-Adresse jedes Geräts und den gezeigten Kartenausschnitt, also den geteilten Standort; einen eigenen Kartendienst unter ${server.serverName} angeben oder Standort teilen abschalten`,
          }),
        );
    }
    if (listed.length > 0)
      out.push(
        at({
          level: 'info',
          message: `${tenant.name}: ${label}: Datenschutzprofil mit begründeten Abweichungen vom Standard: ${listed.join(' | ')}`,
        }),
      );
  }
  return out;
}
