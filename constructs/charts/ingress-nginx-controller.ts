/** The ingress-nginx-controller chart: the zone's ingress controller (Wire's wrapper of ingress-nginx 4.11.5). */
import type { ChartDescriptor } from './descriptor';
import { ingressNginxImage, WIRE_RELEASE_VERSION } from './wire-images';

export const INGRESS_NGINX_CONTROLLER: ChartDescriptor = {
  chart: 'ingress-nginx-controller',
  version: WIRE_RELEASE_VERSION,
  repository: 'stable',
  images: {
    images: [
      ingressNginxImage('controller', 'ingress-nginx.controller.image', 'v1.11.5'),
      ingressNginxImage('kube-webhook-certgen', 'ingress-nginx.controller.admissionWebhooks.patch.image', 'v1.5.2'),
    ],
  },
  guard: { ingressClassPath: 'ingress-nginx.controller.ingressClassResource.name' },
};
