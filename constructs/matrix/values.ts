/**
 * Helm values of the BundesMessenger chart, generated from typed inputs. Every key path set here must appear in
 * the chart's default values (test/bundesmessenger.test.ts, against chart-keys/bundesmessenger-1.16.0.keys).
 */
import type { MatrixServerSpec } from './spec';
import { effectiveMatrixPrivacy, FOREVER, type EffectiveMatrixPrivacy } from '../../config/matrix-privacy';

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
  const privacy = privacyValues(effectiveMatrixPrivacy(spec.privacy));
  Object.assign(extraConfig, privacy.extraConfig);
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
    config: privacy.config,
    additionalConfig: privacy.additionalConfig,
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

/** A lifetime for Synapse; `forever` is null, which removes the key (and a chart default) from the values. */
const lifetime = (l: string): string | null => (l === FOREVER ? null : l);

/**
 * The privacy profile at the chart's keys (config/matrix-privacy.ts holds the defaults and what they mean):
 * Synapse options under `extraConfig` (verbatim into homeserver.yaml), the chart's own `config.*` where it renders
 * the Synapse option itself, and `additionalConfig` for what the chart hands to the clients and its DSGVO exporter.
 */
export function privacyValues(p: EffectiveMatrixPrivacy): {
  extraConfig: Record<string, unknown>;
  config: Record<string, unknown>;
  additionalConfig: Record<string, unknown>;
} {
  const messages = p.retention.messages.maxLifetime;
  const shared = p.profileLookups.scope === 'shared-rooms';
  const ls = p.locationSharing;
  return {
    extraConfig: {
      // messages: Synapse deletes events older than max_lifetime (rooms may only choose shorter); the chart's
      // default is retention off, i.e. kept forever
      retention:
        messages === FOREVER
          ? { enabled: false }
          : {
              enabled: true,
              default_policy: { max_lifetime: messages },
              allowed_lifetime_min: '1d',
              allowed_lifetime_max: messages,
              purge_jobs: [{ interval: '1d' }],
            },
      // files, counted from their last access; the chart keeps own files forever and other servers' for 90d
      media_retention: {
        local_media_lifetime: lifetime(p.retention.localMedia.maxLifetime),
        remote_media_lifetime: lifetime(p.retention.remoteMedia.maxLifetime),
      },
      // the chart's default lets everybody search everybody
      user_directory: { enabled: true, search_all_users: p.userDirectory.search === 'all-users' },
      require_auth_for_profile_requests: true,
      limit_profile_requests_to_users_who_share_rooms: shared,
      include_profile_data_on_invite: !shared,
      allow_profile_lookup_over_federation: !shared,
      ...(p.serverNotices
        ? {
            server_notices: {
              system_mxid_localpart: 'betreiber-hinweise',
              system_mxid_display_name: 'Hinweise des Betreibers',
              room_name: 'Hinweise des Betreibers',
              auto_join: true,
            },
          }
        : {}),
      // no third-party requests from the server: no oEmbed providers (URL previews are a privacy switch of their own)
      oembed: { disable_default_providers: true },
      enable_3pid_lookup: false,
    },
    // the chart renders these Synapse options itself: no usage statistics to matrix.org, no signing keys through a
    // third-party key server (Synapse's own default is matrix.org)
    config: { reportStats: false, trustedKeyServers: [] },
    additionalConfig: {
      dsgvoExport: { enabled: p.dataExport.enabled },
      // The chart's default is location sharing on, with map tiles from the BKG's public TopPlusOpen WMS (a third
      // party on the internet that learns each client's IP address and the map section it shows). Its confighub
      // serves map_style_config as style.json whenever it is set: null serves an empty style.
      locationSharing: !ls.enabled
        ? { enabled: false, map_style_url: '', map_style_config: null }
        : ls.tileServerKind === 'style'
          ? { enabled: true, map_style_url: ls.tileServer, map_style_config: null }
          : {
              enabled: true,
              map_style_url: '',
              // the chart's style keeps its layer; its one source gets the agency's tiles (lists replace, maps merge)
              map_style_config: {
                sources: { wms_topplus: { tiles: [ls.tileServer], attribution: ls.attribution ?? '' } },
              },
            },
    },
  };
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
