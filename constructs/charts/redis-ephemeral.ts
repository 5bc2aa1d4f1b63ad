/** The redis-ephemeral chart. */
import type { ChartDescriptor } from './descriptor';
import { DEMO_IMAGES, WIRE_RELEASE_VERSION } from './wire-images';

/** An ephemeral demo chart (datastores.mode: demo, pilot only). */
export const REDIS_EPHEMERAL: ChartDescriptor = {
  chart: 'redis-ephemeral',
  version: WIRE_RELEASE_VERSION,
  repository: 'stable',
  images: DEMO_IMAGES,
  guard: {},
};
