import { admissionManifests, CALLING, gsStack, ndbStack, NDB } from './guard-fixture';
import { checkExposure, EXPOSURE_RULES, type Finding } from '../policy/exposure';
import type { SynthesizedStack } from '../policy/k8s-objects';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A stack built in code, its JSON loosely typed so that a test can edit it before the check reads it. */
interface EditableStack {
  readonly name: string;
  readonly json: Json;
}

/** A minimal clean Säule-1 stack: one guarded namespace with default deny on an NdB cluster. */
function p1Stack(
  extra: Record<string, Record<string, Json>> = {},
  nsLabels: Record<string, string> = {},
): EditableStack {
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
    // the guardrails every Säule-1 namespace needs besides default deny (policy/rules/guard/quota.ts, admission.ts)
    kubernetes_resource_quota_v1: Object.fromEntries(
      ['wire-s1', 'wire-s1-calling'].map((namespace) => [
        `quota-${namespace}`,
        {
          provider,
          metadata: { name: 'guardrails', namespace },
          spec: { hard: { 'services.loadbalancers': '0', 'services.nodeports': '0' } },
        },
      ]),
    ),
    kubernetes_manifest: (({ policy, binding }) => ({ admission_policy: policy, admission_binding: binding }))(
      admissionManifests(provider, NDB, CALLING),
    ),
  };
  for (const [type, byName] of Object.entries(extra)) resource[type] = { ...(resource[type] ?? {}), ...byName };
  return ndbStack('ndb-1--wire-s1', resource);
}

const p = 'kubernetes.ndb-1';
const svc = (spec: Json) => ({
  kubernetes_service_v1: { bad: { provider: p, metadata: { name: 's', namespace: 'wire-s1' }, spec } },
});
const helm = (chart: string, values: string, more: Json = {}) => ({
  helm_release: {
    bad: {
      provider: 'helm.ndb-1',
      chart,
      repository: 'https://charts.example',
      name: chart,
      namespace: 'wire-s1',
      values: [values],
      ...more,
    },
  },
});
const manifest = (m: Json) => ({ kubernetes_manifest: { bad: { provider: p, manifest: m } } });
const np0 = (spec: Json) => ({
  kubernetes_network_policy_v1: {
    bad: { provider: p, metadata: { name: 'x', namespace: 'wire-s1' }, spec: { pod_selector: {}, ...spec } },
  },
});

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

  it('P1-HOSTNET: hostNetwork and hostPort in pods the project defines, even on the calling pool', () => {
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
    // only the sftd and coturn releases may use the host network (checked as P1-HELM/P1-HOSTNET on the release)
    expectFlag(
      findings(dep('wire-s1-calling', { hostNetwork: true, nodeSelector: CALLING, containers: [] })),
      'P1-HOSTNET',
      'kubernetes_manifest.bad',
      /hostNetwork/,
    );
    expect(
      findings(
        helm('sftd', 'nodeSelector:\n  node.messenger.bund/pool: calling\nconfig:\n  ingressClass: nginx-ndb\n', {
          namespace: 'wire-s1-calling',
        }),
      ),
    ).toEqual([]);
    expectFlag(
      findings(helm('sftd', 'config:\n  ingressClass: nginx-ndb\n', { namespace: 'wire-s1-calling' })),
      'P1-HOSTNET',
      'helm_release.bad',
      /not placed on the calling pool/,
    );
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
    const bum = (extra: string) =>
      helm('bundesmessenger', `ingress:\n  enabled: true\n  className: nginx-ndb\n${extra}`);
    expect(findings(bum('extraConfig:\n  federation_domain_whitelist: []\n'))).toEqual([]);
    expectFlag(
      findings(bum('extraConfig:\n  federation_domain_whitelist: null\n')),
      'P1-FEDERATION',
      'helm_release.bad',
      /federates with everyone/,
    );
    expectFlag(
      findings(bum('extraConfig:\n  federation_domain_whitelist: []\nnetworkpolicies:\n  enabled: true\n')),
      'P1-NETPOL',
      'helm_release.bad',
      /opens egress to 0.0.0.0\/0 when networkpolicies.fwProxyList is empty/,
    );
    expectFlag(
      findings(
        bum(
          "extraConfig:\n  federation_domain_whitelist: []\nnetworkpolicies:\n  enabled: true\n  fwProxyList: ['203.0.113.0/24:443']\n",
        ),
      ),
      'P1-NETPOL',
      'helm_release.bad',
      /fwProxyList entry 203.0.113.0\/24:443 lies outside the NdB/,
    );
    expect(
      findings(
        bum(
          "extraConfig:\n  federation_domain_whitelist: []\nnetworkpolicies:\n  enabled: true\n  fwProxyList: ['10.64.0.0/12:443']\n",
        ),
      ),
    ).toEqual([]);
    expectFlag(findings(helm('mystery-chart', '{}')), 'P1-HELM', 'helm_release.bad', /not known to the guard/);
    const unguarded = {
      helm_release: {
        bad: {
          provider: 'helm.ndb-1',
          chart: 'webapp',
          repository: 'https://charts.example',
          namespace: 'default',
          values: ['{}'],
        },
      },
    };
    expectFlag(findings(unguarded), 'P1-HELM', 'helm_release.bad', /not a guarded namespace/);
    expect(findings(helm('webapp', 'replicaCount: 3\n'))).toEqual([]);
    // Helm deep-merges values documents: a later document does not hide an earlier exposure
    expectFlag(
      findings(
        helm('wire-server', '', {
          values: ['cannon:\n  service:\n    nginz:\n      enabled: true\n', 'cannon:\n  replicaCount: 3\n'],
        }),
      ),
      'P1-HELM',
      'helm_release.bad',
      /cannon.service.nginz.enabled/,
    );
    // values the guard cannot see
    expectFlag(
      findings(
        helm('wire-server', '{}', { set_sensitive: [{ name: 'cannon.service.nginz.enabled', value: '${var.x}' }] }),
      ),
      'P1-HELM',
      'helm_release.bad',
      /set through set_sensitive, so the guard cannot check it/,
    );
    // a hidden value of a path that exposes nothing: no P1-HELM, but a raw variable is a live template Helm's --set
    // syntax would split at commas (only a Secret escaped with replace() is a form the synth writes)
    expect(
      findings(
        helm('wire-server', '{}', { set_sensitive: [{ name: 'brig.secrets.turn.secret', value: '${var.x}' }] }),
      ).map((f) => [f.rule, f.message]),
    ).toEqual([
      [
        'P1-TERRAFORM',
        expect.stringMatching(/live Terraform template "\$\{var\.x\}" at helm_release\.bad\.set_sensitive\[0\]\.value/),
      ],
    ]);
    // a repository prefix does not hide the chart: its values are judged, and the name itself is flagged
    const prefixed = findings(helm('wire/nginx-ingress-services', 'config:\n  ingressClass: nginx-public\n'));
    expect(prefixed.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/nginx-public/),
        expect.stringMatching(/'wire\/nginx-ingress-services' is not a chart name from a repository/),
      ]),
    );
    // datastores outside the NdB
    expectFlag(
      findings(helm('cassandra-external', 'IPs: [10.64.20.11, 203.0.113.5]\n')),
      'P1-HELM',
      'helm_release.bad',
      /IPs contains 203.0.113.5/,
    );
    expect(findings(helm('postgresql-external', 'RWIPs: [10.64.24.11]\nROIPs: [10.64.24.12]\n'))).toEqual([]);
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

  it('P1-PATCH: label and annotation patches that lift guardrails or expose objects', () => {
    const labels = {
      kubernetes_labels: {
        bad: {
          provider: p,
          api_version: 'v1',
          kind: 'Namespace',
          metadata: { name: 'wire-s1' },
          labels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
        },
      },
    };
    expectFlag(
      findings(labels),
      'P1-PATCH',
      'kubernetes_labels.bad',
      /label pod-security.kubernetes.io\/enforce patched onto Namespace 'wire-s1'/,
    );
    const ann = {
      kubernetes_annotations: {
        bad: {
          provider: p,
          api_version: 'v1',
          kind: 'Service',
          metadata: { name: 's', namespace: 'wire-s1' },
          annotations: { 'metallb.universe.tf/address-pool': 'public' },
        },
      },
    };
    expectFlag(
      findings(ann),
      'P1-PATCH',
      'kubernetes_annotations.bad',
      /annotation metallb.universe.tf\/address-pool patched onto Service/,
    );
  });

  it('namespaces created as raw manifests need default deny too', () => {
    const m = manifest({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'sneaky', labels: { 'messenger.bund/pillar': '1' } },
    });
    expectFlag(findings(m), 'P1-NETPOL', 'kubernetes_manifest.bad', /namespace 'sneaky' has no default-deny/);
  });

  it('P1-ZONE: a second provider that reaches an NdB cluster from another stack', () => {
    const gs = gsStack();
    gs.json.provider = {
      kubernetes: [
        { alias: 'gs-1', config_path: '~/.kube/gs' },
        { alias: 'sneaky', config_path: '~/.kube/ndb', config_context: 'ndb-1' },
      ],
    };
    gs.json.resource = {
      kubernetes_service_v1: {
        lb: {
          provider: 'kubernetes.sneaky',
          metadata: { name: 'x', namespace: 'default' },
          spec: { type: 'LoadBalancer' },
        },
      },
    };
    const ndb = p1Stack();
    ndb.json.provider = { kubernetes: [{ alias: 'ndb-1', config_path: '~/.kube/ndb', config_context: 'ndb-1' }] };
    expectFlag(
      checkExposure([ndb, gs]),
      'P1-ZONE',
      'provider.kubernetes.sneaky',
      /connects to cluster 'ndb-1' from a stack of cluster 'gs-1'/,
    );
    // the same second provider pointing at another Grundschutz cluster is not a Säule-1 matter
    gs.json.provider.kubernetes[1] = { alias: 'other', config_path: '~/.kube/other' };
    gs.json.resource = {};
    expect(checkExposure([ndb, gs])).toEqual([]);
  });

  it('P1-ZONE: zone facts that were tampered with', () => {
    const s = p1Stack();
    s.json.locals.network_zone = { ...NDB, cidrs: ['0.0.0.0/0'] };
    expectFlag(checkExposure([s]), 'P1-ZONE', 'locals.network_zone', /claims 0.0.0.0\/0, which includes the internet/);
    const expected = {
      zones: [
        {
          id: 'ndb',
          kind: 'ndb',
          cidrs: ['10.64.0.0/12'],
          ingressClass: 'nginx-ndb',
          loadBalancerClass: 'lb.ndb/internal',
        },
      ],
      clusters: [{ id: 'ndb-1', zone: 'ndb', ingressControllerNamespace: 'ingress' }],
    };
    const tampered = p1Stack(np0({ egress: [{ to: [{ ip_block: { cidr: '203.0.113.0/24' } }] }] }));
    tampered.json.locals.network_zone = { ...NDB, cidrs: ['10.64.0.0/12', '203.0.113.0/24'] };
    const f = checkExposure([tampered], expected);
    expectFlag(f, 'P1-ZONE', 'locals.network_zone', /differ from the federation config/);
    expectFlag(f, 'P1-NETPOL', 'kubernetes_network_policy_v1.bad', /egress to ipBlock 203.0.113.0\/24/);
    expect(checkExposure([p1Stack()], expected)).toEqual([]);
  });

  it('P1-SERVICE: ExternalName only to cluster-local services', () => {
    expect(findings(svc({ type: 'ExternalName', external_name: 'spar.wire-s1.svc.cluster.local' }))).toEqual([]);
    expectFlag(
      findings(svc({ type: 'ExternalName', external_name: 'evil.svc' })),
      'P1-SERVICE',
      'kubernetes_service_v1.bad',
      /ExternalName evil.svc/,
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
