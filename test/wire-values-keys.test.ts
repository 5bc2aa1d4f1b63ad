import { WIRE_CHARTS } from '../constructs/wire/chart-versions';
import { WIRE_CHART_DESCRIPTORS } from '../constructs/charts';
import { defaultFederation, releaseValuesOf, synthesize } from './helpers';
import { chartKeys, keyPaths, unknownPaths } from './values-keys';

/** Pinned Wire charts that no release of the default federation (or the demo pilot below) deploys, with why. */
const NOT_DEPLOYED: Readonly<Record<string, string>> = {
  'redis-ephemeral': 'demo datastores come from databases-ephemeral, which brings its own redis-ephemeral',
};

/** Free-form maps (anything below is the user's): listed once. */
const FREE_FORM = [
  'resources',
  '*.resources',
  'nodeSelector',
  'envVars',
  'podAnnotations',
  '*.annotations',
  '*.labels',
];

/** Keys that the chart's sources show only as comments (or not at all) although the chart reads them, with where. */
const ALLOW_LIST: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'wire-server': {
    'brig.config.optSettings.setSftListAllServers':
      'prod-values.example.yaml: "# setSftListAllServers: enabled # Uncomment for Federation!"',
    'brig.config.optSettings.setFederationDomainConfigs[]':
      'prod-values.example.yaml: "# setFederationDomainConfigs:" (federated backends)',
    'brig.config.optSettings.setFederationDomainConfigs[].domain':
      'prod-values.example.yaml: "#   - domain: remotebackend1.example.com"',
    'brig.config.optSettings.setFederationDomainConfigs[].search_policy':
      'prod-values.example.yaml: "#     search_policy: full_search"',
    'federator.remoteCAContents': 'prod-values.example.yaml: "# remoteCAContents: | # ... federating backends root CA"',
  },
  'nginx-ingress-services': {
    'config.dns.federator': 'nginx-ingress-services values.yaml comment: "#     federator: federator.<domain>"',
    'config.dns.certificateDomain':
      'nginx-ingress-services values.yaml comment: "#     certificateDomain: federator.<domain>"',
  },
  ...Object.fromEntries(
    ['cassandra-external', 'elasticsearch-external', 'minio-external', 'rabbitmq-external'].map((c) => [
      c,
      { 'IPs[]': `${c} values.yaml and prod example: "## Configure this helm chart with: # IPs: - 1.2.3.4"` },
    ]),
  ),
  coturn: {
    coturnTurnListenPort: 'coturn chart values.yaml: coturnTurnListenPort: 3478',
    ...imageKeys('coturn'),
    ...Object.fromEntries(
      [
        'federate',
        'federate.enabled',
        'federate.port',
        'federate.dtls',
        'federate.dtls.enabled',
        'federate.dtls.tls',
        'federate.dtls.tls.issuerRef',
        'federate.dtls.tls.issuerRef.name',
        'federate.dtls.tls.issuerRef.kind',
        'federate.dtls.tls.certificate',
        'federate.dtls.tls.certificate.dnsNames[]',
        'federate.dtls.remoteWhitelist[]',
        'federate.dtls.remoteWhitelist[].host',
      ].map((k) => [
        k,
        'coturn chart values.yaml (wireapp/coturn charts/coturn) federate.*: federation-listening-port, DTLS certificate from issuerRef, remoteWhitelist; prod-values.example.yaml shows them commented',
      ]),
    ),
  },
  'account-pages': {
    'podSecurityContext.runAsNonRoot':
      'account-pages templates/deployment.yaml renders podSecurityContext (toYaml) as the container securityContext',
    'image.digest': 'account-pages templates/deployment.yaml: `if .Values.image.digest` -> `repository@digest`',
  },
  webapp: imageKeys('webapp'),
  'team-settings': imageKeys('team-settings'),
};

/** The image keys that Wire's production examples show only as a comment (set for a mirror and a digest). */
function imageKeys(chart: string): Record<string, string> {
  const why = `${chart} prod-values.example.yaml: "# image: tag: some-tag"; the chart renders \`image.repository\`:\`image.tag\``;
  return { image: why, 'image.repository': why, 'image.tag': why };
}

/**
 * The key paths of a chart's pinned version: chart defaults (subcharts included) and Wire's production examples,
 * from the checked-in key file (constructs/wire/chart-keys, scripts/chart-keys.ts).
 */
function referenceFor(chart: string): Set<string> {
  return new Set(chartKeys(chart).keys());
}

/** The default federation plus a pilot pillar with demo datastores, so every chart is generated at least once. */
const DIGEST = `sha256:${'c'.repeat(64)}`;
/** Every Wire image pinned (with its tag where the project does not know the default), all from a mirror. */
const IMAGES_YAML = `images:
  registry: registry.itzbund.example
  digests:
${[...new Set(Object.values(WIRE_CHART_DESCRIPTORS).flatMap((c) => c.images.images))]
  .filter((i) => !i.unpinnable)
  .map((i) => `    ${i.name}: '${i.tag === undefined && !i.digestPath ? '1.0.0@' : ''}${DIGEST}'`)
  .filter((line, n, all) => all.indexOf(line) === n)
  .join('\n')}

tenants:
`;

function allReleases(withImages = false) {
  const fed = defaultFederation((y) =>
    (withImages ? y.replace('tenants:\n', IMAGES_YAML) : y).replace(
      '  # Wire backends run by others',
      `    - id: wire-s3-pilot
      pillar: 3
      cluster: itzbund-gs-1
      stage: pilot
      size: small
      domain: pilot.wire-s3.itzbund.example
      datastores: { mode: demo }
      calling:
        nodes: [{ name: gs-calling-3, advertisedIp: 10.96.10.13 }]
  # Wire backends run by others`,
    ),
  );
  return synthesize(fed).flatMap((s) =>
    Object.entries(s.json.resource?.helm_release ?? {}).map(([name, r]) => ({
      stack: withImages ? `${s.name} (images from a mirror, pinned)` : s.name,
      name,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      chart: (r as any).chart as string,
      values: releaseValuesOf(r),
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      sensitive: ((r as any).set_sensitive ?? []).map((x: { name: string }) => x.name) as string[],
    })),
  );
}

describe('every Helm values key path the project sets exists in the chart defaults or Wire production examples', () => {
  const releases = [...allReleases(), ...allReleases(true)].filter((r) => r.chart !== 'bundesmessenger');

  it('generates every Wire chart', () => {
    expect(new Set(releases.map((r) => r.chart))).toEqual(
      new Set(Object.keys(WIRE_CHARTS).filter((c) => !(c in NOT_DEPLOYED))),
    );
  });

  it.each(releases.map((r) => [`${r.stack} ${r.name}`, r]))('%s', (_n, r) => {
    expect(unknownPaths(r.values, referenceFor(r.chart), FREE_FORM, ALLOW_LIST[r.chart])).toEqual([]);
    // Secret paths are set through set_sensitive; they must be known keys too.
    const secretPaths = r.sensitive.map((p) => p.replace(/\[\d+\]/g, '[]'));
    for (const p of secretPaths) expect(referenceFor(r.chart).has(p) || p in (ALLOW_LIST[r.chart] ?? {})).toBe(true);
  });

  it('allow-list entries are all still needed', () => {
    const used = new Set(
      releases.flatMap((r) =>
        [...keyPaths(r.values), ...r.sensitive].map((p) => `${r.chart} ${p.replace(/\[\d+\]/g, '[]')}`),
      ),
    );
    const entries = Object.entries(ALLOW_LIST).flatMap(([chart, e]) => Object.keys(e).map((p) => [chart, p]));
    expect(entries.filter(([chart, p]) => !used.has(`${chart} ${p}`))).toEqual([]);
    // Nor are entries that the chart's derived key paths contain (from a subchart, say).
    expect(entries.filter(([chart, p]) => referenceFor(chart).has(p))).toEqual([]);
  });
});

describe('the key-path check catches unknown keys', () => {
  it('flags a misspelled key and a key outside free-form maps', () => {
    const ref = referenceFor('wire-server');
    expect(unknownPaths({ brig: { config: { optSettings: { setFederationDomian: 'x' } } } }, ref, FREE_FORM)).toEqual([
      'brig.config.optSettings.setFederationDomian',
    ]);
    expect(unknownPaths({ brig: { resources: { limits: { 'nvidia.com/gpu': 1 } } } }, ref, FREE_FORM)).toEqual([]);
    expect(unknownPaths({ brig: { podLabels: { a: 'b' } } }, ref, FREE_FORM)).toEqual([
      'brig.podLabels',
      'brig.podLabels.a',
    ]);
  });
});
