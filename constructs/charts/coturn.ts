/** The coturn chart: TURN for calls, on the calling pool's host network. Not in the offline mirror. */
import { COTURN_SECRETS, coturnValues } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { wireImage } from './wire-images';

export const COTURN: ChartDescriptor = {
  chart: 'coturn',
  version: '4.6.2-federation-wireapp.47',
  repository: 'stable',
  images: {
    images: [wireImage('coturn', 'image', undefined)],
    fixed: ['the helper images of coturn 4.6.2-federation-wireapp.47 (the chart is not in the mirror; not known here)'],
  },
  guard: { calling: true },
  secrets: COTURN_SECRETS,
  pillar: {
    namespace: 'calling',
    values: (spec, placement) => coturnValues(spec, placement),
    secrets: () => COTURN_SECRETS,
  },
};
