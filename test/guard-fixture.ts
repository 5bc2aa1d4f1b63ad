/**
 * Hand-built stacks for the guard tests: the zones, an NdB and a Grundschutz cluster with their recorded facts, and the
 * NdB admission policy and binding as the platform stack writes them.
 */
import { ndbAdmissionValidations, type AdmissionZone } from '../constructs/admission-guardrail';
import { REQUIRED_MATCH } from '../policy/rules/guard/admission';

/** The two `kubernetes_manifest` bodies (policy and binding) that keep an NdB cluster closed, intact. */
export function admissionManifests(
  provider: string,
  zone: AdmissionZone,
  callingPool: Readonly<Record<string, string>>,
): { policy: Record<string, unknown>; binding: Record<string, unknown> } {
  return {
    policy: {
      provider,
      manifest: {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: 'saeule-1' },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: {
            resourceRules: REQUIRED_MATCH.map((m) => ({
              apiGroups: [m.group],
              apiVersions: [m.version === '*' ? '*' : m.version],
              operations: ['CREATE', 'UPDATE'],
              resources: [...m.resources],
            })),
          },
          validations: ndbAdmissionValidations(zone, callingPool),
        },
      },
    },
    binding: {
      provider,
      manifest: {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: 'saeule-1' },
        spec: { policyName: 'saeule-1', validationActions: ['Deny'] },
      },
    },
  };
}

/** Resources of a hand-built stack: type -> name -> body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TestResources = Record<string, Record<string, any>>;

/** A hand-built stack whose JSON the tests edit freely. */
export interface TestStack {
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

export const NDB = {
  id: 'ndb',
  kind: 'ndb',
  cidrs: ['10.64.0.0/12'],
  ingressClass: 'nginx-ndb',
  loadBalancerClass: 'lb.ndb/internal',
};
export const GS = {
  id: 'gs',
  kind: 'grundschutz',
  cidrs: ['10.96.0.0/13'],
  ingressClass: 'nginx-gs',
  loadBalancerClass: 'lb.gs/internal',
};
export const CALLING = { 'node.messenger.bund/pool': 'calling' };

/** A stack on the NdB cluster `ndb-1` (zone and cluster facts recorded, a calling pool) with these resources. */
export function ndbStack(name: string, resource: TestResources): TestStack {
  return {
    name,
    json: {
      locals: {
        network_zone: NDB,
        zone_cluster: {
          id: 'ndb-1',
          zone: 'ndb',
          ingressControllerNamespace: 'ingress',
          nodePools: [{ name: 'calling', purpose: 'calling', nodeSelector: CALLING }],
        },
      },
      resource,
    },
  };
}

/** A stack on the Grundschutz cluster `gs-1` with these resources. */
export function gsStack(resource: TestResources = {}): TestStack {
  return {
    name: 'gs-1--platform',
    json: {
      locals: {
        network_zone: GS,
        zone_cluster: { id: 'gs-1', zone: 'gs', ingressControllerNamespace: 'ingress', nodePools: [] },
      },
      resource,
    },
  };
}
