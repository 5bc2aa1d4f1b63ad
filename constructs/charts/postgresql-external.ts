/** The postgresql-external chart. */
import { externalDatastoreValues } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { NO_IMAGES } from './wire-images';

/**
 * PostgreSQL outside Kubernetes: Services and Endpoints `postgresql-external-rw`/`-ro`. Wire 5.32's build manifest
 * pins 0.0.44 (from wireapp/helm-charts, published in the stable repository), not 5.32.0.
 */
export const POSTGRESQL_EXTERNAL: ChartDescriptor = {
  chart: 'postgresql-external',
  version: '0.0.44',
  repository: 'stable',
  images: NO_IMAGES,
  guard: {},
  pillar: { namespace: 'pillar', values: (spec) => externalDatastoreValues(spec)['postgresql-external'] },
};
