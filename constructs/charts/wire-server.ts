/** The wire-server chart: brig, galley, cannon, cargohold, gundeck, spar, nginz, federator, background-worker. */
import type { ChartImage } from '../images';
import { wireServerSecrets, wireServerValues } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { WIRE_RELEASE_VERSION, wireImage } from './wire-images';

/** cassandra-migrations: seven repositories that share one tag, so none can be pinned by digest on its own. */
const migration = (name: string, key: string): ChartImage => ({
  name,
  registry: {
    kind: 'in-repository',
    repositoryPath: `cassandra-migrations.images.${key}`,
    repository: `quay.io/wire/${name}`,
  },
  unpinnable: 'the cassandra-migrations images share one tag (cassandra-migrations.images.tag)',
});

const nginz = { pod: 'nginz' };

export const WIRE_SERVER: ChartDescriptor = {
  chart: 'wire-server',
  version: WIRE_RELEASE_VERSION,
  repository: 'stable',
  images: {
    images: [
      ...['brig', 'galley', 'cargohold', 'cannon', 'gundeck', 'spar', 'background-worker'].map((s) =>
        wireImage(s, `${s}.image`, WIRE_RELEASE_VERSION),
      ),
      wireImage('nginz', 'cannon.nginzImage', WIRE_RELEASE_VERSION),
      wireImage('nginz', 'nginz.images.nginz', WIRE_RELEASE_VERSION),
      wireImage('federator', 'federator.image', WIRE_RELEASE_VERSION),
      wireImage('brig-index', 'elasticsearch-index.image', WIRE_RELEASE_VERSION),
      migration('gundeck-schema', 'gundeck'),
      migration('brig-schema', 'brig'),
      migration('galley-schema', 'galley'),
      migration('spar-schema', 'spar'),
      migration('galley-migrate-data', 'galleyMigrateData'),
      migration('gundeck-migrate-data', 'gundeckMigrateData'),
      migration('spar-migrate-data', 'sparMigrateData'),
    ],
    fixed: ['alpine:3.21.3 (hard-coded in the cannon StatefulSet and the cassandra-migrations Job)'],
  },
  guard: {},
  pillar: { namespace: 'pillar', values: (spec) => wireServerValues(spec), secrets: (spec) => wireServerSecrets(spec) },
  contracts: [
    {
      configMap: 'brig',
      file: 'brig.yaml',
      required: [
        ['emailSMS.email.smtpEndpoint.host', "brig's options require an SMTP endpoint (brig.config.smtp.host)"],
        ['emailSMS.email.smtpEndpoint.port', 'brig.config.smtp.port'],
        ['emailSMS.email.smtpConnType', 'brig.config.smtp.connType'],
        ['emailSMS.general.smsSender', 'brig.config.emailSMS.general.smsSender (required even without SMS)'],
        ['emailSMS.user.smsActivationUrl', 'brig.config.emailSMS.user.smsActivationUrl'],
      ],
    },
    {
      configMap: 'gundeck',
      file: 'gundeck.yaml',
      required: [['aws.account', 'gundeck builds its queue ARNs from gundeck.config.aws.account']],
    },
    {
      configMap: 'nginz',
      file: 'nginx.conf',
      forbidden: /^\s*listen\s+[^;]*proxy_protocol/m,
      why: "nginz expects the PROXY protocol, but the zone's ingress-nginx sends none (nginz.config.ws.useProxyProtocol)",
    },
  ],
  flows: [
    { from: { zoneIngress: true }, to: nginz, port: 8080, what: 'zone ingress -> nginz REST 8080' },
    { from: { zoneIngress: true }, to: nginz, port: 8081, what: 'zone ingress -> nginz websocket 8081' },
    { from: nginz, to: { pod: 'brig' }, port: 8080, what: 'nginz -> brig 8080' },
    { from: { pod: 'brig' }, to: { endpointsOf: 'cassandra-external' }, port: 9042, what: 'brig -> Cassandra 9042' },
    {
      from: { pod: 'brig' },
      to: { endpointsOf: 'elasticsearch-external' },
      port: 9200,
      what: 'brig -> Elasticsearch 9200',
    },
    { from: { pod: 'galley' }, to: { endpointsOf: 'rabbitmq-external' }, port: 5672, what: 'galley -> RabbitMQ 5672' },
    {
      from: { pod: 'background-worker' },
      to: { endpointsOf: 'rabbitmq-external' },
      port: 15672,
      what: 'background-worker -> RabbitMQ management 15672',
    },
    { from: { pod: 'cargohold' }, to: { endpointsOf: 'minio-external' }, port: 9000, what: 'cargohold -> MinIO 9000' },
    {
      from: { pod: 'federator' },
      to: { zoneClient: true },
      port: 443,
      what: 'federator -> federated backends 443 (inside the zone)',
      when: 'federating',
    },
    {
      from: { pod: 'brig' },
      to: { zoneClient: true },
      port: 443,
      what: 'brig -> https://sftd.<domain> 443 (sft_servers_all.json, through the zone ingress)',
    },
  ],
};
