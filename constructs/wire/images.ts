/**
 * The images of the pinned Wire charts (release 5.32), read from the packaged charts (`chart-keys/` names the
 * sources): which value holds each image's repository or registry and tag, and the default tag. Charts that are
 * not in the offline mirror (sftd, coturn, webapp, team-settings) are listed with their main image only, whose
 * repository has been the same in every known version; their default tag is not known here, so a digest for
 * them is given with its tag (`<tag>@sha256:...`).
 */
import type { ChartImage, ChartImages } from '../images';
import type { WireChartName } from './chart-versions';

/** Wire's own images: repository `quay.io/wire/<name>` in `<prefix>.repository`, tag in `<prefix>.tag`. */
const wire = (name: string, prefix: string, tag: string | undefined, digestPath?: string): ChartImage => ({
  name,
  registry: { kind: 'in-repository', repositoryPath: `${prefix}.repository`, repository: `quay.io/wire/${name}` },
  tagPath: `${prefix}.tag`,
  tag,
  ...(digestPath ? { digestPath } : {}),
});

/** ingress-nginx's images: registry, image, tag and digest in values of their own. */
const ingressNginx = (name: string, prefix: string, tag: string): ChartImage => ({
  name,
  registry: { kind: 'own-value', registryPath: `${prefix}.registry` },
  tagPath: `${prefix}.tag`,
  tag,
  digestPath: `${prefix}.digest`,
});

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

const DEMO = ['a demo chart (pilot only): its images keep the chart defaults'];
const NO_WORKLOAD: ChartImages = { images: [] };
const WIRE_SERVER_TAG = '5.32.0';

export const WIRE_CHART_IMAGES: Readonly<Record<WireChartName, ChartImages>> = {
  'wire-server': {
    images: [
      ...['brig', 'galley', 'cargohold', 'cannon', 'gundeck', 'spar', 'background-worker'].map((s) =>
        wire(s, `${s}.image`, WIRE_SERVER_TAG),
      ),
      wire('nginz', 'cannon.nginzImage', WIRE_SERVER_TAG),
      wire('nginz', 'nginz.images.nginz', WIRE_SERVER_TAG),
      wire('federator', 'federator.image', WIRE_SERVER_TAG),
      wire('brig-index', 'elasticsearch-index.image', WIRE_SERVER_TAG),
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
  'ingress-nginx-controller': {
    images: [
      ingressNginx('controller', 'ingress-nginx.controller.image', 'v1.11.5'),
      ingressNginx('kube-webhook-certgen', 'ingress-nginx.controller.admissionWebhooks.patch.image', 'v1.5.2'),
    ],
  },
  'ldap-scim-bridge': { images: [wire('ldap-scim-bridge', 'image', '0.10.4')] },
  'account-pages': { images: [wire('account', 'image', '2.9.0-v0.31.35-8f20d1a', 'image.digest')] },
  webapp: { images: [wire('webapp', 'image', undefined)] },
  'team-settings': { images: [wire('team-settings', 'image', undefined)] },
  sftd: {
    images: [wire('sftd', 'image', undefined)],
    fixed: ['the join-call proxy and helper images of sftd 0.135.0 (the chart is not in the mirror; not known here)'],
  },
  coturn: {
    images: [wire('coturn', 'image', undefined)],
    fixed: ['the helper images of coturn 4.6.2-federation-wireapp.47 (the chart is not in the mirror; not known here)'],
  },
  'nginx-ingress-services': NO_WORKLOAD,
  'cassandra-external': NO_WORKLOAD,
  'elasticsearch-external': NO_WORKLOAD,
  'minio-external': NO_WORKLOAD,
  'postgresql-external': NO_WORKLOAD,
  'rabbitmq-external': NO_WORKLOAD,
  'databases-ephemeral': { images: [], fixed: DEMO },
  'fake-aws': { images: [], fixed: DEMO },
  rabbitmq: { images: [], fixed: DEMO },
  'redis-ephemeral': { images: [], fixed: DEMO },
};
