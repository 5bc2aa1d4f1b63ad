/**
 * Helm values of the BundesMessenger chart, generated from typed inputs. Every key path set here must appear in
 * the chart's default values (test/bundesmessenger.test.ts, against chart-keys/bundesmessenger-1.16.0.keys).
 */
import type { SecretValue } from '../helm-chart';
import type { MatrixServerSpec } from './spec';

export interface MatrixPlacement {
  readonly ingressClass: string;
  readonly ingressNamespace: string;
  /**
   * IPv4 networks synapse may reach for federation, PostgreSQL and proxies: the chart's NetworkPolicy opens egress
   * to 0.0.0.0/0 when its fwProxyList is empty, so the project always fills it (`<cidr>:<port>` entries).
   */
  readonly egressCidrs: readonly string[];
  readonly egressPorts: readonly number[];
}

export function bundesMessengerValues(spec: MatrixServerSpec, placement: MatrixPlacement): Record<string, unknown> {
  const p = spec.privacy;
  const scanning = spec.virusScanning.enabled;
  const extraConfig: Record<string, unknown> = {
    presence: { enabled: p.presence },
    url_preview_enabled: p.urlPreviews,
    allow_guest_access: p.guestAccess,
    allow_public_rooms_over_federation: p.publicRoomsOverFederation,
    encryption_enabled_by_default_for_room_type: p.encryptionByDefault,
    push: { enabled: spec.push !== undefined, include_content: p.pushNotificationContent },
    // none: [] (no federation at all); allowList: the named servers; open: null removes the chart default, so the
    // whitelist is unset and Synapse federates with everyone.
    federation_domain_whitelist:
      spec.federation.mode === 'none' ? [] : spec.federation.mode === 'allowList' ? [...spec.federation.servers] : null,
  };
  if (spec.turn) {
    extraConfig.turn_uris = [...spec.turn.uris];
    extraConfig.turn_user_lifetime = '1h';
  }
  const values: Record<string, unknown> = {
    serverName: spec.serverName,
    publicServerName: spec.publicServerName,
    adminAPIServerName: spec.adminApiServerName,
    dataPrivacyUrl: spec.privacyPolicyUrl,
    imprintUrl: spec.imprintUrl,
    config: { enableRegistration: p.openRegistration },
    extraConfig,
    postgresql: { enabled: false },
    externalPostgresql: {
      host: spec.postgresql.host,
      port: spec.postgresql.port,
      database: spec.postgresql.database,
      username: spec.postgresql.username,
      existingSecret: spec.postgresql.existingSecret,
      existingSecretPasswordKey: spec.postgresql.existingSecretPasswordKey,
    },
    ingress: { enabled: true, className: placement.ingressClass },
    networkpolicies: {
      enabled: true,
      ingressNamespace: placement.ingressNamespace,
      fwProxyList: placement.egressCidrs
        .filter((c) => !c.includes(':'))
        .flatMap((c) => placement.egressPorts.map((p) => `${c}:${p}`)),
    },
    contentscanner: { enabled: scanning },
    schadcodescanner: {
      enabled: scanning,
      ...(spec.virusScanning.enabled ? { freshclam: { mirrors: [spec.virusScanning.clamavMirror] } } : {}),
    },
    sygnal: { enabled: false },
    wellknown: { enabled: true },
  };
  return values;
}

export function bundesMessengerSecrets(spec: MatrixServerSpec): SecretValue[] {
  return spec.turn ? [{ path: 'extraConfig.turn_shared_secret', key: 'turn-shared-secret' }] : [];
}
