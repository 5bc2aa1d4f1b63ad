/** The coturn chart: TURN for calls, on the calling pool's host network. Not in the offline mirror. */
import { COTURN_SECRETS, coturnValues } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { wireImage } from './wire-images';

/** coturn relays media on its built-in port range: no value of the chart sets min-port/max-port. */
export const COTURN_RELAY_PORTS = { min: 49152, max: 65535 } as const;

export const COTURN: ChartDescriptor = {
  chart: 'coturn',
  version: '4.6.2-federation-wireapp.47',
  repository: 'stable',
  images: {
    images: [wireImage('coturn', 'image', undefined)],
    fixed: ['the helper images of coturn 4.6.2-federation-wireapp.47 (the chart is not in the mirror; not known here)'],
  },
  guard: { calling: true },
  pillar: {
    namespace: 'calling',
    values: (spec, placement) => coturnValues(spec, placement),
    secrets: () => COTURN_SECRETS,
  },
};
