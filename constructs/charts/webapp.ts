/** The webapp chart: Wire's web client. Not in the offline mirror; its default image tag is not known here. */
import { webValues } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { wireImage } from './wire-images';

export const WEBAPP: ChartDescriptor = {
  chart: 'webapp',
  version: '0.8.0-pre.2699',
  repository: 'webapp',
  images: { images: [wireImage('webapp', 'image', undefined)] },
  guard: {},
  pillar: { namespace: 'pillar', values: (spec) => webValues(spec, 'webapp') },
};
