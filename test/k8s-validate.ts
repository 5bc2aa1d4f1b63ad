import { MAP_KEYS, type KubernetesObject } from '../policy/k8s-objects';

/** Validates a Kubernetes object against the Kubernetes OpenAPI schema (kubernetes-models 4.x). Throws on errors. */
export function validateKubernetesObject(object: KubernetesObject): void {
  const modulePath = `kubernetes-models/${object.apiVersion}/${object.kind}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(modulePath) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = mod[object.kind] ?? mod.default;
  if (!Model) throw new Error(`no kubernetes-models class for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

/** Keys in snake_case outside free-form maps mean the translation missed a field. */
export function snakeCaseKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => snakeCaseKeys(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    if (MAP_KEYS.has(k)) return [];
    return [...(k.includes('_') ? [`${path}.${k}`] : []), ...snakeCaseKeys(v, `${path}.${k}`)];
  });
}
