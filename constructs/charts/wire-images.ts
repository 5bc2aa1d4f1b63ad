/** How Wire's charts name their images (shared by the chart descriptors). */
import type { ChartImage, ChartImages } from '../images';

/** Wire's own images: repository `quay.io/wire/<name>` in `<prefix>.repository`, tag in `<prefix>.tag`. */
export const wireImage = (name: string, prefix: string, tag: string | undefined, digestPath?: string): ChartImage => ({
  name,
  registry: { kind: 'in-repository', repositoryPath: `${prefix}.repository`, repository: `quay.io/wire/${name}` },
  tagPath: `${prefix}.tag`,
  tag,
  ...(digestPath ? { digestPath } : {}),
});

/** ingress-nginx's images: registry, image, tag and digest in values of their own. */
export const ingressNginxImage = (name: string, prefix: string, tag: string): ChartImage => ({
  name,
  registry: { kind: 'own-value', registryPath: `${prefix}.registry` },
  tagPath: `${prefix}.tag`,
  tag,
  digestPath: `${prefix}.digest`,
});

/** A chart without workloads (Services and Endpoints for datastores outside Kubernetes). */
export const NO_IMAGES: ChartImages = { images: [] };

/** The ephemeral demo charts: their images keep the chart defaults. */
export const DEMO_IMAGES: ChartImages = {
  images: [],
  fixed: ['a demo chart (pilot only): its images keep the chart defaults'],
};

/** The release of Wire's charts (5.32) pins these at 5.32.0. */
export const WIRE_RELEASE_VERSION = '5.32.0';
