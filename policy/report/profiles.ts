/**
 * The security and privacy profile of each service of an agency, for the report: one list of settings (German)
 * per service, and what is weaker than the preset with the reason the config records. Adapter between the report
 * and the profile modules of the config: Wire Bund pillars through `config/wire-profile.ts`, self-hosted
 * BundesMessenger and BwMessenger through `config/matrix-privacy.ts`. A SaaS offer has no profile here (its
 * settings are the provider's).
 */
import {
  describeMatrixPrivacy,
  effectiveMatrixPrivacy,
  FOREVER,
  lifetimeDays,
  MATRIX_PRIVACY_LABELS,
  weakenedMatrixPrivacy,
} from '../../config/matrix-privacy';
import type { Tenant } from '../../config/model';
import type { MatrixServerConfig, TenantConfig } from '../../config/schema';
import { describeWireProfile, effectiveWireProfile, WIRE_PROFILE_LABELS } from '../../config/wire-profile';

/**
 * Corrections of texts the config modules still word too strongly, applied until they carry the corrected wording
 * (each is then a no-op): Synapse's user directory with search_all_users false also finds the members of public
 * rooms, not only people one shares a room with.
 */
export const USER_DIRECTORY_DEFAULT_DE = 'Personen aus gemeinsamen Räumen und Mitglieder öffentlicher Räume';

const MATRIX_TEXT_FIXES: ReadonlyArray<readonly [string, string]> = [
  ['nur Personen aus gemeinsamen Räumen', USER_DIRECTORY_DEFAULT_DE],
  ['(Standard: nur aus gemeinsamen Räumen)', `(Standard: ${USER_DIRECTORY_DEFAULT_DE})`],
];

export const fixMatrixText = (text: string): string =>
  MATRIX_TEXT_FIXES.reduce((t, [from, to]) => (t.includes(to) ? t : t.split(from).join(to)), text);

/**
 * Galley's appLock feature carries no lockStatus in the chart's values (wire-server 5.32): an enforced app lock is
 * the default of new teams, and team admins can switch it off.
 */
const APP_LOCK_DEFAULT_NOTE =
  'als Voreinstellung erzwungen; Team-Admins können das ändern (keine Sperre über lockStatus im Chart)';

/** The client requests to third parties that the chart cannot switch off (open item of the report). */
export const CLIENT_THIRD_PARTIES_DE =
  'Anfragen der Clients an Dritte sind über das Chart nicht einstellbar: Integrationsmanager des Web-Clients, Jitsi für Videokonferenzen, voreingestellter Identitätsserver';

/** The third parties a self-hosted Matrix server contacts, from its privacy profile. */
function thirdPartiesText(server: MatrixServerConfig): string {
  const ls = effectiveMatrixPrivacy(server.privacy).locationSharing;
  return [
    'keine vom Server: keine Nutzungsstatistik an matrix.org, keine fremden Schlüssel-Server, keine oEmbed-Anbieter',
    ls.enabled ? `Karten nur vom Kartendienst der Behörde` : 'keine Kartenabrufe (Standort teilen aus)',
    `${CLIENT_THIRD_PARTIES_DE} (siehe offene Punkte)`,
  ].join('; ');
}

export interface ServiceProfile {
  readonly service: string;
  readonly settings: ReadonlyArray<{ readonly setting: string; readonly value: string }>;
  /** Settings weaker than the preset of the service, in German, each with the reason the config records. */
  readonly weakened: ReadonlyArray<{ readonly text: string; readonly reason?: string }>;
}

/** The self-hosted Matrix servers of an agency, with the name the report gives each. */
function matrixServersOf(t: TenantConfig): Array<[string, MatrixServerConfig]> {
  return [
    ...(t.bundesMessenger?.mode === 'self-hosted'
      ? [['BundesMessenger', t.bundesMessenger] as [string, MatrixServerConfig]]
      : []),
    ...(t.bwMessenger ? [['BwMessenger', t.bwMessenger] as [string, MatrixServerConfig]] : []),
  ];
}

/** The profiles of the services an agency uses. */
export function serviceProfiles(tenant: Tenant): ServiceProfile[] {
  const out: ServiceProfile[] = [];
  for (const pillar of tenant.wirePillars) {
    const eff = effectiveWireProfile(pillar);
    out.push({
      service: `Wire Bund Säule ${pillar.pillar} (${pillar.id})`,
      settings: describeWireProfile(eff.profile).map((x) =>
        x.setting === WIRE_PROFILE_LABELS.appLock &&
        eff.profile.appLock.status === 'enabled' &&
        eff.profile.appLock.enforced
          ? { ...x, value: x.value.replace(/^aktiviert, erzwungen/, `aktiviert, ${APP_LOCK_DEFAULT_NOTE}`) }
          : x,
      ),
      weakened: eff.weakened.map((text) => ({ text, ...(eff.reason !== undefined ? { reason: eff.reason } : {}) })),
    });
  }
  for (const [service, server] of matrixServersOf(tenant)) {
    out.push({
      service,
      settings: describeMatrixPrivacy(server.privacy).map((x) =>
        x.setting === MATRIX_PRIVACY_LABELS.thirdParties
          ? { ...x, value: thirdPartiesText(server) }
          : { ...x, value: fixMatrixText(x.value) },
      ),
      weakened: weakenedMatrixPrivacy(server.privacy).map((w) => ({
        text: fixMatrixText(w.description),
        ...(w.reason !== undefined ? { reason: w.reason } : {}),
      })),
    });
  }
  return out;
}

/** How long a self-hosted Matrix server keeps messages and files, in German (its privacy profile). */
export function matrixRetention(server: MatrixServerConfig): string {
  const r = effectiveMatrixPrivacy(server.privacy).retention;
  const period = (lifetime: string) =>
    lifetime === FOREVER ? 'unbegrenzt' : `gelöscht nach ${lifetimeDays(lifetime)} Tagen`;
  return [
    `${MATRIX_PRIVACY_LABELS['retention.messages']}: ${period(r.messages.maxLifetime)}`,
    `${MATRIX_PRIVACY_LABELS['retention.localMedia']}: ${period(r.localMedia.maxLifetime)} ohne Abruf`,
    `${MATRIX_PRIVACY_LABELS['retention.remoteMedia']}: ${period(r.remoteMedia.maxLifetime)} ohne Abruf`,
  ].join('; ');
}
