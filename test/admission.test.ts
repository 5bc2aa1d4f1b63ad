import { run } from '@bufbuild/cel';
import { ndbAdmissionValidations, NdbAdmissionGuardrail } from '../constructs/admission-guardrail';
import { defaultStacks, resources, stack } from './helpers';
import { clusterFixture } from './fixtures';
import { validateKubernetesObject } from './k8s-validate';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const CALLING = { 'node.messenger.bund/pool': 'calling' };

function zoneAndCluster(kind: 'ndb' | 'grundschutz' = 'ndb') {
  return clusterFixture({
    kind,
    ingressClass: 'nginx-ndb',
    loadBalancerClass: 'lb.ndb.bund.example/internal',
    callingSelector: CALLING,
  });
}

const { zone } = zoneAndCluster();
const validations = ndbAdmissionValidations(zone, CALLING);

/** Evaluates every validation with a real CEL evaluator; returns the messages of the failing ones. */
function denied(object: Json, namespaceLabels: Record<string, string> = {}): string[] {
  const namespaceObject = { metadata: { name: 'wire-s1', labels: namespaceLabels } };
  return validations.filter((v) => run(v.expression, { object, namespaceObject }) !== true).map((v) => v.message);
}

const svc = (spec: Json) => ({ kind: 'Service', metadata: { name: 's' }, spec });
const pod = (spec: Json) => ({
  kind: 'Pod',
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'c', image: 'x' }], ...spec },
});

describe('ValidatingAdmissionPolicy CEL expressions (evaluated with @bufbuild/cel)', () => {
  it.each([
    ['ClusterIP Service', svc({ type: 'ClusterIP', ports: [{ port: 80 }] })],
    ['Service without type', svc({ ports: [{ port: 80 }] })],
    [
      'LoadBalancer in the NdB class',
      svc({
        type: 'LoadBalancer',
        loadBalancerClass: 'lb.ndb.bund.example/internal',
        loadBalancerSourceRanges: ['10.64.0.0/12'],
      }),
    ],
    ['cluster-local ExternalName', svc({ type: 'ExternalName', externalName: 'spar.wire-s1.svc.cluster.local' })],
    ['Ingress in the NdB class', { kind: 'Ingress', spec: { ingressClassName: 'nginx-ndb' } }],
    ['Gateway in the NdB class', { kind: 'Gateway', spec: { gatewayClassName: 'nginx-ndb' } }],
    ['ordinary Pod', pod({})],
    ['Pod with container ports', pod({ containers: [{ name: 'c', ports: [{ containerPort: 8080 }] }] })],
    ['sftd on the calling pool', pod({ hostNetwork: true, nodeSelector: CALLING })],
    ['ConfigMap (not matched)', { kind: 'ConfigMap', data: { a: 'b' } }],
  ])('admits: %s', (_n, object) => {
    const calling: Record<string, string> = (object as Json).spec?.hostNetwork
      ? { 'messenger.bund/service': 'wire-calling' }
      : {};
    expect(denied(object, calling)).toEqual([]);
  });

  it.each([
    ['NodePort', svc({ type: 'NodePort' }), /NodePort/],
    ['LoadBalancer without class', svc({ type: 'LoadBalancer' }), /loadBalancerClass lb.ndb/],
    [
      'LoadBalancer in the internet class',
      svc({ type: 'LoadBalancer', loadBalancerClass: 'lb.dmz/public' }),
      /loadBalancerClass lb.ndb/,
    ],
    ['externalIPs', svc({ type: 'ClusterIP', externalIPs: ['198.51.100.1'] }), /externalIPs/],
    [
      'source ranges from anywhere',
      svc({
        type: 'LoadBalancer',
        loadBalancerClass: 'lb.ndb.bund.example/internal',
        loadBalancerSourceRanges: ['0.0.0.0/0'],
      }),
      /loadBalancerSourceRanges/,
    ],
    ['ExternalName to the internet', svc({ type: 'ExternalName', externalName: 'evil.example.com' }), /ExternalName/],
    ['Ingress without class', { kind: 'Ingress', spec: {} }, /ingressClassName nginx-ndb/],
    [
      'Ingress in another class',
      { kind: 'Ingress', spec: { ingressClassName: 'nginx-public' } },
      /ingressClassName nginx-ndb/,
    ],
    ['Gateway in another class', { kind: 'Gateway', spec: { gatewayClassName: 'public' } }, /gatewayClassName/],
    ['HTTPRoute', { kind: 'HTTPRoute', spec: {} }, /routes are not allowed/],
    ['hostNetwork Pod', pod({ hostNetwork: true }), /hostNetwork/],
    ['hostPort Pod', pod({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 80 }] }] }), /hostPort/],
  ])('denies: %s', (_n, object, message) => {
    const msgs = denied(object);
    expect(msgs.length).toBeGreaterThan(0);
    expect(msgs.join('\n')).toMatch(message);
  });

  it('denies hostNetwork on the calling pool outside a calling namespace, and off the pool inside one', () => {
    expect(denied(pod({ hostNetwork: true, nodeSelector: CALLING }))).toEqual([
      'Säule 1: hostNetwork only for sftd/coturn on the calling pool',
    ]);
    expect(
      denied(pod({ hostNetwork: true, nodeSelector: { 'node.messenger.bund/pool': 'general' } }), {
        'messenger.bund/service': 'wire-calling',
      }),
    ).toEqual(['Säule 1: hostNetwork only for sftd/coturn on the calling pool']);
  });
});

describe('NdbAdmissionGuardrail', () => {
  it('binds the policy to every namespace of NdB clusters except the system ones, as valid Kubernetes objects', () => {
    const s = stack(defaultStacks(), 'itzbund-ndb-1--platform');
    const m = resources(s, 'kubernetes_manifest');
    const policy = m.admission_saeule_1_policy.manifest;
    const binding = m.admission_saeule_1_binding.manifest;
    expect(policy.kind).toBe('ValidatingAdmissionPolicy');
    expect(policy.spec.failurePolicy).toBe('Fail');
    expect(policy.spec.validations).toHaveLength(validations.length);
    expect(binding.spec).toMatchObject({
      policyName: policy.metadata.name,
      validationActions: ['Deny'],
      matchResources: {
        namespaceSelector: {
          matchExpressions: [
            {
              key: 'kubernetes.io/metadata.name',
              operator: 'NotIn',
              values: ['kube-system', 'kube-public', 'kube-node-lease'],
            },
          ],
        },
      },
    });
    expect(() => validateKubernetesObject(policy)).not.toThrow();
    expect(() => validateKubernetesObject(binding)).not.toThrow();
    for (const other of ['itzbund-gs-1--platform', 'bab-bum-1--platform']) {
      expect(resources(stack(defaultStacks(), other), 'kubernetes_manifest')).toEqual({});
    }
  });

  it('refuses clusters outside the NdB', () => {
    const { stack: st, cluster } = zoneAndCluster('grundschutz');
    expect(() => new NdbAdmissionGuardrail(st, 'g', { cluster })).toThrow(/not the NdB/);
  });
});
