/**
 * The checks on rendered objects: the Säule-1 exposure guard (the same rules as for the objects we declare),
 * Pod Security at the level each namespace enforces (hooks included), and the Kubernetes schema.
 */
import { CHARTS } from '../../constructs/charts';
import { AnnotationKeys } from '../../constructs/facts';
import { POD_SECURITY_ENFORCE_LABEL } from '../../constructs/labels';
import { releaseValues } from '../helm-values';
import { ExposureGuard, type ExposureRule } from '../exposure';
import { collectFacts, providerAlias, type ExpectedFacts } from '../facts';
import type { KubernetesObject, SynthesizedStack } from '../k8s-objects';
import { field, isRecord, resources } from '../synthesized-view';
import { contractProblems } from './contracts';
import { networkPolicyModel, neededFlows } from './flows';
import { podSecurityViolations, podSpecOf, type PodSecurityLevel } from './pod-security';
import type { RenderResult } from './render';

export type RenderCheck = 'render' | 'schema' | 'pod-security' | 'contract' | 'flow' | ExposureRule;

export interface RenderFinding {
  readonly stack: string;
  /** `helm_release.<name>` */
  readonly release: string;
  /** `Kind/namespace/name`, or '' for the release as a whole. */
  readonly object: string;
  readonly check: RenderCheck;
  readonly message: string;
}

export function formatRenderFinding(f: RenderFinding): string {
  return `${f.stack} ${f.release}${f.object ? ` ${f.object}` : ''} [${f.check}] ${f.message}`;
}

export const objectRef = (o: KubernetesObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/**
 * The object as the API server reads it: a field set to "" is Go's zero value, i.e. unset (charts render
 * `imagePullPolicy: ""` where no value was given), so such fields are dropped before schema validation.
 */
function withoutEmptyStrings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyStrings);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => [k, withoutEmptyStrings(v)]),
  );
}

/** Validates against the Kubernetes OpenAPI schema (kubernetes-models); undefined when there is no schema (CRDs). */
export function schemaProblem(object: KubernetesObject): string | undefined {
  let Model: (new (data: unknown) => { validate(): void }) | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`kubernetes-models/${object.apiVersion}/${object.kind}`);
    Model = mod[object.kind] ?? mod.default;
  } catch {
    return undefined;
  }
  if (!Model) return undefined;
  try {
    new Model(withoutEmptyStrings(object)).validate();
    return undefined;
  } catch (e) {
    return String((e as Error).message)
      .split('\n')
      .slice(0, 3)
      .join(' ')
      .slice(0, 300);
  }
}

/** `<cluster>/<namespace>` -> the workloads its `restricted-except` annotation names. */
function restrictedExceptions(stacks: readonly SynthesizedStack[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of stacks) {
    for (const { body } of resources(s, 'kubernetes_namespace_v1')) {
      const list = field(field(body.metadata, 'annotations'), AnnotationKeys.podSecurityRestrictedExcept);
      if (typeof list === 'string')
        out.set(
          `${providerAlias(body.provider)}/${String(field(body.metadata, 'name'))}`,
          list.split(',').filter(Boolean),
        );
    }
  }
  return out;
}

/** Findings on the rendered releases (failed renders are findings too: such a release does not deploy). */
export function checkRendered(
  stacks: readonly SynthesizedStack[],
  results: readonly RenderResult[],
  expected?: ExpectedFacts,
): RenderFinding[] {
  const out: RenderFinding[] = [];
  const guard = new ExposureGuard(stacks, expected);
  const facts = collectFacts(stacks, expected);
  const namespaces = facts.namespaces;
  const exceptions = restrictedExceptions(stacks);
  const byName = new Map(stacks.map((s) => [s.name, s]));
  for (const r of results) {
    const { stack, address, body } = r.release;
    const at = (object: string, check: RenderCheck, message: string) =>
      out.push({ stack, release: address, object, check, message });
    // value forms the chart expects, whether or not the chart is in the mirror
    try {
      const values = releaseValues(body).values;
      for (const p of CHARTS[r.release.chart]?.valueContracts?.(isRecord(values) ? values : {}) ?? [])
        at('', 'contract', p);
    } catch {
      // unreadable values are reported by the render itself
    }
    if (r.status === 'failed') {
      at('', 'render', `the chart does not render: ${r.reason}`);
      continue;
    }
    if (r.status !== 'rendered') continue;
    const objects = r.objects.map((o) => o.object);
    for (const f of guard.checkRendered(byName.get(stack)!, address, body, objects)) {
      at(f.address.slice(address.length + 1), f.rule, f.message);
    }
    const locals = byName.get(stack)?.json.locals ?? {};
    for (const [ref, message] of contractProblems(r.release.chart, objects, locals)) at(ref, 'contract', message);
    const alias = providerAlias(body.provider) ?? '';
    for (const { object, hook } of r.objects) {
      const ref = objectRef(object);
      const podSpec = podSpecOf(object);
      if (podSpec) {
        const key = `${alias}/${object.metadata.namespace}`;
        const labels = namespaces.get(key) ?? {};
        const level = (labels[POD_SECURITY_ENFORCE_LABEL] ?? 'privileged') as PodSecurityLevel;
        const what = `${hook ? `${hook} hook ` : ''}pods`;
        const violations = podSecurityViolations(podSpec, level);
        if (violations.length > 0) {
          at(
            ref,
            'pod-security',
            `${what} are refused by Pod Security '${level}' of namespace '${object.metadata.namespace}': ${violations.join('; ')}`,
          );
        }
        // a namespace below restricted for named workloads only: every other pod must still meet restricted
        const except = exceptions.get(key);
        if (except && !except.includes(`${object.kind}/${object.metadata.name}`) && violations.length === 0) {
          const strict = podSecurityViolations(podSpec, 'restricted');
          if (strict.length > 0)
            at(
              ref,
              'pod-security',
              `${what} do not meet 'restricted', and namespace '${object.metadata.namespace}' exempts only ${except.join(', ')}: ${strict.join('; ')}`,
            );
        }
      }
      const problem = schemaProblem(object);
      if (problem) at(ref, 'schema', problem);
    }
  }
  // flows: what each pillar needs is allowed by every NetworkPolicy on its cluster; Säule 1 does not reach out
  const model = networkPolicyModel(stacks, results);
  for (const f of neededFlows(stacks, facts)) {
    const why = model.blocked(f);
    if (f.expect === 'allowed' && why)
      out.push({ stack: f.stack, release: '', object: '', check: 'flow', message: `${f.what} is blocked: ${why}` });
    if (f.expect === 'blocked' && !why)
      out.push({ stack: f.stack, release: '', object: '', check: 'flow', message: `${f.what}: it is not` });
  }
  return out;
}
