/**
 * The federation config schema (what architects edit in `config/federation.yaml`).
 * The JSON Schema in `config/federation.schema.json` is generated from this file (`npm run schema`).
 */
import { z } from 'zod';

export const ID_PATTERN = /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const K8S_NAME = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const QUALIFIED_NAME =
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
export const DNS_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z][-a-z0-9]{0,61}[a-z0-9]$/;

const id = (what: string) =>
  z.string().regex(ID_PATTERN, {
    message: `${what} id must be 1-32 lower-case letters, digits or '-', starting with a letter and not ending with '-'`,
  });
const ref = (what: string) =>
  z
    .string()
    .min(1)
    .meta({ description: `id of a ${what} declared in this file` });
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
    path: z.string().min(1).meta({ description: 'kubeconfig file; relative paths resolve against this config file' }),
    context: z.string().min(1).optional(),
  }),
  z.strictObject({
    type: z.literal('exec'),
    host: z.url({ protocol: /^https$/, message: 'host must be an https:// URL of the API server' }),
    clusterCaCertificateFile: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'PEM file of the API server CA; relative paths resolve against this config file' }),
    apiVersion: z.string().default('client.authentication.k8s.io/v1'),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
  }),
]);

export const NODE_POOL_PURPOSES = ['general', 'calling', 'ingress'] as const;
const nodePoolSchema = z.strictObject({
  name: k8sName('node pool name'),
  purpose: z.enum(NODE_POOL_PURPOSES).meta({ description: 'calling: dedicated nodes for sftd/coturn (hostNetwork)' }),
  nodeSelector: z.record(z.string(), z.string()).refine((m) => Object.keys(m).length > 0, {
    message: 'nodeSelector needs at least one label',
  }),
});

export const clusterSchema = z.strictObject({
  id: id('cluster'),
  zone: ref('zone'),
  operator: ref('operator (or tenant, for a self-hosting agency)'),
  connection: connectionSchema.meta({
    description: 'how Terraform reaches the API server: a kubeconfig file/context or an exec plugin; never credentials',
  }),
  ingressController: z.strictObject({
    namespace: k8sName('ingressController.namespace').meta({
      description: "namespace that runs the zone's ingress controller (the cluster's zone edge)",
    }),
  }),
  nodePools: z.array(nodePoolSchema).default([]),
});

export const PILLARS = [1, 2, 3] as const;
export const STAGES = ['pilot', 'production'] as const;
export const wirePillarSchema = z.strictObject({
  id: id('pillar'),
  pillar: z.literal(PILLARS).meta({ description: 'Säule 1 (NdB, up to VS-NfD), 2 (internet), 3 (IT-Grundschutz)' }),
  cluster: ref('cluster'),
  stage: z.enum(STAGES).default('pilot'),
  operator: ref('operator').optional().meta({ description: 'default: itzbund for pillars 1 and 3' }),
});

export const TENANT_KINDS = [
  'federal-ministry',
  'federal-authority',
  'land-authority',
  'municipality',
  'bundeswehr',
] as const;
export const BUM_MODES = ['self-hosted', 'saas'] as const;

const bundesMessengerSchema = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('self-hosted'),
    cluster: ref('cluster'),
    serverName: dnsName('serverName').meta({ description: 'Matrix server name' }),
  }),
  z.strictObject({
    mode: z.literal('saas'),
    serverName: dnsName('serverName'),
    provider: ref('operator').default('t-systems'),
  }),
]);

export const tenantSchema = z.strictObject({
  id: id('tenant'),
  name: z.string().min(1),
  kind: z.enum(TENANT_KINDS),
  domain: dnsName('domain'),
  wire: z.strictObject({ pillars: z.array(ref('Wire pillar')).min(1) }).optional(),
  bundesMessenger: bundesMessengerSchema.optional(),
  bwMessenger: z.strictObject({ cluster: ref('cluster'), serverName: dnsName('serverName') }).optional(),
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
    endpoint: z.url({ protocol: /^https?$/, message: 'endpoint must be an http(s):// URL' }),
    region: z.string().default('eu-central-1'),
    keyPrefix: z.string().default('bund-messenger'),
  }),
]);

export const federationSchema = z
  .strictObject({
    federation: z.strictObject({ name: z.string().min(1), description: z.string().optional() }),
    stateBackend: stateBackendSchema.default({ type: 'local' }),
    operators: z.array(operatorSchema).default([]),
    zones: z.array(zoneSchema).min(1),
    clusters: z.array(clusterSchema).default([]),
    wire: z.strictObject({ pillars: z.array(wirePillarSchema).default([]) }).default({ pillars: [] }),
    tenants: z.array(tenantSchema).default([]),
  })
  .meta({
    title: 'Messenger federation',
    description: 'Zones, clusters, Wire Bund pillars and agency tenants of a federal messenger federation',
  });

export type FederationConfig = z.output<typeof federationSchema>;
export type ZoneConfig = FederationConfig['zones'][number];
export type ClusterConfig = FederationConfig['clusters'][number];
export type WirePillarConfig = FederationConfig['wire']['pillars'][number];
export type TenantConfig = FederationConfig['tenants'][number];
export type OperatorConfig = FederationConfig['operators'][number];
export type StateBackendConfig = FederationConfig['stateBackend'];

/** The JSON Schema that editors use to complete and validate federation files. */
export function federationJsonSchema(): object {
  return z.toJSONSchema(federationSchema, { io: 'input', target: 'draft-2020-12' });
}
