/**
 * Runs the compliance pack, applies suppressions (each with owner and reason) and builds one report per agency,
 * in German for the agency's data protection officer, as Markdown and JSON.
 */
import * as path from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../config/errors';
import { openDsfa, operatedByAgency, processorsOf, retentionMissing, WELL_KNOWN_SERVICE } from '../config/domain';
import type { Cluster, Federation, Tenant } from '../config/model';
import { resolvedTenant } from '../config/resolve';
import { projectRoot } from '../config/paths';
import { LEGAL_BASES, TENANT_KINDS, ZONE_KINDS, type TenantConfig } from '../config/schema';
import { COMPLIANCE_RULES, RULES_BY_ID, type ComplianceFinding } from './compliance-rules';
import { blocking, evaluate } from './engine';
import type { SynthesizedStack } from './k8s-objects';
import { germanDate, label, legalBasisLabel, supervisor, TENANT_KIND_LABELS, ZONE_KIND_LABELS } from './report/german';
import { CONDITIONAL, PRODUCTS, type Product } from './report/products';
import { CLIENT_THIRD_PARTIES_DE, matrixRetention, serviceProfiles } from './report/profiles';
import { issueDate, reportIssue, type ReportIssue } from './report/provenance';
import {
  agencyStackNames,
  federationPartners,
  sharedInstances,
  stateLocation,
  stateSecrets,
  thirdCountryTransfers,
} from './report/record';
import { COMPLIANCE_PACK } from './rules/compliance';
import { bsiCoverage } from './rules/compliance/bsi-coverage';
import { complianceContext } from './rules/compliance/context';
import { POD_SECURITY_ENFORCE_LABEL } from '../constructs/labels';
import { stackNamespaces } from './rules/compliance/stack-objects';
import { cell, markdownTable, markdownWriter } from './rules/compliance/writers';

/** Validates the suppressions of the config: known rule, suppressible, names a tenant or a resource. */
export function checkSuppressions(federation: Federation): void {
  const file = path.relative(process.cwd(), federation.sourceFile) || federation.sourceFile;
  const raw: ConfigIssue[] = [];
  federation.config.compliance.suppressions.forEach((s, i) => {
    const at = ['compliance', 'suppressions', i];
    const rule = RULES_BY_ID.get(s.rule);
    if (!rule) {
      raw.push({
        file,
        path: [...at, 'rule'],
        message: 'unknown compliance rule',
        value: s.rule,
        allowed: COMPLIANCE_RULES.filter((r) => !r.unsuppressible)
          .map((r) => r.id)
          .join(', '),
      });
    } else if (rule.unsuppressible) {
      raw.push({
        file,
        path: [...at, 'rule'],
        message: `rule ${s.rule} protects the zone separation of Säule 1 or VS-NfD and cannot be suppressed`,
        value: s.rule,
        allowed: 'fix the finding instead',
      });
    }
    if (!s.tenant && !s.resource) {
      raw.push({
        file,
        path: at,
        message: 'a suppression names the tenant or the resource it applies to',
        value: s,
        allowed: "tenant: <id> or resource: '<stack> <type.name>'",
      });
    }
  });
  // Each error names the line of the suppression in the config file.
  const issues = raw.map((i) => ({ ...federation.locate?.(i.path), ...i }));
  if (issues.length > 0) throw new ConfigError(issues);
}

/**
 * All findings of the compliance pack, de-duplicated, suppressions of the config applied (a suppression applies to
 * a finding of its rule, of its tenant if it names one, at its resource `<stack> <type.name>` if it names one).
 * `asOf` is the day of the check (`YYYY-MM-DD`), by default the reports' date of issue (SOURCE_DATE_EPOCH, else
 * today in Europe/Berlin): a planned DSFA due before it is overdue.
 */
export function evaluateCompliance(
  federation: Federation,
  stacks: readonly SynthesizedStack[],
  asOf: string = issueDate(process.env, new Date()).date,
): ComplianceFinding[] {
  checkSuppressions(federation);
  const suppressions = federation.config.compliance.suppressions;
  return evaluate(COMPLIANCE_PACK, complianceContext(federation, stacks, asOf), {
    suppression: (f) => {
      const s = suppressions.find(
        (x) =>
          x.rule === f.rule &&
          (!x.tenant || x.tenant === f.tenant) &&
          (!x.resource || x.resource === `${f.stack} ${f.resource}`),
      );
      return s && { owner: s.owner, reason: s.reason };
    },
  });
}

/** Unsuppressed errors: these fail synthesis. */
export function blockingFindings(findings: readonly ComplianceFinding[]): ComplianceFinding[] {
  return blocking(findings);
}

const findingSchema = z.object({
  rule: z.string(),
  level: z.enum(['error', 'warning', 'info']),
  tenant: z.string().optional(),
  stack: z.string().optional(),
  resource: z.string().optional(),
  message: z.string(),
  suppressed: z.object({ owner: z.string(), reason: z.string().min(20) }).optional(),
});

const dated = { reference: z.string(), date: z.iso.date() };
const serviceText = z.object({ service: z.string(), text: z.string() });

export const complianceReportSchema = z
  .object({
    schemaVersion: z.literal(2),
    issue: z
      .object({
        date: z.iso.date().meta({ description: 'Ausstellungsdatum (Kalendertag in Europe/Berlin)' }),
        dateSource: z.enum(['SOURCE_DATE_EPOCH', 'Synthesezeitpunkt']),
        projectVersion: z.string().meta({ description: 'version in package.json' }),
        commit: z.string().meta({ description: "git commit of the project, or 'unbekannt'" }),
        configFile: z.string(),
        configSha256: z
          .string()
          .regex(/^(?:[0-9a-f]{64}|unbekannt)$/)
          .meta({ description: 'SHA-256 of the config file the report was synthesized from' }),
      })
      .meta({ description: 'provenance: what the report can be checked against' }),
    federation: z.string(),
    agency: z.object({
      id: z.string(),
      name: z.string(),
      kind: z.enum(TENANT_KINDS),
      kindLabel: z.string(),
      domain: z.string(),
    }),
    controller: z
      .object({
        name: z.string(),
        dataProtectionOfficer: z
          .object({ name: z.string(), email: z.string().optional(), phone: z.string().optional() })
          .nullable(),
      })
      .meta({ description: 'Verantwortlicher (Art. 4 Nr. 7 DSGVO): the agency itself, and its DPO (Art. 37)' }),
    services: z.array(
      z.object({
        service: z.string(),
        pillar: z.number().int().min(1).max(3).optional(),
        cluster: z.string().optional(),
        zone: z.string(),
        zoneKind: z.enum(ZONE_KINDS),
        zoneKindLabel: z.string(),
        classification: z.enum(['offen', 'VS-NfD']),
        operator: z.string(),
      }),
    ),
    purposes: z.array(z.object({ service: z.string(), purposes: z.array(z.string()) })),
    legalBasis: z.array(z.object({ basis: z.enum(LEGAL_BASES), label: z.string() })),
    dataSubjects: z.array(z.string()),
    dataCategories: z.array(z.object({ category: z.string(), examples: z.string(), services: z.array(z.string()) })),
    processors: z.array(
      z.object({
        name: z.string(),
        service: z.string(),
        agreement: z.object(dated).nullable(),
      }),
    ),
    saasProviders: z.array(z.object({ service: z.string(), provider: z.string(), homeserverUrl: z.string() })),
    federationPartners: z.array(
      z.object({
        service: z.string(),
        partner: z.string(),
        operator: z.string().nullable(),
        direction: z.enum(['beidseitig', 'ausgehend', 'eingehend', 'offen']),
        note: z.string().optional(),
      }),
    ),
    sharedInstances: z
      .array(z.object({ service: z.string(), agencies: z.array(z.string()) }))
      .meta({ description: 'other agencies on the same Wire instance' }),
    thirdCountryTransfers: z.array(z.object({ service: z.string(), recipient: z.string(), description: z.string() })),
    retention: z.object({
      concept: z.object({ ...dated, summary: z.string().optional() }).nullable(),
      services: z.array(serviceText),
    }),
    encryption: z.array(serviceText),
    presence: z.array(z.object({ service: z.string(), enabled: z.boolean() })),
    virusScanning: z.array(z.object({ service: z.string(), enabled: z.boolean(), note: z.string() })),
    vsNfdApprovedDevices: z.boolean(),
    terraformState: z.object({
      backend: z.enum(['local', 'pg', 's3']),
      location: z.string(),
      secrets: z.array(
        z.object({ stack: z.string(), secret: z.string(), namespace: z.string(), keys: z.array(z.string()) }),
      ),
    }),
    profiles: z.array(
      z.object({
        service: z.string(),
        settings: z.array(z.object({ setting: z.string(), value: z.string() })),
        weakened: z.array(z.object({ text: z.string(), reason: z.string().optional() })),
      }),
    ),
    coverage: z.array(
      z.object({ requirement: z.string(), title: z.string(), rule: z.string().optional(), how: z.string() }),
    ),
    dsfa: z
      .discriminatedUnion('status', [
        z.object({ status: z.literal('done'), ...dated }),
        z.object({
          status: z.literal('planned'),
          due: z.iso.date().optional(),
          overdueSince: z.iso
            .date()
            .optional()
            .meta({ description: 'the due date, when it lies before the date of issue' }),
        }),
        z.object({ status: z.literal('not-required'), reason: z.string() }),
      ])
      .nullable()
      .meta({ description: 'Datenschutz-Folgenabschätzung (Art. 35 DSGVO)' }),
    serviceAgreement: z
      .object({ ...dated, allowsPresence: z.boolean(), scope: z.string().optional() })
      .nullable()
      .meta({ description: 'Dienstvereinbarung' }),
    openItems: z.array(z.string()).meta({ description: 'what is still to do, in German' }),
    findings: z.array(findingSchema),
    federationFindings: z
      .array(findingSchema)
      .meta({ description: 'findings about the whole federation, not about a service of the agency' }),
    suppressions: z.array(findingSchema),
  })
  .meta({ title: 'Compliance report of one agency (record of processing activities, Art. 30 DSGVO)' });

export type ComplianceReport = z.infer<typeof complianceReportSchema>;

/** The name of the agency's SaaS provider, when it has a BundesMessenger as SaaS from a known operator. */
function saasProviderName(t: Tenant): string | undefined {
  const service = t.bundesMessengerService;
  return service?.mode === 'saas' ? service.provider?.name : undefined;
}

function servicesOf(t: Tenant): ComplianceReport['services'] {
  const out: ComplianceReport['services'] = [];
  const zoneKind = (kind: (typeof ZONE_KINDS)[number]) => ({
    zoneKind: kind,
    zoneKindLabel: label(ZONE_KIND_LABELS, kind),
  });
  const operatorName = (c: Cluster) => (operatedByAgency(c.operator, t) ? t.name : c.operator.name);
  for (const p of t.wirePillars) {
    out.push({
      service: 'Wire Bund',
      pillar: p.pillar,
      cluster: p.cluster.id,
      zone: p.cluster.zone.id,
      ...zoneKind(p.cluster.zone.kind),
      classification: p.classification,
      operator: p.operator.name,
    });
  }
  for (const server of t.matrixServers) {
    out.push({
      service: server.product === 'bundesmessenger' ? 'BundesMessenger (selbst betrieben)' : 'BwMessenger',
      cluster: server.cluster.id,
      zone: server.zone.id,
      ...zoneKind(server.zone.kind),
      classification: server.zone.maxClassification,
      operator: operatorName(server.cluster),
    });
  }
  const saas = t.bundesMessengerService?.mode === 'saas' ? t.bundesMessengerService : undefined;
  if (saas?.wellKnownCluster) {
    const c = saas.wellKnownCluster;
    out.push({
      service: WELL_KNOWN_SERVICE,
      cluster: c.id,
      zone: c.zone.id,
      ...zoneKind(c.zone.kind),
      classification: 'offen',
      operator: operatorName(c),
    });
  }
  if (saas) {
    out.push({
      service: 'BundesMessenger (SaaS)',
      zone: saas.zone?.id ?? 'internet',
      ...zoneKind('internet'),
      classification: 'offen',
      operator: saasProviderName(t) ?? saas.config.provider,
    });
  }
  return out;
}

/** What a report is issued with; synth passes both, a report built without them reads its provenance itself. */
export interface ReportContext {
  /** Date of issue, version, commit and config hash (policy/report/provenance.ts). */
  readonly issue?: ReportIssue;
  /** The synthesized stacks, for the secrets their Terraform state holds. */
  readonly stacks?: readonly SynthesizedStack[];
}

const OIDC_CLAUSE = '; bei Anmeldung über die Behörde (OIDC) deren Kennung';

const ENCRYPTION_DEFAULT: Readonly<Record<string, string>> = {
  all: 'Verschlüsselung für alle neuen Räume voreingestellt',
  invite: 'Verschlüsselung nur für private Räume und Direktnachrichten voreingestellt',
  off: 'Verschlüsselung nicht voreingestellt: neue Räume sind unverschlüsselt',
};

export function buildReport(
  federation: Federation,
  tenant: TenantConfig,
  findings: readonly ComplianceFinding[],
  context: ReportContext = {},
): ComplianceReport {
  // the library edge: a tenant of a model built in code is resolved here, once
  const t = resolvedTenant(federation, tenant);
  const dp = t.dataProtection;
  const services = servicesOf(t);
  const clusters = new Set(services.map((s) => s.cluster).filter(Boolean));
  const ownStacks = agencyStackNames(federation, t);
  // A finding about a resource concerns the agency when the resource is in one of its stacks; one about a cluster
  // (stack, no resource) when a service of the agency runs there; one without either concerns the whole federation.
  const concerns = (f: ComplianceFinding) =>
    f.tenant === t.id ||
    (!f.tenant &&
      !!f.stack &&
      (f.resource ? ownStacks.has(f.stack) : [...clusters].some((c) => f.stack!.startsWith(`${c}--`))));
  const federationWide = findings.filter((f) => !f.tenant && !f.stack);
  const agencyStacks = context.stacks?.filter((s) => ownStacks.has(s.name));
  const mine = findings.filter(concerns);
  const bum = t.bundesMessenger;
  const matrixServers = [
    ...(bum?.mode === 'self-hosted' ? [['BundesMessenger', bum] as const] : []),
    ...(t.bwMessenger ? [['BwMessenger', t.bwMessenger] as const] : []),
  ];
  // Products the agency uses, with the name each has in this report.
  const products: Array<[string, Product]> = [
    ...(t.wire ? [['Wire Bund', 'wire'] as [string, Product]] : []),
    ...(bum
      ? [[bum.mode === 'saas' ? 'BundesMessenger (SaaS)' : 'BundesMessenger', 'bundesmessenger'] as [string, Product]]
      : []),
    ...(t.bwMessenger ? [['BwMessenger', 'bwmessenger'] as [string, Product]] : []),
  ];
  const partners = federationPartners(federation, t);
  const federates = (service: string) => partners.some((p) => p.service.startsWith(service));
  const purposes = products.map(([service, product]) => ({
    service,
    purposes: [
      ...PRODUCTS[product].purposes,
      ...(product === 'wire' && t.wire?.ldap ? [CONDITIONAL.ldap.purpose] : []),
      ...(federates(service) ? [CONDITIONAL.federation.purpose] : []),
      ...(matrixServers.some(([s, m]) => s === service && m.virusScanning.enabled)
        ? [CONDITIONAL.virusScanning.purpose]
        : []),
    ],
  }));
  const dataSubjects = [
    ...new Set([
      ...products.flatMap(([service, product]) =>
        PRODUCTS[product].dataSubjects
          .filter(
            (s) =>
              !(
                product === 'wire' &&
                s.includes('derselben Wire-Instanz') &&
                sharedInstances(federation, t).length === 0
              ),
          )
          .concat(federates(service) ? [CONDITIONAL.federation.subject] : []),
      ),
    ]),
  ];
  const categories = new Map<string, { category: string; examples: string; services: string[] }>();
  for (const [service, product] of products) {
    const server = matrixServers.find(([s]) => s === service)?.[1];
    const own = [
      // sign-in through the agency (OIDC) only where the server is configured for it
      ...PRODUCTS[product].dataCategories.map((c) =>
        product !== 'wire' && !server?.identity ? { ...c, examples: c.examples.replace(OIDC_CLAUSE, '') } : c,
      ),
      ...(product === 'wire' && t.wire?.ldap ? [CONDITIONAL.ldap.category] : []),
    ];
    for (const c of own) {
      const key = `${c.category}\0${c.examples}`;
      const entry = categories.get(key) ?? { ...c, services: [] };
      entry.services.push(service);
      categories.set(key, entry);
    }
  }
  const backend = federation.stateBackend;
  const issue =
    context.issue ??
    reportIssue(projectRoot(), federation.sourceFile, process.env, new Date(), federation.sourceSha256);
  const dsfa = dp?.dsfa ?? null;
  const openDsfaStep = openDsfa(t, issue.date);
  const overdue = openDsfaStep?.state === 'planned' ? openDsfaStep.overdue : undefined;
  const openItems = [
    ...mine.filter((f) => !f.suppressed && f.level !== 'info').map((f) => `${f.rule}: ${f.message}`),
    ...(openDsfaStep?.state === 'planned'
      ? [
          overdue
            ? `Datenschutz-Folgenabschätzung überfällig seit ${germanDate(overdue)}: durchführen und mit Aktenzeichen und Datum erklären (dataProtection.dsfa)`
            : `Datenschutz-Folgenabschätzung geplant${openDsfaStep.due ? ` bis ${germanDate(openDsfaStep.due)}` : ''}: nach Abschluss mit Aktenzeichen und Datum erklären (dataProtection.dsfa)`,
        ]
      : []),
    ...(retentionMissing(t)
      ? [
          'Kein Löschkonzept erklärt (dataProtection.retention): Aufbewahrungs- und Löschfristen je Datenkategorie festlegen',
        ]
      : []),
    ...(backend.type === 'local'
      ? [
          'Der Terraform-State liegt in lokalen Dateien: für den Betrieb ein verschlüsseltes Backend mit beschränktem Zugriff wählen (stateBackend pg oder s3)',
        ]
      : backend.type === 's3' && !backend.encrypt
        ? [
            'Der Terraform-State wird ohne serverseitige Verschlüsselung abgelegt: nur zulässig, wenn der Speicher selbst verschlüsselt',
          ]
        : []),
    ...thirdCountryTransfers(t).map(
      (x) => `Übermittlung in ein Drittland prüfen (Art. 44 ff. DSGVO): ${x.service}, ${x.recipient}`,
    ),
    ...(bum?.mode === 'self-hosted'
      ? [
          `BundesMessenger: ${CLIENT_THIRD_PARTIES_DE}. Voreinstellungen der Clients prüfen und auf eigene Dienste umstellen oder abschalten, sonst erfahren diese Dritten IP-Adressen und Nutzungsdaten`,
        ]
      : []),
  ];
  const namespaces = agencyStacks
    ? stackNamespaces(agencyStacks).map((ns) => ({
        name: ns.name ?? '',
        level: ns.labels[POD_SECURITY_ENFORCE_LABEL] ?? 'keine',
        reason: !!ns.podSecurityReason,
      }))
    : undefined;
  return {
    schemaVersion: 2,
    issue,
    federation: federation.name,
    agency: { id: t.id, name: t.name, kind: t.kind, kindLabel: label(TENANT_KIND_LABELS, t.kind), domain: t.domain },
    controller: {
      name: t.name,
      dataProtectionOfficer: dp?.dataProtectionOfficer ? { ...dp.dataProtectionOfficer } : null,
    },
    services,
    purposes,
    legalBasis: (dp?.legalBasis ?? []).map((basis) => ({ basis, label: legalBasisLabel(basis, t.kind) })),
    dataSubjects,
    dataCategories: [...categories.values()],
    processors: processorsOf(federation, t).map((p) => {
      const a = dp?.agreements.find((x) => x.processor === p.operator);
      return { name: p.name, service: p.service, agreement: a ? { reference: a.reference, date: a.date } : null };
    }),
    saasProviders:
      bum?.mode === 'saas'
        ? [
            {
              service: 'BundesMessenger (SaaS)',
              provider: saasProviderName(t) ?? bum.provider,
              homeserverUrl: bum.homeserverUrl,
            },
          ]
        : [],
    federationPartners: partners.map((p) => ({ ...p })),
    sharedInstances: sharedInstances(federation, t),
    thirdCountryTransfers: thirdCountryTransfers(t),
    retention: {
      concept: dp?.retention
        ? {
            reference: dp.retention.reference,
            date: dp.retention.date,
            ...(dp.retention.summary ? { summary: dp.retention.summary } : {}),
          }
        : null,
      services: products.map(([service, product]) => {
        const server = matrixServers.find(([s]) => s === service)?.[1];
        const text =
          service === 'BundesMessenger (SaaS)'
            ? CONDITIONAL.saasRetention
            : server
              ? `${matrixRetention(server)}. ${PRODUCTS[product].retention}`
              : PRODUCTS[product].retention;
        return { service, text };
      }),
    },
    encryption: products.map(([service, product]) => {
      const server = matrixServers.find(([s]) => s === service)?.[1];
      const setting = server
        ? `; ${ENCRYPTION_DEFAULT[server.privacy.encryptionByDefault]}`
        : service === 'BundesMessenger (SaaS)'
          ? '; Voreinstellungen beim SaaS-Anbieter'
          : '';
      return { service, text: `${PRODUCTS[product].encryption}${setting}` };
    }),
    presence: matrixServers.map(([service, s]) => ({ service, enabled: s.privacy.presence })),
    virusScanning: matrixServers.map(([service, s]) => ({
      service,
      enabled: s.virusScanning.enabled,
      note: s.virusScanning.enabled
        ? 'Der Scanner erhält den Schlüssel jeder Datei: die Ende-zu-Ende-Verschlüsselung von Dateien ist geschwächt (bestätigt).'
        : `abgeschaltet: ${s.virusScanning.reason}`,
    })),
    vsNfdApprovedDevices: dp?.vsNfdApprovedDevices ?? false,
    terraformState: {
      backend: backend.type,
      location: stateLocation(backend),
      secrets: context.stacks
        ? stateSecrets(federation, t, context.stacks).map((s) => ({ ...s, keys: [...s.keys] }))
        : [],
    },
    profiles: serviceProfiles(t).map((p) => ({
      service: p.service,
      settings: p.settings.map((x) => ({ setting: x.setting, value: x.value })),
      weakened: p.weakened.map((w) => ({ ...w })),
    })),
    coverage: bsiCoverage({
      registry: federation.config.images?.registry,
      digests: Object.keys(federation.config.images?.digests ?? {}).length,
      ...(namespaces ? { namespaces } : {}),
    }),
    dsfa: dsfa ? { ...dsfa, ...(overdue ? { overdueSince: overdue } : {}) } : null,
    serviceAgreement: dp?.serviceAgreement
      ? {
          reference: dp.serviceAgreement.reference,
          date: dp.serviceAgreement.date,
          allowsPresence: dp.serviceAgreement.allowsPresence,
          ...(dp.serviceAgreement.scope ? { scope: dp.serviceAgreement.scope } : {}),
        }
      : null,
    openItems: [...new Set(openItems)],
    findings: mine.filter((f) => !f.suppressed),
    federationFindings: federationWide.filter((f) => !f.suppressed),
    suppressions: [...mine, ...federationWide].filter((f) => f.suppressed),
  };
}

const DIRECTION_LABELS: Readonly<Record<string, string>> = {
  beidseitig: 'beidseitig',
  ausgehend: 'nur von uns freigegeben',
  eingehend: 'föderiert mit uns (Freigabe durch den Partner)',
  offen: 'offen',
};

const list = (items: readonly string[], empty: string) => (items.length ? items.map((i) => `- ${i}`) : [`- ${empty}`]);
const table = markdownTable;
const d = (iso: string) => cell(germanDate(iso));

function dsfaText(r: ComplianceReport): string {
  const x = r.dsfa;
  if (!x) return '**Nicht erklärt.** Stand der Datenschutz-Folgenabschätzung unter dataProtection.dsfa angeben.';
  switch (x.status) {
    case 'done':
      return `Durchgeführt: ${cell(x.reference)} vom ${d(x.date)}.`;
    case 'planned':
      return x.overdueSince
        ? `**Überfällig seit ${d(x.overdueSince)}**: geplant, Abschluss war bis ${d(x.overdueSince)} vorgesehen; noch nicht abgeschlossen.`
        : `Geplant${x.due ? `, Abschluss bis ${d(x.due)}` : ''}; noch nicht abgeschlossen.`;
    case 'not-required':
      return `Nicht erforderlich. Begründung: ${cell(x.reason)}`;
  }
}

/** The findings table of a report, as lines (the compliance pack's Markdown writer). */
const findingsTable = (findings: ComplianceReport['findings']) => markdownWriter(findings).trimEnd().split('\n');

export function reportMarkdown(r: ComplianceReport): string {
  const dpo = r.controller.dataProtectionOfficer;
  const lines: string[] = [
    `# Datenschutz- und Sicherheitsbericht: ${cell(r.agency.name)}`,
    '',
    'Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO) für den dienstlichen Einsatz von Messengerdiensten, mit den technischen und organisatorischen Maßnahmen und der Abdeckung des BSI IT-Grundschutzes. Erzeugt bei jeder Synthese aus der Konfiguration der Föderation.',
    '',
    '## Angaben zum Bericht',
    '',
    ...table(
      ['Angabe', 'Wert'],
      [
        [
          'Ausstellungsdatum',
          `${d(r.issue.date)} (${r.issue.dateSource === 'SOURCE_DATE_EPOCH' ? 'aus SOURCE_DATE_EPOCH' : 'Tag der Synthese'})`,
        ],
        ['Projektversion', cell(r.issue.projectVersion)],
        ['Commit des Projekts', cell(r.issue.commit)],
        ['Konfigurationsdatei', cell(r.issue.configFile)],
        ['SHA-256 der Konfigurationsdatei', cell(r.issue.configSha256)],
        ['Föderation', cell(r.federation)],
        ['Berichtsformat', `Version ${r.schemaVersion}`],
      ],
    ),
    '',
    'Prüfsumme nachrechnen: sha256sum auf die genannte Konfigurationsdatei des genannten Commits anwenden; stimmt sie überein, beschreibt dieser Bericht genau diese Konfiguration.',
    '',
    '## 1. Verantwortlicher und Datenschutzbeauftragte',
    '',
    ...table(
      ['Angabe', 'Wert'],
      [
        ['Verantwortlicher (Art. 4 Nr. 7 DSGVO)', cell(r.controller.name)],
        ['Art der Stelle', cell(r.agency.kindLabel)],
        ['Kurzname, Domain', `${cell(r.agency.id)}, ${cell(r.agency.domain)}`],
        [
          'Datenschutzbeauftragte/r (Art. 37 DSGVO)',
          dpo
            ? [cell(dpo.name), dpo.email && `E-Mail ${cell(dpo.email)}`, dpo.phone && `Telefon ${cell(dpo.phone)}`]
                .filter(Boolean)
                .join(', ')
            : '**nicht benannt**',
        ],
      ],
    ),
    '',
    '## 2. Dienste, Zonen und Einstufung',
    '',
    ...table(
      ['Dienst', 'Säule', 'Cluster', 'Netzzone', 'Einstufung', 'Betreiber'],
      r.services.map((s) => [
        cell(s.service),
        s.pillar ? String(s.pillar) : '-',
        cell(s.cluster ?? '-'),
        `${cell(s.zoneKindLabel)}, Zone ${cell(s.zone)}`,
        cell(s.classification),
        cell(s.operator),
      ]),
    ),
    '',
    '## 3. Zwecke und Rechtsgrundlage der Verarbeitung',
    '',
    ...r.purposes.flatMap((p) => [`${cell(p.service)}:`, '', ...list(p.purposes.map(cell), 'keine'), '']),
    'Rechtsgrundlage:',
    '',
    ...list(
      r.legalBasis.map((b) => cell(b.label)),
      '**nicht erklärt**',
    ),
    '',
    '## 4. Betroffene Personen und Kategorien personenbezogener Daten',
    '',
    'Betroffene Personen:',
    '',
    ...list(r.dataSubjects.map(cell), 'keine'),
    '',
    ...table(
      ['Datenkategorie', 'Beispiele', 'Dienste'],
      r.dataCategories.map((c) => [cell(c.category), cell(c.examples), c.services.map(cell).join(', ')]),
    ),
    '',
    '## 5. Empfänger',
    '',
    '### Auftragsverarbeiter (Art. 28 DSGVO)',
    '',
    ...(r.processors.length === 0
      ? ['Keine Auftragsverarbeitung: die Behörde betreibt ihre Dienste selbst.']
      : table(
          ['Auftragsverarbeiter', 'Dienst', 'Auftragsverarbeitungsvertrag (AVV)'],
          r.processors.map((p) => [
            cell(p.name),
            cell(p.service),
            p.agreement ? `${cell(p.agreement.reference)} vom ${d(p.agreement.date)}` : '**fehlt**',
          ]),
        )),
    '',
    ...(r.saasProviders.length
      ? [
          '### SaaS-Anbieter',
          '',
          ...r.saasProviders.map(
            (s) =>
              `- ${cell(s.service)}: ${cell(s.provider)}, Homeserver ${cell(s.homeserverUrl)}. Betrieb, Einstellungen und Speicherorte des Dienstes regelt der AVV; sie sind nicht Teil dieser Konfiguration.`,
          ),
          '',
        ]
      : []),
    '### Föderationspartner',
    '',
    ...(r.federationPartners.length === 0
      ? ['Keine: kein Dienst der Behörde föderiert, und kein Server dieser Föderation gibt die Behörde frei.']
      : table(
          ['Dienst', 'Partner', 'Betrieben von', 'Richtung', 'Hinweis'],
          r.federationPartners.map((p) => [
            cell(p.service),
            cell(p.partner),
            p.operator ? cell(p.operator) : 'nicht in dieser Föderation',
            DIRECTION_LABELS[p.direction] ?? p.direction,
            p.note ? cell(p.note) : '-',
          ]),
        )),
    '',
    ...(r.federationPartners.length
      ? [
          'Föderierte Server erhalten die Nachrichten (verschlüsselt) sowie Kennungen und Metadaten der gemeinsamen Unterhaltungen.',
          '',
        ]
      : []),
    ...(r.sharedInstances.length
      ? [
          '### Weitere Behörden auf derselben Wire-Instanz',
          '',
          ...r.sharedInstances.map((s) => `- ${cell(s.service)}: ${s.agencies.map(cell).join(', ')}`),
          '',
        ]
      : []),
    '## 6. Übermittlung in Drittländer',
    '',
    ...(r.thirdCountryTransfers.length === 0
      ? [
          'Keine laut Konfiguration: die Dienste laufen bei den genannten Betreibern in den Netzzonen dieser Föderation, Föderationspartner sind erklärte Instanzen der Verwaltung.',
        ]
      : table(
          ['Dienst', 'Empfänger', 'Übermittelt'],
          r.thirdCountryTransfers.map((x) => [cell(x.service), cell(x.recipient), cell(x.description)]),
        )),
    '',
    '## 7. Speicherdauer und Löschung',
    '',
    r.retention.concept
      ? `Löschkonzept: ${cell(r.retention.concept.reference)} vom ${d(r.retention.concept.date)}.${r.retention.concept.summary ? ` Fristen: ${cell(r.retention.concept.summary)}` : ''}`
      : '**Kein Löschkonzept erklärt.**',
    '',
    ...r.retention.services.map((s) => `- ${cell(s.service)}: ${cell(s.text)}`),
    '',
    '## 8. Technische und organisatorische Maßnahmen (Art. 32 DSGVO)',
    '',
    '### Netztrennung',
    '',
    'Jeder Dienst läuft in der Netzzone seiner Einstufung (Abschnitt 2); Säule 1 ist nur aus den Netzen des Bundes erreichbar. Jeder Namespace hat Default-Deny-Netzregeln, Freigaben sind einzeln erklärt und geprüft.',
    '',
    '### Ende-zu-Ende-Verschlüsselung',
    '',
    ...list(
      r.encryption.map((e) => `${cell(e.service)}: ${cell(e.text)}`),
      'nicht zutreffend',
    ),
    '',
    '### Virenscan von Anhängen',
    '',
    ...list(
      r.virusScanning.map(
        (v) => `${cell(v.service)}: ${v.enabled ? 'eingeschaltet' : 'ausgeschaltet'}. ${cell(v.note)}`,
      ),
      'nicht zutreffend (kein selbst betriebener Matrix-Server)',
    ),
    '',
    '### Anwesenheitsstatus (Online-Status)',
    '',
    ...list(
      r.presence.map((p) => `${cell(p.service)}: ${p.enabled ? 'eingeschaltet' : 'ausgeschaltet'}`),
      'nicht zutreffend',
    ),
    '',
    '### Endgeräte',
    '',
    `VS-NfD-zugelassene Endgeräte erklärt: ${r.vsNfdApprovedDevices ? 'ja' : 'nein'}.`,
    '',
    '### Geheimnisse im Terraform-State',
    '',
    `Der Terraform-State der Stacks enthält Dienstgeheimnisse im Klartext: Terraform liest die vorab angelegten Kubernetes-Secrets vollständig ein und übergibt die genannten Schlüssel als sensitive Helm-Werte; die Markierung als sensitiv verbirgt sie nur in der Ausgabe. Ablage: ${cell(r.terraformState.location)}. Zugriff auf den Terraform-State nur für den Betrieb.`,
    '',
    ...(r.terraformState.secrets.length
      ? table(
          ['Stack', 'Secret (Namespace)', 'Schlüssel für Helm'],
          r.terraformState.secrets.map((s) => [
            cell(s.stack),
            `${cell(s.secret)} (${cell(s.namespace)})`,
            s.keys.length ? s.keys.map(cell).join(', ') : '-',
          ]),
        )
      : ['Die Stacks der Behörde lesen keine Secrets in den Terraform-State.']),
    '',
    ...(r.profiles.length
      ? [
          '### Sicherheits- und Datenschutzprofile der Dienste',
          '',
          ...r.profiles.flatMap((p) => [
            `${cell(p.service)}:`,
            '',
            ...table(
              ['Einstellung', 'Wert'],
              p.settings.map((s) => [cell(s.setting), cell(s.value)]),
            ),
            '',
            ...(p.weakened.length
              ? [
                  'Schwächer als die Vorgabe:',
                  '',
                  ...p.weakened.map((w) => `- ${cell(w.text)}. Begründung: ${w.reason ? cell(w.reason) : '**keine**'}`),
                  '',
                ]
              : []),
          ]),
        ]
      : []),
    '### Abdeckung BSI IT-Grundschutz (APP.4.4, SYS.1.6)',
    '',
    ...table(
      ['Anforderung', 'Titel', 'Prüfregel', 'Umsetzung'],
      r.coverage.map((c) => [c.requirement, cell(c.title), c.rule ?? 'keine', cell(c.how)]),
    ),
    '',
    '## 9. Datenschutz-Folgenabschätzung (Art. 35 DSGVO)',
    '',
    dsfaText(r),
    '',
    '## 10. Dienstvereinbarung',
    '',
    r.serviceAgreement
      ? `${cell(r.serviceAgreement.reference)} vom ${d(r.serviceAgreement.date)}. Online-Status: ${r.serviceAgreement.allowsPresence ? 'erlaubt' : 'nicht erlaubt'}.${r.serviceAgreement.scope ? ` Regelungsumfang: ${cell(r.serviceAgreement.scope)}` : ''}`
      : `Keine Dienstvereinbarung erklärt. ${supervisor(r.agency.kind)} empfiehlt, den Einsatz von Messengerdiensten in einer Dienstvereinbarung zu regeln.`,
    '',
    '## 11. Offene Punkte',
    '',
    ...list(r.openItems.map(cell), 'Keine.'),
    '',
    '## 12. Befunde der Prüfregeln',
    '',
    ...(r.findings.length === 0 ? ['Keine offenen Befunde.'] : findingsTable(r.findings)),
    '',
    '### Befunde, die die gesamte Föderation betreffen',
    '',
    ...(r.federationFindings.length === 0
      ? ['Keine.']
      : [
          'Diese Befunde betreffen die gesamte Föderation, nicht einzelne Dienste der Behörde; Befunde zu den Diensten der Behörde stehen oben.',
          '',
          ...findingsTable(r.federationFindings),
        ]),
    '',
    '## 13. Unterdrückte Befunde',
    '',
    ...(r.suppressions.length === 0
      ? ['Keine.']
      : table(
          ['Regel', 'Befund', 'Verantwortlich', 'Begründung'],
          r.suppressions.map((f) => [f.rule, cell(f.message), cell(f.suppressed!.owner), cell(f.suppressed!.reason)]),
        )),
    '',
    '## Kenntnisnahme',
    '',
    ...table(
      ['Rolle', 'Name', 'Datum', 'Unterschrift'],
      [
        ['Datenschutzbeauftragte/r', dpo ? cell(dpo.name) : '', '', ''],
        ['Verantwortliche Stelle', cell(r.controller.name), '', ''],
      ],
    ),
    '',
  ];
  return lines.join('\n');
}
