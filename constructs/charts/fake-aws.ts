/** The fake-aws chart. */
import { demoDatastoreValues } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { DEMO_IMAGES, WIRE_RELEASE_VERSION } from './wire-images';

/** An ephemeral demo chart (datastores.mode: demo, pilot only). */
export const FAKE_AWS: ChartDescriptor = {
  chart: 'fake-aws',
  version: WIRE_RELEASE_VERSION,
  repository: 'stable',
  images: DEMO_IMAGES,
  guard: {},
  pillar: { namespace: 'pillar', values: (spec) => demoDatastoreValues(spec)['fake-aws'] },
};
