import { checkExposure, EXPOSURE_RULES, type Finding } from '../policy/exposure';
import type { SynthesizedStack } from '../policy/k8s-objects';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const NDB = {
  id: 'ndb',
  kind: 'ndb',
  cidrs: ['10.64.0.0/12'],
  ingressClass: 'nginx-ndb',
  loadBalancerClass: 'lb.ndb/internal',
};
const GS = {
  id: 'gs',
  kind: 'grundschutz',
  cidrs: ['10.96.0.0/13'],
  ingressClass: 'nginx-gs',
  loadBalancerClass: 'lb.gs/internal',
};
const CALLING = { 'node.messenger.bund/pool': 'calling' };

/** A minimal clean Säule-1 stack: one guarded namespace with default deny on an NdB cluster. */
function p1Stack(
  extra: Record<string, Record<string, Json>> = {},
  nsLabels: Record<string, string> = {},
): SynthesizedStack {
  const provider = 'kubernetes.ndb-1';
  const resource: Record<string, Record<string, Json>> = {
    kubernetes_namespace_v1: {
      ns: {
        provider,
        metadata: {
          name: 'wire-s1',
          labels: { 'messenger.bund/pillar': '1', 'messenger.bund/zone-kind': 'ndb', ...nsLabels },
        },
      },
      calling: {
        provider,
        metadata: {
          name: 'wire-s1-calling',
          labels: { 'messenger.bund/pillar': '1', 'messenger.bund/service': 'wire-calling' },
        },
      },
    },
    kubernetes_network_policy_v1: {
      deny: {
        provider,
        metadata: { name: 'default-deny', namespace: 'wire-s1' },
        spec: { pod_selector: {}, policy_types: ['Ingress', 'Egress'] },
      },
      deny2: {
        provider,
        metadata: { name: 'default-deny', namespace: 'wire-s1-calling' },
        spec: { pod_selector: {}, policy_types: ['Ingress', 'Egress'] },
      },
    },
  };
  for (const [type, byName] of Object.entries(extra)) resource[type] = { ...(resource[type] ?? {}), ...byName };
  return {
    name: 'ndb-1--wire-s1',
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

function gsStack(): SynthesizedStack {
  return {
    name: 'gs-1--platform',
    json: {
      locals: {
        network_zone: GS,
        zone_cluster: { id: 'gs-1', zone: 'gs', ingressControllerNamespace: 'ingress', nodePools: [] },
      },
      resource: {},
    },
  };
}

const p = 'kubernetes.ndb-1';
const svc = (spec: Json) => ({
  kubernetes_service_v1: { bad: { provider: p, metadata: { name: 's', namespace: 'wire-s1' }, spec } },
});
const helm = (chart: string, values: string, more: Json = {}) => ({
  helm_release: {
    bad: { provider: 'helm.ndb-1', chart, name: chart, namespace: 'wire-s1', values: [values], ...more },
  },
});
const manifest = (m: Json) => ({ kubernetes_manifest: { bad: { provider: p, manifest: m } } });

function findings(extra: Record<string, Record<string, Json>>, stacks: SynthesizedStack[] = []): Finding[] {
  return checkExposure([p1Stack(extra), gsStack(), ...stacks]);
}

function expectFlag(fs: Finding[], rule: keyof typeof EXPOSURE_RULES, address: string, message: RegExp) {
  expect(fs.map((f) => [f.rule, f.address])).toContainEqual([rule, address]);
  expect(fs.find((f) => f.rule === rule && f.address === address)?.message).toMatch(message);
}

describe('exposure rules: a clean input passes, a minimal bad input is flagged with the right rule id', () => {
  it('clean Säule-1 stack has no findings', () => {
    expect(findings({})).toEqual([]);
    expect(findings(svc({ type: 'ClusterIP', port: [{ port: 80 }] }))).toEqual([]);
    expect(findings(svc({ type: 'LoadBalancer', load_balancer_class: 'lb.ndb/internal' }))).toEqual([]);
  });

  it('P1-ZONE: a Säule-1 namespace deployed through a Grundschutz cluster', () => {
    const stack: SynthesizedStack = {
      name: 'gs-1--oops',
      json: {
        ...gsStack().json,
        resource: {
          kubernetes_namespace_v1: {
            x: { provider: 'kubernetes.gs-1', metadata: { name: 'p1', labels: { 'messenger.bund/pillar': '1' } } },
          },
        },
      },
    };
    expectFlag(
      checkExposure([p1Stack(), stack]),
      'P1-ZONE',
      'kubernetes_namespace_v1.x',
      /cluster 'gs-1' in zone 'gs'/,
    );
  });

  it('P1-ZONE: a resource on an NdB stack through an unknown provider', () => {
    const fs = findings({
      kubernetes_namespace_v1: {
        rogue: { provider: 'kubernetes.elsewhere', metadata: { name: 'x', labels: { 'messenger.bund/pillar': '1' } } },
      },
    });
    expectFlag(fs, 'P1-ZONE', 'kubernetes_namespace_v1.rogue', /belongs to no known NdB cluster/);
  });

  it.each([
    ['NodePort', { type: 'NodePort' }, /NodePort/],
    ['LoadBalancer without class', { type: 'LoadBalancer' }, /class '\(none\)'/],
    [
      'LoadBalancer of another zone',
      { type: 'LoadBalancer', load_balancer_class: 'lb.gs/internal' },
      /lb.gs\/internal/,
    ],
    ['externalIPs outside', { type: 'ClusterIP', external_ips: ['198.51.100.1'] }, /externalIPs 198.51.100.1/],
    [
      'loadBalancerSourceRanges 0.0.0.0/0',
      { type: 'LoadBalancer', load_balancer_class: 'lb.ndb/internal', load_balancer_source_ranges: ['0.0.0.0/0'] },
      /0.0.0.0\/0/,
    ],
    [
      'ExternalName outside',
      { type: 'ExternalName', external_name: 'evil.example.com' },
      /ExternalName evil.example.com/,
    ],
  ])('P1-SERVICE: %s', (_n, spec, msg) => {
    expectFlag(findings(svc(spec)), 'P1-SERVICE', 'kubernetes_service_v1.bad', msg);
  });

  it('P1-INGRESS: Ingress without class, with another class, and Gateway API objects', () => {
    const ing = (spec: Json) => ({
      kubernetes_ingress_v1: { bad: { provider: p, metadata: { name: 'i', namespace: 'wire-s1' }, spec } },
    });
    expectFlag(findings(ing({ rule: [{ host: 'x' }] })), 'P1-INGRESS', 'kubernetes_ingress_v1.bad', /default class/);
    expectFlag(
      findings(ing({ ingress_class_name: 'nginx-public' })),
      'P1-INGRESS',
      'kubernetes_ingress_v1.bad',
      /nginx-public/,
    );
    expect(findings(ing({ ingress_class_name: 'nginx-ndb' }))).toEqual([]);
    const gw = manifest({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'wire-s1' },
      spec: {},
    });
    expectFlag(findings(gw), 'P1-INGRESS', 'kubernetes_manifest.bad', /HTTPRoute/);
  });

  it('P1-HOSTNET: hostNetwork and hostPort outside the calling pool; allowed on it', () => {
    const dep = (ns: string, podSpec: Json) =>
      manifest({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd', namespace: ns },
        spec: { template: { spec: podSpec } },
      });
    expectFlag(
      findings(dep('wire-s1', { hostNetwork: true, containers: [] })),
      'P1-HOSTNET',
      'kubernetes_manifest.bad',
      /hostNetwork/,
    );
    expectFlag(
      findings(dep('wire-s1', { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 80 }] }] })),
      'P1-HOSTNET',
      'kubernetes_manifest.bad',
      /hostPort 80/,
    );
    expect(findings(dep('wire-s1-calling', { hostNetwork: true, nodeSelector: CALLING, containers: [] }))).toEqual([]);
    expectFlag(
      findings(dep('wire-s1-calling', { hostNetwork: true, nodeSelector: { pool: 'general' }, containers: [] })),
      'P1-HOSTNET',
      'kubernetes_manifest.bad',
      /hostNetwork/,
    );
  });

  it('P1-NETPOL: open ingress, foreign ipBlocks, egress out of the zone, missing default deny', () => {
    const np = (spec: Json) => ({
      kubernetes_network_policy_v1: {
        bad: { provider: p, metadata: { name: 'x', namespace: 'wire-s1' }, spec: { pod_selector: {}, ...spec } },
      },
    });
    expectFlag(
      findings(np({ ingress: [{ ports: [{ port: '443' }] }] })),
      'P1-NETPOL',
      'kubernetes_network_policy_v1.bad',
      /without `from`/,
    );
    expectFlag(
      findings(np({ ingress: [{ from: [{ ip_block: { cidr: '0.0.0.0/0' } }] }] })),
      'P1-NETPOL',
      'kubernetes_network_policy_v1.bad',
      /0.0.0.0\/0/,
    );
    expectFlag(
      findings(np({ ingress: [{ from: [{ ip_block: { cidr: '::/0' } }] }] })),
      'P1-NETPOL',
      'kubernetes_network_policy_v1.bad',
      /::\/0/,
    );
    expectFlag(
      findings(np({ egress: [{ to: [{ ip_block: { cidr: '10.96.0.0/16' } }] }] })),
      'P1-NETPOL',
      'kubernetes_network_policy_v1.bad',
      /egress to ipBlock 10.96.0.0\/16/,
    );
    expectFlag(
      findings(np({ egress: [{ ports: [{ port: '443' }] }] })),
      'P1-NETPOL',
      'kubernetes_network_policy_v1.bad',
      /without `to`/,
    );
    expect(findings(np({ ingress: [{ from: [{ ip_block: { cidr: '10.64.1.0/24' } }] }] }))).toEqual([]);
    const noDeny = p1Stack();
    delete noDeny.json.resource.kubernetes_network_policy_v1.deny;
    expectFlag(checkExposure([noDeny]), 'P1-NETPOL', 'kubernetes_namespace_v1.ns', /no default-deny/);
  });

  it('P1-HELM: exposing values, values overridden by set, unknown charts, unguarded namespaces', () => {
    expectFlag(
      findings(helm('wire-server', 'cannon:\n  service:\n    nginz:\n      enabled: true\n')),
      'P1-HELM',
      'helm_release.bad',
      /cannon.service.nginz.enabled/,
    );
    expectFlag(
      findings(helm('wire-server', '{}', { set: [{ name: 'cannon.service.nginz.enabled', value: 'true' }] })),
      'P1-HELM',
      'helm_release.bad',
      /cannon.service.nginz.enabled/,
    );
    expectFlag(
      findings(helm('nginx-ingress-services', 'config:\n  ingressClass: nginx-public\n')),
      'P1-HELM',
      'helm_release.bad',
      /config.ingressClass is 'nginx-public'/,
    );
    expectFlag(findings(helm('nginx-ingress-services', '{}')), 'P1-HELM', 'helm_release.bad', /chart default/);
    expectFlag(
      findings(helm('webapp', 'service:\n  type: NodePort\n')),
      'P1-HELM',
      'helm_release.bad',
      /service.type is NodePort/,
    );
    expectFlag(findings(helm('webapp', 'hostNetwork: true\n')), 'P1-HELM', 'helm_release.bad', /host network/);
    expectFlag(
      findings(
        helm(
          'ingress-nginx-controller',
          'ingress-nginx:\n  controller:\n    ingressClassResource:\n      name: nginx-ndb\n    service:\n      type: NodePort\n',
        ),
      ),
      'P1-HELM',
      'helm_release.bad',
      /service type NodePort/,
    );
    expectFlag(
      findings(helm('bundesmessenger', 'ingress:\n  enabled: true\n  className: nginx-public\n')),
      'P1-HELM',
      'helm_release.bad',
      /ingress.className is 'nginx-public'/,
    );
    expect(findings(helm('bundesmessenger', 'ingress:\n  enabled: true\n  className: nginx-ndb\n'))).toEqual([]);
    expectFlag(findings(helm('mystery-chart', '{}')), 'P1-HELM', 'helm_release.bad', /not known to the guard/);
    const unguarded = {
      helm_release: { bad: { provider: 'helm.ndb-1', chart: 'webapp', namespace: 'default', values: ['{}'] } },
    };
    expectFlag(findings(unguarded), 'P1-HELM', 'helm_release.bad', /not a guarded namespace/);
    expect(findings(helm('webapp', 'replicaCount: 3\n'))).toEqual([]);
  });

  it('P1-CALLING-IP: a calling node announcing an address outside the NdB', () => {
    const ann = (ip: string) => ({
      kubernetes_annotations: {
        bad: {
          provider: p,
          api_version: 'v1',
          kind: 'Node',
          metadata: { name: 'n1' },
          annotations: { 'wire.com/external-ip': ip },
        },
      },
    });
    expectFlag(findings(ann('198.51.100.7')), 'P1-CALLING-IP', 'kubernetes_annotations.bad', /198.51.100.7/);
    expect(findings(ann('10.64.10.11'))).toEqual([]);
  });

  it('P1-FEDERATION: partners outside the NdB, undeclared domains, allowAll', () => {
    const withFed = (partners: Json[], values: string) => {
      const s = p1Stack(helm('wire-server', values));
      s.json.locals.wire_instance = { id: 'wire-s1', pillar: 1, domain: 'a.example', zone: 'ndb', partners };
      return checkExposure([s]);
    };
    const ok = { id: 'x', domain: 'x.example', zone: 'ndb', zoneKind: 'ndb' };
    const fedValues = (d: string) =>
      `brig:\n  config:\n    optSettings:\n      setFederationDomainConfigs:\n        - domain: ${d}\n          search_policy: full_search\n`;
    expect(withFed([ok], fedValues('x.example'))).toEqual([]);
    expectFlag(
      withFed([{ ...ok, zone: 'gs', zoneKind: 'grundschutz' }], fedValues('x.example')),
      'P1-FEDERATION',
      'locals.wire_instance',
      /zone 'gs'/,
    );
    expectFlag(withFed([ok], fedValues('evil.example')), 'P1-FEDERATION', 'helm_release.bad', /evil.example/);
    expectFlag(
      withFed([ok], 'brig:\n  config:\n    optSettings:\n      setFederationStrategy: allowAll\n'),
      'P1-FEDERATION',
      'helm_release.bad',
      /allowAll/,
    );
  });

  it('Grundschutz resources are not Säule 1', () => {
    const s = gsStack();
    s.json.resource = {
      kubernetes_service_v1: {
        lb: {
          provider: 'kubernetes.gs-1',
          metadata: { name: 'x', namespace: 'y' },
          spec: { type: 'LoadBalancer', load_balancer_class: 'lb.gs/internal' },
        },
      },
    };
    expect(checkExposure([s])).toEqual([]);
  });
});
