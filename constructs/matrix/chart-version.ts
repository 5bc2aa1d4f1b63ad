/**
 * The BundesMessenger Helm chart published by BWI on openCode, pinned in one place. 1.16.0 is the newest version
 * whose default values we can check key by key (chart-keys/bundesmessenger-1.16.0.keys, `npm run charts:keys`).
 */
export const BUNDESMESSENGER_CHART = { chart: 'bundesmessenger', version: '1.16.0' } as const;
