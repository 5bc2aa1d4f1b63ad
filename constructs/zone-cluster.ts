import { Fn, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { HelmProvider, KubernetesProvider } from './providers';
import { FactLocals, type NodePoolPurpose, type RecordedZoneCluster } from './facts';
import type { NetworkZone } from './network-zone';

/** How Terraform reaches the API server. Never credentials: files, contexts and exec plugins only. */
export type ClusterConnection =
  | { readonly type: 'kubeconfig'; readonly path: string; readonly context?: string }
  | {
      readonly type: 'exec';
      readonly host: string;
      /** PEM file of the API server's CA, read by Terraform at plan time. */
      readonly clusterCaCertificateFile?: string;
      readonly apiVersion: string;
      readonly command: string;
      readonly args: readonly string[];
    };

export type { NodePoolPurpose };

export interface NodePool {
  readonly name: string;
  /** `calling`: dedicated nodes for sftd and coturn, which run with hostNetwork. */
  readonly purpose: NodePoolPurpose;
  readonly nodeSelector: Readonly<Record<string, string>>;
}

export interface ClusterOperator {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
}

export interface ZoneClusterProps {
  /** Cluster id; also the alias of its providers. */
  readonly id: string;
  /** The zone the cluster lives in. A cluster lives in exactly one zone. */
  readonly zone: NetworkZone;
  readonly operator: ClusterOperator;
  readonly connection: ClusterConnection;
  /** Namespace that runs the zone's ingress controller: the only way into the cluster from its zone. */
  readonly ingressControllerNamespace: string;
  /** @default [] */
  readonly nodePools?: readonly NodePool[];
  /**
   * The Kubernetes version the cluster runs, recorded for checks that render charts against it.
   * @default '1.31'
   */
  readonly kubernetesVersion?: string;
}

/**
 * A Kubernetes cluster in one zone. Owns the aliased `kubernetes` and `helm` providers that every resource on it
 * is deployed through, its node pools and the name of its ingress-controller namespace.
 */
export class ZoneCluster extends Construct {
  readonly clusterId: string;
  readonly zone: NetworkZone;
  readonly operator: ClusterOperator;
  readonly kubernetes: KubernetesProvider;
  readonly helm: HelmProvider;
  readonly ingressControllerNamespace: string;
  readonly nodePools: readonly NodePool[];

  constructor(scope: Construct, id: string, props: ZoneClusterProps) {
    super(scope, id);
    this.clusterId = props.id;
    this.zone = props.zone;
    this.operator = props.operator;
    this.ingressControllerNamespace = props.ingressControllerNamespace;
    this.nodePools = [...(props.nodePools ?? [])];
    const names = new Set<string>();
    for (const pool of this.nodePools) {
      if (names.has(pool.name))
        throw new Error(`ZoneCluster '${props.id}': node pool '${pool.name}' is declared twice`);
      names.add(pool.name);
    }

    const c = props.connection;
    const access =
      c.type === 'kubeconfig'
        ? { configPath: c.path, configContext: c.context }
        : {
            host: c.host,
            clusterCaCertificate: c.clusterCaCertificateFile
              ? Fn.file(Fn.pathexpand(c.clusterCaCertificateFile))
              : undefined,
          };
    const exec = c.type === 'exec' ? { apiVersion: c.apiVersion, command: c.command, args: [...c.args] } : undefined;

    this.kubernetes = new KubernetesProvider(this, 'kubernetes', {
      alias: props.id,
      ...access,
      exec: exec ? [exec] : undefined,
    });
    this.helm = new HelmProvider(this, 'helm', {
      alias: props.id,
      kubernetes: { ...access, exec },
    });

    const fact: RecordedZoneCluster = {
      id: this.clusterId,
      zone: this.zone.zoneId,
      operator: this.operator.id,
      ingressControllerNamespace: this.ingressControllerNamespace,
      nodePools: this.nodePools.map((p) => ({ name: p.name, purpose: p.purpose, nodeSelector: { ...p.nodeSelector } })),
      kubernetesVersion: props.kubernetesVersion ?? '1.31',
    };
    new TerraformLocal(this, FactLocals.zoneCluster, fact).overrideLogicalId(FactLocals.zoneCluster);
  }

  /** The first node pool with this purpose, or undefined. */
  nodePool(purpose: NodePoolPurpose): NodePool | undefined {
    return this.nodePools.find((p) => p.purpose === purpose);
  }
}
