/**
 * The only file that imports the Kubernetes and Helm provider bindings. Deep imports: the package roots load every
 * resource class (about 1 s and 190 MB per run).
 */
export { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
export { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
export { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
export type {
  NetworkPolicyV1SpecIngressFrom,
  NetworkPolicyV1SpecEgressTo,
} from '@cdktf/provider-kubernetes/lib/network-policy-v1';
export { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
export { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
export { HelmProvider } from '@cdktf/provider-helm/lib/provider';
export { Annotations } from '@cdktf/provider-kubernetes/lib/annotations';
export { DataKubernetesSecretV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1';
export { Release } from '@cdktf/provider-helm/lib/release';
export { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
export { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
export { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
export { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
export { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
