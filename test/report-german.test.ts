/**
 * The compliance report as a document a data protection officer signs: German throughout (no English word in any
 * line of any report), config text escaped, provenance that can be checked, federation partners in both
 * directions, the secrets in the Terraform state.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Federation } from '../config/model';
import { buildReport, evaluateCompliance, reportMarkdown, type ComplianceReport } from '../policy/compliance';
import { COMPLIANCE_RULES } from '../policy/compliance-rules';
import { CONSTRUCT_TEXTS_DE, germanDate } from '../policy/report/german';
import { berlinDay, gitCommit, issueDate, reportIssue } from '../policy/report/provenance';
import { CHARTS } from '../constructs/charts';
import { stackNamespaces } from '../policy/rules/compliance/stack-objects';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { outputValue } from '../policy/synthesized-view';
import { defaultFederation, defaultStacks, replaceOnce, ROOT, synthesizeInMemory, tmpDir } from './helpers';

const ISSUE = {
  date: '2025-07-01',
  dateSource: 'SOURCE_DATE_EPOCH' as const,
  projectVersion: '0.1.0',
  commit: 'unbekannt',
  configFile: 'config/federation.yaml',
  configSha256: 'unbekannt',
};

function reports(federation: Federation, stacks: readonly SynthesizedStack[]): Map<string, ComplianceReport> {
  const findings = evaluateCompliance(federation, stacks);
  return new Map(federation.tenants.map((t) => [t.id, buildReport(federation, t, findings, { issue: ISSUE, stacks })]));
}

// ---------------------------------------------------------------------------------------------------------------
// No English in the reports

/** Common English words that German text does not use (German homographs such as in, an, will, was are left out). */
const ENGLISH = new Set(
  (
    'the and with without is are not has have had must which from each every only no of for to be by or does ' +
    'cannot its this that these those there when where should would could can may use uses used declare declared ' +
    'found nothing none missing allowed allows scans receives weakens acknowledged pinned pointed configured ' +
    'approved recommends enables runs hosts gives into through their our we you but if then than been yet ' +
    'security default state service hold legal message messages file files'
  ).split(' '),
);

/** Product and technical names that contain such words, and the rule ids; removed before the check. */
const TECHNICAL_NAMES = [
  ...COMPLIANCE_RULES.map((r) => r.id),
  'Pod Security',
  'Legal Hold',
  'Default-Deny',
  'Terraform-State',
  'Service-Accounts',
  'Wire',
  'Matrix',
  'Element',
  'Helm',
  'ClamAV',
];

function englishWords(line: string): string[] {
  let text = line;
  for (const name of TECHNICAL_NAMES) text = text.split(name).join(' ');
  return (text.match(/\p{L}+/gu) ?? []).filter((w) => ENGLISH.has(w.toLowerCase()));
}

function expectGerman(markdown: string, what: string): void {
  const offending = markdown
    .split('\n')
    .map((line, i) => ({ line: i + 1, words: englishWords(line), text: line }))
    .filter((l) => l.words.length > 0);
  expect({ what, offending }).toEqual({ what, offending: [] });
}

describe('German throughout', () => {
  it('the check finds English words in a line, and passes German text and whitelisted names', () => {
    expect(
      englishWords(
        'Bundesanstalt für Beispielbau: BundesMessenger scans attachments; the scanner receives each file key',
      ),
    ).toEqual(['scans', 'the', 'receives', 'each', 'file']);
    expect(
      englishWords('| APP.4.4.A4 | Separierung von Pods | BSI-SYS.1.6.A17 | Pod Security restricted je Namespace |'),
    ).toEqual([]);
    expect(englishWords('Legal Hold (Aufzeichnung der Kommunikation): dauerhaft deaktiviert')).toEqual([]);
    expect(englishWords('security by default')).toEqual(['security', 'by', 'default']);
    // the check fails on an English report line
    expect(() => expectGerman('# Bericht\nno internal image registry configured', 'sample')).toThrow();
  });

  it('every report of the default federation is German in every line', () => {
    const fed = defaultFederation();
    for (const [id, r] of reports(fed, defaultStacks())) expectGerman(reportMarkdown(r), id);
  });

  it('and so are the findings of failing configs: missing AVV, DPO and DSFA, consent, presence, push, registry', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const fed = defaultFederation((y) => {
      let out = replaceOnce(y, "      dsfa: { status: planned, due: '2026-03-31' }\n", '');
      out = replaceOnce(
        out,
        '      dataProtectionOfficer: { name: Datenschutzbeauftragter des LAMV, phone: +49 385 588-0 }\n',
        '',
      );
      out = replaceOnce(
        out,
        "        - { processor: t-systems, reference: AVV-TSI-BuM-2025-12, date: '2025-04-15' }\n",
        '',
      );
      out = replaceOnce(
        out,
        'legalBasis: [public-task, employment-relationship]\n      agreements:\n        - { processor: itzbund, reference: AVV-ITZBund-2025-0342',
        'legalBasis: [consent]\n      agreements:\n        - { processor: itzbund, reference: AVV-ITZBund-2025-0342',
      );
      out = replaceOnce(
        out,
        '      # privacy: all defaults',
        '      privacy: { presence: true, pushNotificationContent: true }\n      push: { gateway: https://push.bab.bund.example }\n      # privacy',
      );
      return out.replace(
        'tenants:\n',
        `images:\n  registry: registry.itzbund.example/mirror\n  digests:\n    brig: '${digest}'\n\ntenants:\n`,
      );
    });
    const rs = reports(fed, synthesizeInMemory(fed));
    const rules = [...rs.values()].flatMap((r) => r.findings.map((f) => f.rule));
    expect(rules).toEqual(
      expect.arrayContaining([
        'DS-AVV',
        'DS-DPO',
        'DS-DSFA',
        'DS-CONSENT',
        'DS-LEGAL-BASIS',
        'DS-PRESENCE',
        'BSI-SYS.1.6.A6',
      ]),
    );
    expect(rs.get('bab')!.thirdCountryTransfers).toEqual([
      {
        service: 'BundesMessenger',
        recipient: 'Apple (APNs) und Google (FCM), Sitz in den USA, über das Push-Gateway push.bab.bund.example',
        description: 'Push-Benachrichtigungen mit Nachrichteninhalt',
      },
    ]);
    const md = [...rs.entries()].map(([id, r]) => [id, reportMarkdown(r)] as const);
    expect(md.map(([, m]) => m).join('\n')).toMatch(/über Werte nicht umlenkbar: alpine:3\.21\.3 \(fest eingetragen/);
    for (const [id, m] of md) expectGerman(m, id);
  });

  it('every English text that constructs record has a German version', () => {
    const fixed = Object.values(CHARTS).flatMap((c) => c.images.fixed ?? []);
    const reasons = stackNamespaces(defaultStacks()).flatMap((ns) => ns.podSecurityReason ?? []);
    expect(reasons.length).toBeGreaterThan(0);
    for (const text of [...fixed, ...reasons])
      expect([text, CONSTRUCT_TEXTS_DE[text] !== undefined]).toEqual([text, true]);
  });

  it('shows labels, never enum values: kinds, zones, legal bases, dates', () => {
    const fed = defaultFederation();
    const md = reportMarkdown(reports(fed, defaultStacks()).get('bmbsp')!);
    expect(md).toContain('| Art der Stelle | Bundesministerium |');
    expect(md).toContain('Netze des Bundes (NdB), Zone ndb');
    expect(md).toContain('IT-Grundschutz-Netz, Zone gs-itzbund');
    expect(md).not.toMatch(/federal-ministry|\(ndb\)|public-task/);
    expect(md).toContain('AVV-ITZBund-2025-0117 vom 03.02.2025');
    expect(germanDate('2025-02-03')).toBe('03.02.2025');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Contents a DPO needs

/** A cluster operated by the agency bbx (a self-hosted BundesMessenger runs on a cluster its agency operates). */
const BBX_CLUSTER_YAML = `  - id: bbx-bum-1
    zone: gs-itzbund
    operator: bbx
    connection: { type: kubeconfig, path: ~/.kube/bbx-bum-1.yaml }
    ingressController: { namespace: ingress-bbx }
`;

/** An agency with its own BundesMessenger that allow-lists bab. */
const BBX_TENANT_YAML = `  - id: bbx
    name: Bundesamt für Beispielexperimente
    kind: federal-authority
    domain: bbx.bund.example
    dataProtection:
      legalBasis: [public-task, employment-relationship]
      serviceAgreement: { reference: DV-BBX-2025-01, date: '2025-03-01', allowsPresence: false }
      dataProtectionOfficer: { name: Datenschutzbeauftragte des BBX, email: datenschutz@bbx.bund.example }
      dsfa: { status: done, reference: DSFA-BBX-2025-01, date: '2025-02-17' }
    bundesMessenger:
      mode: self-hosted
      cluster: bbx-bum-1
      serverName: bbx.bund.example
      publicServerName: matrix.bbx.bund.example
      adminApiServerName: matrix-admin.bbx.bund.example
      privacyPolicyUrl: https://www.bbx.bund.example/datenschutz
      imprintUrl: https://www.bbx.bund.example/impressum
      postgresql: { host: pg.bbx.bund.example, existingSecret: synapse-postgresql }
      federation: { mode: allowList, servers: [bab.bund.example] }
      virusScanning: { enabled: false, reason: 'Dateianhänge sind in dieser Behörde abgeschaltet' }
`;

describe('the record of processing activities', () => {
  const fed = defaultFederation();
  const rs = reports(fed, defaultStacks());

  it('names the controller and the DPO of every agency, and the DSFA status', () => {
    for (const r of rs.values()) expect(r.controller.dataProtectionOfficer?.name).toEqual(expect.any(String));
    const md = (id: string) => reportMarkdown(rs.get(id)!);
    expect(md('lamv')).toContain('Datenschutzbeauftragter des LAMV, Telefon +49 385 588-0');
    expect(md('bmbsp')).toContain('Durchgeführt: DSFA-BMBsp-2025-01 vom 20.01.2025.');
    expect(md('lamv')).toContain('Geplant, Abschluss bis 31.03.2026; noch nicht abgeschlossen.');
    expect(md('bfbs')).toContain('Nicht erforderlich. Begründung: Schwellwertanalyse SWA-BfBS-2025-02');
    expect(rs.get('lamv')!.openItems).toContain(
      'Datenschutz-Folgenabschätzung geplant bis 31.03.2026: nach Abschluss mit Aktenzeichen und Datum erklären (dataProtection.dsfa)',
    );
  });

  it('lists federation partners in both directions: bab federates with bfbs (SaaS), and bfbs sees it', () => {
    expect(rs.get('bab')!.federationPartners).toEqual([
      {
        service: 'BundesMessenger',
        partner: 'bfbs.bund.example',
        operator: 'Bundesamt für Beispielstatistik',
        direction: 'ausgehend',
        note: 'Freigabe der Gegenseite beim SaaS-Anbieter, nicht Teil dieser Konfiguration',
      },
    ]);
    expect(rs.get('bfbs')!.federationPartners).toEqual([
      {
        service: 'BundesMessenger (SaaS)',
        partner: 'bab.bund.example',
        operator: 'Bundesanstalt für Beispielbau',
        direction: 'eingehend',
        note: 'unsere Freigabe ist beim SaaS-Anbieter eingestellt, nicht Teil dieser Konfiguration',
      },
    ]);
    expect(reportMarkdown(rs.get('bfbs')!)).toContain(
      '| BundesMessenger (SaaS) | bab.bund.example | Bundesanstalt für Beispielbau | föderiert mit uns (Freigabe durch den Partner) |',
    );
    expect(reportMarkdown(rs.get('zbkbw')!)).toContain(
      'Keine: kein Dienst der Behörde föderiert, und kein Server dieser Föderation gibt die Behörde frei.',
    );
  });

  it('a delegation served on a cluster another agency runs names that agency as operator and processor', () => {
    const f = defaultFederation((y) =>
      replaceOnce(y, 'wellKnown: { cluster: itzbund-gs-1 }', 'wellKnown: { cluster: bab-bum-1 }'),
    );
    const bfbs = buildReport(f, f.tenants.find((t) => t.id === 'bfbs')!, [], { issue: ISSUE });
    const delegation = 'BundesMessenger (.well-known-Delegation der Domain)';
    expect(bfbs.services.find((s) => s.service === delegation)).toMatchObject({
      cluster: 'bab-bum-1',
      operator: 'Bundesanstalt für Beispielbau',
    });
    expect(bfbs.processors.find((p) => p.service === delegation)).toEqual({
      name: 'Bundesanstalt für Beispielbau',
      service: delegation,
      agreement: null,
    });
  });

  it('a partner that allows us while we do not allow it is shown, as without effect; mutual allow lists are both ways', () => {
    // a second self-hosted BundesMessenger, on a cluster of its own, that allow-lists bab while bab's list leaves it out
    const withBbx = (y: string) =>
      replaceOnce(
        replaceOnce(y, '  - id: bwi-bwm-1\n', `${BBX_CLUSTER_YAML}  - id: bwi-bwm-1\n`),
        '  - id: zbkbw\n',
        `${BBX_TENANT_YAML}  - id: zbkbw\n`,
      );
    const f = defaultFederation(withBbx);
    const bab = buildReport(f, f.tenants.find((t) => t.id === 'bab')!, [], { issue: ISSUE });
    expect(bab.federationPartners.find((p) => p.partner === 'bbx.bund.example')).toEqual({
      service: 'BundesMessenger',
      partner: 'bbx.bund.example',
      operator: 'Bundesamt für Beispielexperimente',
      direction: 'eingehend',
      note: 'wir lassen den Server nicht zu: ohne Wirkung',
    });
    const mutual = defaultFederation((y) =>
      replaceOnce(
        withBbx(y),
        '        servers: [bfbs.bund.example]\n',
        '        servers: [bfbs.bund.example, bbx.bund.example]\n',
      ),
    );
    const both = buildReport(mutual, mutual.tenants.find((t) => t.id === 'bbx')!, [], { issue: ISSUE });
    expect(both.federationPartners.map((p) => [p.partner, p.direction])).toEqual([['bab.bund.example', 'beidseitig']]);
  });

  it('says which secrets the Terraform state holds and where it is kept', () => {
    const bmbsp = rs.get('bmbsp')!;
    expect(bmbsp.terraformState.backend).toBe('local');
    expect(bmbsp.terraformState.secrets).toContainEqual({
      stack: 'itzbund-ndb-1--tenant-bmbsp',
      secret: 'ldap-credentials',
      namespace: 'tenant-bmbsp-wire-s1',
      keys: ['ldap-password', 'scim-token'],
    });
    expect(
      bmbsp.terraformState.secrets.find((s) => s.stack === 'itzbund-ndb-1--wire-s1' && s.namespace === 'wire-s1')?.keys,
    ).toEqual(expect.arrayContaining(['pg-password', 'zauth-private-keys']));
    expect(rs.get('bab')!.terraformState.secrets).toEqual([]);
    expect(reportMarkdown(bmbsp)).toContain('Der Terraform-State der Stacks enthält Dienstgeheimnisse im Klartext');
  });

  it('escapes every config text in the Markdown', () => {
    const f = structuredClone(fed) as Federation;
    const t = f.tenants.find((x) => x.id === 'lamv')!;
    Object.assign(t.dataProtection!, {
      dataProtectionOfficer: { name: '| <b>x</b> *y* [l](http://e)' },
      dsfa: { status: 'not-required', reason: 'Zeile\n# Überschrift | Spalte `code`' },
    });
    const md = reportMarkdown(buildReport(f, t, [], { issue: ISSUE }));
    expect(md).toContain('\\| \\<b\\>x\\</b\\> \\*y\\* \\[l\\](http://e)');
    expect(md).toContain('Begründung: Zeile # Überschrift \\| Spalte \\`code\\`');
    expect(md.split('\n').filter((l) => l.startsWith('# '))).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Provenance

describe('provenance: date of issue, version, commit, config hash', () => {
  it('takes the date from SOURCE_DATE_EPOCH when valid, else the day of the synth, in Europe/Berlin', () => {
    const now = new Date('2025-06-30T22:30:00Z'); // already 1 July in Berlin
    expect(issueDate({}, now)).toEqual({ date: '2025-07-01', dateSource: 'Synthesezeitpunkt' });
    expect(issueDate({ SOURCE_DATE_EPOCH: '1735689599' }, now)).toEqual({
      date: '2025-01-01',
      dateSource: 'SOURCE_DATE_EPOCH',
    });
    expect(issueDate({ SOURCE_DATE_EPOCH: 'gestern' }, now).dateSource).toBe('Synthesezeitpunkt');
    expect(berlinDay(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
  });

  it('reads the commit of this checkout without git, as git itself does', () => {
    const git = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
    if (git.status === 0) expect(gitCommit(ROOT)).toBe(git.stdout.trim());
    const issue = reportIssue(ROOT, path.join(ROOT, 'config', 'federation.yaml'), {}, new Date('2025-01-02T10:00:00Z'));
    expect(issue.configFile).toBe('config/federation.yaml');
    expect(issue.configSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(issue.projectVersion).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('follows loose refs, packed refs, detached heads and worktrees; unknown without a repository', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const repo = tmpDir();
    const git = path.join(repo, '.git');
    fs.mkdirSync(path.join(git, 'refs', 'heads'), { recursive: true });
    fs.writeFileSync(path.join(git, 'HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(git, 'packed-refs'), `# pack-refs with: peeled\n${b} refs/heads/main\n`);
    expect(gitCommit(repo)).toBe(b);
    fs.writeFileSync(path.join(git, 'refs', 'heads', 'main'), `${a}\n`);
    expect(gitCommit(repo)).toBe(a);
    fs.writeFileSync(path.join(git, 'HEAD'), `${b}\n`);
    expect(gitCommit(repo)).toBe(b);
    // a worktree: .git is a file naming its git directory, which names the common directory
    const wt = tmpDir();
    const wtGit = path.join(git, 'worktrees', 'wt');
    fs.mkdirSync(wtGit, { recursive: true });
    fs.writeFileSync(path.join(wtGit, 'HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(wtGit, 'commondir'), '../..\n');
    fs.writeFileSync(path.join(wt, '.git'), `gitdir: ${wtGit}\n`);
    expect(gitCommit(wt)).toBe(a);
    fs.writeFileSync(path.join(git, 'HEAD'), 'ref: refs/../../../etc/passwd\n');
    expect(gitCommit(repo)).toBeUndefined();
    expect(gitCommit(tmpDir())).toBeUndefined();
    expect(reportIssue(tmpDir(), '/nonexistent/federation.yaml', {}).commit).toBe('unbekannt');
    expect(reportIssue(tmpDir(), '/nonexistent/federation.yaml', {}).configSha256).toBe('unbekannt');
  });

  it('shows the provenance at the top of the Markdown', () => {
    const fed = defaultFederation();
    const md = reportMarkdown(reports(fed, defaultStacks()).get('bab')!);
    const head = md.split('## 1.')[0];
    expect(head).toContain('| Ausstellungsdatum | 01.07.2025 (aus SOURCE_DATE_EPOCH) |');
    expect(head).toContain('| Projektversion | 0.1.0 |');
    expect(head).toContain('| Commit des Projekts | unbekannt |');
    expect(head).toContain('| SHA-256 der Konfigurationsdatei | unbekannt |');
  });
});

describe('review of the reports as a DPO', () => {
  const all = reports(defaultFederation(), defaultStacks());
  const md = (id: string) => reportMarkdown(all.get(id)!);

  it('bfbs: ITZBund serves the .well-known delegation and is a processor with its AVV', () => {
    const r = all.get('bfbs')!;
    expect(r.services.map((s) => s.service)).toContain('BundesMessenger (.well-known-Delegation der Domain)');
    expect(r.processors).toContainEqual({
      name: 'Informationstechnikzentrum Bund (ITZBund)',
      service: 'BundesMessenger (.well-known-Delegation der Domain)',
      agreement: { reference: 'AVV-ITZB-WK-2025-05', date: '2025-05-06' },
    });
    const without = defaultFederation((y) =>
      replaceOnce(y, "        - { processor: itzbund, reference: AVV-ITZB-WK-2025-05, date: '2025-05-06' }\n", ''),
    );
    const f = evaluateCompliance(without, []).filter((x) => x.rule === 'DS-AVV');
    expect(f.map((x) => [x.tenant, x.level])).toEqual([['bfbs', 'error']]);
    const todo = outputValue(
      synthesizeInMemory(without).find((s) => s.name === 'itzbund-gs-1--tenant-bfbs')!,
      'agency_todo',
    ) as string[];
    expect(todo.join('\n')).toMatch(/Auftragsverarbeitungsvertrag \(AVV\) with Informationstechnikzentrum Bund/);
  });

  it('a Land body cites its Land data protection act and commissioner, a federal one BDSG and BfDI', () => {
    expect(md('lamv')).not.toMatch(/BDSG|BfDI/);
    expect(md('lamv')).toMatch(/Landesdatenschutzgesetz des Landes/);
    expect(md('lamv')).toMatch(/Die oder der Landesbeauftragte für den Datenschutz empfiehlt/);
    expect(md('bab')).toMatch(/§ 3 BDSG/);
    expect(md('zbkbw')).toMatch(/§ 26 BDSG/);
  });

  it('an overdue DSFA says so in the report and as a DS-DSFA warning', () => {
    const fed = defaultFederation();
    const late = { ...ISSUE, date: '2026-04-01' };
    const findings = evaluateCompliance(fed, [], '2026-04-01');
    expect(findings.find((f) => f.rule === 'DS-DSFA' && f.tenant === 'lamv')?.message).toMatch(
      /überfällig seit 31\.03\.2026/,
    );
    const r = buildReport(fed, fed.tenants.find((t) => t.id === 'lamv')!, findings, { issue: late });
    expect(reportMarkdown(r)).toMatch(/Überfällig seit 31\.03\.2026/);
    expect(r.openItems.join('\n')).toMatch(/überfällig seit 31\.03\.2026/);
    expect(evaluateCompliance(fed, [], '2026-03-31').some((f) => f.rule === 'DS-DSFA')).toBe(false);
  });

  it('the user directory includes public rooms; third parties of the clients are an open item; no map tiles when off', () => {
    expect(md('bab')).not.toMatch(/nur Personen aus gemeinsamen Räumen/);
    expect(md('bab')).toMatch(/Mitglieder öffentlicher Räume/);
    expect(md('bab')).toMatch(/keine Kartenabrufe \(Standort teilen aus\)/);
    expect(md('bab')).not.toMatch(/Karten nur vom Kartendienst/);
    expect(all.get('bab')!.openItems.join('\n')).toMatch(/Integrationsmanager.*Jitsi.*Identitätsserver/);
    expect(all.get('bfbs')!.openItems.join('\n')).not.toMatch(/Integrationsmanager/);
  });

  it('federation-wide findings stand apart; the registry finding counts the agency releases', () => {
    const bfbs = all.get('bfbs')!;
    expect(bfbs.findings.map((f) => f.message).join('\n')).not.toMatch(/\d+ Helm-Releases/);
    expect(bfbs.findings.map((f) => f.message).join('\n')).toMatch(/Dienste der Behörde \(1 Deployment\)/);
    expect(md('bfbs')).toMatch(/### Befunde, die die gesamte Föderation betreffen/);
    const cov = (id: string, req: string) => all.get(id)!.coverage.find((c) => c.requirement === req)!.how;
    expect(cov('bfbs', 'SYS.1.6.A6')).toMatch(/keine interne Registry konfiguriert/);
    expect(cov('bmbsp', 'APP.4.4.A4')).toMatch(/Ausnahmen: .*baseline/);
  });

  it('sign-in through the agency (OIDC) only where configured; app lock is a default team admins can change', () => {
    expect(md('zbkbw')).not.toMatch(/OIDC/);
    expect(md('bfbs')).not.toMatch(/OIDC/);
    expect(md('bab')).toMatch(/Anmeldung über die Behörde \(OIDC\)/);
    expect(md('bmbsp')).toMatch(/als Voreinstellung erzwungen; Team-Admins können das ändern/);
  });

  it('names the config file relative to the project, absolute outside', () => {
    expect(reportIssue(ROOT, path.join(ROOT, 'config', 'federation.yaml'), {}).configFile).toBe(
      'config/federation.yaml',
    );
    expect(reportIssue(ROOT, '/elsewhere/x/federation.yaml', {}).configFile).toBe('/elsewhere/x/federation.yaml');
  });
});
