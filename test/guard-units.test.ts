import { admissionManifests, CALLING, gsStack, ndbStack, NDB } from './guard-fixture';
import { evaluate } from '../policy/engine';
import { checkExposure, ExposureGuard } from '../policy/exposure';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { guardContext } from '../policy/rules/guard/context';
import { isExposureRule } from '../policy/rules/guard/catalogue';
import { GUARD_PACK, guardFindings } from '../policy/rules/guard/index';
import type { GuardRule } from '../policy/rules/guard/rule';
import { cloneDefaultStacks } from './helpers';

/** One resource body or manifest of a test stack (plain JSON of any shape). */
type Body = Record<string, unknown>;
type Resources = Record<string, Record<string, Body>>;

const P = 'kubernetes.ndb-1';
const STACK = 'ndb-1--s1';

/** The admission policy and binding that keep the NdB cluster closed, intact. */
const ADMISSION: Record<string, Body> = admissionManifests(P, NDB, CALLING);

/**
 * A clean Säule-1 stack on the NdB cluster `ndb-1`: namespace `s1` with default deny, quota and the admission
 * policy, plus `extra` resources (a type given in `extra` adds to the stack's resources of that type).
 */
function p1Stack(extra: Resources = {}, guardrails = true): SynthesizedStack {
  const resource: Resources = {
    kubernetes_namespace_v1: {
      ns: { provider: P, metadata: { name: 's1', labels: { 'messenger.bund/pillar': '1' } } },
    },
    ...(guardrails
      ? {
          kubernetes_network_policy_v1: {
            deny: {
              provider: P,
              metadata: { name: 'default-deny', namespace: 's1' },
              spec: { pod_selector: {}, policy_types: ['Ingress', 'Egress'] },
            },
          },
          kubernetes_resource_quota_v1: {
            quota: {
              provider: P,
              metadata: { name: 'guardrails', namespace: 's1' },
              spec: { hard: { 'services.loadbalancers': '0', 'services.nodeports': '0' } },
            },
          },
          kubernetes_manifest: { ...ADMISSION },
        }
      : {}),
  };
  for (const [type, byName] of Object.entries(extra)) resource[type] = { ...(resource[type] ?? {}), ...byName };
  return ndbStack(STACK, resource);
}

/** The findings of one unit alone, as `resource: message`. */
function unit(rule: GuardRule, stacks: SynthesizedStack[]): string[] {
  return guardFindings(guardContext(stacks), [rule]).map((f) => `${f.resource}: ${f.message}`);
}

const rule = (id: string): GuardRule => {
  const found = GUARD_PACK.find((r) => r.id === id);
  if (!found) throw new Error(`no unit ${id}`);
  return found;
};

const service = (spec: Body) => ({
  kubernetes_service_v1: { svc: { provider: P, metadata: { name: 'svc', namespace: 's1' }, spec } },
});
const manifest = (m: Body) => ({ kubernetes_manifest: { m: { provider: P, manifest: m } } });
const release = (chart: string, values: string, more: Body = {}) => ({
  helm_release: {
    r: {
      provider: 'helm.ndb-1',
      chart,
      repository: 'https://charts.example',
      name: chart,
      namespace: 's1',
      values: [values],
      ...more,
    },
  },
});
const netpol = (spec: Body) => ({
  kubernetes_network_policy_v1: {
    np: { provider: P, metadata: { name: 'np', namespace: 's1' }, spec: { pod_selector: {}, ...spec } },
  },
});
const nodeAnnotation = (ip: string) => ({
  kubernetes_annotations: {
    node: {
      provider: P,
      api_version: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      annotations: { 'wire.com/external-ip': ip },
    },
  },
});

describe('the guard pack', () => {
  it('has one unit per P1 rule, each with its own explanation, and the unit ids are the catalogue', () => {
    const ids = GUARD_PACK.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of GUARD_PACK) expect(r.explanation.length).toBeGreaterThan(20);
    expect(ids.every((id) => isExposureRule(id))).toBe(true);
    expect(isExposureRule('P1-NOTHING')).toBe(false);
    expect(isExposureRule('toString')).toBe(false);
    // the engine refuses a suppression of every P1 finding
    const suppression = jest.fn(() => ({ owner: 'someone', reason: 'a reason long enough to be taken' }));
    const f = evaluate(GUARD_PACK, guardContext([p1Stack(service({ type: 'NodePort' }))]), { suppression });
    expect(f.map((x) => [x.rule, x.suppressed])).toEqual([['P1-SERVICE', undefined]]);
    expect(suppression).not.toHaveBeenCalled();
  });

  it('the clean stack passes every unit', () => {
    expect(checkExposure([p1Stack(), gsStack()])).toEqual([]);
  });
});

describe('each unit: a minimal bad input is its finding, the good one is none', () => {
  it('P1-ZONE: a Säule-1 namespace through a Grundschutz cluster, or a provider of no known cluster', () => {
    const ns = (provider: string) => ({
      kubernetes_namespace_v1: {
        x: { provider, metadata: { name: 'p1', labels: { 'messenger.bund/pillar': '1' } } },
      },
    });
    expect(unit(rule('P1-ZONE'), [p1Stack(), gsStack(ns('kubernetes.gs-1'))])).toEqual([
      "kubernetes_namespace_v1.x: Säule-1 resource deployed through the providers of cluster 'gs-1' in zone 'gs' (grundschutz)",
    ]);
    expect(unit(rule('P1-ZONE'), [p1Stack(ns('kubernetes.elsewhere'))])).toEqual([
      "kubernetes_namespace_v1.x: Säule-1 resource deployed through provider 'kubernetes.elsewhere', which belongs to no known NdB cluster",
    ]);
    expect(unit(rule('P1-ZONE'), [p1Stack(ns(P)), gsStack()])).toEqual([]);
  });

  it('P1-SERVICE: a NodePort, not a ClusterIP', () => {
    expect(unit(rule('P1-SERVICE'), [p1Stack(service({ type: 'NodePort' }))])).toEqual([
      'kubernetes_service_v1.svc: Service of type NodePort opens a port on every node',
    ]);
    expect(unit(rule('P1-SERVICE'), [p1Stack(service({ type: 'ClusterIP' }))])).toEqual([]);
  });

  it('P1-INGRESS: an Ingress of another class, not of the NdB class', () => {
    const ingress = (cls: string) => ({
      kubernetes_ingress_v1: {
        i: { provider: P, metadata: { name: 'i', namespace: 's1' }, spec: { ingress_class_name: cls } },
      },
    });
    expect(unit(rule('P1-INGRESS'), [p1Stack(ingress('nginx-public'))])).toEqual([
      "kubernetes_ingress_v1.i: Ingress with class 'nginx-public', not the NdB class 'nginx-ndb'",
    ]);
    expect(unit(rule('P1-INGRESS'), [p1Stack(ingress('nginx-ndb'))])).toEqual([]);
  });

  it('P1-HOSTNET: a declared pod on the host network, not one without', () => {
    const deployment = (hostNetwork: boolean) =>
      manifest({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd', namespace: 's1' },
        spec: { template: { spec: { hostNetwork, containers: [] } } },
      });
    expect(unit(rule('P1-HOSTNET'), [p1Stack(deployment(true))])).toEqual([
      'kubernetes_manifest.m: pod uses hostNetwork (only the sftd and coturn releases may, on the calling pool)',
    ]);
    expect(unit(rule('P1-HOSTNET'), [p1Stack(deployment(false))])).toEqual([]);
  });

  it('P1-NETPOL: ingress from the internet and a missing default deny, not ingress from the NdB', () => {
    const from = (cidr: string) => netpol({ ingress: [{ from: [{ ip_block: { cidr } }] }] });
    expect(unit(rule('P1-NETPOL'), [p1Stack(from('0.0.0.0/0'))])).toEqual([
      'kubernetes_network_policy_v1.np: ingress from ipBlock 0.0.0.0/0, not wholly inside the NdB',
    ]);
    expect(unit(rule('P1-NETPOL'), [p1Stack(from('10.64.1.0/24'))])).toEqual([]);
    expect(unit(rule('P1-NETPOL'), [p1Stack({}, false)])).toEqual([
      "kubernetes_namespace_v1.ns: namespace 's1' has no default-deny NetworkPolicy",
    ]);
  });

  it('P1-HELM: values that open a NodePort, not values that do not; a chart the guard does not know', () => {
    expect(unit(rule('P1-HELM'), [p1Stack(release('webapp', 'service:\n  type: NodePort\n'))])).toEqual([
      'helm_release.r: webapp: service.type is NodePort',
    ]);
    expect(unit(rule('P1-HELM'), [p1Stack(release('webapp', 'replicaCount: 3\n'))])).toEqual([]);
    expect(unit(rule('P1-HELM'), [p1Stack(release('mystery', '{}'))])).toEqual([
      "helm_release.r: chart 'mystery' is not known to the guard and cannot be checked",
    ]);
  });

  it('P1-CALLING-IP: a calling node announcing an internet address, not an NdB one', () => {
    expect(unit(rule('P1-CALLING-IP'), [p1Stack(nodeAnnotation('198.51.100.7'))])).toEqual([
      "kubernetes_annotations.node: node 'n1' announces 198.51.100.7, outside the NdB (10.64.0.0/12)",
    ]);
    expect(unit(rule('P1-CALLING-IP'), [p1Stack(nodeAnnotation('10.64.10.11'))])).toEqual([]);
  });

  it('P1-FEDERATION: a Säule-1 instance federating with a Grundschutz partner, not with an NdB one', () => {
    const withPartner = (zone: string, zoneKind: string) => {
      const s = p1Stack();
      const locals = (s.json as { locals: Body }).locals;
      locals.wire_instance = {
        id: 's1',
        pillar: 1,
        domain: 's1.example',
        zone: 'ndb',
        partners: [{ id: 'x', domain: 'x.example', zone, zoneKind }],
      };
      return [s];
    };
    expect(unit(rule('P1-FEDERATION'), withPartner('gs', 'grundschutz'))).toEqual([
      "locals.wire_instance: Säule-1 instance 's1' federates with 'x.example' in zone 'gs' (grundschutz)",
    ]);
    expect(unit(rule('P1-FEDERATION'), withPartner('ndb', 'ndb'))).toEqual([]);
  });

  it('P1-FEDERATION: Wire instance facts that do not parse with their schema cannot be judged', () => {
    const withInstance = (instance: unknown) => {
      const s = p1Stack();
      (s.json as { locals: Body }).locals.wire_instance = instance;
      return [s];
    };
    const s1 = { id: 's1', pillar: 1, domain: 's1.example', zone: 'ndb', partners: [] };
    expect(unit(rule('P1-FEDERATION'), withInstance(s1))).toEqual([]);
    expect(unit(rule('P1-FEDERATION'), withInstance({ ...s1, pillar: '1', partners: 'x.example' }))).toEqual([
      "locals.wire_instance: the stack's Wire instance facts are malformed (wire_instance.pillar, wire_instance.partners): its federation cannot be judged",
    ]);
    expect(unit(rule('P1-FEDERATION'), withInstance(null))).toHaveLength(1);
  });

  it('P1-PATCH: a label patched onto a Säule-1 namespace; the calling node annotation is no patch finding', () => {
    const labels = {
      kubernetes_labels: {
        l: {
          provider: P,
          api_version: 'v1',
          kind: 'Namespace',
          metadata: { name: 's1' },
          labels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
        },
      },
    };
    expect(unit(rule('P1-PATCH'), [p1Stack(labels)])).toEqual([
      "kubernetes_labels.l: label pod-security.kubernetes.io/enforce patched onto Namespace 's1'",
    ]);
    expect(unit(rule('P1-PATCH'), [p1Stack(nodeAnnotation('198.51.100.7'))])).toEqual([]);
  });

  it('P1-QUOTA: a Säule-1 namespace without its quota, not one with it', () => {
    const s = p1Stack();
    const resource = (s.json as { resource: Resources }).resource;
    expect(unit(rule('P1-QUOTA'), [s])).toEqual([]);
    delete resource.kubernetes_resource_quota_v1;
    expect(unit(rule('P1-QUOTA'), [s])).toEqual([
      "kubernetes_namespace_v1.ns: namespace 's1' has no ResourceQuota limiting services.loadbalancers 0, services.nodeports 0",
    ]);
  });

  it('P1-ADMISSION: an NdB cluster without its admission policy, not one with it intact', () => {
    const s = p1Stack();
    const resource = (s.json as { resource: Resources }).resource;
    expect(unit(rule('P1-ADMISSION'), [s])).toEqual([]);
    delete resource.kubernetes_manifest.policy;
    expect(unit(rule('P1-ADMISSION'), [s])).toEqual([
      "locals.zone_cluster: NdB cluster 'ndb-1' has no ValidatingAdmissionPolicy keeping Säule 1 closed (NodePort, foreign load balancers, external IPs, hostNetwork ... would be admitted)",
      "kubernetes_manifest.binding: ValidatingAdmissionPolicyBinding 'saeule-1': it binds policy 'saeule-1', which is not declared on cluster 'ndb-1'",
    ]);
  });

  it('P1-TERRAFORM: a count on a resource, in any stack; none without', () => {
    const counted = (count?: number) =>
      gsStack({
        kubernetes_config_map_v1: {
          c: { provider: 'kubernetes.gs-1', metadata: { name: 'c', namespace: 'x' }, ...(count ? { count } : {}) },
        },
      });
    expect(unit(rule('P1-TERRAFORM'), [counted(2)])).toEqual([
      'kubernetes_config_map_v1.c: count 2 decides how many instances Terraform creates (0: none); the guard does not evaluate it',
    ]);
    expect(unit(rule('P1-TERRAFORM'), [counted()])).toEqual([]);
  });
});

describe('the engine under the guard', () => {
  it('one wrong ingress class is one P1-HELM finding (the chart path and the value walk see the same value)', () => {
    const findings = checkExposure([
      p1Stack(release('nginx-ingress-services', 'config:\n  ingressClass: nginx-public\n')),
    ]);
    expect(findings).toEqual([
      {
        stack: STACK,
        address: 'helm_release.r',
        rule: 'P1-HELM',
        message: "nginx-ingress-services: config.ingressClass is 'nginx-public', not the NdB class 'nginx-ndb'",
      },
    ]);
  });

  it('findings come in the order the guard visits the input, not the order of the pack', () => {
    // P1-TERRAFORM is the last unit of the pack, but the guard reports what it cannot evaluate first; then each
    // resource in the order of the stack (a release's zone before its values); default deny, quotas and admission
    // after every stack's resources
    const s = p1Stack(
      {
        ...service({ type: 'NodePort' }),
        ...release('webapp', 'service:\n  type: NodePort\n', { provider: 'helm.elsewhere', count: 1 }),
      },
      false,
    );
    expect(checkExposure([s]).map((f) => `${f.rule} ${f.address}`)).toEqual([
      'P1-TERRAFORM helm_release.r',
      'P1-SERVICE kubernetes_service_v1.svc',
      'P1-ZONE helm_release.r',
      'P1-HELM helm_release.r',
      'P1-HELM helm_release.r',
      'P1-NETPOL kubernetes_namespace_v1.ns',
      'P1-QUOTA kubernetes_namespace_v1.ns',
      'P1-ADMISSION locals.zone_cluster',
    ]);
  });

  it('rendered objects are judged by the same units, the guardrails of a namespace a chart creates after its zone', () => {
    const s = p1Stack(release('webapp', '{}'));
    const body = (s.json as { resource: Resources }).resource.helm_release.r;
    const guard = new ExposureGuard([s]);
    const objects = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sneaky' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 's1' }, spec: { type: 'NodePort' } },
    ];
    expect(guard.checkRendered(s, 'helm_release.r', body, objects).map((f) => `${f.address} [${f.rule}]`)).toEqual([
      'helm_release.r Namespace/sneaky/sneaky [P1-QUOTA]',
      'helm_release.r Namespace/sneaky/sneaky [P1-NETPOL]',
      'helm_release.r Service/s1/x [P1-SERVICE]',
    ]);
    expect(guard.checkRendered(s, 'helm_release.r', body, [objects[1]]).map((f) => f.message)).toEqual([
      'Service of type NodePort opens a port on every node',
    ]);
  });
});

describe('P1-FEDERATION over DNS entries of stacks on an NdB cluster (read back through their writers, fail closed)', () => {
  /** The default stacks with entries set as the DNS output of one NdB stack. */
  function withEntries(stackName: string, entries: unknown[]): SynthesizedStack[] {
    const stacks = cloneDefaultStacks();
    const json = stacks.find((s) => s.name === stackName)!.json as { output?: Record<string, unknown> };
    json.output = { ...json.output, dns_entries: { value: entries } };
    return stacks;
  }
  const dnsFindings = (stacks: SynthesizedStack[]) =>
    checkExposure(stacks)
      .filter((f) => f.address === 'output.dns_entries')
      .map((f) => [f.stack, f.message]);
  const S1 = 'itzbund-ndb-1--wire-s1';
  const NDB_TENANT = 'itzbund-ndb-1--tenant-bmbsp';
  const wellKnown = 'https://bmbsp.bund.example/.well-known/matrix/server -> {"m.server": "bmbsp.saas.example:443"}';

  it('accepts the entries the stacks write: zone edge in the NdB class, SRV, .well-known files', () => {
    expect(dnsFindings(cloneDefaultStacks())).toEqual([]);
    expect(dnsFindings(withEntries(NDB_TENANT, [wellKnown]))).toEqual([]);
  });

  it('finds a zone-edge entry of another class, and an entry it cannot read, in a pillar and in a tenant stack', () => {
    const foreign = 'x.example -> load balancer of ingress-gs (class lb.gs.bund.example/internal)';
    for (const name of [S1, NDB_TENANT]) {
      expect(dnsFindings(withEntries(name, [foreign, 'x.example CNAME lb.internet.example', 7]))).toEqual([
        [name, 'DNS entry points to load balancer class lb.gs.bund.example/internal, outside the NdB'],
        [
          name,
          'DNS entry "x.example CNAME lb.internet.example" is neither a zone-edge entry, the federator\'s SRV record nor a .well-known/matrix file: the guard cannot tell where it points',
        ],
        [
          name,
          "DNS entry 7 is neither a zone-edge entry, the federator's SRV record nor a .well-known/matrix file: the guard cannot tell where it points",
        ],
      ]);
    }
  });
});
