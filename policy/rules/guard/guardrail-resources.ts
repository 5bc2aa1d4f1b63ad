/**
 * The guardrails of Säule 1 as the stacks declare them: its namespaces, their ResourceQuotas and the admission
 * manifests, each as the Kubernetes object it creates. P1-QUOTA and P1-ADMISSION judge these.
 */
import { stackCluster, type ClusterFacts, type Facts } from '../../facts';
import type { KubernetesObject, SynthesizedStack } from '../../k8s-objects';
import { labelsOf, metadataField } from './json';
import { pillar1Labels } from './scope';

/** A namespace, ResourceQuota or admission manifest the guardrail checks read, as the Kubernetes object it creates. */
export interface GuardrailResource {
  readonly stack: SynthesizedStack;
  /** Terraform address of the resource. */
  readonly address: string;
  readonly object: KubernetesObject;
  /** Provider alias, i.e. the cluster id. */
  readonly alias?: string;
}

/** A namespace the project creates that belongs to Säule 1. */
export interface Pillar1Namespace {
  readonly stack: SynthesizedStack;
  /** Terraform address of the namespace resource. */
  readonly address: string;
  /** Provider alias, i.e. the cluster id. */
  readonly alias: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly cluster?: ClusterFacts;
}

/**
 * Säule-1 namespaces, judged as the guard judges any resource: declared through an NdB cluster's provider,
 * labelled pillar 1 / zone-kind ndb, or in a stack of an NdB cluster.
 */
export function pillar1Namespaces(resources: readonly GuardrailResource[], facts: Facts): Pillar1Namespace[] {
  const out: Pillar1Namespace[] = [];
  for (const r of resources) {
    const name = metadataField(r.object, 'name');
    if (r.object.kind !== 'Namespace' || !name) continue;
    const cluster = r.alias ? facts.clusters.get(r.alias) : undefined;
    const labels = labelsOf(metadataField(r.object, 'labels') ?? {});
    if (cluster?.zone.kind === 'ndb' || pillar1Labels(labels) || stackCluster(facts, r.stack)?.zone.kind === 'ndb') {
      out.push({ stack: r.stack, address: r.address, alias: r.alias ?? '', name: String(name), labels, cluster });
    }
  }
  return out;
}
