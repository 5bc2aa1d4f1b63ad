/**
 * P1-ADMISSION: every NdB cluster with Säule-1 namespaces keeps the ValidatingAdmissionPolicy of
 * `constructs/admission-guardrail.ts` intact and enforced by a binding (Deny, every Säule-1 namespace and unlabelled
 * ones): the API server refuses NodePorts, foreign load balancers, external IPs, host networking ... even if
 * everything else failed. The policy must match what its validations judge, fail closed and carry every CEL
 * validation the construct writes for the cluster's zone; a binding must deny in every Säule-1 namespace and in an
 * unlabelled one.
 */
import { labelSelectorMatches } from '../../label-selector';
import { ndbAdmissionValidations, SYSTEM_NAMESPACES } from '../../../constructs/admission-guardrail';
import { NAMESPACE_NAME_LABEL } from '../../../constructs/labels';
import type { ClusterFacts } from '../../facts';
import { field, lengthOf } from '../../synthesized-view';
import type { GuardContext } from './context';
import type { GuardrailResource, Pillar1Namespace } from './guardrail-resources';
import { metadataField } from './json';
import type { GuardRule } from './rule';
import type { GuardResult } from './scope';

interface RequiredMatch {
  readonly group: string;
  /** `*`: the rule must name all versions (the Gateway API serves several). */
  readonly version: string;
  readonly resources: readonly string[];
}

/** What the policy must match (CREATE and UPDATE each): the kinds its validations judge. */
export const REQUIRED_MATCH: readonly RequiredMatch[] = [
  { group: '', version: 'v1', resources: ['services', 'pods'] },
  { group: 'networking.k8s.io', version: 'v1', resources: ['ingresses'] },
  {
    group: 'gateway.networking.k8s.io',
    version: '*',
    resources: ['gateways', 'httproutes', 'grpcroutes', 'tcproutes', 'udproutes', 'tlsroutes'],
  },
];
const OPERATIONS = ['CREATE', 'UPDATE'];

const has = (list: unknown, item: string) => Array.isArray(list) && (list.includes(item) || list.includes('*'));

/** The required matches that no rule covers, as `group/version resource OPERATION`. */
function uncovered(rules: unknown): string[] {
  const list: readonly unknown[] = Array.isArray(rules) ? rules : [];
  const missing: string[] = [];
  for (const m of REQUIRED_MATCH) {
    for (const resource of m.resources) {
      for (const op of OPERATIONS) {
        const ok = list.some((r) => {
          const versions = field(r, 'apiVersions');
          const scope = field(r, 'scope');
          return (
            has(field(r, 'apiGroups'), m.group) &&
            (m.version === '*' ? Array.isArray(versions) && versions.includes('*') : has(versions, m.version)) &&
            has(field(r, 'resources'), resource) &&
            has(field(r, 'operations'), op) &&
            (scope === undefined || scope === '*' || scope === 'Namespaced')
          );
        });
        if (!ok) missing.push(`${m.group || 'core'}/${m.version} ${resource} ${op}`);
      }
    }
  }
  return missing;
}

const emptySelector = (s: unknown) =>
  s === undefined ||
  s === null ||
  (Object.keys(field(s, 'matchLabels') ?? {}).length === 0 && !lengthOf(field(s, 'matchExpressions')));

/** Kubernetes label selector semantics (matchLabels and matchExpressions, all ANDed). */
export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  return selector === undefined || selector === null || labelSelectorMatches(selector, labels);
}

const normalize = (expression: string) => expression.replace(/\s+/g, ' ').trim();

/** The CEL validations the construct writes for this cluster's zone and calling pool. */
function expectedValidations(cluster: ClusterFacts) {
  const calling = cluster.nodePools.find((p) => p.purpose === 'calling')?.nodeSelector;
  return ndbAdmissionValidations(cluster.zone, calling);
}

/** Why a ValidatingAdmissionPolicy does not (fully) keep Säule 1 closed; empty when intact. */
function policyProblems(obj: unknown, cluster: ClusterFacts): string[] {
  const spec = field(obj, 'spec') ?? {};
  const problems: string[] = [];
  const failurePolicy = field(spec, 'failurePolicy');
  if (failurePolicy !== undefined && failurePolicy !== 'Fail')
    problems.push(`failurePolicy is ${failurePolicy}, not Fail (an error in a validation would admit)`);
  if (field(spec, 'paramKind'))
    problems.push('paramKind is set (a binding without parameters may skip the validations)');
  if (lengthOf(field(spec, 'matchConditions')))
    problems.push('matchConditions narrow which requests the validations see');
  const mc = field(spec, 'matchConstraints');
  if (!mc) {
    problems.push('matchConstraints are missing, so it matches nothing');
  } else {
    const missing = uncovered(field(mc, 'resourceRules'));
    if (missing.length) problems.push(`matchConstraints do not cover ${missing.join(', ')}`);
    if (lengthOf(field(mc, 'excludeResourceRules')))
      problems.push('matchConstraints.excludeResourceRules exempt resources');
    if (!emptySelector(field(mc, 'namespaceSelector')))
      problems.push('matchConstraints.namespaceSelector narrows the namespaces');
    if (!emptySelector(field(mc, 'objectSelector')))
      problems.push('matchConstraints.objectSelector narrows the objects');
  }
  const validations = field(spec, 'validations');
  const have = new Set(
    (Array.isArray(validations) ? validations : []).map((v: unknown) =>
      normalize(String(field(v, 'expression') ?? '')),
    ),
  );
  for (const v of expectedValidations(cluster)) {
    if (!have.has(normalize(v.expression))) problems.push(`validation missing or altered: "${v.message}"`);
  }
  return problems;
}

/** Namespaces a binding must reach on the cluster: its Säule-1 namespaces, and one that carries no labels at all. */
function probeNamespaces(namespaces: readonly Pillar1Namespace[]) {
  const probes = namespaces.map((n) => ({ name: n.name, labels: { ...n.labels, [NAMESPACE_NAME_LABEL]: n.name } }));
  // an unlabelled namespace (created by hand or by a chart) must not escape either
  const unlabelled = 'default';
  if (!SYSTEM_NAMESPACES.includes(unlabelled))
    probes.push({ name: `${unlabelled} (unlabelled)`, labels: { [NAMESPACE_NAME_LABEL]: unlabelled } });
  return probes;
}

/** Why a binding does not enforce a policy in every Säule-1 namespace; empty when intact. */
function bindingProblems(obj: unknown, namespaces: readonly Pillar1Namespace[]): string[] {
  const spec = field(obj, 'spec') ?? {};
  const problems: string[] = [];
  const validationActions = field(spec, 'validationActions');
  const actions: readonly unknown[] = Array.isArray(validationActions) ? validationActions : [];
  if (!actions.includes('Deny'))
    problems.push(`validationActions are [${actions.join(', ')}], without Deny (violations would be admitted)`);
  if (field(spec, 'paramRef')) problems.push('paramRef is set (missing parameters may skip the policy)');
  const mr = field(spec, 'matchResources') ?? {};
  if (!emptySelector(field(mr, 'objectSelector'))) problems.push('matchResources.objectSelector narrows the objects');
  if (lengthOf(field(mr, 'excludeResourceRules')))
    problems.push('matchResources.excludeResourceRules exempt resources');
  if (lengthOf(field(mr, 'resourceRules'))) {
    const missing = uncovered(field(mr, 'resourceRules'));
    if (missing.length) problems.push(`matchResources.resourceRules do not cover ${missing.join(', ')}`);
  }
  const missed = probeNamespaces(namespaces)
    .filter((n) => !selects(field(mr, 'namespaceSelector'), n.labels))
    .map((n) => n.name);
  if (missed.length) problems.push(`its namespaceSelector leaves out ${missed.join(', ')}`);
  return problems;
}

function admissionFindings({ facts, pillar1Namespaces, guardrailResources }: GuardContext): GuardResult[] {
  const out: GuardResult[] = [];
  const flag = (stack: { name: string }, address: string, message: string) =>
    out.push({ stack: stack.name, resource: address, message, position: [5, out.length] });
  for (const cluster of facts.clusters.values()) {
    if (cluster.zone.kind !== 'ndb') continue;
    const own = pillar1Namespaces.filter((n) => n.alias === cluster.id);
    if (own.length === 0) continue;
    const onCluster = (kind: string) =>
      guardrailResources.filter((m) => m.alias === cluster.id && m.object.kind === kind);
    const policies = onCluster('ValidatingAdmissionPolicy');
    const bindings = onCluster('ValidatingAdmissionPolicyBinding');
    // the same name twice: one overwrites the other on the cluster
    for (const group of [policies, bindings]) {
      const seen = new Map<string, string>();
      for (const m of group) {
        const name = String(metadataField(m.object, 'name'));
        const first = seen.get(name);
        if (first)
          flag(
            m.stack,
            m.address,
            `${m.object.kind} '${name}' is declared twice on cluster '${cluster.id}' (also ${first})`,
          );
        else seen.set(name, `${m.stack.name} ${m.address}`);
      }
    }
    const policyIssues = new Map(policies.map((p) => [p, policyProblems(p.object, cluster)]));
    const bindingIssues = new Map<GuardrailResource, { problems: string[]; target?: GuardrailResource }>(
      bindings.map((b) => {
        const problems = bindingProblems(b.object, own);
        const policyName = field(field(b.object, 'spec'), 'policyName');
        const target = policies.find((p) => metadataField(p.object, 'name') === policyName);
        if (!target)
          problems.unshift(
            `it binds policy '${policyName ?? '(none)'}', which is not declared on cluster '${cluster.id}'`,
          );
        return [b, { problems, target }];
      }),
    );
    const enforced = [...bindingIssues.values()].some(
      (b) => b.problems.length === 0 && b.target && policyIssues.get(b.target)?.length === 0,
    );
    if (enforced) continue;
    if (policies.length === 0) {
      const home =
        own.find((n) => n.cluster?.ingressControllerNamespace === n.name) ??
        own.find((n) => /--platform$/.test(n.stack.name)) ??
        own[0];
      flag(
        home.stack,
        'locals.zone_cluster',
        `NdB cluster '${cluster.id}' has no ValidatingAdmissionPolicy keeping Säule 1 closed (NodePort, foreign load balancers, external IPs, hostNetwork ... would be admitted)`,
      );
    }
    for (const [p, problems] of policyIssues) {
      const name = metadataField(p.object, 'name');
      for (const problem of problems) flag(p.stack, p.address, `ValidatingAdmissionPolicy '${name}': ${problem}`);
      const bound = [...bindingIssues.values()].some((b) => b.target === p && b.problems.length === 0);
      if (!bound)
        flag(
          p.stack,
          p.address,
          `ValidatingAdmissionPolicy '${name}' has no intact ValidatingAdmissionPolicyBinding (Deny, every Säule-1 namespace), so it is not enforced`,
        );
    }
    for (const [b, { problems }] of bindingIssues) {
      for (const problem of problems)
        flag(b.stack, b.address, `ValidatingAdmissionPolicyBinding '${metadataField(b.object, 'name')}': ${problem}`);
    }
  }
  return out;
}

export const admissionRule: GuardRule<'P1-ADMISSION'> = {
  id: 'P1-ADMISSION',
  level: 'error',
  unsuppressible: true,
  explanation: 'an NdB cluster whose admission policy or binding is missing or weakened',
  check: admissionFindings,
};
