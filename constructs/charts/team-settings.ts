/** The team-settings chart: team administration. Not in the offline mirror; its default image tag is not known. */
import { webValues } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { wireImage } from './wire-images';

export const TEAM_SETTINGS: ChartDescriptor = {
  chart: 'team-settings',
  version: '0.15.0',
  repository: 'webapp',
  images: { images: [wireImage('team-settings', 'image', undefined)] },
  guard: {},
  pillar: { namespace: 'pillar', values: (spec) => webValues(spec, 'team-settings') },
};
