/**
 * The federation config schema (what architects edit in `config/federation.yaml`).
 * The JSON Schema in `config/federation.schema.json` is generated from this file (`npm run schema`).
 */
import { z } from 'zod';
import {
  APP_LOCK_TIMEOUT,
  FEATURE_STATUSES,
  LEGALHOLD_MODES,
  LOCK_STATUSES,
  wireProfileConfigProblems,
} from './wire-profile';
import {
  MATRIX_PRIVACY_DEFAULTS,
  MIN_REASON,
  matrixPrivacyProfileFields,
  matrixPrivacyServerIssues,
  reasonText,
} from './matrix-privacy';

export { reasonText };

export const ID_PATTERN = /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const K8S_NAME = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const QUALIFIED_NAME =
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
export const DNS_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z][-a-z0-9]{0,61}[a-z0-9]$/;

/**
 * Query parameters that carry credentials (`?token=...`, `?access_token=...`, `?X-Amz-Signature=...`): names that
 * contain one of these words, and names that are a credential by themselves: `sig` (the signature of an Azure SAS,
 * `?sv=...&sig=...`), `key` (Google API keys, `?key=AIza...`), `pass`/`pwd`/`pw`. Not refused: `code` (an OAuth
 * authorization code is single-use and short-lived, and `code` names harmless things such as a language) and the
 * other SAS fields (`sv`, `se`, `sp`: version, expiry, permissions; the SAS is refused for its `sig`).
 */
const CREDENTIAL_PARAM =
  /(token|password|passwd|passphrase|secret|api[-_]?key|apikey|access[-_]?key|private[-_]?key|signature|credential|auth|jwt)/i;
const CREDENTIAL_PARAM_NAME = /^(sig|key|pass|pwd|pw)$/i;
const credentialParam = (name: string) => CREDENTIAL_PARAM.test(name) || CREDENTIAL_PARAM_NAME.test(name.trim());
/** An AWS access key id (long-term `AKIA`, temporary `ASIA`). */
const AWS_KEY_ID = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/;

/**
 * URLs must not carry credentials: no user or password (`user:password@host`, in any spelling the URL parser
 * accepts) and no query parameter named like a credential.
 */
export function urlCredentials(u: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    return /@/.test(u.split(/[/?#]/, 3).join('/')) ? 'user information (user:password@)' : undefined;
  }
  if (parsed.username || parsed.password) return 'user information (user:password@)';
  for (const name of parsed.searchParams.keys()) if (credentialParam(name)) return `the query parameter '${name}'`;
  // OAuth's implicit flow puts tokens into the fragment (#access_token=...)
  for (const name of new URLSearchParams(parsed.hash.replace(/^#/, '')).keys())
    if (credentialParam(name)) return `the fragment parameter '${name}'`;
  // a token anywhere else: a JWT or an AWS access key id in the path (`https://api.example/eyJ.../`)
  if (JWT.test(u)) return 'a JSON Web Token';
  if (AWS_KEY_ID.test(u)) return 'an AWS access key id';
  return undefined;
}

/**
 * The text with every credential the checks here recognise replaced by `***` (user information, credential query
 * and fragment parameters, credential flags' values, authorization headers, JWTs): error messages echo the value
 * they refuse, and those land in CI logs.
 */
export function redactCredentials(text: string): string {
  return (
    text
      .replace(/(\/\/)[^/@\s]*@/g, '$1***@')
      .replace(/([?#&;])([^=&#\s]*)=([^&#\s]*)/g, (m, sep: string, name: string) =>
        credentialParam(name) ? `${sep}${name}=***` : m,
      )
      .replace(/(^|\s)(-{0,2}[A-Za-z0-9-]+)=(\S+)/g, (m, pre: string, flag: string) =>
        credentialFlag(flag.startsWith('-') ? flag : `--${flag}`) ? `${pre}${flag}=***` : m,
      )
      // a credential flag and its value as two words (`--token -abc`, `--access-key AKIA...`)
      .replace(/(^|\s)(-{1,2}[A-Za-z0-9-]+)(\s+)(?!--)(\S+)/g, (m, pre: string, flag: string, space: string) =>
        credentialFlag(flag) && !CREDENTIAL_FLAG_NAMES_A_PLACE.test(flag) ? `${pre}${flag}${space}***` : m,
      )
      .replace(new RegExp(AWS_KEY_ID.source, 'g'), '***')
      .replace(/\b(bearer|basic)\s+\S+/gi, '$1 ***')
      .replace(CREDENTIAL_HEADER_G, '$1: ***')
      .replace(new RegExp(JWT.source, 'g'), '***')
  );
}
const noUserInfo = (u: string) => urlCredentials(u) === undefined;
const noCredentials = (what: string) => ({
  message: `${what} must not contain credentials (user:password@ or a token in the query); give them to the tools through their environment`,
});
const url = (what: string, protocol?: RegExp) =>
  (protocol ? z.url({ protocol }) : z.url()).refine(noUserInfo, noCredentials(what));

/** Flag names that take a credential as their value (`--token x`, `--password=x`, `--api-key x`, ...). */
const CREDENTIAL_FLAG =
  /^-{1,2}[a-z0-9-]*(token|password|passwd|passphrase|secret|api-?key|apikey|client-key|auth-header|authorization|bearer|credential)[a-z0-9-]*$/i;
/**
 * Flags whose last word names a credential (`--pass`, `--db-pwd`, `--private-key`, `--access-key`, `--sig`): only as
 * the last word, so that `--pass-through` or `--bypass` stay flags and `--pass-file` names a file.
 */
const CREDENTIAL_FLAG_WORD =
  /^-{1,2}(?:[a-z0-9]+-)*(?:pass|pwd|pw|sig|(?:access|private|account|signing|secret)-?key(?:-id)?)$/i;
const credentialFlag = (flag: string) => CREDENTIAL_FLAG.test(flag) || CREDENTIAL_FLAG_WORD.test(flag);
/** Credential flags that name where the credential is, not the credential (`--token-file`, `--password-env`). */
const CREDENTIAL_FLAG_NAMES_A_PLACE = /-(file|path|env|command|cmd)$/i;
/** Keys of free-form maps that name a credential. */
const CREDENTIAL_KEY = /(token|password|passwd|secret|api[-_]?key|apikey|credential|private[-_]?key)/i;
/** An HTTP header carrying a credential (`Private-Token: ...`, `Authorization: ...`, `X-Api-Key: ...`). */
const CREDENTIAL_HEADER =
  /^\s*[A-Za-z0-9-]*(token|authorization|api-?key|secret|password|cookie)[A-Za-z0-9-]*\s*:\s*\S/i;
const CREDENTIAL_HEADER_G =
  /([A-Za-z0-9-]*(?:token|authorization|api-?key|secret|password|cookie)[A-Za-z0-9-]*)\s*:\s*\S+/gi;
/** A JSON Web Token: three base64url parts, the first a JSON header (`eyJ`). */
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/;

/**
 * The first exec plugin argument that carries a credential: a credential flag with its value (`--token=x` or
 * `--token x`), a bearer or basic authorization header, a JWT anywhere. Flags that name a file or an environment
 * variable (`--token-file`, `--password-env`) are fine.
 */
export function execArgCredential(args: readonly string[]): { index: number; what: string } | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (JWT.test(arg)) return { index: i, what: 'a JSON Web Token' };
    if (AWS_KEY_ID.test(arg)) return { index: i, what: 'an AWS access key id' };
    if (/\b(bearer|basic)\s+\S/i.test(arg)) return { index: i, what: 'an authorization header' };
    if (CREDENTIAL_HEADER.test(arg)) return { index: i, what: 'a credential header' };
    // a shell command line in one argument (`-c "kubelogin get-token --token=..."`): its words count as well
    const words = arg.trim().split(/\s+/);
    if (words.length > 1) {
      const inner = execArgCredential(words);
      if (inner) return { index: i, what: `${inner.what} inside '${words[0]} ...'` };
    }
    const [flag, ...rest] = arg.split('=');
    const dashed = flag.startsWith('-');
    if (!credentialFlag(dashed ? flag : `--${flag}`) || CREDENTIAL_FLAG_NAMES_A_PLACE.test(flag)) continue;
    if (rest.length > 0 && rest.join('=') !== '') return { index: i, what: `${flag}=<value>` };
    const next = args[i + 1];
    // The next argument is the value, even when it starts with one dash (`--token -abc123`: Go's pflag takes the
    // next argument whatever it starts with); only a long flag `--x` after it is read as the next flag. The issue
    // points at the flag, not at the value: error output shows the argument it points at.
    if (dashed && rest.length === 0 && next !== undefined && !next.startsWith('--'))
      return { index: i, what: `${flag} <value>` };
  }
  return undefined;
}

const id = (what: string) =>
  z.string().regex(ID_PATTERN, {
    message: `${what} id must be 1-32 lower-case letters, digits or '-', starting with a letter and not ending with '-'`,
  });
const ref = (what: string) =>
  z
    .string()
    .min(1)
    .meta({ description: `id of a ${what} declared in this file` });
/** A file path as Terraform's file functions take it: no quotes or backslashes (Terraform refuses them). */
const filePath = (what: string) =>
  z
    .string()
    .min(1)
    .regex(/^[^"\\]+$/, { message: `${what} must be a file path without double quotes or backslashes` });
const k8sName = (what: string) =>
  z
    .string()
    .regex(K8S_NAME, { message: `${what} must be a Kubernetes name: lower-case letters, digits and '-', at most 63` });
export const dnsName = (what: string) =>
  z.string().regex(DNS_NAME, {
    message: `${what} must be a fully qualified DNS name in lower case, e.g. 'messenger.beispiel.example'`,
  });
export const ZONE_KINDS = ['ndb', 'grundschutz', 'internet'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];
export const CLASSIFICATIONS = ['offen', 'VS-NfD'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const zoneSchema = z
  .strictObject({
    id: id('zone'),
    name: z.string().min(1),
    kind: z.enum(ZONE_KINDS).meta({
      description: 'ndb: Netze des Bundes; grundschutz: an agency network at BSI IT-Grundschutz level; internet',
    }),
    cidrs: z
      .array(z.string())
      .min(1)
      .meta({ description: 'IPv4 and IPv6 networks of the zone; zones must not overlap' }),
    ingressClass: k8sName('ingressClass').meta({ description: 'IngressClass of the zone edge' }),
    loadBalancerClass: z
      .string()
      .regex(QUALIFIED_NAME, {
        message: "loadBalancerClass must be a qualified name such as 'lb.ndb.example/internal'",
      })
      .meta({ description: 'Service loadBalancerClass that places a load balancer inside this zone' }),
    turn: z
      .strictObject({
        uris: z.array(z.string().regex(/^turns?:/)).min(1),
        existingSecret: k8sName('turn.existingSecret').meta({ description: "Secret with key 'turn-shared-secret'" }),
      })
      .optional()
      .meta({ description: "the zone's TURN servers for Matrix calls" }),
    allowFederationWith: z.array(z.string().min(1)).default([]).meta({
      description: 'zones of another kind whose Matrix servers may federate with this zone (both must list each other)',
    }),
    maxClassification: z
      .enum(CLASSIFICATIONS)
      .optional()
      .meta({ description: 'highest classification the zone may carry; default VS-NfD for ndb, offen otherwise' }),
  })
  .meta({ description: 'A network zone' });

export const OPERATOR_KINDS = [
  'federal-it-service-provider',
  'bundeswehr-it-service-provider',
  'commercial-provider',
] as const;
export const operatorSchema = z.strictObject({
  id: id('operator'),
  name: z.string().min(1).meta({ description: 'legal name, e.g. Informationstechnikzentrum Bund (ITZBund)' }),
  kind: z.enum(OPERATOR_KINDS),
});

const connectionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('kubeconfig'),
    path: filePath('connection.path').meta({
      description: 'kubeconfig file; relative paths resolve against this config file',
    }),
    context: z.string().min(1).optional(),
  }),
  z.strictObject({
    type: z.literal('exec'),
    host: z
      .url({ protocol: /^https$/, message: 'host must be an https:// URL of the API server' })
      .refine(noUserInfo, noCredentials('host')),
    clusterCaCertificateFile: filePath('connection.clusterCaCertificateFile')
      .optional()
      .meta({ description: 'PEM file of the API server CA; relative paths resolve against this config file' }),
    apiVersion: z.string().default('client.authentication.k8s.io/v1'),
    command: z.string().min(1).regex(/^\S+$/, {
      message: 'command is one program (a name or a path without spaces); its arguments go into args',
    }),
    args: z
      .array(z.string())
      .default([])
      .superRefine((args, ctx) => {
        const found = execArgCredential(args);
        if (found)
          ctx.addIssue({
            code: 'custom',
            path: [found.index],
            input: args[found.index],
            message: `exec args must not carry credentials (${found.what}): the plugin reads them from its environment or a file`,
          });
      }),
  }),
]);

export const NODE_POOL_PURPOSES = ['general', 'calling', 'ingress'] as const;
const nodePoolSchema = z.strictObject({
  name: k8sName('node pool name'),
  purpose: z.enum(NODE_POOL_PURPOSES).meta({ description: 'calling: dedicated nodes for sftd/coturn (hostNetwork)' }),
  nodeSelector: z
    .record(z.string(), z.string())
    .refine((m) => Object.keys(m).length > 0, {
      message: 'nodeSelector needs at least one label',
    })
    .superRefine((m, ctx) => {
      for (const [k, v] of Object.entries(m)) {
        if (CREDENTIAL_KEY.test(k) || JWT.test(v))
          ctx.addIssue({
            code: 'custom',
            path: [k],
            input: v,
            message: `nodeSelector holds node labels, not credentials ('${k}')`,
          });
        else if (
          !QUALIFIED_NAME.test(k.split('/').pop() ?? '') ||
          !/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(v)
        )
          ctx.addIssue({
            code: 'custom',
            path: [k],
            input: v,
            message: `nodeSelector entries must be Kubernetes label keys and values ('${k}')`,
          });
      }
    }),
});

export const clusterSchema = z.strictObject({
  id: id('cluster'),
  zone: ref('zone'),
  operator: ref('operator (or tenant, for a self-hosting agency)'),
  connection: connectionSchema.meta({
    description: 'how Terraform reaches the API server: a kubeconfig file/context or an exec plugin; never credentials',
  }),
  pki: z
    .strictObject({
      type: z.enum(['internal-ca', 'acme']).meta({ description: 'acme (public) only in the internet zone' }),
      issuerName: k8sName('pki.issuerName'),
      issuerKind: z.enum(['ClusterIssuer', 'Issuer']).default('ClusterIssuer'),
    })
    .optional()
    .meta({ description: 'cert-manager issuer for the TLS certificates of services on this cluster' }),
  ingressController: z.strictObject({
    namespace: k8sName('ingressController.namespace').meta({
      description: "namespace that runs the zone's ingress controller (the cluster's zone edge)",
    }),
  }),
  nodePools: z.array(nodePoolSchema).default([]),
  kubernetesVersion: z
    .string()
    .regex(/^1\.(2[7-9]|[3-9]\d)(\.\d+)?$/, {
      message: "kubernetesVersion must be a Kubernetes version from 1.27 on, e.g. '1.31' or '1.31.4'",
    })
    .default('1.31')
    .meta({ description: 'the Kubernetes version the cluster runs; charts are rendered against it (verify --render)' }),
});

export const PILLARS = [1, 2, 3] as const;
export const STAGES = ['pilot', 'production'] as const;
export const SIZES = ['small', 'medium', 'large'] as const;
export const SEARCH_POLICIES = ['no_search', 'exact_handle_search', 'full_search'] as const;

const ipList = (what: string) =>
  z
    .array(z.string().min(1))
    .min(1)
    .meta({ description: `IP addresses of the ${what} nodes (outside Kubernetes)` });

const datastoresSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z
      .literal('external')
      .meta({ description: 'production: datastores outside Kubernetes via the *-external charts' }),
    cassandra: ipList('Cassandra'),
    elasticsearch: ipList('Elasticsearch/OpenSearch'),
    minio: ipList('MinIO/S3'),
    rabbitmq: ipList('RabbitMQ'),
    postgresql: z.strictObject({ rw: ipList('PostgreSQL read-write'), ro: z.array(z.string()).default([]) }),
    redis: z.strictObject({ host: z.string().min(1).meta({ description: 'Redis host name (ephemeral cache)' }) }),
    queues: z
      .strictObject({
        sqsEndpoint: url('sqsEndpoint', /^https?$/),
        snsEndpoint: url('snsEndpoint', /^https?$/),
      })
      .meta({ description: 'SQS/SNS-compatible queue endpoints (fake-aws is for demo only)' }),
  }),
  z.strictObject({
    mode: z
      .literal('demo')
      .meta({ description: 'ephemeral demo datastores (databases-ephemeral, fake-aws); never in production' }),
  }),
]);

const callingSchema = z.strictObject({
  nodes: z
    .array(
      z.strictObject({
        name: k8sName('calling node name').meta({ description: 'Kubernetes node of the calling pool' }),
        advertisedIp: z.string().min(1).meta({ description: 'IP announced to clients; must lie inside the zone' }),
      }),
    )
    .min(1)
    .meta({ description: 'nodes of the calling pool; sftd and coturn (hostNetwork) announce these IPs' }),
  mediaPorts: z
    .strictObject({
      min: z.number().int().min(1024).max(65535).default(32768),
      max: z.number().int().min(1024).max(65535).default(61000),
    })
    .default({ min: 32768, max: 61000 })
    .meta({
      description:
        "sftd's UDP media port range, opened at the zone firewall: the calling nodes' net.ipv4.ip_local_port_range (sftd takes its ports from the kernel); coturn relays on 49152-65535",
    }),
  turnPort: z.number().int().min(1).max(65535).default(3478),
});

const featureToggle = (what: string) =>
  z
    .strictObject({
      status: z.enum(FEATURE_STATUSES).optional(),
      lockStatus: z
        .enum(LOCK_STATUSES)
        .optional()
        .meta({ description: 'locked: team admins cannot change the status; unlocked: they can' }),
    })
    .optional()
    .meta({ description: what });

const APP_LOCK_TIMEOUT_MESSAGE = `inactivityTimeoutSecs must be between ${APP_LOCK_TIMEOUT.min} and ${APP_LOCK_TIMEOUT.max} seconds`;

/** Overrides of a pillar's Wire feature profile (config/wire-profile.ts holds the presets per Säule). */
export const wireProfileSchema = z
  .strictObject({
    classifiedDomains: z
      .strictObject({ status: z.enum(FEATURE_STATUSES).optional() })
      .optional()
      .meta({
        description:
          "clients mark a conversation as cleared (VS-NfD) only while all participants are on classified domains: the pillar's federation domain and its VS-NfD partners in the NdB; Säule 1 only",
      }),
    conversationGuestLinks: featureToggle('guest links into conversations'),
    appLock: z
      .strictObject({
        status: z.enum(FEATURE_STATUSES).optional(),
        enforced: z.boolean().optional().meta({ description: 'users cannot switch the app lock off' }),
        inactivityTimeoutSecs: z
          .int({ message: APP_LOCK_TIMEOUT_MESSAGE })
          .min(APP_LOCK_TIMEOUT.min, { message: APP_LOCK_TIMEOUT_MESSAGE })
          .max(APP_LOCK_TIMEOUT.max, { message: APP_LOCK_TIMEOUT_MESSAGE })
          .optional()
          .meta({ description: 'seconds of inactivity before the app locks, 30 to 86400' }),
      })
      .optional()
      .meta({ description: 'app lock on the clients' }),
    legalhold: z.enum(LEGALHOLD_MODES).optional(),
    fileSharing: featureToggle('sending files'),
    selfDeletingMessages: z
      .strictObject({
        status: z.enum(FEATURE_STATUSES).optional(),
        lockStatus: z.enum(LOCK_STATUSES).optional(),
        enforcedTimeoutSeconds: z
          .int()
          .min(0)
          .max(31536000)
          .optional()
          .meta({ description: '0: users choose; more: every message deletes itself after that many seconds' }),
      })
      .optional(),
    sndFactorPasswordChallenge: featureToggle('a verification code by e-mail in addition to the password'),
    outlookCalIntegration: featureToggle('the Outlook calendar add-in (a third party)'),
    reason: reasonText(`a profile reason needs at least ${MIN_REASON} characters besides surrounding spaces`)
      .optional()
      .meta({ description: 'why the profile is weaker than the preset of its Säule (required for Säule 1)' }),
  })
  .meta({ description: "overrides of the pillar's Wire team features; default: the preset of its Säule" });

const wirePillarFields = z.strictObject({
  id: id('pillar'),
  pillar: z.literal(PILLARS).meta({ description: 'Säule 1 (NdB, up to VS-NfD), 2 (internet), 3 (IT-Grundschutz)' }),
  cluster: ref('cluster'),
  stage: z.enum(STAGES).default('pilot'),
  operator: ref('operator').optional().meta({ description: 'default: itzbund for pillars 1 and 3' }),
  acknowledgeNotImplemented: z
    .literal(true)
    .optional()
    .meta({ description: 'required for Säule 2, which is not implemented in reality today' }),
  domain: dnsName('domain').meta({ description: 'base domain; hosts are nginz-https.<domain>, webapp.<domain>, ...' }),
  federationDomain: dnsName('federationDomain')
    .optional()
    .meta({ description: 'Wire federation domain; cannot change after the first install. Default: domain' }),
  size: z.enum(SIZES).default('medium'),
  datastores: datastoresSchema,
  secrets: z
    .strictObject({
      existingSecret: k8sName('existingSecret').meta({
        description: 'pre-created Kubernetes Secret in the pillar namespace with zauth keys, TURN secret, passwords',
      }),
    })
    .default({ existingSecret: 'wire-server-secrets' }),
  calling: callingSchema,
  mail: z
    .strictObject({
      smtp: z
        .strictObject({
          host: dnsName('mail.smtp.host'),
          port: z.int().min(1).max(65535).default(587),
          connType: z.enum(['plain', 'ssl', 'tls']).default('tls'),
        })
        .optional()
        .meta({
          description:
            "the zone's mail relay brig sends through (password: key 'smtp-password'); default smtp.<domain>:587 with STARTTLS",
        }),
      sender: z
        .email()
        .optional()
        .meta({ description: 'sender of activation and password mails; default noreply@<domain>' }),
      support: z
        .strictObject({ company: z.string().min(1).max(200), email: z.email() })
        .optional()
        .meta({
          description: "support contact published in spar's SAML metadata; default the operator and support@<domain>",
        }),
    })
    .default({})
    .meta({ description: 'mail and support contact of the pillar (Wire needs them even where mail is not used)' }),
  profile: wireProfileSchema.optional(),
});

/** A pillar with the checks that need more than one of its fields (its profile against its Säule). */
export const wirePillarSchema = wirePillarFields.superRefine((p, ctx) => {
  for (const problem of wireProfileConfigProblems(p.pillar, p.profile))
    ctx.addIssue({ code: 'custom', path: ['profile', ...problem.path], message: problem.message });
});

const externalWireSchema = z.strictObject({
  id: id('external backend'),
  domain: dnsName('domain').meta({ description: 'federation domain of the remote Wire backend' }),
  zone: ref('zone'),
  classification: z.enum(CLASSIFICATIONS),
  operator: z.string().min(1).optional(),
});

const federationLinkSchema = z.strictObject({
  between: z.tuple([ref('Wire instance'), ref('Wire instance')]),
  searchPolicy: z.enum(SEARCH_POLICIES).default('exact_handle_search'),
});

export const DEFAULT_MATRIX_CHART_REPOSITORY = 'oci://registry.opencode.de/bwi/bundesmessenger/backend/helm-chart';

export const DEFAULT_CHART_REPOSITORIES = {
  stable: 'https://s3-eu-west-1.amazonaws.com/public.wire.com/charts',
  webapp: 'https://s3-eu-west-1.amazonaws.com/public.wire.com/charts-webapp',
  avs: 'https://s3-eu-west-1.amazonaws.com/public.wire.com/charts-avs',
};

const wireSchema = z.strictObject({
  chartRepositories: z
    .strictObject({
      stable: url('chart repository').default(DEFAULT_CHART_REPOSITORIES.stable),
      webapp: url('chart repository').default(DEFAULT_CHART_REPOSITORIES.webapp),
      avs: url('chart repository').default(DEFAULT_CHART_REPOSITORIES.avs),
    })
    .default(DEFAULT_CHART_REPOSITORIES)
    .meta({ description: 'Helm repositories of the Wire charts; point them at an internal mirror when air-gapped' }),
  pillars: z.array(wirePillarSchema).default([]),
  externalBackends: z.array(externalWireSchema).default([]),
  federationLinks: z.array(federationLinkSchema).default([]),
});

export const TENANT_KINDS = [
  'federal-ministry',
  'federal-authority',
  'land-authority',
  'municipality',
  'bundeswehr',
] as const;
export type TenantKind = (typeof TENANT_KINDS)[number];
export const BUM_MODES = ['self-hosted', 'saas'] as const;

const matrixFederationSchema = z
  .discriminatedUnion('mode', [
    z.strictObject({
      mode: z.literal('none').meta({ description: 'no federation (Synapse federation_domain_whitelist: [])' }),
    }),
    z.strictObject({
      mode: z.literal('allowList'),
      servers: z
        .array(dnsName('server'))
        .min(1)
        .meta({ description: 'Matrix server names of this federation it may federate with' }),
    }),
    z.strictObject({
      mode: z.literal('open').meta({ description: 'federate with every server (whitelist unset); internet zone only' }),
    }),
  ])
  .default({ mode: 'none' });

const matrixPrivacySchema = z
  .strictObject({
    presence: z
      .boolean()
      .default(false)
      .meta({ description: 'online status; needs a Dienstvereinbarung that allows it' }),
    urlPreviews: z.boolean().default(false),
    openRegistration: z.boolean().default(false),
    guestAccess: z.boolean().default(false),
    publicRoomsOverFederation: z.boolean().default(false),
    encryptionByDefault: z.enum(['all', 'invite', 'off']).default('all'),
    pushNotificationContent: z.boolean().default(false),
    // retention, user directory, profile lookups, location sharing, server notices, DSGVO export
    ...matrixPrivacyProfileFields,
  })
  .default({
    presence: false,
    urlPreviews: false,
    openRegistration: false,
    guestAccess: false,
    publicRoomsOverFederation: false,
    encryptionByDefault: 'all',
    pushNotificationContent: false,
    ...MATRIX_PRIVACY_DEFAULTS,
  })
  .meta({ description: 'privacy defaults; change only on purpose (config/matrix-privacy.ts)' });

/** Refuses what the privacy profile of a Matrix server cannot be alone: a tile server outside the agency. */
const matrixServerPrivacy = (
  server: { serverName: string; privacy: z.output<typeof matrixPrivacySchema> },
  ctx: z.RefinementCtx,
) => {
  for (const i of matrixPrivacyServerIssues(server)) ctx.addIssue({ code: 'custom', ...i, path: [...i.path] });
};

/** A Matrix homeserver run on one of our clusters (BundesMessenger self-hosted, BwMessenger). */
const matrixServerFields = {
  cluster: ref('cluster'),
  serverName: dnsName('serverName').meta({
    description: 'Matrix server name (the part after the colon in @user:server)',
  }),
  publicServerName: dnsName('publicServerName').meta({ description: 'public host name of the homeserver' }),
  adminApiServerName: dnsName('adminApiServerName'),
  webClientHost: dnsName('webClientHost')
    .optional()
    .meta({ description: 'host of the BundesMessenger web client; default web.<serverName>' }),
  privacyPolicyUrl: url('privacyPolicyUrl', /^https$/).meta({
    description: 'Datenschutzerklärung of the agency (mandatory)',
  }),
  imprintUrl: url('imprintUrl', /^https$/).meta({ description: 'Impressum of the agency (mandatory)' }),
  postgresql: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().min(1).default('synapse'),
    username: z.string().min(1).default('synapse'),
    existingSecret: k8sName('postgresql.existingSecret').meta({ description: 'pre-created Secret with the password' }),
    existingSecretPasswordKey: z.string().min(1).default('password'),
  }),
  privacy: matrixPrivacySchema,
  federation: matrixFederationSchema,
  virusScanning: z
    .discriminatedUnion('enabled', [
      z.strictObject({
        enabled: z.literal(true),
        acknowledgeKeyDisclosure: z.literal(true).meta({
          description: 'the content scanner receives each file key: scanning weakens end-to-end encryption for files',
        }),
        clamavMirror: z
          .url({ protocol: /^https?$/ })
          .refine(noUserInfo, noCredentials('clamavMirror'))
          .refine((u) => /^https?:\/\/[^/]+\/?$/.test(u), {
            message:
              'clamavMirror must be a scheme, host and optional port without a path (the chart turns the port into a NetworkPolicy port), e.g. https://clamav-mirror.example:443',
          })
          .meta({ description: 'internal ClamAV signature mirror, e.g. https://clamav-mirror.example:443' }),
      }),
      z.strictObject({
        enabled: z.literal(false),
        reason: reasonText(
          `switching virus scanning off needs a reason of at least ${MIN_REASON} characters besides surrounding spaces`,
        ),
      }),
    ])
    .meta({ description: 'virus scanning of attachments: state the choice explicitly' }),
  identity: z
    .discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('oidc'),
        issuer: url('identity.issuer', /^https$/).meta({ description: "the agency's OpenID Connect provider" }),
        clientId: z.string().min(1).max(200),
        existingSecret: k8sName('identity.existingSecret').meta({
          description: "pre-created Secret in the homeserver's namespace with key 'client-secret'",
        }),
        displayName: z.string().min(1).max(100).default('Anmeldung über die Behörde'),
        localpartClaim: z
          .string()
          .regex(/^[a-z_]{1,50}$/, { message: 'localpartClaim must be a claim name such as preferred_username' })
          .default('preferred_username'),
      }),
    ])
    .optional()
    .meta({
      description:
        "how staff sign in: OIDC through the agency's identity provider (which can front its LDAP directory); without it, accounts are created through the admin API only",
    }),
  push: z
    .strictObject({
      gateway: url('push.gateway', /^https$/).meta({ description: 'approved push gateway (Sygnal) URL' }),
    })
    .optional()
    .meta({ description: 'push through Apple/Google needs internet egress: off in NdB/Grundschutz zones unless set' }),
};

const bundesMessengerSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('self-hosted'), ...matrixServerFields }).superRefine(matrixServerPrivacy),
  z.strictObject({
    mode: z.literal('saas'),
    serverName: dnsName('serverName'),
    homeserverUrl: url('homeserverUrl', /^https$/).meta({ description: 'homeserver of the SaaS offer' }),
    provider: ref('operator').default('t-systems'),
    wellKnown: z
      .strictObject({ cluster: ref('cluster') })
      .optional()
      .meta({
        description: "serve .well-known/matrix for the agency's domain from a cluster in the zone of its web domain",
      }),
  }),
]);

export const LEGAL_BASES = ['public-task', 'employment-relationship', 'consent'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

const agreementFields = {
  reference: z.string().min(1).meta({ description: 'file number / reference of the concluded agreement' }),
  date: z.iso.date().meta({ description: 'date concluded (YYYY-MM-DD)' }),
};

const dataProtectionSchema = z.strictObject({
  legalBasis: z
    .array(z.enum(LEGAL_BASES))
    .min(1)
    .meta({ description: "public-task and employment-relationship; 'consent' is never a legal basis for employees" }),
  agreements: z
    .array(z.strictObject({ processor: ref('operator'), ...agreementFields }))
    .default([])
    .meta({ description: 'concluded data processing agreements (AVV) with the operators of services the agency uses' }),
  serviceAgreement: z
    .strictObject({
      ...agreementFields,
      allowsPresence: z
        .boolean()
        .default(false)
        .meta({ description: 'whether the Dienstvereinbarung allows the online status' }),
      scope: z.string().optional(),
    })
    .optional()
    .meta({ description: 'Dienstvereinbarung with the staff council' }),
  vsNfdApprovedDevices: z
    .boolean()
    .default(false)
    .meta({ description: 'the agency uses only devices approved for VS-NfD (required for Säule 1)' }),
  dataProtectionOfficer: z
    .strictObject({
      name: z
        .string()
        .min(1)
        .max(200)
        .meta({ description: 'name or function, e.g. Behördliche Datenschutzbeauftragte' }),
      email: z.email().optional(),
      phone: z
        .string()
        .regex(/^\+?[0-9][0-9 ()/-]{2,30}$/, {
          message: 'phone must be digits, spaces and ()/-, e.g. +49 228 99 123-0',
        })
        .optional(),
    })
    .optional()
    .meta({
      description:
        "the agency's data protection officer (Art. 37 GDPR), named in the compliance report; rule DS-DPO warns without one",
    }),
  dsfa: z
    .discriminatedUnion('status', [
      z.strictObject({
        status: z.literal('done').meta({ description: 'carried out: reference and date of the DSFA document' }),
        ...agreementFields,
      }),
      z.strictObject({
        status: z.literal('planned'),
        due: z.iso.date().optional().meta({ description: 'planned completion (YYYY-MM-DD)' }),
      }),
      z.strictObject({
        status: z.literal('not-required'),
        reason: reasonText(
          `a DSFA that is not required needs a reason of at least ${MIN_REASON} characters besides surrounding spaces`,
        ).meta({ description: 'why no DSFA is required, e.g. the result of the threshold analysis' }),
      }),
    ])
    .optional()
    .meta({
      description:
        'Datenschutz-Folgenabschätzung (Art. 35 GDPR): done, planned or not required with a reason; rule DS-DSFA warns without one',
    }),
  retention: z
    .strictObject({
      ...agreementFields,
      summary: z.string().min(1).max(500).optional().meta({ description: 'the deletion periods in short' }),
    })
    .optional()
    .meta({ description: 'Löschkonzept of the agency (Art. 30 (1) f GDPR) that sets retention and deletion periods' }),
});

export const tenantSchema = z.strictObject({
  id: id('tenant'),
  name: z.string().min(1),
  kind: z.enum(TENANT_KINDS),
  domain: dnsName('domain'),
  dataProtection: dataProtectionSchema.optional(),
  wire: z
    .strictObject({
      pillars: z.array(ref('Wire pillar')).min(1),
      ldap: z
        .strictObject({
          host: dnsName('ldap.host'),
          port: z.number().int().min(1).max(65535).default(636),
          tls: z.boolean().default(true),
          baseDn: z.string().min(1),
          bindDn: z.string().min(1),
          objectClass: z.string().default('person'),
          memberOf: z.string().optional(),
          existingSecret: k8sName('ldap.existingSecret')
            .refine((v) => v !== 'ldap-scim-bridge', {
              message:
                "the ldap-scim-bridge chart creates a Secret named after its release ('ldap-scim-bridge'): name the input Secret differently, e.g. 'ldap-credentials'",
            })
            .meta({
              description: "pre-created Secret in the tenant namespace with keys 'ldap-password' and 'scim-token'",
            }),
        })
        .optional()
        .meta({ description: "sync the agency's team from its LDAP directory (one ldap-scim-bridge per pillar)" }),
    })
    .optional(),
  bundesMessenger: bundesMessengerSchema.optional(),
  bwMessenger: z
    .strictObject(matrixServerFields)
    .superRefine(matrixServerPrivacy)
    .optional()
    .meta({ description: 'BwMessenger (Bundeswehr only, operated by BWI)' }),
});

const stateBackendSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('local') }),
  z.strictObject({
    type: z.literal('pg').meta({ description: 'PostgreSQL; Terraform reads the connection string from PG_CONN_STR' }),
    schemaPrefix: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,30}$/)
      .default('tfstate'),
  }),
  z.strictObject({
    type: z.literal('s3').meta({
      description: 'S3-compatible store such as MinIO; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
    }),
    bucket: z.string().min(3),
    endpoint: z
      .url({
        protocol: /^https$/,
        message: 'endpoint must be an https:// URL: the state holds the service secrets Helm is given',
      })
      .refine(noUserInfo, noCredentials('endpoint')),
    region: z.string().default('eu-central-1'),
    keyPrefix: z.string().default('bund-messenger'),
    encrypt: z.boolean().default(true).meta({
      description:
        'server-side encryption of the state objects (the state holds service secrets); false only where the store encrypts at rest by itself',
    }),
    useLockfile: z.boolean().default(true).meta({
      description: 'state locking with a lock object beside the state (Terraform >= 1.10, OpenTofu >= 1.10)',
    }),
  }),
]);

/** Where Terraform/OpenTofu take the providers from: an air-gapped site points this at its mirror. */
const providerMirrorSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('filesystem').meta({ description: 'a directory filled by `terraform providers mirror <dir>`' }),
    path: z.string().regex(/^\/[A-Za-z0-9._\/-]*$/, {
      message: "path must be an absolute directory path of letters, digits and '._/-' (e.g. /opt/terraform/providers)",
    }),
  }),
  z.strictObject({
    type: z.literal('network').meta({ description: 'an HTTPS provider network mirror (the provider mirror protocol)' }),
    url: z.string().regex(/^https:\/\/[a-z0-9.-]+(?::\d{1,5})?\/(?:[A-Za-z0-9._~-]+\/)*$/, {
      message: "url must be an https:// URL of host and path ending in '/', without credentials or query",
    }),
  }),
]);

export const federationSchema = z
  .strictObject({
    federation: z.strictObject({ name: z.string().min(1), description: z.string().optional() }),
    stateBackend: stateBackendSchema.default({ type: 'local' }),
    terraform: z
      .strictObject({
        providerMirror: providerMirrorSchema.optional().meta({
          description:
            'synth writes <outdir>/terraform.rc, a CLI config that installs providers from this mirror only (TF_CLI_CONFIG_FILE)',
        }),
      })
      .default({}),
    operators: z.array(operatorSchema).default([]),
    zones: z.array(zoneSchema).min(1),
    clusters: z.array(clusterSchema).default([]),
    wire: wireSchema.default({
      chartRepositories: DEFAULT_CHART_REPOSITORIES,
      pillars: [],
      externalBackends: [],
      federationLinks: [],
    }),
    tenants: z.array(tenantSchema).default([]),
    compliance: z
      .strictObject({
        suppressions: z
          .array(
            z.strictObject({
              rule: z.string().min(1),
              tenant: ref('tenant').optional(),
              resource: z.string().min(1).optional().meta({ description: "'<stack> <type.name>'" }),
              owner: z.string().min(1),
              reason: reasonText(
                `a suppression needs a reason of at least ${MIN_REASON} characters besides surrounding spaces`,
              ),
            }),
          )
          .default([]),
      })
      .default({ suppressions: [] }),
    images: z
      .strictObject({
        registry: z
          .string()
          .regex(/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?(?:\/[a-z0-9._-]+)*$/, {
            message:
              "registry must be a registry host with optional port and path, e.g. 'registry.itzbund.example/mirror'",
          })
          .meta({
            description:
              'internal registry that mirrors every image under its path without the registry host (quay.io/wire/brig -> <registry>/wire/brig), BSI SYS.1.6.A6',
          })
          .optional(),
        digests: z
          .record(
            z
              .string()
              .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'an image name: the last segment of its repository' }),
            z.string().regex(/^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@)?sha256:[0-9a-f]{64}$/, {
              message:
                "a digest 'sha256:<64 hex>', or '<tag>@sha256:<64 hex>' for images whose default tag the project does not know",
            }),
          )
          .default({})
          .meta({ description: 'image name (e.g. brig) -> digest that pins it' }),
      })
      .optional(),
    matrix: z
      .strictObject({
        chartRepository: z
          .string()
          .regex(/^(oci|https):\/\//)
          .refine(noUserInfo, noCredentials('chartRepository'))
          .default(DEFAULT_MATRIX_CHART_REPOSITORY)
          .meta({ description: 'repository of the BundesMessenger chart; an internal mirror when air-gapped' }),
      })
      .default({ chartRepository: DEFAULT_MATRIX_CHART_REPOSITORY }),
  })
  .meta({
    title: 'Messenger federation',
    description: 'Zones, clusters, Wire Bund pillars and agency tenants of a federal messenger federation',
  });

export type FederationConfig = z.output<typeof federationSchema>;
export type ZoneConfig = FederationConfig['zones'][number];
export type ClusterConfig = FederationConfig['clusters'][number];
export type WirePillarConfig = FederationConfig['wire']['pillars'][number];
export type MatrixServerConfig = NonNullable<TenantConfig['bwMessenger']>;
export type ExternalWireConfig = FederationConfig['wire']['externalBackends'][number];
export type TenantConfig = FederationConfig['tenants'][number];
export type OperatorConfig = FederationConfig['operators'][number];
export type StateBackendConfig = FederationConfig['stateBackend'];

/** The JSON Schema that editors use to complete and validate federation files. */
export function federationJsonSchema(): object {
  return z.toJSONSchema(federationSchema, { io: 'input', target: 'draft-2020-12' });
}
export type ProviderMirrorConfig = NonNullable<FederationConfig['terraform']['providerMirror']>;
