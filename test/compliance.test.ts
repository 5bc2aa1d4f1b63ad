import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatPath } from '../config/errors';
import type { Federation } from '../config/model';
import {
  blockingFindings,
  buildReport,
  complianceReportSchema,
  evaluateCompliance,
  reportMarkdown,
} from '../policy/compliance';
import { COMPLIANCE_RULES, resourceFindings, tenantFindings, type ComplianceFinding } from '../policy/compliance-rules';
import { releaseImageProblems } from '../policy/rules/compliance/bsi-sys-1-6-a6';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { ComplianceError, SynthError, synthFederation } from '../app/pipeline';
import {
  configIssues,
  DEFAULT_YAML,
  defaultFederation,
  defaultStacks,
  replaceOnce,
  releaseValuesOf,
  ROOT,
  resources,
  stack,
  synthesize,
  tmpDir,
} from './helpers';
import { ConfigError } from '../config/errors';
import { createHash } from 'node:crypto';
import { DEFAULT_CONFIG_FILE } from '../config/paths';
import { gitCommit } from '../policy/report/provenance';

const ids = (fs: readonly ComplianceFinding[], tenant?: string) =>
  fs.filter((f) => !tenant || f.tenant === tenant).map((f) => f.rule);
const base = defaultFederation();
const baseFindings = tenantFindings(base);

function tenantRule(edit: (y: string) => string) {
  return tenantFindings(defaultFederation(edit));
}

describe('data-protection rules (one passing and one failing config each)', () => {
  it('the default federation has no errors', () => {
    expect(blockingFindings(evaluateCompliance(base, defaultStacks()))).toEqual([]);
  });

  it('DS-LEGAL-BASIS: public task and employment relationship must be declared', () => {
    expect(ids(baseFindings, 'bmbsp')).not.toContain('DS-LEGAL-BASIS');
    const f = tenantRule((y) =>
      replaceOnce(
        y,
        'legalBasis: [public-task, employment-relationship]\n      agreements:\n        - { processor: itzbund, reference: AVV-ITZBund-2025-0117',
        'legalBasis: [public-task]\n      agreements:\n        - { processor: itzbund, reference: AVV-ITZBund-2025-0117',
      ),
    );
    const x = f.find((i) => i.rule === 'DS-LEGAL-BASIS');
    expect(x).toMatchObject({ level: 'error', tenant: 'bmbsp' });
    expect(x?.message).toMatch(
      /Bundesministerium für Beispielangelegenheiten: dataProtection.legalBasis muss 'public-task' und 'employment-relationship' erklären \(gefunden: public-task\)/,
    );
  });

  it('DS-CONSENT: consent is never a legal basis for employees', () => {
    expect(ids(baseFindings)).not.toContain('DS-CONSENT');
    const f = tenantRule((y) =>
      replaceOnce(
        y,
        'legalBasis: [public-task, employment-relationship]\n      agreements:\n        - { processor: itzbund, reference: AVV-ITZBund-2025-0342',
        'legalBasis: [public-task, employment-relationship, consent]\n      agreements:\n        - { processor: itzbund, reference: AVV-ITZBund-2025-0342',
      ),
    );
    expect(f.find((i) => i.rule === 'DS-CONSENT')).toMatchObject({ level: 'error', tenant: 'lamv' });
  });

  it('DS-AVV: an agreement with every operator that is not the agency itself; none for self-hosting', () => {
    expect(ids(baseFindings)).not.toContain('DS-AVV');
    const f = tenantRule((y) =>
      replaceOnce(y, "        - { processor: t-systems, reference: AVV-TSI-BuM-2025-12, date: '2025-04-15' }\n", ''),
    );
    const x = f.find((i) => i.rule === 'DS-AVV');
    expect(x).toMatchObject({ level: 'error', tenant: 'bfbs' });
    expect(x?.message).toMatch(
      /kein Auftragsverarbeitungsvertrag \(AVV\) mit T-Systems International GmbH für BundesMessenger \(SaaS\)/,
    );
    const bw = tenantRule((y) =>
      replaceOnce(
        y,
        "      agreements:\n        - { processor: bwi, reference: AVV-BWI-BwM-2024-88, date: '2024-09-09' }\n",
        '      agreements: []\n',
      ),
    );
    expect(bw.find((i) => i.rule === 'DS-AVV')?.message).toMatch(/BWI GmbH für BwMessenger/);
    expect(ids(baseFindings, 'bab')).not.toContain('DS-AVV');
  });

  it('DS-DIENSTVEREINBARUNG: missing is a warning that recommends one', () => {
    expect(baseFindings.filter((f) => f.rule === 'DS-DIENSTVEREINBARUNG').map((f) => [f.tenant, f.level])).toEqual([
      ['lamv', 'warning'],
    ]);
  });

  it('DS-PRESENCE: online status only with a service agreement that allows it', () => {
    const on = (y: string) =>
      replaceOnce(y, '      # privacy: all defaults', '      privacy: { presence: true }\n      # privacy');
    expect(tenantRule(on).find((f) => f.rule === 'DS-PRESENCE')).toMatchObject({ level: 'error', tenant: 'bab' });
    const allowed = (y: string) =>
      replaceOnce(
        on(y),
        "DV-BAB-2025-02, date: '2025-03-01', allowsPresence: false",
        "DV-BAB-2025-02, date: '2025-03-01', allowsPresence: true",
      );
    expect(ids(tenantRule(allowed))).not.toContain('DS-PRESENCE');
  });

  it('DS-VIRUS-SCAN: allowed when acknowledged (shown); a model built in code without it is an error', () => {
    expect(baseFindings.filter((f) => f.rule === 'DS-VIRUS-SCAN').map((f) => [f.tenant, f.level])).toEqual([
      ['bab', 'info'],
      ['zbkbw', 'info'],
    ]);
    const unacknowledged = structuredClone(base) as Federation;
    const bum = unacknowledged.tenants[3].bundesMessenger;
    if (bum?.mode !== 'self-hosted') throw new Error('test setup: bab hosts its BundesMessenger');
    // a model built in code may carry what the config refuses
    Object.assign(bum.virusScanning, { acknowledgeKeyDisclosure: false });
    expect(tenantFindings(unacknowledged).find((f) => f.rule === 'DS-VIRUS-SCAN' && f.tenant === 'bab')?.level).toBe(
      'error',
    );
  });

  it('DS-DPO: a data protection officer is named (typed: name, email, phone)', () => {
    expect(ids(baseFindings)).not.toContain('DS-DPO');
    expect(base.tenants.find((t) => t.id === 'bmbsp')?.dataProtection?.dataProtectionOfficer).toEqual({
      name: 'Behördliche Datenschutzbeauftragte BMBsp',
      email: 'datenschutz@bmbsp.bund.example',
    });
    const f = tenantRule((y) =>
      replaceOnce(
        y,
        '      dataProtectionOfficer: { name: Datenschutzbeauftragte der BAB, email: datenschutz@bab.bund.example }\n',
        '',
      ),
    );
    const x = f.find((i) => i.rule === 'DS-DPO');
    expect(x).toMatchObject({ level: 'warning', tenant: 'bab' });
    expect(x?.message).toBe(
      'Bundesanstalt für Beispielbau: keine Datenschutzbeauftragte und kein Datenschutzbeauftragter benannt (dataProtection.dataProtectionOfficer mit name, email, phone)',
    );
  });

  it('DS-DSFA: the DSFA is done, planned or not required with a reason; missing is a warning', () => {
    expect(ids(baseFindings)).not.toContain('DS-DSFA');
    expect(base.tenants.map((t) => [t.id, t.dataProtection?.dsfa?.status])).toEqual([
      ['bmbsp', 'done'],
      ['lamv', 'planned'],
      ['bfbs', 'not-required'],
      ['bab', 'done'],
      ['zbkbw', 'done'],
    ]);
    const f = tenantRule((y) => replaceOnce(y, "      dsfa: { status: planned, due: '2026-03-31' }\n", ''));
    const x = f.find((i) => i.rule === 'DS-DSFA');
    expect(x).toMatchObject({ level: 'warning', tenant: 'lamv' });
    expect(x?.message).toMatch(
      /^Landesamt für Musterverwaltung Musterland: Stand der Datenschutz-Folgenabschätzung nicht erklärt/,
    );
  });

  it('VSNFD-DEVICES: an agency on Säule 1 declares VS-NfD-approved devices', () => {
    expect(ids(baseFindings)).not.toContain('VSNFD-DEVICES');
    const f = tenantRule((y) => replaceOnce(y, '      vsNfdApprovedDevices: true\n', ''));
    expect(f.find((i) => i.rule === 'VSNFD-DEVICES')).toMatchObject({ level: 'error', tenant: 'bmbsp' });
  });

  it('VSNFD-PRODUCTS: only VS-NfD-approved products run in the NdB zone', () => {
    expect(ids(baseFindings)).not.toContain('VSNFD-PRODUCTS');
    const ndbCluster = `  - id: bab-ndb-1
    zone: ndb
    operator: bab
    connection: { type: kubeconfig, path: ~/.kube/bab-ndb-1.yaml }
    ingressController: { namespace: ingress-ndb }
`;
    const inNdb = (y: string) =>
      replaceOnce(
        replaceOnce(y, '\nwire:\n', `${ndbCluster}\nwire:\n`),
        'cluster: bab-bum-1\n      serverName',
        'cluster: bab-ndb-1\n      serverName',
      ).replace('mode: allowList\n        servers: [bfbs.bund.example]', 'mode: none');
    // The config refuses it already (file:line); the rule guards a model built in code.
    expect(configIssues(inNdb).map((i) => i.message)).toEqual([
      expect.stringMatching(/BundesMessenger of 'bab' is not approved for VS-NfD and cannot run in the NdB/),
    ]);
    const ndb = base.clusters.find((c) => c.zone.kind === 'ndb')!;
    const built: Federation = {
      ...base,
      clusters: [...base.clusters, { ...ndb, id: 'bab-ndb-1' }],
      tenants: base.tenants.map((t) =>
        t.bundesMessenger?.mode === 'self-hosted' && t.id === 'bab'
          ? { ...t, bundesMessenger: { ...t.bundesMessenger, cluster: 'bab-ndb-1' } }
          : t,
      ),
    };
    const f = tenantFindings(built).filter((i) => i.rule === 'VSNFD-PRODUCTS');
    expect(f).toEqual([
      {
        rule: 'VSNFD-PRODUCTS',
        level: 'error',
        tenant: 'bab',
        message:
          "Bundesanstalt für Beispielbau: BundesMessenger ist nicht für VS-NfD zugelassen und darf nicht in der NdB-Zone laufen (Cluster 'bab-ndb-1')",
      },
    ]);
  });
});

describe('BSI IT-Grundschutz rules on the synthesized resources', () => {
  const clone = (): SynthesizedStack[] =>
    defaultStacks().map((s) => ({ name: s.name, json: JSON.parse(JSON.stringify(s.json)) }));
  /** A stack's JSON of a deep copy, to edit (test-only loose type). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const get = (st: SynthesizedStack[], n: string): any => st.find((s) => s.name === n)!.json;
  const rules = (st: SynthesizedStack[], registry?: string, digests?: Record<string, string>) =>
    resourceFindings(st, registry, digests).filter((f) => f.level !== 'info');

  it('the default federation passes (apart from the missing registry warning)', () => {
    expect(rules(defaultStacks()).map((f) => f.rule)).toEqual(['BSI-SYS.1.6.A6']);
  });

  it('BSI-APP.4.4.A7: default deny between namespaces', () => {
    const st = clone();
    delete get(st, 'itzbund-gs-1--wire-s3').resource.kubernetes_network_policy_v1['wire-s3_netpol_default-deny'];
    expect(rules(st).find((f) => f.rule === 'BSI-APP.4.4.A7')).toMatchObject({
      resource: 'kubernetes_namespace_v1.wire-s3_namespace',
      level: 'error',
    });
  });

  it('BSI-APP.4.4.A15: a Säule-1 cluster hosts nothing else; one protection need per cluster', () => {
    const st = clone();
    const p = get(st, 'itzbund-ndb-1--platform');
    p.resource.kubernetes_namespace_v1.other = {
      provider: 'kubernetes.itzbund-ndb-1',
      metadata: {
        name: 'monitoring',
        labels: { 'messenger.bund/service': 'monitoring', 'messenger.bund/classification': 'offen' },
      },
    };
    const f = rules(st).filter((x) => x.rule === 'BSI-APP.4.4.A15');
    expect(f.map((x) => x.message)).toEqual(
      expect.arrayContaining([
        "Cluster 'itzbund-ndb-1' beherbergt Namespaces unterschiedlichen Schutzbedarfs (VS-NfD, offen)",
        "Cluster 'itzbund-ndb-1' betreibt Säule 1 und darf 'monitoring' nicht beherbergen (Namespace einer anderen Säule oder eines anderen Dienstes)",
      ]),
    );
  });

  it('BSI-SYS.1.6.A17: Pod Security restricted, exceptions only with a reason', () => {
    const st = clone();
    const ns = get(st, 'itzbund-gs-1--wire-s3').resource.kubernetes_namespace_v1['wire-s3-calling_namespace'];
    expect(
      resourceFindings(defaultStacks()).find(
        (f) => f.rule === 'BSI-SYS.1.6.A17' && f.resource === 'kubernetes_namespace_v1.wire-s3-calling_namespace',
      )?.level,
    ).toBe('info');
    delete ns.metadata.annotations;
    expect(rules(st).find((f) => f.rule === 'BSI-SYS.1.6.A17')?.message).toMatch(
      /'wire-s3-calling' ist nicht Pod Security 'restricted' \(gefunden: 'privileged'\) und nennt keine Begründung/,
    );
  });

  it('BSI-SYS.1.6.A6: images from the internal registry, pinned by the configured digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const f = rules(defaultStacks(), 'registry.itzbund.example', { 'nginx-unprivileged': digest, brig: digest });
    expect(f.filter((x) => x.resource?.startsWith('kubernetes_deployment_v1')).map((x) => x.message)).toEqual([
      "Image 'docker.io/nginxinc/nginx-unprivileged:1.27-alpine' stammt nicht aus der internen Registry registry.itzbund.example",
      `Image 'docker.io/nginxinc/nginx-unprivileged:1.27-alpine' ist nicht auf den konfigurierten Digest ${digest} fixiert`,
    ]);
    // synthesized without the registry: every image value of every chart is reported
    expect(f.find((x) => x.resource === 'helm_release.bum-bab_bundesmessenger')?.message).toMatch(
      /^bundesmessenger: image.registry, kubectlImage.registry, .* nicht auf registry.itzbund.example umgestellt$/,
    );
    const wire = f.filter((x) => x.resource === 'helm_release.wire-s1_wire-server').map((x) => x.message);
    expect(wire).toContainEqual(
      expect.stringMatching(
        /^wire-server: brig.image.repository, galley.image.repository, .* nicht auf .* umgestellt$/,
      ),
    );
    expect(wire).toContain(`wire-server: Image 'brig' ist nicht auf den konfigurierten Digest ${digest} fixiert`);
  });

  describe('BSI-SYS.1.6.A6 with images.registry and images.digests', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const images = (extra = '') =>
      `images:\n  registry: registry.itzbund.example/mirror\n  digests:\n    brig: '${digest}'\n    account: '${digest}'\n    controller: '${digest}'\n    synapse: '${digest}'\n    nginx-unprivileged: '${digest}'\n${extra}\ntenants:\n`;
    const stacks = synthesize(defaultFederation((y) => y.replace('tenants:\n', images())));
    const release = (st: string, name: string) => releaseValuesOf(resources(stack(stacks, st), 'helm_release')[name]);
    const a6 = () =>
      resourceFindings(stacks, 'registry.itzbund.example/mirror', {
        brig: digest,
        account: digest,
        controller: digest,
        synapse: digest,
        'nginx-unprivileged': digest,
      }).filter((x) => x.rule === 'BSI-SYS.1.6.A6');

    it('points every image value of every chart at the registry, keeping the path below the registry host', () => {
      const ws = release('itzbund-ndb-1--wire-s1', 'wire-s1_wire-server');
      expect(ws.brig.image.repository).toBe('registry.itzbund.example/mirror/wire/brig');
      expect(ws.nginz.images.nginz.repository).toBe('registry.itzbund.example/mirror/wire/nginz');
      expect(ws['cassandra-migrations'].images.galleyMigrateData).toBe(
        'registry.itzbund.example/mirror/wire/galley-migrate-data',
      );
      const ingress = release('itzbund-ndb-1--platform', 'ingress-ndb_ingress-nginx-controller');
      expect(ingress['ingress-nginx'].controller.image.registry).toBe('registry.itzbund.example/mirror');
      expect(release('bab-bum-1--tenant-bab', 'bum-bab_bundesmessenger').image.registry).toBe(
        'registry.itzbund.example/mirror',
      );
      const wk = Object.values(resources(stack(stacks, 'itzbund-gs-1--tenant-bfbs'), 'kubernetes_deployment_v1'))[0];
      expect(wk.spec.template.spec.container[0].image).toBe(
        `registry.itzbund.example/mirror/nginxinc/nginx-unprivileged:1.27-alpine@${digest}`,
      );
    });

    it('pins digests where the chart can: a tag of its own, or a digest value', () => {
      expect(release('itzbund-ndb-1--wire-s1', 'wire-s1_wire-server').brig.image.tag).toBe(`5.32.0@${digest}`);
      expect(release('itzbund-ndb-1--wire-s1', 'wire-s1_account-pages').image.digest).toBe(digest);
      expect(
        release('itzbund-ndb-1--platform', 'ingress-ndb_ingress-nginx-controller')['ingress-nginx'].controller.image
          .digest,
      ).toBe(digest);
      expect(release('bab-bum-1--tenant-bab', 'bum-bab_bundesmessenger').image.tag).toBe(
        `1.139.2-jammy-production@${digest}`,
      );
    });

    it('reports only what values cannot redirect, and flags a release whose override moves an image back', () => {
      const messages = a6().map((x) => x.message);
      expect(messages.filter((m) => !m.includes('über Werte nicht umlenkbar'))).toEqual([]);
      expect(messages).toContainEqual(expect.stringMatching(/^wire-server: über Werte nicht umlenkbar: alpine:3.21.3/));
      // an escape hatch that points brig back at quay.io is seen in the release values
      const body = resources(stack(stacks, 'itzbund-ndb-1--wire-s1'), 'helm_release')['wire-s1_wire-server'];
      const moved = structuredClone(body);
      moved.set = [
        { name: 'brig.image.repository', value: 'quay.io/wire/brig' },
        { name: 'brig.image.tag', value: '5.32.0' },
      ];
      expect(releaseImageProblems('wire-server', moved, 'registry.itzbund.example/mirror', { brig: digest })).toEqual([
        'wire-server: brig.image.repository nicht auf registry.itzbund.example/mirror umgestellt',
        'wire-server: über Werte nicht umlenkbar: alpine:3.21.3 (fest eingetragen im StatefulSet von cannon und im Job cassandra-migrations); unter eigenem Namen in der Container-Laufzeit spiegeln',
        `wire-server: Image 'brig' ist nicht auf den konfigurierten Digest ${digest} fixiert`,
      ]);
    });

    it('refuses a digest that cannot be pinned, naming it: an unknown default tag, a shared tag', () => {
      const refused = () =>
        synthesize(
          defaultFederation((y) =>
            y.replace('tenants:\n', images(`    sftd: '${digest}'\n    brig-schema: '${digest}'\n`)),
          ),
        );
      expect(refused).toThrow(SynthError);
      expect(refused).toThrow(
        /images\.digests: sftd: image 'sftd': the default tag of the pinned chart version is not known to this project; give images\.digests\.sftd as '<tag>@sha256:<hex>'/,
      );
      expect(refused).toThrow(/brig-schema' cannot be pinned by digest: the cassandra-migrations images share one tag/);
      const ok = synthesize(
        defaultFederation((y) => y.replace('tenants:\n', images(`    sftd: '4.1.45@${digest}'\n`))),
      );
      const sftd = releaseValuesOf(
        resources(stack(ok, 'itzbund-ndb-1--wire-s1'), 'helm_release')['wire-s1-calling_sftd'],
      );
      expect(sftd.image.tag).toBe(`4.1.45@${digest}`);
    });
  });

  it('BSI-SYS.1.6.A15: a LimitRange in every namespace and limits on every container we define', () => {
    const st = clone();
    delete get(st, 'bab-bum-1--tenant-bab').resource.kubernetes_limit_range_v1['bum-bab_limits'];
    const dep = get(st, 'itzbund-gs-1--tenant-bfbs').resource.kubernetes_deployment_v1['wk-bfbs_deployment'];
    delete dep.spec.template.spec.container[0].resources.limits;
    const f = rules(st).filter((x) => x.rule === 'BSI-SYS.1.6.A15');
    expect(f.map((x) => x.message)).toEqual([
      "Namespace 'bum-bab' auf Cluster 'bab-bum-1' hat keine LimitRange mit Standardgrenzen",
      "Container 'nginx' hat keine CPU- und Speicher-Limits",
    ]);
  });
});

describe('suppressions', () => {
  const suppress =
    (rule: string, reason: string, target = 'tenant: lamv') =>
    (y: string) =>
      `${y}\ncompliance:\n  suppressions:\n    - { rule: ${rule}, ${target}, owner: Datenschutz LAMV, reason: '${reason}' }\n`;

  it('a suppression with owner and reason moves the finding into the report’s suppressions', () => {
    const fed = defaultFederation(suppress('DS-DIENSTVEREINBARUNG', 'Dienstvereinbarung wird bis Q2 2026 verhandelt'));
    const findings = evaluateCompliance(fed, defaultStacks());
    const report = buildReport(fed, fed.tenants.find((t) => t.id === 'lamv')!, findings);
    expect(report.findings.map((f) => f.rule)).not.toContain('DS-DIENSTVEREINBARUNG');
    expect(report.suppressions).toEqual([
      expect.objectContaining({
        rule: 'DS-DIENSTVEREINBARUNG',
        suppressed: { owner: 'Datenschutz LAMV', reason: 'Dienstvereinbarung wird bis Q2 2026 verhandelt' },
      }),
    ]);
    expect(reportMarkdown(report)).toContain('| DS-DIENSTVEREINBARUNG | ');
    expect(reportMarkdown(report)).toContain('| Datenschutz LAMV | Dienstvereinbarung wird bis Q2 2026 verhandelt |');
  });

  it('a reason shorter than 20 characters is rejected', () => {
    const issues = configIssues(suppress('DS-DIENSTVEREINBARUNG', 'kommt noch'));
    expect(issues.map((i) => [formatPath(i.path), i.message])).toEqual([
      [
        'compliance.suppressions[0].reason',
        'a suppression needs a reason of at least 20 characters besides surrounding spaces',
      ],
    ]);
  });

  it('rules that protect Säule 1 zone separation or VS-NfD cannot be suppressed; trying is an error', () => {
    for (const rule of COMPLIANCE_RULES.filter((r) => r.unsuppressible).map((r) => r.id)) {
      const fed = defaultFederation(suppress(rule, 'Wir wissen, was wir tun, ganz bestimmt', 'tenant: bmbsp'));
      let error: unknown;
      try {
        evaluateCompliance(fed, defaultStacks());
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain(
        `compliance.suppressions[0].rule: rule ${rule} protects the zone separation of Säule 1 or VS-NfD and cannot be suppressed`,
      );
    }
    expect(COMPLIANCE_RULES.filter((r) => r.unsuppressible).map((r) => r.id)).toEqual([
      'VSNFD-DEVICES',
      'VSNFD-PRODUCTS',
      'WIRE-PROFILE',
      'BSI-APP.4.4.A15',
    ]);
  });

  it('a suppression for an unknown tenant is rejected', () => {
    const issues = configIssues(
      suppress('DS-DIENSTVEREINBARUNG', 'eine ausreichend lange Begründung', 'tenant: niemand'),
    );
    expect(issues.map((i) => [formatPath(i.path), i.message, i.value])).toEqual([
      ['compliance.suppressions[0].tenant', 'suppression names an unknown tenant', 'niemand'],
    ]);
  });

  it('unknown rules are rejected', () => {
    expect(() =>
      evaluateCompliance(defaultFederation(suppress('DS-NOPE', 'eine ausreichend lange Begründung')), defaultStacks()),
    ).toThrow(/unknown compliance rule; found "DS-NOPE"/);
  });
});

describe('typed data-protection fields in the config', () => {
  const at = (issues: ReturnType<typeof configIssues>) => issues.map((i) => [formatPath(i.path), i.message]);

  it('refuses the old plain-string data protection officer, naming the place', () => {
    const issues = configIssues((y) =>
      replaceOnce(
        y,
        'dataProtectionOfficer: { name: Behördliche Datenschutzbeauftragte BMBsp, email: datenschutz@bmbsp.bund.example }',
        'dataProtectionOfficer: Behördliche Datenschutzbeauftragte BMBsp',
      ),
    );
    expect(at(issues)).toEqual([['tenants[0].dataProtection.dataProtectionOfficer', 'wrong type']]);
    const line =
      DEFAULT_YAML.split('\n').findIndex((l) => l.includes('dataProtectionOfficer: { name: Behördliche')) + 1;
    expect(issues[0].line).toBe(line);
  });

  it('checks the e-mail address and the phone number of the officer', () => {
    const issues = configIssues((y) =>
      replaceOnce(y, 'email: datenschutz@bab.bund.example }', "email: 'nicht erreichbar', phone: 'ruf an' }"),
    );
    expect(at(issues).map(([p]) => p)).toEqual([
      'tenants[3].dataProtection.dataProtectionOfficer.email',
      'tenants[3].dataProtection.dataProtectionOfficer.phone',
    ]);
  });

  it('a DSFA is one of done (reference, date), planned (due) or not required (reason of 20 characters)', () => {
    const dsfa = (text: string) =>
      configIssues((y) => replaceOnce(y, "      dsfa: { status: planned, due: '2026-03-31' }", `      dsfa: ${text}`));
    expect(at(dsfa('{ status: done, reference: DSFA-1 }'))).toEqual([
      ['tenants[1].dataProtection.dsfa.date', 'required key is missing'],
    ]);
    expect(at(dsfa("{ status: planned, due: '31.03.2026' }")).map(([p]) => p)).toEqual([
      'tenants[1].dataProtection.dsfa.due',
    ]);
    expect(at(dsfa('{ status: not-required, reason: zu kurz }'))).toEqual([
      [
        'tenants[1].dataProtection.dsfa.reason',
        'a DSFA that is not required needs a reason of at least 20 characters besides surrounding spaces',
      ],
    ]);
    expect(at(dsfa('{ status: later }'))).toEqual([['tenants[1].dataProtection.dsfa.status', 'unknown status']]);
  });
});

describe('compliance at synth', () => {
  it('an unsuppressed error fails synthesis and writes nothing', () => {
    const out = path.join(tmpDir(), 'out');
    const fed = defaultFederation((y) => replaceOnce(y, '      vsNfdApprovedDevices: true\n', ''));
    expect(() => synthFederation(fed, out)).toThrow(ComplianceError);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('writes one German Markdown and one JSON report per agency, and the JSON validates against its schema', () => {
    const out = path.join(tmpDir(), 'out');
    // The date of issue from SOURCE_DATE_EPOCH (2025-07-01 12:00 UTC); commit and config hash change with every
    // commit and config edit: checked against the repository here, replaced by placeholders in the snapshots.
    const saved = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1751371200';
    try {
      synthFederation(defaultFederation(), out);
    } finally {
      if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = saved;
    }
    const commit = gitCommit(ROOT) ?? 'unbekannt';
    const sha = createHash('sha256').update(fs.readFileSync(DEFAULT_CONFIG_FILE)).digest('hex');
    const normalize = (text: string) => text.split(commit).join('<commit>').split(sha).join('<sha256>');
    const dir = path.join(out, 'reports', 'compliance');
    expect(fs.readdirSync(dir).sort()).toEqual(
      ['bab', 'bfbs', 'bmbsp', 'lamv', 'zbkbw'].flatMap((t) => [`${t}.json`, `${t}.md`]),
    );
    for (const t of ['bab', 'bfbs', 'bmbsp', 'lamv', 'zbkbw']) {
      const json = JSON.parse(fs.readFileSync(path.join(dir, `${t}.json`), 'utf8'));
      expect(complianceReportSchema.safeParse(json).success).toBe(true);
      expect(json.issue).toEqual({
        date: '2025-07-01',
        dateSource: 'SOURCE_DATE_EPOCH',
        projectVersion: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
        commit,
        configFile: 'config/federation.yaml',
        configSha256: sha,
      });
      expect(normalize(fs.readFileSync(path.join(dir, `${t}.md`), 'utf8'))).toMatchSnapshot(`${t}.md`);
      expect(JSON.parse(normalize(JSON.stringify(json)))).toMatchSnapshot(`${t}.json`);
    }
    const bad = JSON.parse(fs.readFileSync(path.join(dir, 'bmbsp.json'), 'utf8'));
    bad.services[0].classification = 'GEHEIM';
    expect(complianceReportSchema.safeParse(bad).success).toBe(false);
  });

  it('reports what the data protection officer needs', () => {
    const fed = defaultFederation();
    const r = buildReport(fed, fed.tenants.find((t) => t.id === 'bmbsp')!, evaluateCompliance(fed, synthesize(fed)));
    expect(r.services.map((s) => [s.service, s.pillar, s.classification])).toEqual([
      ['Wire Bund', 1, 'VS-NfD'],
      ['Wire Bund', 3, 'offen'],
    ]);
    expect(r.processors).toEqual([
      {
        name: 'Informationstechnikzentrum Bund (ITZBund)',
        service: 'Wire Bund Säule 1',
        agreement: { reference: 'AVV-ITZBund-2025-0117', date: '2025-02-03' },
      },
      {
        name: 'Informationstechnikzentrum Bund (ITZBund)',
        service: 'Wire Bund Säule 3',
        agreement: { reference: 'AVV-ITZBund-2025-0117', date: '2025-02-03' },
      },
    ]);
    expect(r.federationPartners.map((p) => [p.service, p.partner, p.operator, p.direction])).toEqual([
      [
        'Wire Bund Säule 1 (wire-s1)',
        'wire.bkbsp.ndb.example',
        'Bundeskanzleramt für Beispiele (eigener Betrieb)',
        'beidseitig',
      ],
      ['Wire Bund Säule 3 (wire-s3)', 'wire.musterland.example', 'IT-Dienstleister Musterland', 'beidseitig'],
    ]);
    expect(r.sharedInstances).toEqual([
      { service: 'Wire Bund Säule 3 (wire-s3)', agencies: ['Landesamt für Musterverwaltung Musterland'] },
    ]);
    expect(r.controller.dataProtectionOfficer?.name).toBe('Behördliche Datenschutzbeauftragte BMBsp');
    expect(r.dsfa).toEqual({ status: 'done', reference: 'DSFA-BMBsp-2025-01', date: '2025-01-20' });
    expect(r.agency.kindLabel).toBe('Bundesministerium');
    expect(r.services.map((s) => s.zoneKindLabel)).toEqual(['Netze des Bundes (NdB)', 'IT-Grundschutz-Netz']);
    expect(r.purposes[0].purposes).toContain(
      'Anlage und Pflege der Nutzerkonten aus dem Verzeichnisdienst der Behörde (LDAP, SCIM)',
    );
    expect(r.terraformState.secrets).toEqual([]); // built without the stacks
    expect(r.openItems).toContain(
      'Der Terraform-State liegt in lokalen Dateien: für den Betrieb ein verschlüsseltes Backend mit beschränktem Zugriff wählen (stateBackend pg oder s3)',
    );
    expect(r.coverage.map((c) => c.requirement)).toEqual(
      expect.arrayContaining(['APP.4.4.A7', 'APP.4.4.A15', 'SYS.1.6.A6', 'SYS.1.6.A15', 'SYS.1.6.A17']),
    );
    const bab = buildReport(fed, fed.tenants.find((t) => t.id === 'bab')!, evaluateCompliance(fed, synthesize(fed)));
    expect(bab.processors).toEqual([]);
    expect(bab.presence).toEqual([{ service: 'BundesMessenger', enabled: false }]);
    expect(bab.virusScanning[0].note).toMatch(/Ende-zu-Ende-Verschlüsselung von Dateien ist geschwächt/);
  });
});
