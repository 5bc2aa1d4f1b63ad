/**
 * The chart versions of Wire release 5.32, pinned in one place. Repositories come from the config
 * (`wire.chartRepositories`) so an air-gapped install can mirror them.
 */
export type WireRepository = 'stable' | 'webapp' | 'avs';

export const WIRE_RELEASE = '5.32';

export const WIRE_CHARTS = {
  'wire-server': { version: '5.32.0', repository: 'stable' },
  'nginx-ingress-services': { version: '5.32.0', repository: 'stable' },
  'ingress-nginx-controller': { version: '5.32.0', repository: 'stable' },
  'databases-ephemeral': { version: '5.32.0', repository: 'stable' },
  'fake-aws': { version: '5.32.0', repository: 'stable' },
  rabbitmq: { version: '5.32.0', repository: 'stable' },
  'cassandra-external': { version: '5.32.0', repository: 'stable' },
  'elasticsearch-external': { version: '5.32.0', repository: 'stable' },
  'minio-external': { version: '5.32.0', repository: 'stable' },
  // Wire 5.32's build manifest pins 0.0.44 (from wireapp/helm-charts, published in the stable repository)
  'postgresql-external': { version: '0.0.44', repository: 'stable' },
  'rabbitmq-external': { version: '5.32.0', repository: 'stable' },
  'redis-ephemeral': { version: '5.32.0', repository: 'stable' },
  'ldap-scim-bridge': { version: '5.32.0', repository: 'stable' },
  coturn: { version: '4.6.2-federation-wireapp.47', repository: 'stable' },
  sftd: { version: '0.135.0', repository: 'avs' },
  webapp: { version: '0.8.0-pre.2699', repository: 'webapp' },
  'team-settings': { version: '0.15.0', repository: 'webapp' },
  'account-pages': { version: '0.9.0-pre.49', repository: 'webapp' },
} as const satisfies Record<string, { version: string; repository: WireRepository }>;

export type WireChartName = keyof typeof WIRE_CHARTS;
