import { Construct } from 'constructs';
import type { GuardedNamespace } from './guarded-namespace';
import { HelmChart } from './helm-chart';
import type { ImageSettings } from './images';
import { Labels } from './labels';
import { INGRESS_NGINX_CONTROLLER } from './charts/ingress-nginx-controller';
import { WIRE_CHARTS } from './wire/chart-versions';

export interface ZoneIngressControllerProps {
  /** The zone-edge namespace (GuardedNamespace with zoneEdge). */
  readonly namespace: GuardedNamespace;
  /** Helm repository of Wire's stable charts. */
  readonly repository: string;
  /**
   * The internal registry and digests for the controller's images (BSI SYS.1.6.A6).
   * @default the chart's own registry and digests
   */
  readonly images?: ImageSettings;
}

/**
 * The zone's ingress controller (Wire's ingress-nginx-controller chart): the only entrance into the cluster,
 * answering only for the zone's ingress class, behind a load balancer of the zone's load-balancer class.
 */
export class ZoneIngressController extends Construct {
  readonly chart: HelmChart;

  constructor(scope: Construct, id: string, props: ZoneIngressControllerProps) {
    super(scope, id);
    const ns = props.namespace;
    const zone = ns.cluster.zone;
    if (ns.labels[Labels.zoneEdge] !== 'true') {
      throw new Error(`ZoneIngressController: namespace '${ns.name}' is not a zone edge`);
    }
    this.chart = new HelmChart(this, 'chart', {
      name: 'ingress-nginx-controller',
      namespace: ns,
      chart: 'ingress-nginx-controller',
      repository: props.repository,
      version: WIRE_CHARTS['ingress-nginx-controller'].version,
      images: { chart: INGRESS_NGINX_CONTROLLER.images, settings: props.images },
      values: {
        'ingress-nginx': {
          controller: {
            kind: 'Deployment',
            ingressClass: zone.ingressClass,
            ingressClassResource: {
              name: zone.ingressClass,
              controllerValue: `k8s.io/${zone.ingressClass}`,
              default: false,
            },
            service: {
              type: 'LoadBalancer',
              loadBalancerClass: zone.loadBalancerClass,
              externalTrafficPolicy: 'Local',
            },
          },
        },
      },
    });
  }
}
