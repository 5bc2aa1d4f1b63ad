import { Testing, TerraformStack } from 'cdktf';
import { GuardedNamespace } from '../constructs/guarded-namespace';
import { NetworkZone } from '../constructs/network-zone';
import { Peer } from '../constructs/peer';
import { NamespaceV1, NetworkPolicyV1, ResourceQuotaV1 } from '../constructs/providers';
import { ZoneCluster, type ClusterConnection } from '../constructs/zone-cluster';
import { clusterFixture } from './fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function fixture(kind: 'ndb' | 'grundschutz' | 'internet' = 'ndb', connection?: ClusterConnection) {
  return clusterFixture({ kind, connection });
}

const policies = (j: Json) => j.resource.kubernetes_network_policy_v1 as Record<string, Json>;
const byName = (j: Json, name: string) =>
  Object.values(policies(j)).find((p: Json) => p.metadata.name === name) as Json;

describe('NetworkZone', () => {
  it('defaults the classification by kind and records the zone in the stack', () => {
    const { zone, synth } = fixture('ndb');
    expect(zone.maxClassification).toBe('VS-NfD');
    expect(synth().locals.network_zone).toMatchObject({
      id: 'ndb',
      kind: 'ndb',
      cidrs: ['10.64.0.0/12', 'fd00:64::/32'],
    });
    expect(fixture('grundschutz').zone.maxClassification).toBe('offen');
  });

  it('knows which addresses lie inside it', () => {
    const { zone } = fixture();
    expect(zone.contains('10.64.3.4')).toBe(true);
    expect(zone.contains('fd00:64::1')).toBe(true);
    expect(zone.contains('10.128.0.1')).toBe(false);
    expect(zone.contains('0.0.0.0/0')).toBe(false);
  });

  it('refuses VS-NfD outside the NdB and malformed CIDRs', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const base = { ingressClass: 'x', loadBalancerClass: 'x/y' };
    expect(
      () =>
        new NetworkZone(stack, 'a', {
          ...base,
          id: 'gs',
          kind: 'grundschutz',
          cidrs: ['10.0.0.0/8'],
          maxClassification: 'VS-NfD',
        }),
    ).toThrow(/kind 'grundschutz' cannot carry VS-NfD/);
    expect(
      () => new NetworkZone(stack, 'b', { ...base, id: 'gs', kind: 'grundschutz', cidrs: ['10.0.0.0/88'] }),
    ).toThrow(/'10.0.0.0\/88' is not a CIDR/);
    expect(() => new NetworkZone(stack, 'c', { ...base, id: 'gs', kind: 'grundschutz', cidrs: [] })).toThrow(
      /cidrs is empty/,
    );
  });
});

describe('ZoneCluster', () => {
  it('owns aliased kubernetes and helm providers from a kubeconfig', () => {
    const { synth } = fixture();
    const j = synth();
    expect(j.provider.kubernetes).toEqual([{ alias: 'c1', config_path: '~/.kube/c1', config_context: 'c1' }]);
    expect(j.provider.helm).toEqual([{ alias: 'c1', kubernetes: { config_path: '~/.kube/c1', config_context: 'c1' } }]);
  });

  it('supports exec plugins, with the CA read from a file by Terraform', () => {
    const { synth } = fixture('ndb', {
      type: 'exec',
      host: 'https://api.example:6443',
      clusterCaCertificateFile: '~/.kube/ca.pem',
      apiVersion: 'client.authentication.k8s.io/v1',
      command: 'kubelogin',
      args: ['get-token'],
    });
    const j = synth();
    expect(j.provider.kubernetes[0]).toMatchObject({
      host: 'https://api.example:6443',
      cluster_ca_certificate: '${file(pathexpand("~/.kube/ca.pem"))}',
      exec: [{ api_version: 'client.authentication.k8s.io/v1', command: 'kubelogin', args: ['get-token'] }],
    });
    // helm provider 3.x: `kubernetes` is an object and `exec` inside it too
    expect(j.provider.helm[0].kubernetes.exec).toEqual({
      api_version: 'client.authentication.k8s.io/v1',
      command: 'kubelogin',
      args: ['get-token'],
    });
    expect(JSON.stringify(j.provider)).not.toMatch(/"(token|password|client_key|client_certificate)":/);
  });

  it('finds node pools by purpose and refuses duplicates', () => {
    const { cluster, zone, stack } = fixture();
    expect(cluster.nodePool('calling')?.nodeSelector).toEqual({ pool: 'calling' });
    expect(cluster.nodePool('ingress')).toBeUndefined();
    const pool = { name: 'p', purpose: 'general' as const, nodeSelector: { a: 'b' } };
    expect(
      () =>
        new ZoneCluster(stack, 'dup', {
          id: 'dup',
          zone,
          operator: cluster.operator,
          connection: { type: 'kubeconfig', path: 'x' },
          ingressControllerNamespace: 'i',
          nodePools: [pool, pool],
        }),
    ).toThrow(/node pool 'p' is declared twice/);
  });
});

describe('GuardedNamespace secure defaults', () => {
  function guarded() {
    const f = fixture();
    const ns = new GuardedNamespace(f.stack, 'ns', {
      cluster: f.cluster,
      name: 'wire-s1',
      service: 'wire',
      pillar: 1,
      tenant: 'bmbsp',
    });
    return { ...f, ns };
  }

  it('labels Pod Security restricted (enforce, audit, warn) and zone, cluster, service, pillar, tenant', () => {
    const j = guarded().synth();
    const labels = (Object.values(j.resource.kubernetes_namespace_v1)[0] as Json).metadata.labels;
    expect(labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'messenger.bund/zone': 'ndb',
      'messenger.bund/zone-kind': 'ndb',
      'messenger.bund/cluster': 'c1',
      'messenger.bund/classification': 'VS-NfD',
      'messenger.bund/service': 'wire',
      'messenger.bund/pillar': '1',
      'messenger.bund/tenant': 'bmbsp',
    });
    expect(labels['messenger.bund/zone-edge']).toBeUndefined();
  });

  it('passes the cdktf Testing matchers for its resources', () => {
    const { stack } = guarded();
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveResourceWithProperties(NamespaceV1, {
      metadata: expect.objectContaining({ name: 'wire-s1' }),
      provider: 'kubernetes.c1',
    });
    expect(synthesized).toHaveResourceWithProperties(NetworkPolicyV1, {
      metadata: expect.objectContaining({ name: 'default-deny', namespace: 'wire-s1' }),
    });
    expect(synthesized).toHaveResourceWithProperties(ResourceQuotaV1, {
      spec: { hard: { 'services.loadbalancers': '0', 'services.nodeports': '0' } },
    });
  });

  it('denies all ingress and egress by default', () => {
    const p = byName(guarded().synth(), 'default-deny');
    expect(p.spec).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
    expect(p.metadata.namespace).toBe('wire-s1');
  });

  it('allows DNS egress to kube-dns only', () => {
    const p = byName(guarded().synth(), 'allow-dns-egress');
    expect(p.spec.egress).toEqual([
      {
        to: [
          {
            namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            pod_selector: { match_labels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { port: '53', protocol: 'UDP' },
          { port: '53', protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('allows ingress from the ingress-controller namespace and nothing else', () => {
    const j = guarded().synth();
    const p = byName(j, 'allow-from-ns-ingress');
    expect(p.spec.ingress).toEqual([
      { from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'ingress' } } }] },
    ]);
    const ingressRules = Object.values(policies(j)).flatMap((x: Json) => x.spec.ingress ?? []);
    expect(ingressRules).toHaveLength(1);
  });

  it('forbids load balancers and node ports by quota', () => {
    const j = guarded().synth();
    const q = Object.values(j.resource.kubernetes_resource_quota_v1)[0] as Json;
    expect(q.spec.hard).toMatchObject({ 'services.loadbalancers': '0', 'services.nodeports': '0' });
    expect(q.metadata.namespace).toBe('wire-s1');
  });

  it('sets container defaults with a LimitRange', () => {
    const j = guarded().synth();
    const l = Object.values(j.resource.kubernetes_limit_range_v1)[0] as Json;
    expect(l.spec.limit[0]).toMatchObject({
      type: 'Container',
      default: { cpu: '500m', memory: '512Mi' },
      default_request: { cpu: '50m', memory: '64Mi' },
    });
  });

  it('lets a zone edge own a load balancer', () => {
    const f = fixture();
    new GuardedNamespace(f.stack, 'edge', { cluster: f.cluster, name: 'ingress', service: 'ingress', zoneEdge: {} });
    const j = f.synth();
    const q = Object.values(j.resource.kubernetes_resource_quota_v1)[0] as Json;
    // a LoadBalancer Service allocates a node port per port, counted against the quota
    expect(q.spec.hard).toMatchObject({ 'services.loadbalancers': '1', 'services.nodeports': '2' });
    expect(
      (Object.values(j.resource.kubernetes_namespace_v1)[0] as Json).metadata.labels['messenger.bund/zone-edge'],
    ).toBe('true');
    // the ingress-controller namespace does not allow "from itself" as a special peer
    expect(byName(j, 'allow-from-ns-ingress')).toBeUndefined();
  });

  it('refuses service quotas outside zoneEdge', () => {
    const f = fixture();
    expect(
      () =>
        new GuardedNamespace(f.stack, 'x', {
          cluster: f.cluster,
          name: 'x',
          service: 'x',
          quota: { 'services.loadbalancers': '5' },
        }),
    ).toThrow(/quota keys services.loadbalancers are set by zoneEdge/);
  });

  it('turns declared connections into NetworkPolicies', () => {
    const { ns, stack, cluster, synth } = guarded();
    const other = new GuardedNamespace(stack, 'other', { cluster, name: 'ldap-bridge', service: 'wire', pillar: 1 });
    other.connect(ns, [{ port: 8080 }]);
    const j = synth();
    expect(byName(j, 'allow-to-ns-wire-s1').spec.egress).toEqual([
      {
        to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'wire-s1' } } }],
        ports: [{ port: '8080', protocol: 'TCP' }],
      },
    ]);
    const from = Object.values(policies(j)).find(
      (p: Json) => p.metadata.namespace === 'wire-s1' && p.metadata.name === 'allow-from-ns-ldap-bridge',
    ) as Json;
    expect(from.spec.ingress[0].from).toEqual([
      { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'ldap-bridge' } } },
    ]);
  });

  it('refuses addresses outside the zone unless a reason is given', () => {
    const { ns } = guarded();
    expect(() => ns.allowFrom(Peer.ipBlocks('anywhere', ['0.0.0.0/0']))).toThrow(
      /traffic from 0.0.0.0\/0 leaves zone 'ndb'/,
    );
    expect(() => ns.allowTo(Peer.ipBlocks('push', ['203.0.113.0/24']), { outsideZoneReason: 'too short' })).toThrow(
      /outsideZoneReason/,
    );
    expect(() => ns.allowFrom(Peer.ipBlocks('zone-host', ['10.64.1.0/24']))).not.toThrow();
    expect(() =>
      ns.allowTo(Peer.ipBlocks('push', ['203.0.113.0/24']), {
        outsideZoneReason: 'approved push gateway of the agency (ticket 4711)',
      }),
    ).not.toThrow();
  });

  it('refuses pillar 1 outside the NdB and VS-NfD in a Grundschutz zone', () => {
    const f = fixture('grundschutz');
    expect(
      () => new GuardedNamespace(f.stack, 'p1', { cluster: f.cluster, name: 'p1', service: 'wire', pillar: 1 }),
    ).toThrow(/Säule 1 only runs in the NdB zone/);
    expect(
      () =>
        new GuardedNamespace(f.stack, 'v', {
          cluster: f.cluster,
          name: 'v',
          service: 'wire',
          classification: 'VS-NfD',
        }),
    ).toThrow(/VS-NfD is not allowed/);
  });

  it('refuses every pillar outside its zone kind (config/domain pillarPlacementProblems), not only Säule 1', () => {
    const f = fixture('internet');
    expect(
      () => new GuardedNamespace(f.stack, 'p3', { cluster: f.cluster, name: 'p3', service: 'wire', pillar: 3 }),
    ).toThrow(/Säule 3 runs in a zone of kind 'grundschutz', not in 'z-internet' \(internet\)/);
    expect(
      () => new GuardedNamespace(f.stack, 'p2', { cluster: f.cluster, name: 'p2', service: 'wire', pillar: 2 }),
    ).not.toThrow();
  });

  it('allows privileged Pod Security only with a reason, keeping audit and warn restricted', () => {
    const f = fixture();
    expect(
      () =>
        new GuardedNamespace(f.stack, 'a', {
          cluster: f.cluster,
          name: 'a',
          service: 'calling',
          podSecurity: { level: 'privileged', reason: 'hostNet' },
        }),
    ).toThrow(/needs a reason of at least 20 characters/);
    new GuardedNamespace(f.stack, 'b', {
      cluster: f.cluster,
      name: 'calling',
      service: 'calling',
      podSecurity: { level: 'privileged', reason: 'sftd and coturn need hostNetwork on the calling pool' },
    });
    const labels = (Object.values(f.synth().resource.kubernetes_namespace_v1)[0] as Json).metadata.labels;
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(labels['pod-security.kubernetes.io/audit']).toBe('restricted');
  });

  it('refuses invalid names and duplicate connections', () => {
    const { ns, stack, cluster } = guarded();
    expect(() => new GuardedNamespace(stack, 'bad', { cluster, name: 'Wire_S1', service: 'wire' })).toThrow(
      /not a Kubernetes namespace name/,
    );
    ns.allowFrom(Peer.namespace('monitoring'));
    expect(() => ns.allowFrom(Peer.namespace('monitoring'))).toThrow(/exists already/);
  });
});
