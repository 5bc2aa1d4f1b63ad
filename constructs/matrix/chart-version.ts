/**
 * The BundesMessenger Helm chart published by BWI on openCode, pinned in one place. 1.16.0 is the newest version
 * whose default values we can check key by key (../shared/reference/bundesmessenger-chart/values-keys.txt).
 */
export const BUNDESMESSENGER_CHART = { chart: 'bundesmessenger', version: '1.16.0' } as const;
