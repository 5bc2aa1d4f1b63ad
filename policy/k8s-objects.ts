/**
 * One shared translation from synthesized Terraform JSON (`kubernetes_*` resources of the kubernetes provider) to
 * the Kubernetes objects they create. Used by the OpenAPI schema test and by the exposure checks, so both see the
 * same objects. Strings are read as the literal text Terraform hands over (`$${` is `${`, `%%{` is `%{`); live
 * templates are findings of their own (`P1-TERRAFORM`, policy/rules/guard/terraform.ts).
 */
import { terraformText } from './helm-values';
import { isRecord, resources, resourceTypes, type TerraformJson } from './synthesized-view';

/**
 * One synthesized stack: its name and its Terraform JSON. Read the JSON through the typed view
 * (policy/synthesized-view.ts: `resources`, `local`, `providerConfigs`, ...).
 */
export interface SynthesizedStack {
  readonly name: string;
  readonly json: TerraformJson;
}

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  readonly [key: string]: unknown;
}

export interface TranslatedObject {
  readonly stack: string;
  /** Terraform resource address, `type.name`. */
  readonly address: string;
  /** `provider` meta-argument, e.g. `kubernetes.itzbund-ndb-1`. */
  readonly provider?: string;
  readonly object: KubernetesObject;
}

/** Resource type -> Kubernetes apiVersion and kind. */
export const RESOURCE_KINDS: Readonly<Record<string, { apiVersion: string; kind: string }>> = {
  kubernetes_namespace_v1: { apiVersion: 'v1', kind: 'Namespace' },
  kubernetes_network_policy_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  kubernetes_resource_quota_v1: { apiVersion: 'v1', kind: 'ResourceQuota' },
  kubernetes_limit_range_v1: { apiVersion: 'v1', kind: 'LimitRange' },
  kubernetes_service_v1: { apiVersion: 'v1', kind: 'Service' },
  kubernetes_config_map_v1: { apiVersion: 'v1', kind: 'ConfigMap' },
  kubernetes_deployment_v1: { apiVersion: 'apps/v1', kind: 'Deployment' },
  kubernetes_ingress_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
};

/** Resource types that carry a whole manifest or patch an existing object. */
const PATCH_TYPES = new Set(['kubernetes_manifest', 'kubernetes_annotations', 'kubernetes_labels']);

/** Keys whose value is a free-form map: copied as they are. */
export const MAP_KEYS = new Set([
  'labels',
  'annotations',
  'matchLabels',
  'hard',
  'default',
  'defaultRequest',
  'max',
  'min',
  'maxLimitRequestRatio',
  'nodeSelector',
  'data',
  'binaryData',
  'selector',
  'limits',
  'requests',
]);

/** Keys that are lists in Kubernetes (Terraform uses lists for every block, so all others are unwrapped). */
const LIST_KEYS = new Set([
  'ingress',
  'egress',
  'from',
  'to',
  'ports',
  'policyTypes',
  'matchExpressions',
  'values',
  'except',
  'containers',
  'initContainers',
  'env',
  'volumes',
  'volumeMounts',
  'finalizers',
  'rules',
  'paths',
  'tls',
  'hosts',
  'externalIps',
  'externalIPs',
  'loadBalancerSourceRanges',
  'args',
  'command',
  'tolerations',
  'items',
]);

/** Terraform names that differ from the Kubernetes field name beyond snake_case. */
const RENAMES: Readonly<Record<string, Record<string, string>>> = {
  kubernetes_limit_range_v1: { limit: 'limits' },
  kubernetes_service_v1: { externalIps: 'externalIPs', port: 'ports' },
  kubernetes_deployment_v1: {
    container: 'containers',
    initContainer: 'initContainers',
    port: 'ports',
    volume: 'volumes',
    volumeMount: 'volumeMounts',
  },
  kubernetes_ingress_v1: { rule: 'rules', path: 'paths' },
};

/** Scalar Terraform fields whose Kubernetes name differs beyond snake_case (`load_balancer_ip` is `loadBalancerIP`). */
const SCALAR_RENAMES: Readonly<Record<string, Record<string, string>>> = {
  kubernetes_service_v1: { loadBalancerIp: 'loadBalancerIP' },
};

/** Fields Terraform keeps as strings that Kubernetes wants as numbers (or int-or-string). */
const INT_OR_STRING = new Set([
  'port',
  'targetPort',
  'containerPort',
  'replicas',
  'runAsUser',
  'runAsGroup',
  'fsGroup',
]);

// A LimitRange's `limits` is a list of items; a Deployment's `selector` is a label selector, not a map.
const isListKey = (type: string, key: string) =>
  LIST_KEYS.has(key) || (type === 'kubernetes_limit_range_v1' && key === 'limits');
const isMapKey = (type: string, key: string) =>
  MAP_KEYS.has(key) && !isListKey(type, key) && !(key === 'selector' && type !== 'kubernetes_service_v1');

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function convert(value: unknown, type: string): unknown {
  if (typeof value === 'string') return terraformText(value);
  if (Array.isArray(value)) return value.map((v) => convert(v, type));
  if (!isRecord(value)) return value;
  return convertObject(value, type);
}

function convertObject(value: Readonly<Record<string, unknown>>, type: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, raw] of Object.entries(value)) {
    if (rawKey === '//' || raw === undefined || raw === null) continue;
    let key = camel(terraformText(rawKey));
    if (typeof raw === 'object') key = RENAMES[type]?.[key] ?? key;
    else key = SCALAR_RENAMES[type]?.[key] ?? key;
    let v: unknown = raw;
    if (isMapKey(type, key)) {
      out[key] = literalJson(Array.isArray(v) ? v[0] : v);
      continue;
    }
    if (isListKey(type, key)) {
      v = Array.isArray(v) ? v : [v];
    } else if (Array.isArray(v) && v.length <= 1 && (v.length === 0 || typeof v[0] === 'object')) {
      v = v[0] ?? {};
    }
    v = convert(v, type);
    if (INT_OR_STRING.has(key) && typeof v === 'string' && /^\d+$/.test(v)) v = Number(v);
    out[key] = v;
  }
  return out;
}

function literalValue(value: unknown): unknown {
  if (typeof value === 'string') return terraformText(value);
  if (Array.isArray(value)) return value.map(literalValue);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [terraformText(k), literalValue(v)]));
}

/**
 * A JSON value with every string and key read as the literal text Terraform hands over. The shape stays the same
 * (a string stays a string, a list a list, a map a map), so the value keeps its type.
 */
export function literalJson<T>(value: T): T {
  return literalValue(value) as T;
}

/**
 * The live templates in a Terraform string: each `${...}` or `%{...}` not escaped as `$${` / `%%{`, as written
 * (an unclosed one runs to the end of the string).
 */
export function liveTemplates(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      i += 2;
      continue;
    }
    if ((c === '$' || c === '%') && text[i + 1] === '{') {
      let depth = 0;
      let j = i + 1;
      let quote = false;
      for (; j < text.length; j++) {
        if (quote) {
          if (text[j] === '\\') j++;
          else if (text[j] === '"') quote = false;
        } else if (text[j] === '"') quote = true;
        else if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      out.push(text.slice(i, j + 1));
      i = j;
    }
  }
  return out;
}

/** Translates one Terraform resource body into the Kubernetes object it manages, or undefined if unknown. */
export function toKubernetesObject(type: string, body: unknown): KubernetesObject | undefined {
  if (!isRecord(body)) return undefined;
  if (type === 'kubernetes_manifest') {
    return literalJson(body.manifest) as KubernetesObject;
  }
  if (type === 'kubernetes_annotations' || type === 'kubernetes_labels') {
    // A patch of an existing object: the object as far as the patch defines it.
    const field = type === 'kubernetes_annotations' ? 'annotations' : 'labels';
    const metadata = convert(body.metadata, type);
    return {
      apiVersion: body.api_version,
      kind: body.kind,
      metadata: { ...(isRecord(metadata) ? metadata : {}), [field]: literalJson(body[field]) },
    } as KubernetesObject;
  }
  const kind = RESOURCE_KINDS[type];
  if (!kind) return undefined;
  const { provider, depends_on, lifecycle, count, for_each, wait_for_rollout, wait_for_load_balancer, ...rest } = body;
  return { ...kind, ...convertObject(rest, type) } as KubernetesObject;
}

/** Every Kubernetes object a stack emits through `kubernetes_*` resources, with its Terraform address. */
export function kubernetesObjects(stack: SynthesizedStack): TranslatedObject[] {
  const out: TranslatedObject[] = [];
  for (const { type, address, body } of resources(stack)) {
    if (!type.startsWith('kubernetes_')) continue;
    const object = toKubernetesObject(type, body);
    if (object) {
      out.push({
        stack: stack.name,
        address,
        provider: typeof body.provider === 'string' ? body.provider : undefined,
        object,
      });
    }
  }
  return out;
}

/** Resource types under `kubernetes_` that the translation does not know (a test keeps this empty). */
export function unknownKubernetesTypes(stack: SynthesizedStack): string[] {
  return resourceTypes(stack).filter((t) => t.startsWith('kubernetes_') && !PATCH_TYPES.has(t) && !RESOURCE_KINDS[t]);
}
