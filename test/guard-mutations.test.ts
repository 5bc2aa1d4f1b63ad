import { OUTPUT_MARKER } from '../app/output-dir';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TerraformStack, type App } from 'cdktf';
import { HelmChart } from '../constructs/helm-chart';
import { GuardedNamespace } from '../constructs/guarded-namespace';
import { Peer } from '../constructs/peer';
import { evaluate } from '../policy/engine';
import { checkExposure } from '../policy/exposure';
import { guardContext } from '../policy/rules/guard/context';
import { GUARD_PACK } from '../policy/rules/guard/index';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { GuardError, synthFederation } from '../app/pipeline';
import { cloneDefaultStacks, defaultFederation, editReleaseValues, releaseByChart, stackJson, tmpDir } from './helpers';

const P1 = 'itzbund-ndb-1--wire-s1';
const PLATFORM = 'itzbund-ndb-1--platform';

const clone = cloneDefaultStacks;
const get = stackJson;
const release = releaseByChart;
const editValues = editReleaseValues;

interface Mutation {
  readonly point: string;
  readonly rule: string;
  /** Applies the exposure and returns the address of the resource it changed. */
  readonly apply: (stacks: SynthesizedStack[]) => { stack: string; address: string };
}

const mutations: Mutation[] = [
  {
    point: '1 deployed through a non-NdB cluster',
    rule: 'P1-ZONE',
    apply: (st) => {
      const r = release(get(st, P1), 'webapp');
      r[1].provider = 'helm.itzbund-gs-1';
      return { stack: P1, address: r[0] };
    },
  },
  {
    point: '2 Service NodePort in a Säule-1 namespace',
    rule: 'P1-SERVICE',
    apply: (st) => {
      get(st, P1).resource.kubernetes_service_v1 = {
        debug: {
          provider: 'kubernetes.itzbund-ndb-1',
          metadata: { name: 'debug', namespace: 'wire-s1' },
          spec: { type: 'NodePort', port: [{ port: 8080 }] },
        },
      };
      return { stack: P1, address: 'kubernetes_service_v1.debug' };
    },
  },
  {
    point: '2 ingress controller load balancer in the internet class',
    rule: 'P1-HELM',
    apply: (st) => {
      const r = release(get(st, PLATFORM), 'ingress-nginx-controller');
      editValues(
        r[1],
        (v) => (v['ingress-nginx'].controller.service.loadBalancerClass = 'lb.dmz.itzbund.example/public'),
      );
      return { stack: PLATFORM, address: r[0] };
    },
  },
  {
    point: '3 ingress class other than the NdB one',
    rule: 'P1-HELM',
    apply: (st) => {
      const r = release(get(st, P1), 'nginx-ingress-services');
      editValues(r[1], (v) => (v.config.ingressClass = 'nginx-public'));
      return { stack: P1, address: r[0] };
    },
  },
  {
    point: '4 sftd off the calling pool',
    rule: 'P1-HOSTNET',
    apply: (st) => {
      const r = release(get(st, P1), 'sftd');
      editValues(r[1], (v) => (v.nodeSelector = { 'node.messenger.bund/pool': 'general' }));
      return { stack: P1, address: r[0] };
    },
  },
  {
    point: '5 NetworkPolicy admitting 0.0.0.0/0',
    rule: 'P1-NETPOL',
    apply: (st) => {
      const np = get(st, P1).resource.kubernetes_network_policy_v1['wire-s1_netpol_allow-from-ns-ingress-ndb'];
      np.spec.ingress[0].from = [{ ip_block: { cidr: '0.0.0.0/0' } }];
      return { stack: P1, address: 'kubernetes_network_policy_v1.wire-s1_netpol_allow-from-ns-ingress-ndb' };
    },
  },
  {
    point: '5 namespace without default deny',
    rule: 'P1-NETPOL',
    apply: (st) => {
      delete get(st, P1).resource.kubernetes_network_policy_v1['wire-s1_netpol_default-deny'];
      return { stack: P1, address: 'kubernetes_namespace_v1.wire-s1_namespace' };
    },
  },
  {
    point: '5 egress leaving the NdB',
    rule: 'P1-NETPOL',
    apply: (st) => {
      const np = get(st, P1).resource.kubernetes_network_policy_v1['wire-s1_netpol_allow-to-ip-zone-datastores'];
      np.spec.egress[0].to.push({ ip_block: { cidr: '203.0.113.0/24' } });
      return { stack: P1, address: 'kubernetes_network_policy_v1.wire-s1_netpol_allow-to-ip-zone-datastores' };
    },
  },
  {
    point: '6 cannon LoadBalancer through values',
    rule: 'P1-HELM',
    apply: (st) => {
      const r = release(get(st, P1), 'wire-server');
      editValues(r[1], (v) => (v.cannon.service.nginz.enabled = true));
      return { stack: P1, address: r[0] };
    },
  },
  {
    point: '6 a chart the guard does not know',
    rule: 'P1-HELM',
    apply: (st) => {
      const r = release(get(st, P1), 'account-pages');
      r[1].chart = 'grafana';
      return { stack: P1, address: r[0] };
    },
  },
  {
    point: '4 calling node announcing an internet address',
    rule: 'P1-CALLING-IP',
    apply: (st) => {
      const a = get(st, P1).resource.kubernetes_annotations['wire-s1_node_ndb-calling-1'];
      a.annotations['wire.com/external-ip'] = '198.51.100.50';
      return { stack: P1, address: 'kubernetes_annotations.wire-s1_node_ndb-calling-1' };
    },
  },
  {
    point: '7 federation with an undeclared backend',
    rule: 'P1-FEDERATION',
    apply: (st) => {
      const r = release(get(st, P1), 'wire-server');
      editValues(r[1], (v) =>
        v.brig.config.optSettings.setFederationDomainConfigs.push({
          domain: 'wire.musterland.example',
          search_policy: 'full_search',
        }),
      );
      return { stack: P1, address: r[0] };
    },
  },
];

describe('mutations of the synthesized default federation are caught on exactly the mutated resource', () => {
  it('the unmutated federation is clean', () => {
    expect(checkExposure(clone())).toEqual([]);
  });

  it.each(mutations.map((m) => [m.point, m]))('%s', (_p, m) => {
    const stacks = clone();
    const target = m.apply(stacks);
    const findings = checkExposure(stacks);
    expect(findings.length).toBeGreaterThan(0);
    expect([...new Set(findings.map((f) => `${f.stack} ${f.address}`))]).toEqual([`${target.stack} ${target.address}`]);
    expect(findings.map((f) => f.rule)).toContain(m.rule);
  });

  it('the engine run over the guard pack finds what checkExposure reports (in its own order), for all mutations at once', () => {
    const stacks = clone();
    for (const m of mutations) m.apply(stacks);
    const place = (f: { rule: string; stack?: string; message: string }, at?: string) =>
      `${f.stack} ${at} [${f.rule}] ${f.message}`;
    const reported = checkExposure(stacks).map((f) => place(f, f.address));
    for (const m of mutations) expect(reported.join('\n')).toContain(`[${m.rule}]`);
    const evaluated = evaluate(GUARD_PACK, guardContext(stacks)).map((f) => place(f, f.resource));
    expect(evaluated.sort()).toEqual(reported.sort());
  });
});

describe('escape hatches on the constructs are caught at synth, and nothing is written', () => {
  function synthWith(customize: (app: App) => void) {
    const dir = tmpDir();
    const out = path.join(dir, 'cdktf.out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, OUTPUT_MARKER), 'previous');
    let error: unknown;
    try {
      synthFederation(defaultFederation(), out, { customize });
    } catch (e) {
      error = e;
    }
    expect(fs.readdirSync(out)).toEqual([OUTPUT_MARKER]);
    expect(fs.readFileSync(path.join(out, OUTPUT_MARKER), 'utf8')).toBe('previous');
    expect(fs.readdirSync(dir)).toEqual(['cdktf.out']);
    return error;
  }

  function p1Stack(app: App): TerraformStack {
    return app.node.children.find((c) => c instanceof TerraformStack && c.node.id === P1) as TerraformStack;
  }

  it('addOverride on the wire-server release', () => {
    const e = synthWith((app) => {
      const chart = p1Stack(app)
        .node.findAll()
        .find((c) => c instanceof HelmChart && c.chart.chart === 'wire-server') as HelmChart;
      chart.release.addOverride('set', [{ name: 'cannon.service.nginz.enabled', value: 'true' }]);
    });
    expect(e).toBeInstanceOf(GuardError);
    expect((e as GuardError).message).toContain(
      `${P1} helm_release.wire-s1_wire-server [P1-HELM] wire-server: cannon.service.nginz.enabled creates a Service of type LoadBalancer`,
    );
  });

  it('a connection from the internet added to a guarded namespace, with a reason', () => {
    const e = synthWith((app) => {
      const ns = p1Stack(app)
        .node.findAll()
        .find((c) => c instanceof GuardedNamespace && c.name === 'wire-s1') as GuardedNamespace;
      ns.allowFrom(Peer.ipBlocks('everyone', ['0.0.0.0/0']), {
        outsideZoneReason: 'a well-meant but wrong exception for a demo',
      });
    });
    expect(e).toBeInstanceOf(GuardError);
    expect((e as GuardError).findings.map((f) => [f.address, f.rule])).toEqual([
      ['kubernetes_network_policy_v1.wire-s1_netpol_allow-from-ip-everyone', 'P1-NETPOL'],
    ]);
  });

  it('a release whose chart repository was swapped', () => {
    const e = synthWith((app) => {
      const chart = p1Stack(app)
        .node.findAll()
        .find((c) => c instanceof HelmChart && c.chart.chart === 'webapp') as HelmChart;
      chart.release.addOverride('repository', 'https://charts.example.com/lookalike');
    });
    expect((e as GuardError).findings.map((f) => [f.address, f.rule])).toEqual([
      ['helm_release.wire-s1_webapp', 'P1-HELM'],
    ]);
    expect((e as GuardError).message).toContain('not from a repository the config names');
  });

  it('an override that drops the default deny', () => {
    const e = synthWith((app) => {
      const ns = p1Stack(app)
        .node.findAll()
        .find((c) => c instanceof GuardedNamespace && c.name === 'wire-s1-calling') as GuardedNamespace;
      const deny = ns.node.findChild('policy-default-deny') as unknown as { addOverride(p: string, v: unknown): void };
      deny.addOverride('spec.pod_selector.match_labels', { app: 'sftd' });
    });
    expect((e as GuardError).findings.map((f) => f.address)).toEqual([
      'kubernetes_namespace_v1.wire-s1-calling_namespace',
    ]);
  });
});
