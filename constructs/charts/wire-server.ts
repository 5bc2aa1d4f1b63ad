/** The wire-server chart: brig, galley, cannon, cargohold, gundeck, spar, nginz, federator, background-worker. */
import { weakenings, wireProfileBaseline, type WireProfile, type WireProfileSetting } from '../../config/wire-profile';
import { pillarMayFederateWith } from '../../config/domain';
import { FactLocals, PILLARS, readFact, WireInstanceFactSchema, WireProfileFactSchema } from '../facts';
import type { ChartImage } from '../images';
import { galleyFeatureFlags, wireServerSecrets, wireServerValues } from '../wire/values';
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

/** Dotted paths and values of the leaves of a values tree (lists are leaves). */
function leaves(value: unknown, prefix: string): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix, value]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, `${prefix}.${k}`));
}

/** What galley's expectation reads of a Säule-1 instance: its federation domain and its partners. */
const SAEULE_1_INSTANCE = WireInstanceFactSchema.pick({ domain: true, partners: true });

/**
 * The feature flags galley.yaml must carry for the pillar its stack records (`locals.wire_instance`, and the profile
 * in `locals.wire_profile`). Säule 1 is held to its preset, with the classified domains taken from the stack's own
 * facts: its federation domain and its federation partners in the NdB, no other. A setting of the recorded profile
 * counts only where it is not weaker than the preset or the profile records a reason; otherwise the preset is what
 * galley must get. Other pillars: the recorded profile as it is.
 */
export function expectedGalleyFlags(locals: Readonly<Record<string, unknown>>): Array<[string, unknown, string]> {
  // the facts as recorded, read through their schemas (constructs/facts.ts): a stack's JSON may have been edited
  const inst = locals[FactLocals.wireInstance];
  if (!inst || typeof inst !== 'object') return [];
  const pillar = WireInstanceFactSchema.shape.pillar.safeParse('pillar' in inst ? inst.pillar : undefined);
  if (!pillar.success) throw new Error(`wire_instance records no pillar (${PILLARS.join(', ')})`);
  const recordedProfile = readFact(FactLocals.wireProfile, WireProfileFactSchema, locals[FactLocals.wireProfile]);
  if (recordedProfile && 'malformed' in recordedProfile)
    throw new Error(`wire_profile is malformed (${recordedProfile.malformed.join(', ')})`);
  const recorded = recordedProfile?.fact.profile;
  const reason = recordedProfile?.fact.reason;
  const justified = typeof reason === 'string' && reason.trim().length >= 20;
  let profile: WireProfile;
  let why: string;
  if (pillar.data === 1) {
    const instance = SAEULE_1_INSTANCE.safeParse(inst);
    if (!instance.success) throw new Error('wire_instance of a Säule-1 stack without domain or partners');
    const { domain, partners } = instance.data;
    const domains = [domain, ...partners.filter((p) => pillarMayFederateWith(1, p.zoneKind)).map((p) => p.domain)];
    const baseline = wireProfileBaseline(1, [...new Set(domains)]);
    const chosen = { ...baseline } as Record<WireProfileSetting, unknown>;
    for (const setting of Object.keys(baseline) as WireProfileSetting[]) {
      if (!recorded || recorded[setting] === undefined) continue;
      const candidate = { ...baseline, [setting]: recorded[setting] } as WireProfile;
      if (setting === 'classifiedDomains') {
        // the domains always come from the stack's facts; switching the marking off needs a reason
        if (candidate.classifiedDomains?.status !== 'enabled' && justified)
          chosen[setting] = { status: 'disabled', domains: [] };
      } else if (justified || weakenings(baseline, candidate).length === 0) chosen[setting] = recorded[setting];
    }
    profile = chosen as unknown as WireProfile;
    why =
      "Säule 1's profile (config/wire-profile.ts), weaker only with a recorded reason; classified domains: the pillar and its NdB federation partners";
  } else {
    if (!recorded) return [];
    profile = recorded;
    why = "the pillar's profile (locals.wire_profile)";
  }
  return leaves(galleyFeatureFlags(profile), 'settings.featureFlags').map(([p, v]) => [p, v, why]);
}

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
      // the team features of the pillar, Säule 1's VS-NfD marking first (galley renders them with toYaml)
      configMap: 'galley',
      file: 'galley.yaml',
      expected: expectedGalleyFlags,
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
