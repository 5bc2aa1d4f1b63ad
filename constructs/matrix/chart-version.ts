/**
 * The BundesMessenger Helm chart published by BWI on openCode, pinned by its descriptor
 * (`constructs/charts/bundesmessenger.ts`). 1.16.0 is the newest version whose default values we can check key by
 * key (chart-keys/bundesmessenger-1.16.0.keys, `npm run charts:keys`).
 */
import { BUNDESMESSENGER } from '../charts/bundesmessenger';

export const BUNDESMESSENGER_CHART = { chart: BUNDESMESSENGER.chart, version: BUNDESMESSENGER.version } as const;
