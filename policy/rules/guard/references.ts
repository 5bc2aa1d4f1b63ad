/**
 * The one form of Terraform reference the guard follows: a Kubernetes resource's name or namespace
 * (`${kubernetes_namespace_v1.x.metadata[0].name}`), resolved to the literal it names in the same stack.
 */
import { liveTemplates, type SynthesizedStack } from '../../k8s-objects';
import { field, isRecord } from '../../synthesized-view';

/** The escaped-literal-safe reference form the guard follows: a Kubernetes resource's name or namespace. */
const NAME_REFERENCE = /^\$\{(kubernetes_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.metadata\[0\]\.(name|namespace)\}$/;

/** The literal value a name reference resolves to in its stack, or undefined when it does not resolve to a literal. */
export function referencedName(stack: SynthesizedStack, text: string): string | undefined {
  const m = NAME_REFERENCE.exec(text);
  if (!m) return undefined;
  const json: unknown = stack.json;
  const target = field(field(field(json, 'resource'), m[1]), m[2]);
  let metadata = field(target, 'metadata');
  if (Array.isArray(metadata) && metadata.length === 1) metadata = metadata[0];
  const v = field(metadata, m[3]);
  return typeof v === 'string' && liveTemplates(v).length === 0 ? v : undefined;
}

/**
 * The stacks with every name reference the guard can follow (`${kubernetes_namespace_v1.x.metadata[0].name}`)
 * replaced by the literal it resolves to, so the checks see what Terraform deploys. Stacks without one are
 * returned as they are.
 */
export function resolveReferences(stacks: readonly SynthesizedStack[]): SynthesizedStack[] {
  return stacks.map((stack) => {
    let changed = false;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') {
        const r = v.startsWith('${') ? referencedName(stack, v) : undefined;
        if (r === undefined) return v;
        changed = true;
        return r;
      }
      if (Array.isArray(v)) return v.map(walk);
      if (v === null || typeof v !== 'object') return v;
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    };
    const json: unknown = stack.json;
    const resource = walk(field(json, 'resource') ?? {});
    return changed && isRecord(json)
      ? { name: stack.name, json: { ...json, resource } as SynthesizedStack['json'] }
      : stack;
  });
}
