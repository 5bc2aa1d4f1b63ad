import { KUBERNETES_NAMESPACES } from '../config/naming';
import { Construct } from 'constructs';
import { Labels, NAMESPACE_NAME_LABEL } from './labels';
import { Manifest } from './providers';
import type { ZoneCluster } from './zone-cluster';

export interface AdmissionValidation {
  /** CEL expression over `object` and `namespaceObject`; true admits. */
  readonly expression: string;
  readonly message: string;
}

/** What the validations need of a zone: its classes and networks (a NetworkZone, or a zone as the checks read it). */
export interface AdmissionZone {
  readonly ingressClass: string;
  readonly loadBalancerClass: string;
  readonly cidrs: readonly string[];
}

/**
 * Namespaces of Kubernetes itself ({@link KUBERNETES_NAMESPACES}) that the policy does not bind to: its system
 * namespaces. `default` is bound: whatever is created there is checked like everything else.
 */
export const SYSTEM_NAMESPACES: readonly string[] = KUBERNETES_NAMESPACES.filter((n) => n !== 'default');

const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'UDPRoute', 'TLSRoute'];

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * The CEL validations that keep Säule-1 namespaces closed even if a chart renders something unexpected
 * (exposure points 2-4). Written with `has()` guards: no optional-field syntax.
 */
export function ndbAdmissionValidations(
  zone: AdmissionZone,
  callingSelector?: Readonly<Record<string, string>>,
): AdmissionValidation[] {
  const svc = "object.kind != 'Service'";
  const noType = '!has(object.spec.type)';
  const calling = callingSelector
    ? [
        `has(namespaceObject.metadata.labels)`,
        `${q(Labels.service)} in namespaceObject.metadata.labels`,
        `namespaceObject.metadata.labels[${q(Labels.service)}] == 'wire-calling'`,
        'has(object.spec.nodeSelector)',
        ...Object.entries(callingSelector).flatMap(([k, v]) => [
          `${q(k)} in object.spec.nodeSelector`,
          `object.spec.nodeSelector[${q(k)}] == ${q(v)}`,
        ]),
      ].join(' && ')
    : 'false';
  return [
    {
      expression: `${svc} || ${noType} || object.spec.type != 'NodePort'`,
      message: 'Säule 1: Services of type NodePort are not allowed',
    },
    {
      expression: `${svc} || ${noType} || object.spec.type != 'LoadBalancer' || (has(object.spec.loadBalancerClass) && object.spec.loadBalancerClass == ${q(zone.loadBalancerClass)})`,
      message: `Säule 1: a LoadBalancer Service needs loadBalancerClass ${zone.loadBalancerClass}`,
    },
    {
      expression: `${svc} || !has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0`,
      message: 'Säule 1: Services must not set externalIPs',
    },
    {
      expression: `${svc} || !has(object.spec.loadBalancerSourceRanges) || object.spec.loadBalancerSourceRanges.all(r, r in [${zone.cidrs.map(q).join(', ')}])`,
      message: `Säule 1: loadBalancerSourceRanges may only name the NdB networks (${zone.cidrs.join(', ')})`,
    },
    {
      expression: `${svc} || ${noType} || object.spec.type != 'ExternalName' || (has(object.spec.externalName) && object.spec.externalName.endsWith('.svc.cluster.local'))`,
      message: 'Säule 1: ExternalName Services may only point to cluster-local services',
    },
    {
      expression: `object.kind != 'Ingress' || (has(object.spec.ingressClassName) && object.spec.ingressClassName == ${q(zone.ingressClass)})`,
      message: `Säule 1: Ingresses need ingressClassName ${zone.ingressClass}`,
    },
    {
      expression: `object.kind != 'Gateway' || object.spec.gatewayClassName == ${q(zone.ingressClass)}`,
      message: `Säule 1: Gateways need gatewayClassName ${zone.ingressClass}`,
    },
    {
      expression: `!(object.kind in [${ROUTE_KINDS.map(q).join(', ')}])`,
      message: 'Säule 1: Gateway API routes are not allowed; use the zone ingress',
    },
    {
      expression: `object.kind != 'Pod' || !has(object.spec.hostNetwork) || !object.spec.hostNetwork || (${calling})`,
      message: 'Säule 1: hostNetwork only for sftd/coturn on the calling pool',
    },
    {
      expression: `object.kind != 'Pod' || object.spec.containers.all(c, !has(c.ports) || c.ports.all(p, !has(p.hostPort))) || (${calling})`,
      message: 'Säule 1: hostPort only for sftd/coturn on the calling pool',
    },
  ];
}

export interface NdbAdmissionGuardrailProps {
  readonly cluster: ZoneCluster;
}

/**
 * A ValidatingAdmissionPolicy with its binding, enforced by the API server of an NdB cluster in every namespace but
 * Kubernetes' own: the cluster itself refuses exposures, whatever a chart renders.
 */
export class NdbAdmissionGuardrail extends Construct {
  readonly policyName: string;

  constructor(scope: Construct, id: string, props: NdbAdmissionGuardrailProps) {
    super(scope, id);
    const { cluster } = props;
    if (cluster.zone.kind !== 'ndb') {
      throw new Error(
        `NdbAdmissionGuardrail: cluster '${cluster.clusterId}' is in zone '${cluster.zone.zoneId}' (${cluster.zone.kind}), not the NdB`,
      );
    }
    this.policyName = 'messenger-bund-saeule-1-closed';
    const validations = ndbAdmissionValidations(cluster.zone, cluster.nodePool('calling')?.nodeSelector);
    const ops = ['CREATE', 'UPDATE'];
    const policy = new Manifest(this, 'policy', {
      provider: cluster.kubernetes,
      manifest: {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: this.policyName, labels: { [Labels.managedBy]: 'bund-messenger-iac' } },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: {
            resourceRules: [
              { apiGroups: [''], apiVersions: ['v1'], operations: ops, resources: ['services', 'pods'] },
              { apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ops, resources: ['ingresses'] },
              {
                apiGroups: ['gateway.networking.k8s.io'],
                apiVersions: ['*'],
                operations: ops,
                resources: ['gateways', 'httproutes', 'grpcroutes', 'tcproutes', 'udproutes', 'tlsroutes'],
              },
            ],
          },
          validations: validations.map((v) => ({ expression: v.expression, message: v.message })),
        },
      },
    });
    policy.overrideLogicalId('admission_saeule_1_policy');
    const binding = new Manifest(this, 'binding', {
      provider: cluster.kubernetes,
      dependsOn: [policy],
      manifest: {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: this.policyName, labels: { [Labels.managedBy]: 'bund-messenger-iac' } },
        spec: {
          policyName: this.policyName,
          validationActions: ['Deny'],
          // every namespace of the NdB cluster, not only the labelled ones: an unlabelled or relabelled namespace
          // must not escape; the system namespaces are left to the cluster operator
          matchResources: {
            namespaceSelector: {
              matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [...SYSTEM_NAMESPACES] }],
            },
          },
        },
      },
    });
    binding.overrideLogicalId('admission_saeule_1_binding');
  }
}
