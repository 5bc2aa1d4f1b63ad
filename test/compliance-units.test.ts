/**
 * The compliance pack as units (policy/rules/compliance/): units on the model and on the stacks, de-duplication
 * through the engine, the generated BSI coverage table and the writers. The rules'
 * pass/fail cases on real configs are in compliance.test.ts, matrix-privacy.test.ts and wire-profile.test.ts.
 */
import * as path from 'node:path';
import { resourceFindings, tenantFindings } from '../policy/compliance-rules';
import { evaluate } from '../policy/engine';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { COMPLIANCE_PACK } from '../policy/rules/compliance';
import { BSI_REQUIREMENTS } from '../policy/rules/compliance/bsi-catalogue';
import { bsiCoverage, coverageTable } from '../policy/rules/compliance/bsi-coverage';
import { bsiResourceLimits } from '../policy/rules/compliance/bsi-sys-1-6-a15';
import { bsiImages } from '../policy/rules/compliance/bsi-sys-1-6-a6';
import { covers, type ComplianceUnit, type StackContext } from '../policy/rules/compliance/context';
import { dsDsfa } from '../policy/rules/compliance/ds-dsfa';
import { complianceConsoleWriter, formatComplianceFinding, markdownWriter } from '../policy/rules/compliance/writers';
import { defaultFederation, synthesizeInMemory } from './helpers';

const base = defaultFederation();

describe('units on the model', () => {
  const planned = base.tenants.find((t) => t.id === 'lamv')!.dataProtection?.dsfa;

  it('DS-DSFA: a planned DSFA is overdue from the day after its due date, not on it', () => {
    expect(planned).toEqual({ status: 'planned', due: '2026-03-31' });
    const onDue = evaluate([dsDsfa], { federation: base, asOf: '2026-03-31' });
    expect(onDue).toEqual([]);
    const after = evaluate([dsDsfa], { federation: base, asOf: '2026-04-01' });
    expect(after.map((f) => [f.tenant, f.level])).toEqual([['lamv', 'warning']]);
    expect(after[0].message).toMatch(/überfällig seit 31\.03\.2026/);
    // without a day of the check, nothing is overdue
    expect(tenantFindings(base).filter((f) => f.rule === 'DS-DSFA')).toEqual([]);
  });
});

describe('units on the stacks', () => {
  /** One stack with a namespace (LimitRange present) and a deployment of the given containers. */
  const stackWith = (containers: unknown[]): SynthesizedStack => ({
    name: 'c--s',
    json: {
      resource: {
        kubernetes_namespace_v1: { ns: { provider: 'kubernetes.c', metadata: { name: 'app' } } },
        kubernetes_limit_range_v1: { lr: { provider: 'kubernetes.c', metadata: { namespace: 'app' } } },
        kubernetes_deployment_v1: {
          d: {
            provider: 'kubernetes.c',
            metadata: { namespace: 'app', name: 'd' },
            spec: { template: { spec: { container: containers } } },
          },
        },
      },
    },
  });
  const context = (s: SynthesizedStack): StackContext => ({ stacks: [s], images: { digests: {} } });

  it('BSI-SYS.1.6.A15: a container without CPU and memory limits is an error; one with both is none', () => {
    const limited = { name: 'web', image: 'r/web:1', resources: { limits: { cpu: '1', memory: '1Gi' } } };
    expect(evaluate([bsiResourceLimits], context(stackWith([limited])))).toEqual([]);
    expect(
      evaluate([bsiResourceLimits], context(stackWith([{ ...limited, resources: { limits: { cpu: '1' } } }]))),
    ).toEqual([
      {
        rule: 'BSI-SYS.1.6.A15',
        level: 'error',
        tenant: undefined,
        message: "Container 'web' hat keine CPU- und Speicher-Limits",
        stack: 'c--s',
        resource: 'kubernetes_deployment_v1.d',
      },
    ]);
  });

  it('a digest for an image the chart lists twice is one finding per release, not two', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const found = resourceFindings(synthesizeInMemory(base), 'registry.example', { nginx: digest }).filter((f) =>
      f.message.includes(`Image 'nginx' ist nicht auf den konfigurierten Digest ${digest} fixiert`),
    );
    expect(found.map((f) => f.resource)).toEqual([
      'helm_release.bum-bab_bundesmessenger',
      'helm_release.bwm-zbkbw_bwmessenger',
    ]);
  });

  it('identical findings are reported once (two unlimited containers of the same name)', () => {
    const unlimited = { name: 'web', image: 'r/web:1' };
    const found = resourceFindings([stackWith([unlimited, unlimited])]).filter((f) => f.rule === 'BSI-SYS.1.6.A15');
    expect(found.map((f) => f.message)).toEqual(["Container 'web' hat keine CPU- und Speicher-Limits"]);
  });
});

describe('the BSI coverage table, generated from the rules', () => {
  const facts = { registry: 'registry.example', digests: 2 };

  it('names for each requirement the rule that declares it, or why none checks it', () => {
    expect(bsiCoverage(facts).map((r) => [r.requirement, r.rule ?? '-'])).toEqual([
      ['APP.4.4.A1', 'BSI-APP.4.4.A15'],
      ['APP.4.4.A4', 'BSI-SYS.1.6.A17'],
      ['APP.4.4.A7', 'BSI-APP.4.4.A7'],
      ['APP.4.4.A9', '-'],
      ['APP.4.4.A13', 'BSI-APP.4.4.A7'],
      ['APP.4.4.A14', 'BSI-APP.4.4.A15'],
      ['APP.4.4.A15', 'BSI-APP.4.4.A15'],
      ['APP.4.4.A18', 'BSI-APP.4.4.A7'],
      ['SYS.1.6.A6', 'BSI-SYS.1.6.A6'],
      ['SYS.1.6.A8', '-'],
      ['SYS.1.6.A12', 'BSI-SYS.1.6.A6'],
      ['SYS.1.6.A15', 'BSI-SYS.1.6.A15'],
      ['SYS.1.6.A17', 'BSI-SYS.1.6.A17'],
      ['SYS.1.6.A21', 'BSI-APP.4.4.A7'],
      ['SYS.1.6.A23', '-'],
    ]);
    const row = (id: string) => bsiCoverage(facts).find((r) => r.requirement === id);
    expect(row('SYS.1.6.A6')?.how).toBe('interne Registry registry.example; 2 Digests konfiguriert');
    expect(row('APP.4.4.A9')?.how).toBe('nicht geprüft (Charts)');
  });

  const serviceAccounts: ComplianceUnit<StackContext> = {
    id: 'BSI-APP.4.4.A9',
    level: 'warning',
    explanation: 'Service-Accounts nur mit Token, wo nötig',
    ...covers({ 'APP.4.4.A9': 'automountServiceAccountToken: false je Pod' }),
    check: () => [],
  };

  it('a unit that declares a requirement becomes its rule, with its text', () => {
    const rows = coverageTable([...COMPLIANCE_PACK, serviceAccounts], BSI_REQUIREMENTS, facts);
    expect(rows.find((r) => r.requirement === 'APP.4.4.A9')).toEqual({
      requirement: 'APP.4.4.A9',
      title: 'Nutzung von Kubernetes Service-Accounts',
      rule: 'BSI-APP.4.4.A9',
      how: 'automountServiceAccountToken: false je Pod',
    });
  });

  it('a requirement of the catalogue gains a row when a unit declares it', () => {
    const catalogue = [...BSI_REQUIREMENTS, { id: 'APP.4.4.A21', title: 'Regelmäßiger Austausch von Pods' }];
    expect(coverageTable(COMPLIANCE_PACK, catalogue, facts).map((r) => r.requirement)).not.toContain('APP.4.4.A21');
    const restarts: ComplianceUnit<StackContext> = {
      ...serviceAccounts,
      id: 'BSI-APP.4.4.A21',
      ...covers({ 'APP.4.4.A21': 'Pods werden bei jeder Auslieferung neu gestartet' }),
    };
    const rows = coverageTable([...COMPLIANCE_PACK, restarts], catalogue, facts);
    expect(rows.length).toBe(coverageTable(COMPLIANCE_PACK, catalogue, facts).length + 1);
    expect(rows.at(-1)).toEqual({
      requirement: 'APP.4.4.A21',
      title: 'Regelmäßiger Austausch von Pods',
      rule: 'BSI-APP.4.4.A21',
      how: 'Pods werden bei jeder Auslieferung neu gestartet',
    });
  });

  it('a unit that names a requirement the catalogue lacks is an internal error', () => {
    const unknown = { ...serviceAccounts, ...covers({ 'APP.9.9.A1': 'x' }) };
    expect(() => coverageTable([unknown], BSI_REQUIREMENTS, facts)).toThrow(
      /covers APP\.9\.9\.A1, which the BSI catalogue lacks/,
    );
  });
});

describe('writers', () => {
  const finding = { rule: 'DS-DPO', level: 'warning' as const, tenant: 'bab', message: 'keine DSB benannt' };

  it('the console line names rule, level and place, and the config line of the agency when it is known', () => {
    expect(formatComplianceFinding(finding)).toBe('[DS-DPO] warning (tenant bab): keine DSB benannt');
    const line = base.locate?.(['tenants', 3]).line;
    expect(line).toBeGreaterThan(0);
    expect(formatComplianceFinding(finding, base)).toBe(
      `${path.relative(process.cwd(), base.sourceFile)}:${line}: [DS-DPO] warning (tenant bab): keine DSB benannt`,
    );
    expect(
      formatComplianceFinding({
        rule: 'BSI-SYS.1.6.A6',
        level: 'warning',
        stack: 's',
        resource: 'helm_release.x',
        message: 'm',
      }),
    ).toBe('[BSI-SYS.1.6.A6] warning (s helm_release.x): m');
    expect(formatComplianceFinding({ rule: 'BSI-APP.4.4.A15', level: 'error', stack: 's', message: 'm' })).toBe(
      '[BSI-APP.4.4.A15] error (s): m',
    );
    expect(complianceConsoleWriter(base)([finding, { ...finding, tenant: undefined }])).toBe(
      `${formatComplianceFinding(finding, base)}\n[DS-DPO] warning: keine DSB benannt\n`,
    );
  });

  it('the Markdown writer writes the findings table with the rule’s requirement and the German level, escaped', () => {
    expect(markdownWriter([{ ...finding, message: 'a | b *c*' }])).toBe(
      [
        '| Regel | Anforderung | Stufe | Befund |',
        '| --- | --- | --- | --- |',
        '| DS-DPO | Datenschutzbeauftragte oder Datenschutzbeauftragter benannt (Art. 37 DSGVO) | Warnung | a \\| b \\*c\\* |',
        '',
      ].join('\n'),
    );
  });
});

describe('BSI-SYS.1.6.A6: charts pulling public images, for the federation and for each agency', () => {
  const release = { chart: 'webapp', repository: 'https://charts.example', values: [] };
  const stacks: SynthesizedStack[] = [
    { name: 'c--tenant-a', json: { resource: { helm_release: { r: release } } } },
    { name: 'c--tenant-b', json: {} },
  ];
  const agencies = [
    { tenant: 'a', stacks: new Set(['c--tenant-a']) },
    { tenant: 'b', stacks: new Set(['c--tenant-b']) },
  ];
  const run = (registry?: string) =>
    evaluate([bsiImages], { stacks, images: { registry, digests: {} }, agencies }).map((f) => [f.tenant, f.message]);

  it('without an internal registry: one finding for the federation, one for each agency whose services pull', () => {
    expect(run()).toEqual([
      [undefined, expect.stringMatching(/1 Helm-Releases beziehen die Standard-Images/)],
      ['a', expect.stringMatching(/Dienste der Behörde \(1 Helm-Release\) beziehen die Standard-Images/)],
    ]);
  });

  it('with an internal registry: no registry finding at all', () => {
    expect(run('registry.bund.example').filter(([, m]) => /keine interne Image-Registry/.test(String(m)))).toEqual([]);
  });
});
