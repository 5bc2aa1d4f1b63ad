/**
 * The only file that imports the Kubernetes and Helm provider bindings. Deep imports: the package roots load every
 * resource class (about 1 s and 190 MB per run). Each binding is loaded on first use, so a run loads only the
 * resource classes its federation needs (`deployment-v1` alone takes about 40 ms to load, and only the
 * `.well-known` delegation uses it).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as annotations from '@cdktf/provider-kubernetes/lib/annotations';
import type * as configMap from '@cdktf/provider-kubernetes/lib/config-map-v1';
import type * as secretData from '@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1';
import type * as deployment from '@cdktf/provider-kubernetes/lib/deployment-v1';
import type * as ingress from '@cdktf/provider-kubernetes/lib/ingress-v1';
import type * as limitRange from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import type * as manifest from '@cdktf/provider-kubernetes/lib/manifest';
import type * as namespace from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type * as networkPolicy from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import type * as kubernetesProvider from '@cdktf/provider-kubernetes/lib/provider';
import type * as resourceQuota from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import type * as service from '@cdktf/provider-kubernetes/lib/service-v1';
import type * as helmProvider from '@cdktf/provider-helm/lib/provider';
import type * as release from '@cdktf/provider-helm/lib/release';

export type {
  NetworkPolicyV1SpecIngressFrom,
  NetworkPolicyV1SpecEgressTo,
} from '@cdktf/provider-kubernetes/lib/network-policy-v1';

// Each class is a value (a getter on this module's exports, below) and a type of the same name.
export declare const KubernetesProvider: typeof kubernetesProvider.KubernetesProvider;
export type KubernetesProvider = kubernetesProvider.KubernetesProvider;
export declare const HelmProvider: typeof helmProvider.HelmProvider;
export type HelmProvider = helmProvider.HelmProvider;
export declare const NamespaceV1: typeof namespace.NamespaceV1;
export type NamespaceV1 = namespace.NamespaceV1;
export declare const NetworkPolicyV1: typeof networkPolicy.NetworkPolicyV1;
export type NetworkPolicyV1 = networkPolicy.NetworkPolicyV1;
export declare const ResourceQuotaV1: typeof resourceQuota.ResourceQuotaV1;
export type ResourceQuotaV1 = resourceQuota.ResourceQuotaV1;
export declare const LimitRangeV1: typeof limitRange.LimitRangeV1;
export type LimitRangeV1 = limitRange.LimitRangeV1;
export declare const Annotations: typeof annotations.Annotations;
export type Annotations = annotations.Annotations;
export declare const DataKubernetesSecretV1: typeof secretData.DataKubernetesSecretV1;
export type DataKubernetesSecretV1 = secretData.DataKubernetesSecretV1;
export declare const Release: typeof release.Release;
export type Release = release.Release;
export declare const Manifest: typeof manifest.Manifest;
export type Manifest = manifest.Manifest;
export declare const ConfigMapV1: typeof configMap.ConfigMapV1;
export type ConfigMapV1 = configMap.ConfigMapV1;
export declare const DeploymentV1: typeof deployment.DeploymentV1;
export type DeploymentV1 = deployment.DeploymentV1;
export declare const ServiceV1: typeof service.ServiceV1;
export type ServiceV1 = service.ServiceV1;
export declare const IngressV1: typeof ingress.IngressV1;
export type IngressV1 = ingress.IngressV1;

/** Where each class lives; `require` runs on first access and Node caches the module. */
const BINDINGS: Record<string, () => unknown> = {
  KubernetesProvider: () => require('@cdktf/provider-kubernetes/lib/provider').KubernetesProvider,
  HelmProvider: () => require('@cdktf/provider-helm/lib/provider').HelmProvider,
  NamespaceV1: () => require('@cdktf/provider-kubernetes/lib/namespace-v1').NamespaceV1,
  NetworkPolicyV1: () => require('@cdktf/provider-kubernetes/lib/network-policy-v1').NetworkPolicyV1,
  ResourceQuotaV1: () => require('@cdktf/provider-kubernetes/lib/resource-quota-v1').ResourceQuotaV1,
  LimitRangeV1: () => require('@cdktf/provider-kubernetes/lib/limit-range-v1').LimitRangeV1,
  Annotations: () => require('@cdktf/provider-kubernetes/lib/annotations').Annotations,
  DataKubernetesSecretV1: () =>
    require('@cdktf/provider-kubernetes/lib/data-kubernetes-secret-v1').DataKubernetesSecretV1,
  Release: () => require('@cdktf/provider-helm/lib/release').Release,
  Manifest: () => require('@cdktf/provider-kubernetes/lib/manifest').Manifest,
  ConfigMapV1: () => require('@cdktf/provider-kubernetes/lib/config-map-v1').ConfigMapV1,
  DeploymentV1: () => require('@cdktf/provider-kubernetes/lib/deployment-v1').DeploymentV1,
  ServiceV1: () => require('@cdktf/provider-kubernetes/lib/service-v1').ServiceV1,
  IngressV1: () => require('@cdktf/provider-kubernetes/lib/ingress-v1').IngressV1,
};

for (const [name, load] of Object.entries(BINDINGS)) {
  Object.defineProperty(exports, name, { enumerable: true, get: load });
}
