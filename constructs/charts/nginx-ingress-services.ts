/** The nginx-ingress-services chart: the Ingress objects and certificates of a Wire pillar. */
import { nginxIngressServicesSecrets, nginxIngressServicesValues } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { NO_IMAGES, WIRE_RELEASE_VERSION } from './wire-images';

export const NGINX_INGRESS_SERVICES: ChartDescriptor = {
  chart: 'nginx-ingress-services',
  version: WIRE_RELEASE_VERSION,
  repository: 'stable',
  images: NO_IMAGES,
  guard: { ingressClassPath: 'config.ingressClass' },
  pillar: {
    namespace: 'pillar',
    values: (spec, placement) => nginxIngressServicesValues(spec, { ingressClass: placement.ingressClass }),
    secrets: (spec) => nginxIngressServicesSecrets(spec),
  },
  flows: [
    {
      from: { zoneClient: true },
      to: { zoneIngress: true },
      port: 443,
      what: 'clients in the zone -> zone ingress 443',
    },
    // the assets Ingress sends clients to MinIO on the datastore nodes
    {
      from: { zoneIngress: true },
      to: { endpointsOf: 'minio-external' },
      port: 9000,
      what: 'zone ingress -> MinIO 9000 (asset downloads)',
    },
  ],
};
