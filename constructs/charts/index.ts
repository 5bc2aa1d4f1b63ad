/**
 * Every chart the project deploys, one descriptor each (`constructs/charts/<chart>.ts`). A chart's version,
 * repository, images, guard paths, render contracts, flows and secrets are read from here and nowhere else.
 */
import { ACCOUNT_PAGES } from './account-pages';
import { BUNDESMESSENGER } from './bundesmessenger';
import { CASSANDRA_EXTERNAL } from './cassandra-external';
import { COTURN } from './coturn';
import { DATABASES_EPHEMERAL } from './databases-ephemeral';
import type { ChartDescriptor } from './descriptor';
import { ELASTICSEARCH_EXTERNAL } from './elasticsearch-external';
import { FAKE_AWS } from './fake-aws';
import { INGRESS_NGINX_CONTROLLER } from './ingress-nginx-controller';
import { LDAP_SCIM_BRIDGE } from './ldap-scim-bridge';
import { MINIO_EXTERNAL } from './minio-external';
import { NGINX_INGRESS_SERVICES } from './nginx-ingress-services';
import { POSTGRESQL_EXTERNAL } from './postgresql-external';
import { RABBITMQ } from './rabbitmq';
import { RABBITMQ_EXTERNAL } from './rabbitmq-external';
import { REDIS_EPHEMERAL } from './redis-ephemeral';
import { SFTD } from './sftd';
import { TEAM_SETTINGS } from './team-settings';
import { WEBAPP } from './webapp';
import { WIRE_SERVER } from './wire-server';

/** Wire release 5.32's charts, by name. */
export const WIRE_CHART_DESCRIPTORS = {
  'wire-server': WIRE_SERVER,
  'nginx-ingress-services': NGINX_INGRESS_SERVICES,
  'ingress-nginx-controller': INGRESS_NGINX_CONTROLLER,
  'databases-ephemeral': DATABASES_EPHEMERAL,
  'fake-aws': FAKE_AWS,
  rabbitmq: RABBITMQ,
  'cassandra-external': CASSANDRA_EXTERNAL,
  'elasticsearch-external': ELASTICSEARCH_EXTERNAL,
  'minio-external': MINIO_EXTERNAL,
  'postgresql-external': POSTGRESQL_EXTERNAL,
  'rabbitmq-external': RABBITMQ_EXTERNAL,
  'redis-ephemeral': REDIS_EPHEMERAL,
  'ldap-scim-bridge': LDAP_SCIM_BRIDGE,
  coturn: COTURN,
  sftd: SFTD,
  webapp: WEBAPP,
  'team-settings': TEAM_SETTINGS,
  'account-pages': ACCOUNT_PAGES,
} as const satisfies Record<string, ChartDescriptor>;

export type WireChartName = keyof typeof WIRE_CHART_DESCRIPTORS;

/** Every chart, Wire's and BundesMessenger's, by name. */
export const CHARTS: Readonly<Record<string, ChartDescriptor>> = {
  ...WIRE_CHART_DESCRIPTORS,
  bundesmessenger: BUNDESMESSENGER,
};

export type { ChartDescriptor } from './descriptor';
