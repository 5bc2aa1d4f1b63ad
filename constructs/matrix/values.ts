/**
 * Helm values of the BundesMessenger chart, generated from typed inputs. Every key path set here must appear in
 * the chart's default values (test/bundesmessenger.test.ts, against chart-keys/bundesmessenger-1.16.0.keys).
 */
import type { MatrixServerSpec } from './spec';

export interface MatrixPlacement {
  readonly ingressClass: string;
  readonly ingressNamespace: string;
  /**
   * IPv4 networks synapse may reach for federation, PostgreSQL and proxies: the chart's NetworkPolicy opens egress
   * to 0.0.0.0/0 when its fwProxyList is empty, so the project always fills it (every port to these networks).
   */
  readonly egressCidrs: readonly string[];
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
    // Synapse's push.enabled also computes unread counts: it stays on. Nothing leaves the server without a push
    // gateway: Sygnal and the pusher worker are off unless the config names an approved gateway.
    push: { enabled: true, include_content: p.pushNotificationContent },
    // the chart's config.enableRegistration no longer reaches homeserver.yaml in 1.16
    enable_registration: p.openRegistration,
    // none: [] (no federation at all); allowList: the named servers; open: null removes the chart default, so the
    // whitelist is unset and Synapse federates with everyone.
    federation_domain_whitelist:
      spec.federation.mode === 'none' ? [] : spec.federation.mode === 'allowList' ? [...spec.federation.servers] : null,
  };
  // Secrets stay in their Secrets: mounted into Synapse and the workers (the generic worker answers
  // /voip/turnServer and the OIDC callback) and read from files; never a Helm value or a ConfigMap entry.
  const volumes: Array<Record<string, unknown>> = [];
  const volumeMounts: Array<Record<string, unknown>> = [];
  const mountSecret = (name: string, secretName: string, key: string, dir: string) => {
    volumes.push({ name, secret: { secretName, items: [{ key, path: key }] } });
    volumeMounts.push({ name, mountPath: dir, readOnly: true });
    return `${dir}/${key}`;
  };
  if (spec.turn) {
    extraConfig.turn_shared_secret_path = mountSecret(
      'turn-secret',
      spec.turn.existingSecret,
      'turn-shared-secret',
      '/synapse/turn',
    );
  }
  if (spec.identity) {
    // Sign-in through the agency's identity provider (which can front its LDAP directory)
    extraConfig.oidc_providers = [
      {
        idp_id: 'behoerde',
        idp_name: spec.identity.displayName,
        issuer: spec.identity.issuer,
        client_id: spec.identity.clientId,
        client_secret_path: mountSecret(
          'oidc-client-secret',
          spec.identity.existingSecret,
          'client-secret',
          '/synapse/oidc',
        ),
        scopes: ['openid', 'profile'],
        user_mapping_provider: {
          config: {
            localpart_template: `{{ user.${spec.identity.localpartClaim} }}`,
            display_name_template: '{{ user.name }}',
          },
        },
      },
    ];
  }
  if (spec.turn) {
    extraConfig.turn_uris = [...spec.turn.uris];
    extraConfig.turn_user_lifetime = '1h';
  }
  // cert-manager issues the certificates when the cluster names an issuer; otherwise the Secrets are pre-created
  const tls = [
    { secretName: `${spec.product}-tls`, hosts: [spec.publicServerName, spec.serverName] },
    { secretName: `${spec.product}-admin-tls`, hosts: [spec.adminApiServerName] },
    { secretName: `${spec.product}-web-tls`, hosts: [spec.webClientHost] },
  ];
  const issuerAnnotation = spec.tlsIssuer
    ? {
        [spec.tlsIssuer.kind === 'ClusterIssuer' ? 'cert-manager.io/cluster-issuer' : 'cert-manager.io/issuer']:
          spec.tlsIssuer.name,
      }
    : {};
  const values: Record<string, unknown> = {
    serverName: spec.serverName,
    publicServerName: spec.publicServerName,
    adminAPIServerName: spec.adminApiServerName,
    // the chart writes these as https://<value>
    dataPrivacyUrl: withoutScheme(spec.privacyPolicyUrl),
    imprintUrl: withoutScheme(spec.imprintUrl),
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
    ingress: { enabled: true, className: placement.ingressClass, tls, annotations: issuerAnnotation },
    networkpolicies: {
      enabled: true,
      ingressNamespace: placement.ingressNamespace,
      // The chart renders each entry as an egress rule to the entry's network; its port part lands inside the peer
      // (a field NetworkPolicyPeer does not have), so an entry allows every port. The entries are therefore plain
      // networks: the zone's, and those of declared federation partners (IPv4: the chart splits at ':').
      fwProxyList: placement.egressCidrs.filter((c) => !c.includes(':')),
    },
    contentscanner: { enabled: scanning },
    schadcodescanner: {
      enabled: scanning,
      ...(spec.virusScanning.enabled
        ? { freshclam: { mirrors: [clamavMirror(spec.virusScanning.clamavMirror)] } }
        : {}),
    },
    sygnal: { enabled: false },
    wellknown: { enabled: true },
    webclient: { enabled: true, uri: spec.webClientHost },
    ...(volumes.length > 0
      ? {
          synapse: { extraVolumes: volumes, extraVolumeMounts: volumeMounts },
          workers: { default: { volumes, volumeMounts } },
        }
      : {}),
  };
  return values;
}

/** `https://example.org/datenschutz` -> `example.org/datenschutz` (the chart adds the scheme). */
export function withoutScheme(url: string): string {
  const u = new URL(url);
  return `${u.host}${u.pathname === '/' ? '' : u.pathname}${u.search}`;
}

/**
 * The mirror as the chart needs it: the text after its last ':' becomes a NetworkPolicy port, so the port is
 * always explicit (`https://mirror` -> `https://mirror:443`); freshclam takes the scheme from the URL.
 */
export function clamavMirror(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}:${u.port || (u.protocol === 'http:' ? '80' : '443')}`;
}
