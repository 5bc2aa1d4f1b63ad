import { Construct } from 'constructs';
import { GuardedNamespace, SERVICE_CONTAINER_LIMITS } from '../guarded-namespace';
import { HelmChart } from '../helm-chart';
import type { ImageSettings } from '../images';
import { Annotations } from '../providers';
import { Labels } from '../labels';
import { Peer } from '../peer';
import type { ZoneCluster } from '../zone-cluster';
import type { WireChartName, WireRepository } from './chart-versions';
import { WIRE_CHART_DESCRIPTORS } from '../charts';
import { pillarHosts, type WirePillarSpec } from './pillar-spec';
import { Namespaces } from '../../config/naming';
import { acmeAllowedIn, PILLAR_CLASSIFICATION, pillarPlacementProblems } from '../../config/domain';

export interface WireBundPillarProps {
  readonly cluster: ZoneCluster;
  readonly spec: WirePillarSpec;
  /** Helm repositories of the Wire charts (internal mirrors when air-gapped). */
  readonly repositories: Readonly<Record<WireRepository, string>>;
  /**
   * The internal registry and digests for the charts' images (BSI SYS.1.6.A6).
   * @default the charts' own registries and tags
   */
  readonly images?: ImageSettings;
}

/**
 * wire-server 5.32's post-install hook Jobs spar-migrate-data and brig-index-migrate-data set no securityContext and
 * take none from values, so `restricted` would refuse them and the release would roll back. The pillar namespace
 * enforces `baseline` (no privileged or host access) and names these two Jobs as the only workloads below
 * `restricted`: `verify --render` checks every other pod of the namespace against `restricted`, and audit and warn
 * stay `restricted`. A post-renderer was the alternative; it would need a program on every machine that runs
 * Terraform, the GitLab jobs' Terraform image included.
 */
export const WIRE_SERVER_POD_SECURITY = {
  level: 'baseline',
  reason:
    "wire-server 5.32's post-install hook Jobs spar-migrate-data and brig-index-migrate-data set no securityContext and take none from values; every other pod of the namespace meets restricted (checked on the rendered chart)",
  restrictedExcept: ['Job/spar-migrate-data', 'Job/brig-index-migrate-data'],
} as const;

/** The charts of a pillar, in the order they are declared (the datastores first, the calling charts last). */
const PILLAR_CHARTS: readonly WireChartName[] = [
  'cassandra-external',
  'elasticsearch-external',
  'minio-external',
  'rabbitmq-external',
  'postgresql-external',
  'databases-ephemeral',
  'fake-aws',
  'rabbitmq',
  'wire-server',
  'nginx-ingress-services',
  'webapp',
  'team-settings',
  'account-pages',
  'sftd',
  'coturn',
];

/** Ports wire-server uses towards its datastores (outside Kubernetes). */
const DATASTORE_PORTS = [
  { port: 9042 }, // Cassandra
  { port: 9200 }, // Elasticsearch/OpenSearch
  { port: 9000 }, // MinIO
  { port: 5672 }, // RabbitMQ
  { port: 5432 }, // PostgreSQL
  { port: 6379 }, // Redis
];

/**
 * The backend of one Wire Bund pillar, composed from the charts Wire ships (release 5.32): datastore endpoints,
 * wire-server, nginx-ingress-services, webapp, team-settings, account-pages, and sftd + coturn on the cluster's
 * dedicated calling node pool.
 */
export class WireBundPillar extends Construct {
  readonly namespace: GuardedNamespace;
  readonly callingNamespace: GuardedNamespace;
  readonly charts: HelmChart[] = [];
  readonly hosts: ReturnType<typeof pillarHosts>;

  constructor(scope: Construct, id: string, props: WireBundPillarProps) {
    super(scope, id);
    const { cluster, spec } = props;
    const classification = PILLAR_CLASSIFICATION[spec.pillar];
    const misplaced = pillarPlacementProblems(spec.pillar, cluster.zone)[0];
    if (misplaced?.rule === 'zone-kind') {
      throw new Error(
        `WireBundPillar '${spec.id}': Säule ${spec.pillar} runs only on clusters in a '${misplaced.wanted}' zone; cluster '${cluster.clusterId}' is in '${cluster.zone.zoneId}' (${cluster.zone.kind})`,
      );
    }
    if (misplaced?.rule === 'classification') {
      throw new Error(
        `WireBundPillar '${spec.id}': Säule ${spec.pillar} carries ${misplaced.needed}, but zone '${cluster.zone.zoneId}' carries at most '${misplaced.max}'`,
      );
    }
    if (spec.pki.type === 'acme' && !acmeAllowedIn(cluster.zone)) {
      throw new Error(`WireBundPillar '${spec.id}': public ACME certificates only in the internet zone`);
    }
    const callingPool = cluster.nodePool('calling');
    if (!callingPool) {
      throw new Error(
        `WireBundPillar '${spec.id}': cluster '${cluster.clusterId}' has no node pool with purpose 'calling'`,
      );
    }
    for (const node of spec.calling.nodes) {
      if (!cluster.zone.contains(node.advertisedIp)) {
        throw new Error(
          `WireBundPillar '${spec.id}': calling IP ${node.advertisedIp} of node '${node.name}' lies outside zone '${cluster.zone.zoneId}' (${cluster.zone.cidrs.join(', ')})`,
        );
      }
    }
    this.hosts = pillarHosts(spec.domain);

    this.namespace = new GuardedNamespace(this, 'namespace', {
      cluster,
      name: Namespaces.wirePillar(spec.id),
      service: 'wire',
      pillar: spec.pillar,
      classification,
      quota: { 'requests.cpu': '64', 'requests.memory': '128Gi' },
      containerLimits: SERVICE_CONTAINER_LIMITS,
      podSecurity: WIRE_SERVER_POD_SECURITY,
    });
    const ns = this.namespace;
    // wire-server's services talk to each other inside the namespace.
    ns.allowWithin();
    // the agencies' ldap-scim-bridges (their own namespaces on this cluster) provision users through spar's SCIM API
    ns.allowFrom(
      Peer.namespacesWithLabels('ldap-scim-bridges', {
        [Labels.service]: 'wire-ldap-scim-bridge',
        [Labels.pillar]: String(spec.pillar),
      }),
      { ports: [{ port: 8080 }], podLabels: { app: 'spar' } },
    );
    // Datastores, Redis and queue endpoints lie outside Kubernetes but inside the zone.
    ns.allowTo(Peer.ipBlocks('zone-datastores', cluster.zone.cidrs), { ports: DATASTORE_PORTS });
    // background-worker pushes federation events through RabbitMQ's management API
    ns.allowTo(Peer.ipBlocks('zone-rabbitmq-management', cluster.zone.cidrs), {
      ports: [{ port: 15672 }],
      podLabels: { app: 'background-worker' },
    });
    // brig reads the list of SFT servers (sft_servers_all.json) from https://sftd.<domain>, the zone's ingress
    ns.allowTo(Peer.ipBlocks('zone-sft-list', cluster.zone.cidrs), {
      ports: [{ port: 443 }],
      podLabels: { app: 'brig' },
    });
    ns.allowTo(Peer.ipBlocks('zone-queues', cluster.zone.cidrs), {
      ports: [{ port: 9324 }, { port: 9911 }, { port: 4568 }, { port: 4575 }, { port: 25 }, { port: 587 }],
    });
    if (spec.federation.length > 0) {
      // Federator to remote federators (HTTPS); remote backends of pillar 1 lie in the NdB (checked by the config).
      ns.allowTo(Peer.ipBlocks('zone-federation', cluster.zone.cidrs), {
        ports: [{ port: 443 }],
        podLabels: { app: 'federator' },
      });
    }

    this.callingNamespace = new GuardedNamespace(this, 'calling', {
      cluster,
      name: Namespaces.calling(spec.id),
      service: 'wire-calling',
      pillar: spec.pillar,
      classification,
      podSecurity: {
        level: 'privileged',
        reason: 'sftd and coturn run with hostNetwork on the dedicated calling node pool (Wire requirement)',
      },
    });

    // the join-call proxy (sftd chart) reaches each sftd on its node's address (host network), port 8585
    this.callingNamespace.allowTo(Peer.ipBlocks('zone-sftd', cluster.zone.cidrs), { ports: [{ port: 8585 }] });
    const placement = { nodeSelector: callingPool.nodeSelector, ingressClass: cluster.zone.ingressClass };
    // Every chart a pillar deploys, as its descriptor says: values, Secret paths, namespace (the calling namespace
    // runs with hostNetwork; a Secret of the same name is expected there too).
    for (const name of PILLAR_CHARTS) {
      const d = WIRE_CHART_DESCRIPTORS[name];
      const values = d.pillar?.values(spec, placement);
      if (!d.pillar || !values) continue;
      const secrets = d.pillar.secrets?.(spec) ?? [];
      const target = d.pillar.namespace === 'calling' ? this.callingNamespace : ns;
      this.charts.push(
        new HelmChart(this, name, {
          name,
          namespace: target,
          chart: name,
          repository: props.repositories[d.repository as WireRepository],
          version: d.version,
          values,
          secrets,
          secretName: secrets.length > 0 ? spec.secretName : undefined,
          images: { chart: d.images, settings: props.images },
        }),
      );
    }

    // sftd and coturn announce the IP in the node annotation wire.com/external-ip; it comes from the config.
    for (const node of spec.calling.nodes) {
      const a = new Annotations(this, `node-${node.name}`, {
        provider: cluster.kubernetes,
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: node.name },
        annotations: { 'wire.com/external-ip': node.advertisedIp },
        force: true,
      });
      a.overrideLogicalId(`${spec.id}_node_${node.name}`);
    }
  }
}
