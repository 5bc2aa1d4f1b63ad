import { kubernetesObjects, toKubernetesObject, unknownKubernetesTypes } from '../policy/k8s-objects';
import { defaultStacks } from './helpers';
import { snakeCaseKeys, validateKubernetesObject } from './k8s-validate';

describe('every Kubernetes object the project emits is valid against the Kubernetes OpenAPI schema', () => {
  const stacks = defaultStacks();
  const objects = stacks.flatMap((s) => kubernetesObjects(s));

  it('emits objects (sanity)', () => {
    expect(objects.length).toBeGreaterThan(20);
    expect(new Set(objects.map((o) => o.object.kind))).toEqual(
      new Set([
        'Namespace',
        'NetworkPolicy',
        'ResourceQuota',
        'LimitRange',
        'Node',
        'ValidatingAdmissionPolicy',
        'ValidatingAdmissionPolicyBinding',
        'ConfigMap',
        'Deployment',
        'Service',
        'Ingress',
      ]),
    );
  });

  it('knows every kubernetes_* resource type it emits', () => {
    for (const s of stacks) expect(unknownKubernetesTypes(s)).toEqual([]);
  });

  it.each(objects.map((o) => [`${o.stack} ${o.address}`, o]))('%s', (_name, o) => {
    expect(() => validateKubernetesObject(o.object)).not.toThrow();
    expect(snakeCaseKeys(o.object)).toEqual([]);
  });
});

describe('the validation catches broken objects', () => {
  it('rejects a NetworkPolicy without podSelector', () => {
    const o = toKubernetesObject('kubernetes_network_policy_v1', {
      metadata: { name: 'x' },
      spec: { policy_types: ['Ingress'] },
    });
    expect(() => validateKubernetesObject(o!)).toThrow(/podSelector/);
  });

  it('rejects a wrong policy type and a LimitRange item without type', () => {
    const p = toKubernetesObject('kubernetes_network_policy_v1', {
      metadata: { name: 'x' },
      spec: { pod_selector: {}, policy_types: ['Both'] },
    });
    expect(() => validateKubernetesObject(p!)).toThrow();
    const l = toKubernetesObject('kubernetes_limit_range_v1', {
      metadata: { name: 'x' },
      spec: { limit: [{ default: { cpu: '1' } }] },
    });
    expect(() => validateKubernetesObject(l!)).toThrow(/type/);
  });

  it('translates Terraform blocks to Kubernetes fields', () => {
    const o = toKubernetesObject('kubernetes_network_policy_v1', {
      provider: 'kubernetes.c1',
      depends_on: ['x'],
      metadata: { name: 'n', namespace: 'ns', labels: { 'a_b/c': 'd' } },
      spec: {
        pod_selector: { match_labels: { app_name: 'x' } },
        policy_types: ['Ingress'],
        ingress: [
          { from: [{ ip_block: { cidr: '10.0.0.0/8' } }], ports: [{ port: '8080', protocol: 'TCP', end_port: 8090 }] },
        ],
      },
    });
    expect(o).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'n', namespace: 'ns', labels: { 'a_b/c': 'd' } },
      spec: {
        podSelector: { matchLabels: { app_name: 'x' } },
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 8080, protocol: 'TCP', endPort: 8090 }] },
        ],
      },
    });
    const l = toKubernetesObject('kubernetes_limit_range_v1', {
      metadata: { name: 'l' },
      spec: { limit: [{ type: 'Container', default_request: { cpu: '1' } }] },
    });
    expect(l?.spec).toEqual({ limits: [{ type: 'Container', defaultRequest: { cpu: '1' } }] });
  });
});
