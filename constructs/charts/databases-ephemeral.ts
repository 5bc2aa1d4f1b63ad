/** The databases-ephemeral chart. */
import { demoDatastoreValues } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { DEMO_IMAGES, WIRE_RELEASE_VERSION } from './wire-images';

/** An ephemeral demo chart (datastores.mode: demo, pilot only). */
export const DATABASES_EPHEMERAL: ChartDescriptor = {
  chart: 'databases-ephemeral',
  version: WIRE_RELEASE_VERSION,
  repository: 'stable',
  images: DEMO_IMAGES,
  guard: {},
  pillar: { namespace: 'pillar', values: (spec) => demoDatastoreValues(spec)['databases-ephemeral'] },
};
