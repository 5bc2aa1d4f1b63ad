/**
 * What the BSI rules read from the synthesized stacks, through the typed view (policy/synthesized-view.ts): the
 * namespaces with their cluster, labels and annotations, and the containers of the deployments the project sets.
 */
import { AnnotationKeys } from '../../../constructs/facts';
import { providerAlias } from '../../facts';
import { toKubernetesObject, type SynthesizedStack } from '../../k8s-objects';
import { field, isRecord, resources, valueAt } from '../../synthesized-view';

/** A `kubernetes_namespace_v1` of a stack. */
export interface StackNamespace {
  readonly stack: string;
  /** Terraform address, `kubernetes_namespace_v1.<name>`. */
  readonly address: string;
  /** The provider alias: the cluster the namespace is on (`?` when the resource names none). */
  readonly cluster: string;
  readonly name?: string;
  /** Label values that are strings. */
  readonly labels: Readonly<Record<string, string>>;
  /** The recorded reason for a Pod Security level below `restricted`, if any. */
  readonly podSecurityReason?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const strings = (v: unknown): Record<string, string> =>
  isRecord(v)
    ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};

/** The namespaces of the stacks, in the order of the stacks and of their JSON. */
export function stackNamespaces(stacks: readonly SynthesizedStack[]): StackNamespace[] {
  return stacks.flatMap((s) =>
    resources(s, 'kubernetes_namespace_v1').map(({ address, body }) => {
      const metadata = field(body, 'metadata');
      const name = text(field(metadata, 'name'));
      const reason = text(field(field(metadata, 'annotations'), AnnotationKeys.podSecurityReason));
      return {
        stack: s.name,
        address,
        cluster: providerAlias(body.provider) ?? '?',
        ...(name !== undefined ? { name } : {}),
        labels: strings(field(metadata, 'labels')),
        ...(reason ? { podSecurityReason: reason } : {}),
      };
    }),
  );
}

/** How many resources of a type the stacks declare. */
export const resourceCount = (stacks: readonly SynthesizedStack[], type: string): number =>
  stacks.reduce((n, s) => n + resources(s, type).length, 0);

/** A container of a `kubernetes_deployment_v1`, as the Kubernetes object has it. */
export interface DeploymentContainer {
  readonly stack: string;
  /** Terraform address of the deployment, `kubernetes_deployment_v1.<name>`. */
  readonly address: string;
  /** The container's name, as a message shows it. */
  readonly name: string;
  /** The image reference (empty when none is set). */
  readonly image: string;
  /** Whether the container sets both a CPU and a memory limit. */
  readonly limited: boolean;
}

/** The containers of every deployment of the stacks, in the order of the stacks, deployments and containers. */
export function deploymentContainers(stacks: readonly SynthesizedStack[]): DeploymentContainer[] {
  return stacks.flatMap((s) =>
    resources(s, 'kubernetes_deployment_v1').flatMap(({ address, body }) => {
      const containers = valueAt(toKubernetesObject('kubernetes_deployment_v1', body), 'spec.template.spec.containers');
      return (Array.isArray(containers) ? containers : []).map((c: unknown) => ({
        stack: s.name,
        address,
        name: String(field(c, 'name')),
        image: String(field(c, 'image') ?? ''),
        limited: !!valueAt(c, 'resources.limits.cpu') && !!valueAt(c, 'resources.limits.memory'),
      }));
    }),
  );
}
