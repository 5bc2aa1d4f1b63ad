import { Construct } from 'constructs';
import { GuardedNamespace } from '../guarded-namespace';
import { imageReference, type ImageSettings } from '../images';
import { ConfigMapV1, DeploymentV1, IngressV1, ServiceV1 } from '../providers';
import type { ZoneCluster } from '../zone-cluster';
import { Namespaces } from '../../config/naming';

export interface WellKnownDelegationProps {
  readonly cluster: ZoneCluster;
  readonly tenant: string;
  /**
   * The Matrix server name (the part after the colon in user ids): the host Matrix clients and servers ask for
   * `/.well-known/matrix/*`.
   */
  readonly serverName: string;
  /** The homeserver the domain delegates to, e.g. `https://bfbs.bundesmessenger.t-systems.example`. */
  readonly homeserverUrl: string;
  /**
   * The internal registry and digests (BSI SYS.1.6.A6) for its image, `docker.io/nginxinc/nginx-unprivileged:1.27-alpine`.
   * @default the image from Docker Hub
   */
  readonly images?: ImageSettings;
}

const NGINX = { repository: 'docker.io/nginxinc/nginx-unprivileged', tag: '1.27-alpine' };

/**
 * The `.well-known/matrix` delegation of an agency on BundesMessenger SaaS: a small guarded deployment behind the
 * zone's ingress that tells Matrix clients and servers where the agency's homeserver lives.
 */
export class WellKnownDelegation extends Construct {
  readonly namespace: GuardedNamespace;

  constructor(scope: Construct, id: string, props: WellKnownDelegationProps) {
    super(scope, id);
    const { cluster } = props;
    const provider = cluster.kubernetes;
    const host = new URL(props.homeserverUrl).host;
    const name = 'matrix-well-known';
    this.namespace = new GuardedNamespace(this, 'namespace', {
      cluster,
      name: Namespaces.wellKnown(props.tenant),
      service: 'matrix-well-known',
      tenant: props.tenant,
    });
    const ns = this.namespace.name;
    const labels = { 'app.kubernetes.io/name': name };
    const deps = [this.namespace.namespace];
    const cm = new ConfigMapV1(this, 'config', {
      provider,
      dependsOn: deps,
      metadata: { name, namespace: ns },
      data: {
        server: JSON.stringify({ 'm.server': `${host}:443` }),
        client: JSON.stringify({ 'm.homeserver': { base_url: props.homeserverUrl } }),
        // Matrix clients and servers expect JSON, and web clients on other origins read it (CORS)
        'default.conf': [
          'server {',
          '  listen 8080;',
          '  location /.well-known/matrix/ {',
          '    root /usr/share/nginx/html;',
          '    default_type application/json;',
          '    add_header Access-Control-Allow-Origin "*" always;',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
    });
    cm.overrideLogicalId(`${ns}_configmap`);
    const deployment = new DeploymentV1(this, 'deployment', {
      provider,
      dependsOn: deps,
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas: '2',
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: '101', seccompProfile: { type: 'RuntimeDefault' } },
            container: [
              {
                name: 'nginx',
                image: imageReference(NGINX.repository, NGINX.tag, props.images),
                port: [{ containerPort: 8080 }],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
                volumeMount: [
                  { name: 'well-known', mountPath: '/usr/share/nginx/html/.well-known/matrix', readOnly: true },
                  {
                    name: 'nginx-conf',
                    mountPath: '/etc/nginx/conf.d/default.conf',
                    subPath: 'default.conf',
                    readOnly: true,
                  },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volume: [
              {
                name: 'well-known',
                configMap: {
                  name,
                  items: [
                    { key: 'server', path: 'server' },
                    { key: 'client', path: 'client' },
                  ],
                },
              },
              { name: 'nginx-conf', configMap: { name, items: [{ key: 'default.conf', path: 'default.conf' }] } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    });
    deployment.overrideLogicalId(`${ns}_deployment`);
    const svc = new ServiceV1(this, 'service', {
      provider,
      dependsOn: deps,
      metadata: { name, namespace: ns },
      spec: { type: 'ClusterIP', selector: labels, port: [{ port: 8080, targetPort: '8080' }] },
    });
    svc.overrideLogicalId(`${ns}_service`);
    const ingress = new IngressV1(this, 'ingress', {
      provider,
      dependsOn: deps,
      metadata: { name, namespace: ns },
      spec: {
        ingressClassName: cluster.zone.ingressClass,
        rule: [
          {
            host: props.serverName,
            http: {
              path: [
                {
                  path: '/.well-known/matrix',
                  pathType: 'Prefix',
                  backend: { service: { name, port: { number: 8080 } } },
                },
              ],
            },
          },
        ],
      },
    });
    ingress.overrideLogicalId(`${ns}_ingress`);
  }
}
