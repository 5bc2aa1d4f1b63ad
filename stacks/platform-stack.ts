import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { Cluster, Federation } from '../config/model';
import { GuardedNamespace } from '../constructs/guarded-namespace';
import { NdbAdmissionGuardrail } from '../constructs/admission-guardrail';
import { ZoneIngressController } from '../constructs/ingress-controller';
import { Peer } from '../constructs/peer';
import type { ZoneCluster } from '../constructs/zone-cluster';
import { zoneCluster } from './cluster-scope';
import { StackNames } from '../config/naming';
import { applyStateBackend } from './state-backend';

/**
 * One per cluster: the cluster's guardrails and shared namespaces, owned by the cluster's operator.
 * Today: the zone-edge namespace that runs the ingress controller.
 */
export class PlatformStack extends TerraformStack {
  readonly cluster: ZoneCluster;
  readonly ingress: GuardedNamespace;

  constructor(scope: Construct, federation: Federation, cluster: Cluster) {
    const name = StackNames.platform(cluster.id);
    super(scope, name);
    applyStateBackend(this, name, federation.stateBackend);
    this.cluster = zoneCluster(this, cluster);

    // The zone edge: receives traffic from the zone's networks and forwards it to the namespaces on the cluster.
    this.ingress = new GuardedNamespace(this, 'ingress', {
      cluster: this.cluster,
      name: cluster.ingressController.namespace,
      service: 'ingress',
      zoneEdge: { loadBalancers: 1, nodePorts: 2 },
      podSecurity: {
        level: 'baseline',
        reason: 'the ingress-nginx controller binds ports 80/443 and escalates privileges for its nginx workers',
      },
    });
    this.ingress.allowFrom(Peer.ipBlocks('zone', cluster.zone.cidrs), {
      // 80/443 for clients; 8443 for the API server calling the controller's admission webhook
      ports: [{ port: 443 }, { port: 80 }, { port: 8443 }],
    });
    this.ingress.allowTo(Peer.namespacesWithLabels('cluster', {}), {});
    // the controller watches Ingress objects through the API server, which lies inside the zone
    this.ingress.allowTo(Peer.ipBlocks('zone-apiserver', cluster.zone.cidrs), {
      ports: [{ port: 443 }, { port: 6443 }],
    });
    if (federation.pillars.some((p) => p.cluster.id === cluster.id)) {
      // Wire's Ingress objects point at endpoints outside the pods' network: the assets Ingress at MinIO on the
      // zone's datastore nodes (9000), the sftd Ingress at sftd on the calling nodes' host network (8585)
      this.ingress.allowTo(Peer.ipBlocks('zone-wire-backends', cluster.zone.cidrs), {
        ports: [{ port: 9000 }, { port: 8585 }],
      });
    }
    new ZoneIngressController(this, 'ingress-controller', {
      namespace: this.ingress,
      repository: federation.chartRepositories.stable,
      images: federation.config.images,
    });

    if (cluster.zone.kind === 'ndb') {
      new NdbAdmissionGuardrail(this, 'admission-guardrail', { cluster: this.cluster });
    }

    new TerraformOutput(this, 'zone_summary', {
      value: `${cluster.zone.id} (${cluster.zone.kind}, up to ${cluster.zone.maxClassification})`,
    });
    new TerraformOutput(this, 'cluster_operator', { value: cluster.operator.name });
  }
}
