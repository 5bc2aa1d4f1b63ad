/** The account-pages chart: account activation and password reset pages. */
import { webValues } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { wireImage } from './wire-images';

export const ACCOUNT_PAGES: ChartDescriptor = {
  chart: 'account-pages',
  version: '0.9.0-pre.49',
  repository: 'webapp',
  // the chart renders `repository@digest` when image.digest is set; its app version is the default tag
  images: { images: [wireImage('account', 'image', '2.9.0-v0.31.35-8f20d1a', 'image.digest')] },
  guard: {},
  pillar: { namespace: 'pillar', values: (spec) => webValues(spec, 'account-pages') },
};
