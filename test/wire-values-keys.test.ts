import { defaultFederation, releaseValuesOf, synthesize } from './helpers';
import { keyPaths, referencePaths, unknownPaths } from './values-keys';

/** Reference files per chart: chart defaults and Wire's production examples (`prefix:` nests an umbrella subchart). */
const REFERENCES: Readonly<Record<string, readonly string[]>> = {
  'wire-server': [
    'wire-server-charts/wire-server.values.yaml',
    'nginz:wire-server-charts/nginz.values.yaml',
    'federator:wire-server-charts/federator.values.yaml',
    'cassandra-migrations:wire-server-charts/cassandra-migrations.values.yaml',
    'elasticsearch-index:wire-server-charts/elasticsearch-index.values.yaml',
    'wire-server-deploy-values/wire-server/prod-values.example.yaml',
    'wire-server-deploy-values/wire-server/prod-secrets.example.yaml',
  ],
  'nginx-ingress-services': [
    'wire-server-charts/nginx-ingress-services.values.yaml',
    'wire-server-deploy-values/nginx-ingress-services/prod-values.example.yaml',
    'wire-server-deploy-values/nginx-ingress-services/prod-secrets.example.yaml',
  ],
  'ingress-nginx-controller': [
    'wire-server-charts/ingress-nginx-controller.values.yaml',
    'wire-server-deploy-values/ingress-nginx-controller/prod-values.example.yaml',
    'wire-server-deploy-values/ingress-nginx-controller/load-balancer.example.yaml',
  ],
  'cassandra-external': [
    'wire-server-charts/cassandra-external.values.yaml',
    'wire-server-deploy-values/cassandra-external/prod-values.example.yaml',
  ],
  'elasticsearch-external': [
    'wire-server-charts/elasticsearch-external.values.yaml',
    'wire-server-deploy-values/elasticsearch-external/prod-values.example.yaml',
  ],
  'minio-external': [
    'wire-server-charts/minio-external.values.yaml',
    'wire-server-deploy-values/minio-external/prod-values.example.yaml',
  ],
  'rabbitmq-external': [
    'wire-server-charts/rabbitmq-external.values.yaml',
    'wire-server-deploy-values/rabbitmq-external/prod-values.example.yaml',
  ],
  'postgresql-external': ['wire-server-deploy-values/postgresql-external/prod-values.example.yaml'],
  'databases-ephemeral': ['wire-server-deploy-values/databases-ephemeral/prod-values.example.yaml'],
  rabbitmq: ['wire-server-deploy-values/rabbitmq/prod-values.example.yaml'],
  'fake-aws': [
    'wire-server-charts/fake-aws.values.yaml',
    'wire-server-deploy-values/fake-aws/prod-values.example.yaml',
  ],
  sftd: ['sftd-chart/sftd.values.yaml', 'wire-server-deploy-values/sftd/prod-values.example.yaml'],
  coturn: [
    'wire-server-deploy-values/coturn/prod-values.example.yaml',
    'wire-server-deploy-values/coturn/prod-secrets.example.yaml',
  ],
  webapp: ['wire-server-deploy-values/webapp/prod-values.example.yaml'],
  'team-settings': ['wire-server-deploy-values/team-settings/prod-values.example.yaml'],
  'account-pages': ['wire-server-deploy-values/account-pages/prod-values.example.yaml'],
  'ldap-scim-bridge': [
    'wire-server-charts/ldap-scim-bridge.values.yaml',
    'wire-server-deploy-values/ldap-scim-bridge/values-prod.example.yaml',
  ],
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

/** Keys that the reference files show only as comments or that belong to an upstream subchart, with where. */
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
    'spar.config.maxScimTokens':
      'prod-values.example.yaml: "# maxScimTokens: 16 # uncomment this if you want to use SCIM provisioning"',
    'federator.remoteCAContents': 'prod-values.example.yaml: "# remoteCAContents: | # ... federating backends root CA"',
  },
  'nginx-ingress-services': {
    'config.dns.federator': 'nginx-ingress-services values.yaml comment: "#     federator: federator.<domain>"',
    'config.dns.certificateDomain':
      'nginx-ingress-services values.yaml comment: "#     certificateDomain: federator.<domain>"',
  },
  'ingress-nginx-controller': {
    'ingress-nginx.controller.ingressClass': 'upstream ingress-nginx subchart: controller.ingressClass',
    'ingress-nginx.controller.ingressClassResource': 'upstream ingress-nginx subchart: controller.ingressClassResource',
    'ingress-nginx.controller.ingressClassResource.name': 'upstream ingress-nginx subchart',
    'ingress-nginx.controller.ingressClassResource.controllerValue': 'upstream ingress-nginx subchart',
    'ingress-nginx.controller.ingressClassResource.default': 'upstream ingress-nginx subchart',
    'ingress-nginx.controller.service.loadBalancerClass':
      'upstream ingress-nginx subchart: controller.service.loadBalancerClass',
  },
  ...Object.fromEntries(
    ['cassandra-external', 'elasticsearch-external', 'minio-external', 'rabbitmq-external'].map((c) => [
      c,
      { 'IPs[]': `${c} values.yaml and prod example: "## Configure this helm chart with: # IPs: - 1.2.3.4"` },
    ]),
  ),
  coturn: {
    coturnTurnListenPort: 'coturn chart values.yaml: coturnTurnListenPort: 3478',
  },
  sftd: {
    'tls.issuerRef': 'sftd prod-values.example.yaml: tls.issuerRef (the chart default is tls: {})',
  },
};

function referenceFor(chart: string): Set<string> {
  const files = REFERENCES[chart];
  if (!files) throw new Error(`no reference files listed for chart '${chart}'`);
  const out = new Set<string>();
  for (const f of files) {
    const [under, file] = f.includes(':') ? f.split(':') : ['', f];
    referencePaths(file, under).forEach((p) => out.add(p));
  }
  return out;
}

/** The default federation plus a pilot pillar with demo datastores, so every chart is generated at least once. */
function allReleases() {
  const fed = defaultFederation((y) =>
    y.replace(
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
      stack: s.name,
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
  const releases = allReleases().filter((r) => r.chart !== 'bundesmessenger');

  it('generates every Wire chart', () => {
    expect(new Set(releases.map((r) => r.chart))).toEqual(new Set(Object.keys(REFERENCES)));
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
    for (const [chart, entries] of Object.entries(ALLOW_LIST)) {
      for (const p of Object.keys(entries)) expect(used.has(`${chart} ${p}`) ? p : `unused: ${chart} ${p}`).toBe(p);
    }
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
