import { parse } from 'yaml';
import { checkExposure, type Finding } from '../policy/exposure';
import { ipAddressesIn } from '../policy/rules/guard/addresses';
import { selects } from '../policy/rules/guard/admission';
import { quantity } from '../policy/rules/guard/quota';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { cloneDefaultStacks, editReleaseValues, releaseByChart, stackJson } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const P1 = 'itzbund-ndb-1--wire-s1';
const PLATFORM = 'itzbund-ndb-1--platform';
const TENANT = 'itzbund-ndb-1--tenant-bmbsp';
const POLICY = 'kubernetes_manifest.admission_saeule_1_policy';
const BINDING = 'kubernetes_manifest.admission_saeule_1_binding';

const clone = cloneDefaultStacks;
const get = stackJson;
const release = releaseByChart;
const editValues = editReleaseValues;
const policy = (st: SynthesizedStack[]) => get(st, PLATFORM).resource.kubernetes_manifest.admission_saeule_1_policy;
const binding = (st: SynthesizedStack[]) => get(st, PLATFORM).resource.kubernetes_manifest.admission_saeule_1_binding;

/** Runs the guard after `mutate`; every finding must be one of `rule` at `address` of `stack`. */
function after(mutate: (st: SynthesizedStack[]) => void): Finding[] {
  const st = clone();
  mutate(st);
  return checkExposure(st);
}
function expectOnly(findings: Finding[], stack: string, address: string, rule: string, message: RegExp) {
  expect(findings.length).toBeGreaterThan(0);
  for (const f of findings) expect([f.stack, f.address, f.rule]).toEqual([stack, address, rule]);
  expect(findings.map((f) => f.message).join('\n')).toMatch(message);
}

describe('guardrails of the default output', () => {
  it('the clean default output has no findings', () => {
    expect(checkExposure(clone())).toEqual([]);
  });

  it('the default output has what the checks rely on', () => {
    const st = clone();
    expect(policy(st).manifest.spec.failurePolicy).toBe('Fail');
    expect(binding(st).manifest.spec.validationActions).toEqual(['Deny']);
    const quota = get(st, P1).resource.kubernetes_resource_quota_v1['wire-s1-calling_quota'];
    expect(quota.spec.hard).toEqual({ 'services.loadbalancers': '0', 'services.nodeports': '0' });
    const sftd = release(get(st, P1), 'sftd')[1];
    expect(parse(sftd.values[0]).host).toMatch(/^sftd\./);
    const coturn = release(get(st, P1), 'coturn')[1];
    expect(parse(coturn.values[0]).coturnTurnExternalIP).toBe('__COTURN_EXT_IP__');
  });
});

describe('sftd and coturn announcing an address through chart values', () => {
  it('sftd: additionalCmdArgs -A with an internet address', () => {
    let address = '';
    const f = after((st) => {
      const [a, r] = release(get(st, P1), 'sftd');
      address = a;
      editValues(r, (v) => (v.additionalCmdArgs = '-A 198.51.100.7'));
    });
    expectOnly(f, P1, address, 'P1-CALLING-IP', /sftd: additionalCmdArgs .* -A 198\.51\.100\.7, outside the NdB/);
  });

  it('sftd: multiSFT.turnServerURI through a `set` entry', () => {
    let address = '';
    const f = after((st) => {
      const [a, r] = release(get(st, P1), 'sftd');
      address = a;
      r.set = [...(r.set ?? []), { name: 'multiSFT.turnServerURI', value: 'turn:203.0.113.9:3478?transport=udp' }];
    });
    expectOnly(f, P1, address, 'P1-CALLING-IP', /sftd: multiSFT\.turnServerURI .* 203\.0\.113\.9, outside the NdB/);
  });

  it('sftd: an unbracketed IPv6 TURN server outside the NdB', () => {
    const f = after((st) =>
      editValues(release(get(st, P1), 'sftd')[1], (v) => (v.multiSFT.turnServerURI = 'turn:2001:db8::7:3478')),
    );
    expect(f.map((x) => [x.rule, x.message])).toEqual([
      ['P1-CALLING-IP', expect.stringMatching(/multiSFT\.turnServerURI .* 2001:db8::7, outside the NdB/)],
    ]);
  });

  it('sftd: host as an internet address', () => {
    let address = '';
    const f = after((st) => {
      const [a, r] = release(get(st, P1), 'sftd');
      address = a;
      r.set = [...(r.set ?? []), { name: 'host', value: '198.51.100.8' }];
    });
    expectOnly(f, P1, address, 'P1-CALLING-IP', /sftd: host .* 198\.51\.100\.8, outside the NdB/);
  });

  it('sftd: shell syntax in additionalCmdArgs cannot be followed', () => {
    const f = after((st) =>
      editValues(release(get(st, P1), 'sftd')[1], (v) => (v.additionalCmdArgs = '-A $(curl -s ifconfig.me)')),
    );
    expect(f.map((x) => x.rule)).toEqual(['P1-CALLING-IP']);
    expect(f[0].message).toMatch(/shell syntax/);
  });

  it('coturn: coturnTurnExternalIP with an internet address', () => {
    let address = '';
    const f = after((st) => {
      const [a, r] = release(get(st, P1), 'coturn');
      address = a;
      editValues(r, (v) => (v.coturnTurnExternalIP = '198.51.100.9'));
    });
    expectOnly(f, P1, address, 'P1-CALLING-IP', /coturn: coturnTurnExternalIP .* 198\.51\.100\.9, outside the NdB/);
  });

  it('coturn: coturnTurnListenIP through `set`, public/private mapping and IPv6', () => {
    let address = '';
    const f = after((st) => {
      const [a, r] = release(get(st, P1), 'coturn');
      address = a;
      r.set = [
        ...(r.set ?? []),
        { name: 'coturnTurnListenIP', value: '2001:db8::1' },
        { name: 'coturnTurnRelayIP', value: '198.51.100.10/10.64.1.1' },
      ];
    });
    expectOnly(f, P1, address, 'P1-CALLING-IP', /coturnTurnListenIP .* 2001:db8::1, outside the NdB/);
    expect(f.map((x) => x.message).join('\n')).toMatch(/coturnTurnRelayIP .* 198\.51\.100\.10, outside/);
    expect(f).toHaveLength(2);
  });

  it('coturn: an address in a value the guard does not know by name', () => {
    const f = after((st) =>
      editValues(release(get(st, P1), 'coturn')[1], (v) => (v.extraConfig = 'alternate-server=198.51.100.11:3478')),
    );
    expect(f.map((x) => [x.rule, x.message])).toEqual([
      ['P1-CALLING-IP', expect.stringMatching(/coturn: extraConfig names 198\.51\.100\.11, outside the NdB/)],
    ]);
  });

  it('wire-server: brig handing an internet TURN server to the clients', () => {
    let address = '';
    const f = after((st) => {
      const [a, r] = release(get(st, P1), 'wire-server');
      address = a;
      editValues(r, (v) => v.brig.turnStatic.v2.push('turn:198.51.100.12:3478'));
    });
    expectOnly(
      f,
      P1,
      address,
      'P1-CALLING-IP',
      /wire-server: brig\.turnStatic\.v2\[4\] .* 198\.51\.100\.12, outside the NdB/,
    );
  });

  it('addresses inside the NdB and the per-node placeholders are fine', () => {
    const f = after((st) => {
      editValues(release(get(st, P1), 'sftd')[1], (v) => {
        v.additionalCmdArgs = '-A 10.64.20.11';
        v.multiSFT = { enabled: true, discoveryRequired: false, turnServerURI: 'turn:fd00:64::11:3478?transport=udp' };
      });
      editValues(release(get(st, P1), 'coturn')[1], (v) => {
        v.coturnTurnExternalIP = '10.64.20.11';
        v.coturnTurnListenIP = '__COTURN_POD_IP__';
        v.coturnFederationListeningIP = 'fd00:64::11';
      });
    });
    expect(f).toEqual([]);
  });
});

describe('the ResourceQuota of every Säule-1 namespace', () => {
  it('quota removed', () => {
    const f = after((st) => delete get(st, P1).resource.kubernetes_resource_quota_v1['wire-s1-calling_quota']);
    expectOnly(
      f,
      P1,
      'kubernetes_namespace_v1.wire-s1-calling_namespace',
      'P1-QUOTA',
      /namespace 'wire-s1-calling' has no ResourceQuota limiting services.loadbalancers 0, services.nodeports 0/,
    );
  });

  it('quota limit raised', () => {
    const f = after((st) => {
      get(st, P1).resource.kubernetes_resource_quota_v1['wire-s1_quota'].spec.hard['services.loadbalancers'] = '3';
    });
    expectOnly(
      f,
      P1,
      'kubernetes_resource_quota_v1.wire-s1_quota',
      'P1-QUOTA',
      /services.loadbalancers is 3, more than 0/,
    );
  });

  it('node-port limit dropped from the quota of a tenant namespace', () => {
    const f = after((st) => {
      delete get(st, TENANT).resource.kubernetes_resource_quota_v1['tenant-bmbsp-wire-s1_quota'].spec.hard[
        'services.nodeports'
      ];
    });
    expectOnly(
      f,
      TENANT,
      'kubernetes_resource_quota_v1.tenant-bmbsp-wire-s1_quota',
      'P1-QUOTA',
      /no unscoped ResourceQuota sets services.nodeports/,
    );
  });

  it('a namespace labelled zone edge is held to zero unless it is the cluster ingress namespace', () => {
    const f = after((st) => {
      const p1 = get(st, P1).resource;
      p1.kubernetes_namespace_v1['wire-s1_namespace'].metadata.labels['messenger.bund/zone-edge'] = 'true';
      p1.kubernetes_resource_quota_v1['wire-s1_quota'].spec.hard = {
        'services.loadbalancers': '1',
        'services.nodeports': '2',
      };
    });
    expectOnly(
      f,
      P1,
      'kubernetes_resource_quota_v1.wire-s1_quota',
      'P1-QUOTA',
      /services.loadbalancers is 1, more than 0/,
    );
  });

  it('the zone edge may not raise its limits either', () => {
    const f = after((st) => {
      get(st, PLATFORM).resource.kubernetes_resource_quota_v1['ingress-ndb_quota'].spec.hard['services.nodeports'] =
        '10';
    });
    expectOnly(
      f,
      PLATFORM,
      'kubernetes_resource_quota_v1.ingress-ndb_quota',
      'P1-QUOTA',
      /services.nodeports is 10, more than 2/,
    );
  });
});

describe('the default deny of every Säule-1 namespace (checked by the exposure guard)', () => {
  it('default deny removed', () => {
    const f = after((st) => delete get(st, P1).resource.kubernetes_network_policy_v1['wire-s1_netpol_default-deny']);
    expectOnly(f, P1, 'kubernetes_namespace_v1.wire-s1_namespace', 'P1-NETPOL', /no default-deny/);
  });

  it('default deny weakened with an allow-all ingress rule', () => {
    const f = after((st) => {
      get(st, P1).resource.kubernetes_network_policy_v1['wire-s1_netpol_default-deny'].spec.ingress = [{}];
    });
    expect(f.map((x) => [x.address, x.rule])).toEqual(
      expect.arrayContaining([['kubernetes_namespace_v1.wire-s1_namespace', 'P1-NETPOL']]),
    );
  });
});

describe('the NdB admission policy and its binding', () => {
  it('admission policy removed', () => {
    const f = after((st) => delete get(st, PLATFORM).resource.kubernetes_manifest.admission_saeule_1_policy);
    expect(f.map((x) => [x.stack, x.address, x.rule])).toEqual([
      [PLATFORM, 'locals.zone_cluster', 'P1-ADMISSION'],
      [PLATFORM, BINDING, 'P1-ADMISSION'],
    ]);
    expect(f[0].message).toMatch(/NdB cluster 'itzbund-ndb-1' has no ValidatingAdmissionPolicy/);
    expect(f[1].message).toMatch(/binds policy 'messenger-bund-saeule-1-closed', which is not declared/);
  });

  it('failurePolicy Ignore', () => {
    const f = after((st) => (policy(st).manifest.spec.failurePolicy = 'Ignore'));
    expectOnly(f, PLATFORM, POLICY, 'P1-ADMISSION', /failurePolicy is Ignore, not Fail/);
  });

  it('a validation removed', () => {
    const f = after((st) => {
      const v: Json[] = policy(st).manifest.spec.validations;
      policy(st).manifest.spec.validations = v.filter((x) => !/externalIPs/.test(x.expression));
    });
    expectOnly(
      f,
      PLATFORM,
      POLICY,
      'P1-ADMISSION',
      /validation missing or altered: "Säule 1: Services must not set externalIPs"/,
    );
  });

  it('a validation loosened', () => {
    const f = after((st) => {
      const v = policy(st).manifest.spec.validations.find((x: Json) => /NodePort/.test(x.expression));
      v.expression = `${v.expression} || true`;
    });
    expectOnly(
      f,
      PLATFORM,
      POLICY,
      'P1-ADMISSION',
      /validation missing or altered: "Säule 1: Services of type NodePort/,
    );
  });

  it('Services no longer matched', () => {
    const f = after((st) => {
      policy(st).manifest.spec.matchConstraints.resourceRules[0].resources = ['pods'];
    });
    expectOnly(f, PLATFORM, POLICY, 'P1-ADMISSION', /matchConstraints do not cover core\/v1 services CREATE/);
  });

  it('matchConditions that skip the validations', () => {
    const f = after((st) => {
      policy(st).manifest.spec.matchConditions = [{ name: 'never', expression: 'false' }];
    });
    expectOnly(f, PLATFORM, POLICY, 'P1-ADMISSION', /matchConditions narrow/);
  });

  it('binding with validationActions Warn only', () => {
    const f = after((st) => (binding(st).manifest.spec.validationActions = ['Warn']));
    expect(f.map((x) => [x.address, x.rule])).toEqual([
      [POLICY, 'P1-ADMISSION'],
      [BINDING, 'P1-ADMISSION'],
    ]);
    expect(f[0].message).toMatch(/has no intact ValidatingAdmissionPolicyBinding/);
    expect(f[1].message).toMatch(/validationActions are \[Warn\], without Deny/);
  });

  it('binding with validationActions Audit only', () => {
    const f = after((st) => (binding(st).manifest.spec.validationActions = ['Audit']));
    expect(f.find((x) => x.address === BINDING)?.message).toMatch(/validationActions are \[Audit\], without Deny/);
  });

  it('binding removed', () => {
    const f = after((st) => delete get(st, PLATFORM).resource.kubernetes_manifest.admission_saeule_1_binding);
    expectOnly(f, PLATFORM, POLICY, 'P1-ADMISSION', /has no intact ValidatingAdmissionPolicyBinding/);
    expect(f).toHaveLength(1);
  });

  it('binding pointing to another policy', () => {
    const f = after((st) => (binding(st).manifest.spec.policyName = 'something-harmless'));
    expect(f.map((x) => [x.address, x.rule])).toEqual([
      [POLICY, 'P1-ADMISSION'],
      [BINDING, 'P1-ADMISSION'],
    ]);
    expect(f[1].message).toMatch(/binds policy 'something-harmless', which is not declared on cluster 'itzbund-ndb-1'/);
  });

  it('binding pointing to a weaker policy that is declared', () => {
    const f = after((st) => {
      const weak = JSON.parse(JSON.stringify(policy(st)));
      weak.manifest.metadata.name = 'weak';
      weak.manifest.spec.validations = [];
      get(st, PLATFORM).resource.kubernetes_manifest.weak = weak;
      binding(st).manifest.spec.policyName = 'weak';
    });
    expect(f.map((x) => x.address)).toEqual(expect.arrayContaining([POLICY, 'kubernetes_manifest.weak']));
    expect(f.every((x) => x.rule === 'P1-ADMISSION')).toBe(true);
  });

  it('binding whose namespace selector leaves out a Säule-1 namespace', () => {
    const f = after((st) => {
      binding(st).manifest.spec.matchResources.namespaceSelector.matchExpressions[0].values.push('wire-s1-calling');
    });
    expect(f.find((x) => x.address === BINDING)?.message).toMatch(/namespaceSelector leaves out wire-s1-calling/);
  });

  it('binding that selects only labelled namespaces leaves out unlabelled ones', () => {
    const f = after((st) => {
      binding(st).manifest.spec.matchResources.namespaceSelector = {
        matchLabels: { 'messenger.bund/zone-kind': 'ndb' },
      };
    });
    expect(f.find((x) => x.address === BINDING)?.message).toMatch(/leaves out default \(unlabelled\)$/);
  });
});

describe('helpers', () => {
  it('quantity', () => {
    expect([quantity('0'), quantity(0), quantity('2'), quantity('1k'), quantity('500m'), quantity('x')]).toEqual([
      0,
      0,
      2,
      1000,
      0.5,
      undefined,
    ]);
  });

  it('selects', () => {
    const l = { a: '1', 'kubernetes.io/metadata.name': 'x' };
    expect(selects(undefined, l)).toBe(true);
    expect(selects({}, l)).toBe(true);
    expect(selects({ matchLabels: { a: '1' } }, l)).toBe(true);
    expect(selects({ matchLabels: { a: '2' } }, l)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] }, l)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'b', operator: 'NotIn', values: ['1'] }] }, l)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'b', operator: 'Exists' }] }, l)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }] }, l)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, l)).toBe(false);
  });

  it('ipAddressesIn', () => {
    expect(
      ipAddressesIn('-A 198.51.100.7 -u https://[2001:db8::2]:443/x -t turn:10.64.0.1:3478 v1.27.3 12:30:45'),
    ).toEqual(['198.51.100.7', '10.64.0.1', '2001:db8::2']);
  });
});
