/**
 * Helm values of the Wire charts, generated from typed inputs. Every key path set here must exist in the chart
 * defaults or in Wire's production examples (test/wire-values-keys.test.ts walks them).
 */
import { demoDatastoresAllowedIn } from '../../config/domain';
import type { FeatureToggle, WireProfile } from '../../config/wire-profile';
import type { SecretValue } from '../helm-chart';
import { pillarHosts, type WirePillarSpec } from './pillar-spec';
import { replicas, resourcesFor } from './sizing';

type Values = Record<string, unknown>;

interface Endpoints {
  readonly cassandra: string;
  readonly elasticsearch: string;
  readonly rabbitmq: string;
  readonly postgresql: string;
  readonly redis: string;
  readonly s3: string;
  readonly sqs: string;
  readonly sns: string;
}

/** Where wire-server finds its datastores: the *-external charts' services, or the demo charts' services. */
export function endpoints(spec: WirePillarSpec): Endpoints {
  const d = spec.datastores;
  if (d.mode === 'external') {
    return {
      cassandra: 'cassandra-external',
      elasticsearch: 'elasticsearch-external',
      rabbitmq: 'rabbitmq-external',
      postgresql: 'postgresql-external-rw',
      redis: d.redis.host,
      s3: 'http://minio-external:9000',
      sqs: d.queues.sqsEndpoint,
      sns: d.queues.snsEndpoint,
    };
  }
  return {
    cassandra: 'cassandra-ephemeral',
    elasticsearch: 'elasticsearch-ephemeral',
    rabbitmq: 'rabbitmq',
    postgresql: 'postgresql',
    redis: 'databases-ephemeral-redis-ephemeral',
    s3: 'http://fake-aws-s3:9000',
    sqs: 'http://fake-aws-sqs:4568',
    sns: 'http://fake-aws-sns:4575',
  };
}

const federating = (spec: WirePillarSpec) => spec.federation.length > 0;

function service(spec: WirePillarSpec, name: string, config: Values, extra: Values = {}): Values {
  return { replicaCount: replicas(spec.size), resources: resourcesFor(name, spec.size), ...extra, config };
}

const RABBITMQ_SECRETS = (svc: string): SecretValue[] => [
  { path: `${svc}.secrets.rabbitmq.username`, key: 'rabbitmq-username' },
  { path: `${svc}.secrets.rabbitmq.password`, key: 'rabbitmq-password' },
];

/** Secret values of the wire-server umbrella chart and the Secret keys they come from. */
export function wireServerSecrets(spec: WirePillarSpec): SecretValue[] {
  const out: SecretValue[] = [
    { path: 'brig.secrets.pgPassword', key: 'pg-password' },
    { path: 'brig.secrets.smtpPassword', key: 'smtp-password' },
    { path: 'brig.secrets.zAuth.publicKeys', key: 'zauth-public-keys' },
    { path: 'brig.secrets.zAuth.privateKeys', key: 'zauth-private-keys' },
    { path: 'brig.secrets.turn.secret', key: 'turn-secret' },
    { path: 'brig.secrets.awsKeyId', key: 'aws-key-id' },
    { path: 'brig.secrets.awsSecretKey', key: 'aws-secret-key' },
    ...RABBITMQ_SECRETS('brig'),
    { path: 'galley.secrets.pgPassword', key: 'pg-password' },
    { path: 'galley.secrets.awsKeyId', key: 'aws-key-id' },
    { path: 'galley.secrets.awsSecretKey', key: 'aws-secret-key' },
    ...RABBITMQ_SECRETS('galley'),
    { path: 'cargohold.secrets.awsKeyId', key: 'minio-access-key' },
    { path: 'cargohold.secrets.awsSecretKey', key: 'minio-secret-key' },
    ...RABBITMQ_SECRETS('cargohold'),
    ...RABBITMQ_SECRETS('cannon'),
    { path: 'gundeck.secrets.awsKeyId', key: 'aws-key-id' },
    { path: 'gundeck.secrets.awsSecretKey', key: 'aws-secret-key' },
    ...RABBITMQ_SECRETS('gundeck'),
    { path: 'nginz.secrets.zAuth.publicKeys', key: 'zauth-public-keys' },
    { path: 'nginz.secrets.basicAuth', key: 'nginz-basic-auth' },
    { path: 'background-worker.secrets.pgPassword', key: 'pg-password' },
    ...RABBITMQ_SECRETS('background-worker'),
  ];
  if (federating(spec)) out.push({ path: 'federator.remoteCAContents', key: 'federation-ca.crt' });
  return out;
}

/** An IP address as the host of a URI: IPv6 in brackets (`turn:[2001:db8::1]:3478`, RFC 7065 / RFC 3986). */
export function uriHost(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/**
 * galley's team feature flags (`galley.config.settings.featureFlags`): the pillar's profile in the chart's shapes.
 * galley renders each of them into galley.yaml as given (`toYaml`), so these are also the keys of its config file.
 */
export function galleyFeatureFlags(profile: WireProfile): Values {
  const toggle = (t: FeatureToggle) => ({ defaults: { status: t.status, lockStatus: t.lockStatus } });
  const p = profile;
  return {
    sso: 'enabled-by-default',
    legalhold: p.legalhold,
    teamSearchVisibility: 'disabled-by-default',
    classifiedDomains: { status: p.classifiedDomains.status, config: { domains: [...p.classifiedDomains.domains] } },
    conversationGuestLinks: toggle(p.conversationGuestLinks),
    appLock: {
      defaults: {
        status: p.appLock.status,
        config: { enforceAppLock: p.appLock.enforced, inactivityTimeoutSecs: p.appLock.inactivityTimeoutSecs },
      },
    },
    fileSharing: toggle(p.fileSharing),
    selfDeletingMessages: {
      defaults: {
        ...toggle(p.selfDeletingMessages).defaults,
        config: { enforcedTimeoutSeconds: p.selfDeletingMessages.enforcedTimeoutSeconds },
      },
    },
    sndFactorPasswordChallenge: toggle(p.sndFactorPasswordChallenge),
    outlookCalIntegration: toggle(p.outlookCalIntegration),
  };
}

export function wireServerValues(spec: WirePillarSpec): Values {
  const h = pillarHosts(spec.domain);
  const e = endpoints(spec);
  const fed = federating(spec);
  const pg = { host: e.postgresql, port: '5432', user: 'wire-server', dbname: 'wire-server' };
  const turn = spec.calling.nodes.flatMap((n) => {
    const host = uriHost(n.advertisedIp);
    return [`turn:${host}:${spec.calling.turnPort}`, `turn:${host}:${spec.calling.turnPort}?transport=tcp`];
  });
  const values: Values = {
    tags: { federation: fed, proxy: false, legalhold: false },
    'cassandra-migrations': {
      cassandra: { host: e.cassandra, replicationFactor: spec.datastores.mode === 'external' ? 3 : 1 },
    },
    'elasticsearch-index': { elasticsearch: { host: e.elasticsearch }, cassandra: { host: e.cassandra } },
    brig: {
      ...service(spec, 'brig', {
        multiSFT: { enabled: fed },
        cassandra: { host: e.cassandra },
        elasticsearch: { host: e.elasticsearch },
        rabbitmq: { host: e.rabbitmq },
        postgresql: pg,
        useSES: false,
        randomPrekeys: true,
        aws: {
          region: 'eu-west-1',
          sqsEndpoint: e.sqs,
          internalQueue: 'integration-brig-events-internal',
          prekeyTable: 'integration-brig-prekeys',
        },
        externalUrls: {
          nginz: `https://${h.nginzHttps}`,
          teamSettings: `https://${h.teams}`,
          teamCreatorWelcome: `https://${h.teams}/login`,
          teamMemberWelcome: `https://${h.webapp}`,
        },
        enableFederation: fed,
        optSettings: {
          setEnableMLS: false,
          setFederationDomain: spec.federationDomain,
          setSftStaticUrl: `https://${h.sftd}:443`,
          // Agencies provision their staff (LDAP/SCIM); nobody registers from outside.
          setRestrictUserCreation: true,
          setFederationStrategy: fed ? 'allowDynamic' : 'allowNone',
          ...(fed
            ? {
                setSftListAllServers: 'enabled',
                setFederationDomainConfigs: spec.federation.map((p) => ({
                  domain: p.domain,
                  search_policy: p.searchPolicy,
                })),
              }
            : {}),
        },
        emailSMS: {
          // brig's options require an SMS sender and URL; Wire Bund sends no SMS (no Twilio credentials are given).
          general: { emailSender: spec.mail.sender, smsSender: 'nicht-genutzt' },
          user: {
            passwordResetUrl: `https://${h.account}/reset/?key=\${key}&code=\${code}`,
            activationUrl: `https://${h.account}/verify/?key=\${key}&code=\${code}`,
            smsActivationUrl: `https://${h.account}/v/\${code}`,
            deletionUrl: `https://${h.account}/d/?key=\${key}&code=\${code}`,
            invitationUrl: `https://${h.account}/i/\${code}`,
          },
        },
        smtp: { host: spec.mail.smtp.host, port: spec.mail.smtp.port, connType: spec.mail.smtp.connType },
      }),
      turnStatic: { v1: [], v2: turn },
      metrics: { serviceMonitor: { enabled: false } },
    },
    cannon: {
      ...service(spec, 'cannon', { rabbitmq: { host: e.rabbitmq }, cassandra: { host: e.cassandra } }),
      // An extra Service of type LoadBalancer; clients reach cannon through nginz and the zone's ingress instead.
      service: { nginz: { enabled: false } },
    },
    cargohold: service(spec, 'cargohold', {
      aws: { region: 'eu-west-1', s3Bucket: 'assets', s3Endpoint: e.s3, s3DownloadEndpoint: `https://${h.assets}` },
      enableFederation: fed,
      settings: { federationDomain: spec.federationDomain },
    }),
    galley: service(spec, 'galley', {
      cassandra: { host: e.cassandra },
      rabbitmq: { host: e.rabbitmq },
      postgresql: pg,
      enableFederation: fed,
      settings: {
        conversationCodeURI: `https://${h.account}/conversation-join/`,
        federationDomain: spec.federationDomain,
        featureFlags: galleyFeatureFlags(spec.profile),
      },
      aws: { region: 'eu-west-1' },
    }),
    gundeck: service(spec, 'gundeck', {
      redis: { host: e.redis },
      rabbitmq: { host: e.rabbitmq },
      cassandra: { host: e.cassandra },
      aws: {
        // gundeck builds queue ARNs from an account id; the zone's SQS/SNS endpoints are not AWS
        account: '000000000000',
        region: 'eu-west-1',
        arnEnv: spec.id,
        queueName: `${spec.id}-gundeck-events`,
        sqsEndpoint: e.sqs,
        snsEndpoint: e.sns,
      },
    }),
    nginz: {
      replicaCount: replicas(spec.size),
      resources: resourcesFor('nginz', spec.size),
      // the zone's ingress-nginx speaks plain HTTP to nginz, without the PROXY protocol header
      config: { ws: { useProxyProtocol: false } },
      nginx_conf: {
        env: 'prod',
        external_env_domain: spec.domain,
        deeplink: {
          endpoints: {
            backendURL: `https://${h.nginzHttps}`,
            backendWSURL: `https://${h.nginzSsl}`,
            teamsURL: `https://${h.teams}`,
            accountsURL: `https://${h.account}`,
          },
          title: `Wire Bund Säule ${spec.pillar}`,
        },
      },
      metrics: { serviceMonitor: { enabled: false } },
    },
    spar: service(spec, 'spar', {
      cassandra: { host: e.cassandra },
      domain: spec.domain,
      appUri: `https://${h.nginzHttps}`,
      ssoUri: `https://${h.nginzHttps}/sso`,
      maxScimTokens: 16,
      contacts: [
        { type: 'ContactSupport', company: spec.mail.support.company, email: `email:${spec.mail.support.email}` },
      ],
    }),
    'background-worker': service(spec, 'background-worker', {
      federationDomain: spec.federationDomain,
      rabbitmq: { host: e.rabbitmq },
      cassandra: { host: e.cassandra },
      cassandraGalley: { host: e.cassandra },
      cassandraBrig: { host: e.cassandra },
      postgresql: pg,
      enableFederation: fed,
    }),
  };
  if (fed) {
    values.federator = {
      replicaCount: replicas(spec.size),
      resources: resourcesFor('federator', spec.size),
      tls: { useSharedFederatorSecret: true },
      metrics: { serviceMonitor: { enabled: false } },
    };
  }
  return values;
}

export interface IngressSpec {
  readonly ingressClass: string;
}

export function nginxIngressServicesValues(spec: WirePillarSpec, ingress: IngressSpec): Values {
  const h = pillarHosts(spec.domain);
  const fed = federating(spec);
  return {
    teamSettings: { enabled: true },
    accountPages: { enabled: true },
    websockets: { enabled: true },
    webapp: { enabled: true },
    fakeS3: { enabled: true },
    federator: { enabled: fed },
    tls: {
      enabled: true,
      useCertManager: true,
      createIssuer: false,
      issuer: { name: spec.pki.issuerName, kind: spec.pki.issuerKind },
    },
    certManager: { inTestMode: false },
    config: {
      ingressClass: ingress.ingressClass,
      dns: {
        https: h.nginzHttps,
        ssl: h.nginzSsl,
        webapp: h.webapp,
        fakeS3: h.assets,
        teamSettings: h.teams,
        accountPages: h.account,
        ...(fed ? { federator: h.federator, certificateDomain: h.federator } : {}),
      },
    },
    service: {
      useFakeS3: true,
      s3: { externalPort: 9000, serviceName: spec.datastores.mode === 'external' ? 'minio-external' : 'fake-aws-s3' },
    },
  };
}

export function nginxIngressServicesSecrets(spec: WirePillarSpec): SecretValue[] {
  return federating(spec) ? [{ path: 'secrets.tlsClientCA', key: 'federation-ca.crt' }] : [];
}

/** webapp, team-settings, account-pages. */
export function webValues(spec: WirePillarSpec, chart: 'webapp' | 'team-settings' | 'account-pages'): Values {
  const h = pillarHosts(spec.domain);
  const base = { backendRest: h.nginzHttps, backendDomain: spec.domain };
  const common = { ENFORCE_HTTPS: 'true', FEATURE_ENABLE_DEBUG: 'false', FEATURE_CHECK_CONSENT: 'false' };
  const n = Math.min(replicas(spec.size), 3);
  switch (chart) {
    case 'webapp':
      return {
        replicaCount: n,
        config: {
          externalUrls: { ...base, backendWebsocket: h.nginzSsl, backendTeamSettings: h.teams, appHost: h.webapp },
        },
        envVars: {
          ...common,
          APP_NAME: `Wire Bund Säule ${spec.pillar}`,
          FEATURE_ENABLE_ACCOUNT_REGISTRATION: 'false',
          FEATURE_ENABLE_SSO: 'true',
          URL_ACCOUNT_BASE: `https://${h.account}`,
          URL_TEAMS_BASE: `https://${h.teams}`,
          CSP_EXTRA_CONNECT_SRC: `https://*.${spec.domain}, wss://*.${spec.domain}`,
          CSP_EXTRA_IMG_SRC: `https://*.${spec.domain}`,
        },
      };
    case 'team-settings':
      return {
        replicaCount: n,
        config: { externalUrls: { ...base, backendWebsocket: h.nginzSsl, appHost: h.teams } },
        envVars: {
          ...common,
          APP_NAME: 'Team Settings',
          FEATURE_ENABLE_NEW_TEAM: 'false',
          URL_ACCOUNT_BASE: `https://${h.account}`,
          URL_WEBAPP_BASE: `https://${h.webapp}`,
          IS_SELF_HOSTED: 'true',
        },
      };
    case 'account-pages':
      return {
        replicaCount: n,
        // the chart renders podSecurityContext as the container's securityContext (uid 1000); restricted also
        // needs runAsNonRoot
        podSecurityContext: { runAsNonRoot: true },
        config: { externalUrls: { ...base, appHost: h.account } },
        envVars: {
          APP_NAME: 'Wire Account Management',
          FEATURE_ENFORCE_HTTPS: 'true',
          FEATURE_ENABLE_DEBUG: 'false',
          URL_TEAMS_BASE: `https://${h.teams}`,
          URL_WEBAPP_BASE: `https://${h.webapp}`,
          IS_SELF_HOSTED: 'true',
        },
      };
  }
}

/** The *-external charts: a headless Service with the datastore nodes' IPs. */
export function externalDatastoreValues(spec: WirePillarSpec): Record<string, Values> {
  const d = spec.datastores;
  if (d.mode !== 'external') return {};
  return {
    'cassandra-external': { IPs: [...d.cassandra] },
    'elasticsearch-external': { IPs: [...d.elasticsearch] },
    'minio-external': { IPs: [...d.minio] },
    'rabbitmq-external': { IPs: [...d.rabbitmq] },
    'postgresql-external': { RWIPs: [...d.postgresql.rw], ROIPs: [...d.postgresql.ro] },
  };
}

/** The demo charts (only for stage pilot): ephemeral databases, fake AWS and RabbitMQ. */
export function demoDatastoreValues(spec: WirePillarSpec): Record<string, Values> {
  if (spec.datastores.mode !== 'demo') return {};
  if (!demoDatastoresAllowedIn(spec.stage))
    throw new Error(`pillar '${spec.id}': demo datastores are never used in production`);
  return {
    'databases-ephemeral': { tags: { 'cassandra-ephemeral': true, 'elasticsearch-ephemeral': true } },
    'fake-aws': {
      'fake-aws-sqs': { enabled: true },
      'fake-aws-sns': { enabled: true },
      'fake-aws-s3': { enabled: true },
    },
    // Wire's demo RabbitMQ (service `rabbitmq`); PostgreSQL must be provided as `postgresql` (docs/operations.md)
    rabbitmq: { rabbitmq: { persistence: { enabled: false } } },
  };
}

export interface CallingPlacement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** The zone's ingress class (sftd renders an Ingress for its join-call endpoint). */
  readonly ingressClass: string;
}

export function sftdValues(spec: WirePillarSpec, placement: CallingPlacement): Values {
  const h = pillarHosts(spec.domain);
  const fed = federating(spec);
  return {
    replicaCount: spec.calling.nodes.length,
    host: h.sftd,
    allowOrigin: `https://${h.webapp}`,
    config: { ingressClass: placement.ingressClass },
    tls: { issuerRef: { name: spec.pki.issuerName, kind: spec.pki.issuerKind } },
    nodeSelector: { ...placement.nodeSelector },
    joinCall: { replicaCount: Math.min(replicas(spec.size), 3) },
    multiSFT: fed
      ? {
          enabled: true,
          discoveryRequired: false,
          turnServerURI: `turn:${uriHost(spec.calling.nodes[0].advertisedIp)}:${spec.calling.turnPort}?transport=udp`,
        }
      : { enabled: false },
  };
}

export function sftdSecrets(spec: WirePillarSpec): SecretValue[] {
  return federating(spec) ? [{ path: 'multiSFT.secret', key: 'turn-secret' }] : [];
}

export function coturnValues(spec: WirePillarSpec, placement: CallingPlacement): Values {
  return {
    replicaCount: spec.calling.nodes.length,
    nodeSelector: { ...placement.nodeSelector },
    coturnTurnListenPort: spec.calling.turnPort,
    // Placeholders the chart replaces per node with the node's advertised IP (annotation wire.com/external-ip).
    coturnTurnExternalIP: '__COTURN_EXT_IP__',
    coturnTurnListenIP: '__COTURN_HOST_IP__',
    coturnTurnRelayIP: '__COTURN_HOST_IP__',
    config: { verboseLogging: false },
    // Calls with users of federated backends relay between the coturn servers over DTLS (port 9191), with a
    // certificate from the cluster's issuer; only the partners' coturn servers are accepted.
    ...(federating(spec)
      ? {
          federate: {
            enabled: true,
            port: COTURN_FEDERATION_PORT,
            dtls: {
              enabled: true,
              tls: {
                issuerRef: { name: spec.pki.issuerName, kind: spec.pki.issuerKind },
                certificate: { dnsNames: [coturnHost(spec.domain)] },
              },
              remoteWhitelist: spec.federation.map((p) => ({ host: coturnHost(p.domain) })),
            },
          },
        }
      : {}),
  };
}

/** coturn's federation listener (DTLS). */
export const COTURN_FEDERATION_PORT = 9191;

/** The host name of a backend's coturn for federation: `coturn.<domain>` (each partner publishes it so). */
export const coturnHost = (domain: string) => `coturn.${domain}`;

export const COTURN_SECRETS: readonly SecretValue[] = [{ path: 'secrets.zrestSecrets[0]', key: 'turn-secret' }];

export interface LdapSpec {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly baseDn: string;
  readonly bindDn: string;
  readonly objectClass: string;
  readonly memberOf?: string;
}

/** One ldap-scim-bridge per agency team: syncs the agency's directory into its Wire team through spar's SCIM API. */
export function ldapScimBridgeValues(ldap: LdapSpec, sparNamespace: string): Values {
  return {
    schedule: '*/5 * * * *',
    config: {
      logLevel: 'Info',
      ldapSource: {
        tls: ldap.tls,
        host: ldap.host,
        port: ldap.port,
        dn: ldap.bindDn,
        search: {
          base: ldap.baseDn,
          objectClass: ldap.objectClass,
          ...(ldap.memberOf ? { memberOf: ldap.memberOf } : {}),
        },
        codec: 'utf8',
      },
      scimTarget: { tls: false, host: `spar.${sparNamespace}.svc.cluster.local`, port: 8080, path: '/scim/v2' },
      mapping: { displayName: 'displayName', userName: 'sAMAccountName', externalId: 'mail', email: 'mail' },
    },
  };
}

export const LDAP_SCIM_BRIDGE_SECRETS: SecretValue[] = [
  { path: 'config.ldapSource.password', key: 'ldap-password' },
  { path: 'config.scimTarget.token', key: 'scim-token' },
];
