/** The minio-external chart. */
import { externalDatastoreValues } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { NO_IMAGES, WIRE_RELEASE_VERSION } from './wire-images';

/** MinIO: a Service and Endpoints for the datastore nodes outside Kubernetes (no workloads). */
export const MINIO_EXTERNAL: ChartDescriptor = {
  chart: 'minio-external',
  version: WIRE_RELEASE_VERSION,
  repository: 'stable',
  images: NO_IMAGES,
  guard: {},
  pillar: { namespace: 'pillar', values: (spec) => externalDatastoreValues(spec)['minio-external'] },
};
