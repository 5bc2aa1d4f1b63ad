import { Construct } from 'constructs';
import { GuardedNamespace, SERVICE_CONTAINER_LIMITS } from '../guarded-namespace';
import type { ImageSettings } from '../images';
import { BUNDESMESSENGER_IMAGES } from './images';
import { HelmChart } from '../helm-chart';
import { Peer } from '../peer';
import type { ZoneCluster } from '../zone-cluster';
import { BUNDESMESSENGER_CHART } from './chart-version';
import type { MatrixServerSpec } from './spec';
import { bundesMessengerValues } from './values';
import { Namespaces } from '../../config/naming';
import {
  bwMessengerAllowedIn,
  mayHostOwnBundesMessenger,
  mayOperateBwMessenger,
  mayUseBwMessenger,
  openFederationAllowedIn,
  PRODUCT_LABELS,
  productApprovedIn,
} from '../../config/domain';

export interface FederationPeerZone {
  /** Zone id and networks of a server this homeserver federates with, when outside its own zone. */
  readonly zone: string;
  readonly cidrs: readonly string[];
  readonly serverName: string;
}

export interface MatrixHomeserverProps {
  readonly cluster: ZoneCluster;
  readonly spec: MatrixServerSpec;
  /** Repository of the BundesMessenger chart (`oci://...`), configurable for an internal mirror. */
  readonly chartRepository: string;
  /**
   * The internal registry and digests for the chart's images (BSI SYS.1.6.A6).
   * @default the chart's own registries and tags
   */
  readonly images?: ImageSettings;
  /** Federation partners in other zones (declared in the config); egress to them is opened on 443/8448. */
  readonly remotePeers?: readonly FederationPeerZone[];
}

/**
 * A BundesMessenger (or BwMessenger) homeserver from BWI's chart in a guarded namespace, with the privacy defaults
 * of the federal administration, the chart's own NetworkPolicies in addition to the guarded namespace, and virus
 * scanning as the config states it.
 */
export class MatrixHomeserver extends Construct {
  readonly namespace: GuardedNamespace;
  readonly chart: HelmChart;

  constructor(scope: Construct, id: string, props: MatrixHomeserverProps) {
    super(scope, id);
    const { cluster, spec } = props;
    const zone = cluster.zone;
    if (!productApprovedIn(spec.product, zone)) {
      throw new Error(
        `MatrixHomeserver '${spec.serverName}': ${PRODUCT_LABELS[spec.product]} is not approved for VS-NfD and does not run in the NdB (zone '${zone.zoneId}')`,
      );
    }
    if (spec.federation.mode === 'open' && !openFederationAllowedIn(zone)) {
      throw new Error(
        `MatrixHomeserver '${spec.serverName}': open federation is refused outside the internet zone (zone '${zone.zoneId}' is ${zone.kind})`,
      );
    }
    if (spec.product === 'bwmessenger' && !mayOperateBwMessenger(cluster.operator)) {
      throw new Error(
        `MatrixHomeserver '${spec.serverName}': BwMessenger runs only on clusters operated by BWI, not '${cluster.operator.name}'`,
      );
    }
    if (spec.product === 'bwmessenger' && !mayUseBwMessenger({ kind: spec.tenantKind })) {
      throw new Error(
        `MatrixHomeserver '${spec.serverName}': BwMessenger is for the Bundeswehr only, not for '${spec.tenant}' of kind '${spec.tenantKind}'`,
      );
    }
    if (spec.product === 'bwmessenger' && !bwMessengerAllowedIn(zone)) {
      throw new Error(
        `MatrixHomeserver '${spec.serverName}': BwMessenger does not run in the internet zone '${zone.zoneId}'`,
      );
    }
    if (spec.product === 'bundesmessenger' && !mayHostOwnBundesMessenger(cluster.operator, { id: spec.tenant })) {
      throw new Error(
        `MatrixHomeserver '${spec.serverName}': a self-hosted BundesMessenger runs only on a cluster '${spec.tenant}' operates itself, not on one operated by '${cluster.operator.name}'`,
      );
    }
    this.namespace = new GuardedNamespace(this, 'namespace', {
      cluster,
      name: Namespaces.matrix(spec.product, spec.tenant),
      service: spec.product,
      tenant: spec.tenant,
      quota: { 'requests.cpu': '32', 'requests.memory': '64Gi' },
      containerLimits: SERVICE_CONTAINER_LIMITS,
    });
    const ns = this.namespace;
    ns.allowWithin();
    // PostgreSQL, the ClamAV mirror, the zone's TURN and push gateway: inside the zone.
    ns.allowTo(Peer.ipBlocks('zone-services', zone.cidrs), {
      ports: [{ port: spec.postgresql.port }, { port: 443 }, { port: 8448 }],
    });
    for (const peer of props.remotePeers ?? []) {
      ns.allowTo(Peer.ipBlocks(`federation-${peer.zone}`, peer.cidrs), {
        ports: [{ port: 443 }, { port: 8448 }],
        outsideZoneReason: `declared federation with ${peer.serverName} in zone ${peer.zone} (allowFederationWith on both zones)`,
      });
    }
    this.chart = new HelmChart(this, 'chart', {
      name: spec.product,
      namespace: ns,
      chart: BUNDESMESSENGER_CHART.chart,
      repository: props.chartRepository,
      version: BUNDESMESSENGER_CHART.version,
      values: bundesMessengerValues(spec, {
        ingressClass: zone.ingressClass,
        ingressNamespace: cluster.ingressControllerNamespace,
        egressCidrs: [...zone.cidrs, ...(props.remotePeers ?? []).flatMap((p) => p.cidrs)],
      }),
      // no secret is a Helm value: the TURN and OIDC secrets are mounted from their Secrets (see the values)
      images: { chart: BUNDESMESSENGER_IMAGES, settings: props.images },
    });
  }
}
