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
import type { Federation } from '../../config/model';
import type { MatrixServerConfig, TenantConfig } from '../../config/schema';
import { describeWireProfile, effectiveWireProfile } from '../../config/wire-profile';

export interface ServiceProfile {
  readonly service: string;
  readonly settings: ReadonlyArray<{ readonly setting: string; readonly value: string }>;
  /** Settings weaker than the preset of the service, in German, each with the reason the config records. */
  readonly weakened: ReadonlyArray<{ readonly text: string; readonly reason?: string }>;
}

/** The self-hosted Matrix servers of an agency, with the name the report gives each. */
export function matrixServersOf(t: TenantConfig): Array<[string, MatrixServerConfig]> {
  return [
    ...(t.bundesMessenger?.mode === 'self-hosted'
      ? [['BundesMessenger', t.bundesMessenger] as [string, MatrixServerConfig]]
      : []),
    ...(t.bwMessenger ? [['BwMessenger', t.bwMessenger] as [string, MatrixServerConfig]] : []),
  ];
}

/** The profiles of the services an agency uses. */
export function serviceProfiles(federation: Federation, tenant: TenantConfig): ServiceProfile[] {
  const out: ServiceProfile[] = [];
  for (const pid of tenant.wire?.pillars ?? []) {
    const pillar = federation.pillars.find((p) => p.id === pid);
    if (!pillar) continue;
    const eff = effectiveWireProfile(federation, pillar);
    out.push({
      service: `Wire Bund Säule ${pillar.pillar} (${pillar.id})`,
      settings: describeWireProfile(eff.profile),
      weakened: eff.weakened.map((text) => ({ text, ...(eff.reason !== undefined ? { reason: eff.reason } : {}) })),
    });
  }
  for (const [service, server] of matrixServersOf(tenant)) {
    out.push({
      service,
      settings: describeMatrixPrivacy(server.privacy),
      weakened: weakenedMatrixPrivacy(server.privacy).map((w) => ({
        text: w.description,
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
