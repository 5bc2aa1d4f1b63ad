/** BWI's BundesMessenger chart (also the BwMessenger's), from openCode. Not in the offline mirror. */
import { BUNDESMESSENGER_IMAGES } from '../matrix/images';
import type { ChartDescriptor } from './descriptor';

export const BUNDESMESSENGER: ChartDescriptor = {
  chart: 'bundesmessenger',
  version: '1.16.0',
  repository: 'matrix',
  images: BUNDESMESSENGER_IMAGES,
  guard: { ingressClassPath: 'ingress.className' },
};
