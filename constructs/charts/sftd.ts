/** The sftd chart: conference calling (SFT) on the calling pool's host network. Not in the offline mirror. */
import { sftdSecrets, sftdValues } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { wireImage } from './wire-images';

export const SFTD: ChartDescriptor = {
  chart: 'sftd',
  version: '0.135.0',
  repository: 'avs',
  images: {
    images: [wireImage('sftd', 'image', undefined)],
    fixed: ['the join-call proxy and helper images of sftd 0.135.0 (the chart is not in the mirror; not known here)'],
  },
  guard: { ingressClassPath: 'config.ingressClass', calling: true },
  pillar: {
    namespace: 'calling',
    values: (spec, placement) => sftdValues(spec, placement),
    secrets: (spec) => sftdSecrets(spec),
  },
  flows: [
    // sftd listens on its node's address (host network), port 8585
    { from: { zoneIngress: true }, to: { callingNodes: true }, port: 8585, what: 'zone ingress -> sftd 8585 (calls)' },
    { from: { pod: 'sftd-join-call' }, to: { callingNodes: true }, port: 8585, what: 'join-call proxy -> sftd 8585' },
  ],
};
