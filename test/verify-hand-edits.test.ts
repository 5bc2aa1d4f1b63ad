/**
 * Hand edits of a synthesized default federation that Terraform (or OpenTofu, or Helm) would deploy differently
 * from what a literal reading of the JSON says: each must be a finding (exit 1) or refused (exit 2), never exit 0.
 * Every case edits a copy of one real synthesized output and runs the real verify.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthFederation } from '../app/pipeline';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { checkExposure, ExposureGuard, formatFinding } from '../policy/exposure';
import { addressesOrCidrsIn } from '../policy/rules/guard/addresses';
import { expectedFacts } from '../policy/facts';
import { goTruthy, releaseValues, setAssignments, setScalar } from '../policy/helm-values';
import { liveTemplates } from '../policy/k8s-objects';
import { readSynthesized } from '../policy/synthesized';
import { resource } from '../policy/synthesized-view';
import { verify } from '../app/verify';
import { defaultFederation, ROOT, tmpDir } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const S1 = 'itzbund-ndb-1--wire-s1';
const NDB_STACKS = ['itzbund-ndb-1--platform', 'itzbund-ndb-1--tenant-bmbsp', S1];

const federation = defaultFederation();
const clean = path.join(tmpDir(), 'out');
synthFederation(federation, clean);

function stackFile(dir: string, stack: string): string {
  return path.join(dir, 'stacks', stack, 'cdk.tf.json');
}

/** A copy of the clean output with the given stacks' Terraform JSON edited. */
function edited(edit: (json: Json, stack: string) => void, stacks: readonly string[] = [S1]): string {
  const dir = path.join(tmpDir(), 'out');
  fs.cpSync(clean, dir, { recursive: true });
  for (const s of stacks) {
    const file = stackFile(dir, s);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(json, s);
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
  }
  return dir;
}

/** Runs verify in-process on an edited copy; expects exit 1 and a finding line matching each pattern. */
function expectFindings(dir: string, ...patterns: RegExp[]): string[] {
  const r = verify(dir);
  expect({ code: r.code, lines: r.lines }).toMatchObject({ code: 1 });
  for (const p of patterns) expect(r.lines.some((l) => p.test(l))).toBe(true);
  return [...r.lines];
}

const R = (json: Json) => json.resource;
const release = (json: Json, name: string) => R(json).helm_release[name];

/** A Service in the Säule-1 namespace, of the given type. */
function service(json: Json, type: string): void {
  R(json).kubernetes_service_v1 = {
    debug: {
      provider: 'kubernetes.itzbund-ndb-1',
      metadata: { name: 'debug', namespace: 'wire-s1' },
      spec: { type },
    },
  };
}

describe('verify on hand-edited output', () => {
  it('the unmodified output is clean (exit 0), and so is the synth guard with the config facts', () => {
    const r = verify(clean);
    expect(r.lines).toEqual(['verify: 12 stacks, no way into Säule 1 from outside the NdB']);
    expect(r.code).toBe(0);
    expect(checkExposure(readSynthesized(clean), expectedFacts(federation)).map(formatFinding)).toEqual([]);
  });

  describe('0. where a chart comes from', () => {
    it('a local chart directory named like a known chart', () => {
      const dir = edited((j) => (release(j, 'wire-s1_wire-server').chart = '/tmp/evil/wire-server'));
      expectFindings(dir, /\[P1-HELM\] chart '\/tmp\/evil\/wire-server' is not a chart name from a repository/);
    });

    it('a repository that is a local path or plain http', () => {
      for (const repository of ['/tmp/charts', 'file:///tmp/charts', 'http://charts.example']) {
        const dir = edited((j) => (release(j, 'wire-s1_wire-server').repository = repository));
        expectFindings(
          dir,
          /\[P1-HELM\] chart 'wire-server' comes from .*, not from an https:\/\/ or oci:\/\/ chart repository/,
        );
      }
    });
  });

  describe('1. Terraform meta-arguments and blocks the guard does not evaluate', () => {
    it('count = 0 on the default deny', () => {
      const dir = edited((j) => (R(j).kubernetes_network_policy_v1['wire-s1_netpol_default-deny'].count = 0));
      expectFindings(
        dir,
        /^itzbund-ndb-1--wire-s1 kubernetes_network_policy_v1\.wire-s1_netpol_default-deny \[P1-TERRAFORM\] count 0 decides how many instances/,
      );
    });

    it("count = '${0}' or for_each = {} on the quota", () => {
      expectFindings(
        edited((j) => (R(j).kubernetes_resource_quota_v1['wire-s1_quota'].count = '${0}')),
        /kubernetes_resource_quota_v1\.wire-s1_quota \[P1-TERRAFORM\] count "\$\{0\}"/,
        /kubernetes_resource_quota_v1\.wire-s1_quota \[P1-TERRAFORM\] live Terraform template "\$\{0\}" at kubernetes_resource_quota_v1\.wire-s1_quota\.count/,
      );
      expectFindings(
        edited((j) => (R(j).kubernetes_resource_quota_v1['wire-s1_quota'].for_each = {})),
        /kubernetes_resource_quota_v1\.wire-s1_quota \[P1-TERRAFORM\] for_each \{\} decides how many instances/,
      );
    });

    it('count/for_each on a guardrail of a stack that is not Säule 1 as well', () => {
      expectFindings(
        edited(
          (j) => ((Object.values(R(j).kubernetes_resource_quota_v1)[0] as Json).for_each = {}),
          ['itzbund-gs-1--wire-s3'],
        ),
        /^itzbund-gs-1--wire-s3 kubernetes_resource_quota_v1\.\S+ \[P1-TERRAFORM\] for_each/,
      );
    });

    it('a dynamic block adding an ingress rule', () => {
      const dir = edited(
        (j) =>
          (R(j).kubernetes_network_policy_v1['wire-s1_netpol_default-deny'].spec.dynamic = {
            ingress: { for_each: [1], content: {} },
          }),
      );
      expectFindings(
        dir,
        /wire-s1_netpol_default-deny \[P1-TERRAFORM\] a dynamic block at kubernetes_network_policy_v1\.wire-s1_netpol_default-deny\.spec\.dynamic generates blocks \(\["ingress"\]\)/,
      );
    });

    it('provisioners, lifecycle, and resource or data types this app never writes', () => {
      expectFindings(
        edited((j) => {
          R(j).kubernetes_resource_quota_v1['wire-s1_quota'].lifecycle = { ignore_changes: ['spec'] };
          R(j).terraform_data = {
            x: { provisioner: [{ 'local-exec': { command: 'kubectl apply -f svc.yaml' } }] },
          };
          j.data.external = { y: { program: ['sh', '-c', 'kubectl apply -f svc.yaml'] } };
        }),
        /wire-s1_quota \[P1-TERRAFORM\] lifecycle/,
        /terraform_data\.x \[P1-TERRAFORM\] resource type terraform_data is not one this app writes/,
        /terraform_data\.x \[P1-TERRAFORM\] provisioner .* runs commands/,
        /data\.external\.y \[P1-TERRAFORM\] data source type external is not one this app writes/,
      );
    });
  });

  describe('2. live Terraform templates', () => {
    it('in a Service type', () => {
      expectFindings(
        edited((j) => service(j, '${"Node"}Port')),
        /^itzbund-ndb-1--wire-s1 kubernetes_service_v1\.debug \[P1-TERRAFORM\] live Terraform template "\$\{\\"Node\\"\}" at kubernetes_service_v1\.debug\.spec\.type/,
      );
      expectFindings(
        edited((j) => {
          service(j, '${local.t}');
          j.locals.t = 'NodePort';
        }),
        /kubernetes_service_v1\.debug \[P1-TERRAFORM\] live Terraform template "\$\{local\.t\}"/,
      );
    });

    it('in Helm values documents', () => {
      const ws = 'wire-s1_wire-server';
      expectFindings(
        edited((j) => release(j, ws).values.push('${yamlencode({service={type="NodePort"}})}')),
        /helm_release\.wire-s1_wire-server \[P1-TERRAFORM\] live Terraform template "\$\{yamlencode\(\{service=\{type=\\"NodePort\\"\}\}\)\}" at helm_release\.wire-s1_wire-server\.values\[1\]/,
      );
      expectFindings(
        edited((j) => release(j, ws).values.push('${file("evil.yaml")}')),
        /helm_release\.wire-s1_wire-server \[P1-TERRAFORM\] live Terraform template "\$\{file\(\\"evil\.yaml\\"\)\}"/,
      );
      expectFindings(
        edited((j) => {
          release(j, ws).values = ['${local.v}'];
          j.locals.v = 'cannon:\n  service:\n    nginz:\n      enabled: true\n';
        }),
        /helm_release\.wire-s1_wire-server \[P1-TERRAFORM\] live Terraform template "\$\{local\.v\}" at helm_release\.wire-s1_wire-server\.values\[0\]/,
      );
      // a directive is a template too
      expectFindings(
        edited((j) => release(j, ws).values.push('%{ if true }hostNetwork: true%{ endif }')),
        /\[P1-TERRAFORM\] live Terraform template "%\{ if true \}", "%\{ endif \}"/,
      );
    });

    it('in Helm set names and values', () => {
      expectFindings(
        edited((j) => (release(j, 'wire-s1_webapp').set = [{ name: 'service.type', value: '${"NodePort"}' }])),
        /helm_release\.wire-s1_webapp \[P1-TERRAFORM\] live Terraform template "\$\{\\"NodePort\\"\}" at helm_release\.wire-s1_webapp\.set\[0\]\.value/,
      );
      expectFindings(
        edited((j) => (release(j, 'wire-s1_webapp').set = [{ name: '${"service.type"}', value: 'NodePort' }])),
        /helm_release\.wire-s1_webapp \[P1-TERRAFORM\] live Terraform template "\$\{\\"service\.type\\"\}" at helm_release\.wire-s1_webapp\.set\[0\]\.name/,
      );
      // set_sensitive: only a Secret of a data source of the stack, escaped for --set
      expectFindings(
        edited((j) => release(j, 'wire-s1_wire-server').set_sensitive.push({ name: 'brig.x', value: '${var.x}' })),
        /helm_release\.wire-s1_wire-server \[P1-TERRAFORM\] live Terraform template "\$\{var\.x\}" at helm_release\.wire-s1_wire-server\.set_sensitive\[\d+\]\.value/,
      );
      expectFindings(
        edited((j) => {
          const s = release(j, 'wire-s1_wire-server').set_sensitive[0];
          s.value = s.value.replace(/data\.kubernetes_secret_v1\.[\w-]+\./, 'data.kubernetes_secret_v1.elsewhere.');
        }),
        /helm_release\.wire-s1_wire-server \[P1-TERRAFORM\] live Terraform template "\$\{replace\(replace\(data\.kubernetes_secret_v1\.elsewhere/,
      );
    });

    it('in a Pod Security label, in a provider, in the locals the guard reads', () => {
      expectFindings(
        edited(
          (j) =>
            (R(j).kubernetes_namespace_v1['wire-s1_namespace'].metadata.labels['pod-security.kubernetes.io/enforce'] =
              '${"privileged"}'),
        ),
        /kubernetes_namespace_v1\.wire-s1_namespace \[P1-TERRAFORM\] live Terraform template "\$\{\\"privileged\\"\}" at kubernetes_namespace_v1\.wire-s1_namespace\.metadata\.labels\.pod-security\.kubernetes\.io\/enforce/,
      );
      expectFindings(
        edited((j) => (j.provider.kubernetes[0].config_path = '${"~/.kube/bab-bum-1.yaml"}')),
        /provider\.kubernetes\.itzbund-ndb-1 \[P1-TERRAFORM\] live Terraform template/,
      );
      expectFindings(
        edited((j) => (j.locals.network_zone.kind = '${"ndb"}')),
        /^itzbund-ndb-1--wire-s1 locals \[P1-TERRAFORM\] live Terraform template "\$\{\\"ndb\\"\}" at locals\.network_zone\.kind/,
      );
    });

    it('a name reference of the stack is followed; any other reference is a finding', () => {
      // the default deny's namespace as a reference to the namespace resource: resolves to 'wire-s1', still clean
      const ok = edited(
        (j) =>
          (R(j).kubernetes_network_policy_v1['wire-s1_netpol_default-deny'].metadata.namespace =
            '${kubernetes_namespace_v1.wire-s1_namespace.metadata[0].name}'),
      );
      expect(verify(ok).code).toBe(0);
      expectFindings(
        edited(
          (j) =>
            (R(j).kubernetes_network_policy_v1['wire-s1_netpol_default-deny'].metadata.namespace =
              '${kubernetes_namespace_v1.nowhere.metadata[0].name}'),
        ),
        /\[P1-TERRAFORM\] live Terraform template "\$\{kubernetes_namespace_v1\.nowhere\.metadata\[0\]\.name\}"/,
      );
    });

    it('escaped literals are read as the text they stand for', () => {
      // `$${` is the literal `${`: no template, and a Service type that is not NodePort
      const r = verify(edited((j) => service(j, '$${"Node"}Port')));
      expect(r).toEqual({ code: 0, lines: ['verify: 12 stacks, no way into Säule 1 from outside the NdB'] });
      // an escaped label reads back unescaped: `%%{` is `%{`
      expect(liveTemplates('$${a} %%{b} $$${c} ${d}')).toEqual(['${d}']);
    });
  });

  it('3. a Helm postrender in a release', () => {
    expectFindings(
      edited((j) => (release(j, 'wire-s1_wire-server').postrender = { binary_path: './rewrite.sh' })),
      /^itzbund-ndb-1--wire-s1 helm_release\.wire-s1_wire-server \[P1-TERRAFORM\] postrender \{"binary_path":".\/rewrite\.sh"\} runs a program that can rewrite every object/,
    );
  });

  it('4. OpenTofu files beside cdk.tf.json are refused (exit 2)', () => {
    for (const name of [
      'extra.tofu.json',
      'cdk.tofu.json',
      'main.tofu',
      'override.tofu',
      'override.tofu.json',
      'x_override.tofu.json',
    ]) {
      const dir = edited(() => undefined);
      const file = path.join(dir, 'stacks', S1, name);
      fs.writeFileSync(file, '{}');
      const r = verify(dir);
      expect(r.code).toBe(2);
      expect(r.lines).toEqual([
        `verify: cannot read synthesized output: ${file}: OpenTofu would load this file with stack ${S1}${name === 'cdk.tofu.json' ? ' instead of cdk.tf.json' : ''}, but verify checks only cdk.tf.json; remove it`,
      ]);
    }
    // a stack directory holding only OpenTofu files
    const dir = edited(() => undefined);
    fs.mkdirSync(path.join(dir, 'stacks', 'sneaky'));
    fs.writeFileSync(path.join(dir, 'stacks', 'sneaky', 'main.tofu.json'), '{}');
    expect(verify(dir).code).toBe(2);
  });

  describe('5. Helm truthiness', () => {
    const nginz =
      /helm_release\.wire-s1_wire-server \[P1-HELM\] wire-server: cannon\.service\.nginz\.enabled creates a Service of type LoadBalancer/;
    const withValues = (edit: (v: string) => string) =>
      edited((j) => {
        const r = release(j, 'wire-s1_wire-server');
        r.values[0] = edit(r.values[0]);
      });

    it('--set true/false in any case, and a comma that sets a second key', () => {
      for (const value of ['True', 'TRUE', 'tRuE']) {
        expectFindings(
          edited((j) => (release(j, 'wire-s1_wire-server').set = [{ name: 'cannon.service.nginz.enabled', value }])),
          nginz,
        );
      }
      expectFindings(
        edited(
          (j) =>
            (release(j, 'wire-s1_wire-server').set = [
              { name: 'cannon.replicaCount', value: '3,cannon.service.nginz.enabled=true' },
            ]),
        ),
        nginz,
      );
      // type = "string" keeps the text: "false" is still a non-empty string, true for {{ if }}
      expectFindings(
        edited(
          (j) =>
            (release(j, 'wire-s1_wire-server').set = [
              { name: 'cannon.service.nginz.enabled', value: 'false', type: 'string' },
            ]),
        ),
        nginz,
      );
      expect(
        verify(
          edited(
            (j) => (release(j, 'wire-s1_wire-server').set = [{ name: 'cannon.service.nginz.enabled', value: 'FALSE' }]),
          ),
        ).code,
      ).toBe(0);
    });

    it('YAML 1.1 booleans and non-empty strings in values documents', () => {
      for (const v of ['yes', 'Yes', 'on', 'ON', 'y', 'Y', 'True', '"true"', '"false"', '"no"', '1']) {
        expectFindings(
          withValues((doc) => doc.replace(/(nginz:\n {6}enabled:) false/, `$1 ${v}`)),
          nginz,
        );
      }
      for (const v of ['no', 'off', 'n', 'N', 'False', '~', '""', '0']) {
        expect(verify(withValues((doc) => doc.replace(/(nginz:\n {6}enabled:) false/, `$1 ${v}`))).code).toBe(0);
      }
    });

    it('hostNetwork: on in a chart that may not use the host network', () => {
      expectFindings(
        edited((j) => release(j, 'wire-s1_webapp').values.push('hostNetwork: on\n')),
        /helm_release\.wire-s1_webapp \[P1-HELM\] webapp: hostNetwork puts pods on the host network/,
      );
      expectFindings(
        edited((j) => release(j, 'wire-s1_webapp').values.push('hostNetwork: "false"\n')),
        /webapp: hostNetwork puts pods on the host network/,
      );
    });

    it('reads values and --set the way Helm does', () => {
      expect(releaseValues({ values: ['a: yes\nb: off\nc: "on"\nd: 010\n'] }).values).toEqual({
        a: true,
        b: false,
        c: 'on',
        d: 8,
      });
      expect(['True', 'FALSE', 'Null', '0', '12', '012', '-3', '1.5', 'yes'].map((v) => setScalar(v))).toEqual([
        true,
        false,
        null,
        0,
        12,
        '012',
        -3,
        '1.5',
        'yes',
      ]);
      expect(setAssignments('a.b=1,c={x,true},d=e\\,f')).toEqual([
        { name: 'a.b', value: 1 },
        { name: 'c', value: ['x', true] },
        { name: 'd', value: 'e,f' },
      ]);
      expect(releaseValues({ set: [{ name: 'a\\.b', value: 'x', type: 'literal' }] }).values).toEqual({ 'a.b': 'x' });
      expect(releaseValues({ values: ['x: $${a} %%{b}'] }).values).toEqual({ x: '${a} %{b}' });
      expect(() => releaseValues({ set_sensitive: [{ name: 'a=NodePort,b', value: 'x' }] })).toThrow(/more than one/);
      expect([true, 'false', 1, { a: 1 }, [0]].every(goTruthy)).toBe(true);
      expect([false, '', 0, null, undefined, {}, []].some(goTruthy)).toBe(false);
    });
  });

  describe('6. a Säule-1 provider pointed at another cluster', () => {
    const toBab = (j: Json) => {
      j.provider.kubernetes[0].config_path = '~/.kube/bab-bum-1.yaml';
      delete j.provider.kubernetes[0].config_context;
      j.provider.helm[0].kubernetes.config_path = '~/.kube/bab-bum-1.yaml';
      delete j.provider.helm[0].kubernetes.config_context;
    };

    it('in one Säule-1 stack', () => {
      expectFindings(
        edited(toBab),
        /^itzbund-ndb-1--wire-s1 provider\.kubernetes\.itzbund-ndb-1 \[P1-ZONE\] the kubernetes provider of NdB cluster 'itzbund-ndb-1' connects with config_path ~\/\.kube\/bab-bum-1\.yaml, not config_path ~\/\.kube\/itzbund-ndb-1\.yaml, config_context itzbund-ndb-1 as in the other stacks/,
        /^itzbund-ndb-1--wire-s1 provider\.helm\.itzbund-ndb-1 \[P1-ZONE\] the helm provider of NdB cluster 'itzbund-ndb-1' connects like cluster 'bab-bum-1'/,
      );
    });

    it('in every stack of the NdB cluster alike', () => {
      const lines = expectFindings(
        edited(toBab, NDB_STACKS),
        /^itzbund-ndb-1--platform provider\.kubernetes\.itzbund-ndb-1 \[P1-ZONE\] the kubernetes provider of NdB cluster 'itzbund-ndb-1' connects like cluster 'bab-bum-1'/,
        /^bab-bum-1--\S+ provider\.kubernetes\.bab-bum-1 \[P1-ZONE\] cluster 'bab-bum-1' is reached the same way as NdB cluster 'itzbund-ndb-1'/,
      );
      expect(lines.length).toBeGreaterThan(2);
    });

    it('at synth, against the connection the config declares', () => {
      const dir = edited((j) => {
        j.provider.kubernetes[0].config_path = '~/.kube/other.yaml';
        j.provider.helm[0].kubernetes.config_path = '~/.kube/other.yaml';
      }, NDB_STACKS);
      // all stacks agree with each other, so only the config tells
      expect(verify(dir).code).toBe(0);
      const findings = checkExposure(readSynthesized(dir), expectedFacts(federation)).map(formatFinding);
      expect(findings).toContain(
        "itzbund-ndb-1--wire-s1 provider.kubernetes.itzbund-ndb-1 [P1-ZONE] the kubernetes provider of NdB cluster 'itzbund-ndb-1' connects with config_path ~/.kube/other.yaml, config_context itzbund-ndb-1, not config_path ~/.kube/itzbund-ndb-1.yaml, config_context itzbund-ndb-1 as the config says",
      );
    });

    it('an NdB provider without any connection field (the environment would decide)', () => {
      expectFindings(
        edited((j) => {
          j.provider.kubernetes[0] = { alias: 'itzbund-ndb-1' };
        }),
        /provider\.kubernetes\.itzbund-ndb-1 \[P1-ZONE\] the kubernetes provider of NdB cluster 'itzbund-ndb-1' has no connection fields/,
      );
    });
  });

  describe('7. requested load-balancer addresses and a second ingress-nginx Service', () => {
    const PLATFORM = 'itzbund-ndb-1--platform';
    const INGRESS = 'ingress-ndb_ingress-nginx-controller';
    const LB_CLASS = 'lb.ndb.bund.example/internal';
    /** Edits the ingress-nginx controller values (`ingress-nginx.controller.service`) of the NdB platform stack. */
    const ingressService = (edit: (svc: Json) => void) =>
      edited(
        (j) => {
          const r = release(j, INGRESS);
          const values = parseYaml(r.values[0]);
          edit(values['ingress-nginx'].controller.service);
          r.values = [stringifyYaml(values)];
        },
        [PLATFORM],
      );
    /** A LoadBalancer Service with the NdB class in the Säule-1 namespace. */
    const lbService = (j: Json, metadata: Json = {}, spec: Json = {}) => {
      R(j).kubernetes_service_v1 = {
        lb: {
          provider: 'kubernetes.itzbund-ndb-1',
          metadata: { name: 'lb', namespace: 'wire-s1', ...metadata },
          spec: { type: 'LoadBalancer', load_balancer_class: LB_CLASS, ...spec },
        },
      };
    };

    it('the NdB-class LoadBalancer Service alone, and with an address inside the NdB, is clean', () => {
      expect(verify(edited((j) => lbService(j))).code).toBe(0);
      expect(verify(edited((j) => lbService(j, {}, { load_balancer_ip: '10.64.1.7' }))).code).toBe(0);
      expect(
        verify(edited((j) => lbService(j, { annotations: { 'metallb.io/loadBalancerIPs': '10.64.1.7,fd00:64::7' } })))
          .code,
      ).toBe(0);
      expect(verify(ingressService((svc) => (svc.loadBalancerIP = '10.64.1.7'))).code).toBe(0);
    });

    it('ingress-nginx values controller.service.loadBalancerIP outside the NdB (also through set)', () => {
      expectFindings(
        ingressService((svc) => (svc.loadBalancerIP = '198.51.100.7')),
        /^itzbund-ndb-1--platform helm_release\.ingress-ndb_ingress-nginx-controller \[P1-HELM\] ingress-nginx-controller: ingress-nginx\.controller\.service\.loadBalancerIP requests 198\.51\.100\.7, outside the NdB/,
      );
      expectFindings(
        edited(
          (j) =>
            (release(j, INGRESS).set = [
              { name: 'ingress-nginx.controller.service.loadBalancerIP', value: '198.51.100.7' },
            ]),
          [PLATFORM],
        ),
        /\[P1-HELM\] ingress-nginx-controller: ingress-nginx\.controller\.service\.loadBalancerIP requests 198\.51\.100\.7/,
      );
    });

    it('ingress-nginx values with a Service annotation requesting an address outside the NdB', () => {
      expectFindings(
        ingressService((svc) => (svc.annotations = { 'metallb.universe.tf/loadBalancerIPs': '198.51.100.7' })),
        /\[P1-HELM\] ingress-nginx-controller: ingress-nginx\.controller\.service\.annotations\.metallb\.universe\.tf\/loadBalancerIPs requests 198\.51\.100\.7, outside the NdB/,
      );
    });

    it('a declared Service with spec.load_balancer_ip outside the NdB', () => {
      expectFindings(
        edited((j) => lbService(j, {}, { load_balancer_ip: '198.51.100.7' })),
        /^itzbund-ndb-1--wire-s1 kubernetes_service_v1\.lb \[P1-SERVICE\] loadBalancerIP 198\.51\.100\.7 lies outside the NdB/,
      );
    });

    it.each([
      ['metallb.universe.tf/loadBalancerIPs', '198.51.100.7'],
      ['metallb.io/loadBalancerIPs', '10.64.1.7,198.51.100.7'],
      ['kube-vip.io/loadbalancerIPs', '2001:db8::7'],
      ['service.beta.kubernetes.io/example-load-balancer-ipv4', '198.51.100.7'],
      ['example.com/anything', 'ip=198.51.100.7:443'],
    ])('a declared NdB-class Service with annotation %s: %s', (key, value) => {
      expectFindings(
        edited((j) => lbService(j, { annotations: { [key]: value } })),
        new RegExp(
          `^itzbund-ndb-1--wire-s1 kubernetes_service_v1\\.lb \\[P1-SERVICE\\] annotation ${key.replace(/[./]/g, '\\$&')} requests (198\\.51\\.100\\.7|2001:db8::7), outside the NdB`,
        ),
      );
    });

    it('ingress-nginx values controller.service.internal.enabled (a second Service without our class)', () => {
      for (const enabled of [true, 'yes', 'false']) {
        expectFindings(
          ingressService((svc) => (svc.internal = { enabled, annotations: {} })),
          /^itzbund-ndb-1--platform helm_release\.ingress-ndb_ingress-nginx-controller \[P1-HELM\] ingress-nginx-controller: ingress-nginx\.controller\.service\.internal\.enabled renders a second load-balancer Service/,
        );
      }
      expect(verify(ingressService((svc) => (svc.internal = { enabled: false }))).code).toBe(0);
    });

    it('the rendered-objects path applies the same Service checks', () => {
      const stacks = readSynthesized(clean);
      const platform = stacks.find((s) => s.name === PLATFORM)!;
      const body = resource(platform, 'helm_release', INGRESS) as Json;
      const guard = new ExposureGuard(stacks);
      const rendered = (metadata: Json, spec: Json) =>
        guard
          .checkRendered(platform, `helm_release.${INGRESS}`, body, [
            {
              apiVersion: 'v1',
              kind: 'Service',
              metadata: { name: 'ingress-nginx-controller', namespace: body.namespace, ...metadata },
              spec: { type: 'LoadBalancer', loadBalancerClass: LB_CLASS, ...spec },
            },
          ])
          .map(formatFinding);
      expect(rendered({}, { loadBalancerIP: '10.64.1.7' })).toEqual([]);
      expect(rendered({}, { loadBalancerIP: '198.51.100.7' })).toEqual([
        expect.stringMatching(/\[P1-SERVICE\] loadBalancerIP 198\.51\.100\.7 lies outside the NdB$/),
      ]);
      expect(rendered({ annotations: { 'metallb.io/loadBalancerIPs': '198.51.100.7' } }, {})).toEqual([
        expect.stringMatching(/\[P1-SERVICE\] annotation metallb\.io\/loadBalancerIPs requests 198\.51\.100\.7/),
      ]);
    });

    it('addressesOrCidrsIn finds the addresses in annotation values', () => {
      expect(addressesOrCidrsIn('198.51.100.7, 10.64.0.1')).toEqual(['198.51.100.7', '10.64.0.1']);
      expect(addressesOrCidrsIn('[2001:db8::1]:443')).toEqual(['2001:db8::1']);
      expect(addressesOrCidrsIn('10.64.0.1:80')).toEqual(['10.64.0.1']);
      expect(addressesOrCidrsIn('true')).toEqual([]);
      expect(addressesOrCidrsIn('v1.2.3')).toEqual([]);
    });
  });

  it('the command line gives the same verdict (spawned)', () => {
    const dir = edited((j) => (R(j).kubernetes_network_policy_v1['wire-s1_netpol_default-deny'].count = 0));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'launch.js'), 'app/verify', dir], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^itzbund-ndb-1--wire-s1 kubernetes_network_policy_v1\.wire-s1_netpol_default-deny \[P1-TERRAFORM\] count 0/m,
    );
    fs.writeFileSync(path.join(dir, 'stacks', S1, 'cdk.tofu.json'), '{}');
    const tofu = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'launch.js'), 'app/verify', dir], {
      encoding: 'utf8',
    });
    expect(tofu.status).toBe(2);
    expect(tofu.stderr).toMatch(/cdk\.tofu\.json: OpenTofu would load this file/);
  });
});
