/**
 * P1-ADMISSION: every NdB cluster with Säule-1 namespaces keeps the ValidatingAdmissionPolicy of
 * `constructs/admission-guardrail.ts` intact and enforced by a binding (Deny, every Säule-1 namespace and unlabelled
 * ones): the API server refuses NodePorts, foreign load balancers, external IPs, host networking ... even if
 * everything else failed. The policy and binding checks themselves are in policy/guardrails.ts.
 */
import { bindingProblems, policyProblems, type GuardrailResource } from '../../guardrails';
import { field } from '../../synthesized-view';
import { EXPOSURE_RULES } from './catalogue';
import type { GuardContext } from './context';
import { metadataField } from './json';
import type { GuardRule } from './rule';
import type { GuardResult } from './scope';

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

export const admissionRule: GuardRule = {
  id: 'P1-ADMISSION',
  level: 'error',
  unsuppressible: true,
  explanation: EXPOSURE_RULES['P1-ADMISSION'],
  check: admissionFindings,
};
