/**
 * Runs the compliance pack, applies suppressions (each with owner and reason) and builds one report per agency,
 * in German for the agency's data protection officer, as Markdown and JSON.
 */
import * as path from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../config/errors';
import type { Federation } from '../config/model';
import type { TenantConfig } from '../config/schema';
import {
  BSI_COVERAGE,
  COMPLIANCE_RULES,
  processorsOf,
  resourceFindings,
  RULES_BY_ID,
  tenantFindings,
  type ComplianceFinding,
} from './compliance-rules';
import type { SynthesizedStack } from './k8s-objects';

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

export function evaluateCompliance(federation: Federation, stacks: readonly SynthesizedStack[]): ComplianceFinding[] {
  checkSuppressions(federation);
  const all = [
    ...tenantFindings(federation),
    ...resourceFindings(stacks, federation.config.images?.registry, federation.config.images?.digests ?? {}),
  ];
  return all.map((f) => {
    const s = federation.config.compliance.suppressions.find(
      (x) =>
        x.rule === f.rule &&
        (!x.tenant || x.tenant === f.tenant) &&
        (!x.resource || x.resource === `${f.stack} ${f.resource}`),
    );
    return s ? { ...f, suppressed: { owner: s.owner, reason: s.reason } } : f;
  });
}

/** Unsuppressed errors: these fail synthesis. */
export function blockingFindings(findings: readonly ComplianceFinding[]): ComplianceFinding[] {
  return findings.filter((f) => f.level === 'error' && !f.suppressed);
}

export function formatComplianceFinding(f: ComplianceFinding): string {
  const where = [f.tenant && `tenant ${f.tenant}`, f.stack && f.resource ? `${f.stack} ${f.resource}` : f.stack]
    .filter(Boolean)
    .join(', ');
  return `[${f.rule}] ${f.level}${where ? ` (${where})` : ''}: ${f.message}`;
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

export const complianceReportSchema = z
  .object({
    schemaVersion: z.literal(1),
    federation: z.string(),
    agency: z.object({ id: z.string(), name: z.string(), kind: z.string(), domain: z.string() }),
    controller: z.string().meta({ description: 'Verantwortlicher (Art. 4 Nr. 7 DSGVO): the agency itself' }),
    services: z.array(
      z.object({
        service: z.string(),
        pillar: z.number().int().min(1).max(3).optional(),
        cluster: z.string().optional(),
        zone: z.string(),
        zoneKind: z.string(),
        classification: z.enum(['offen', 'VS-NfD']),
        operator: z.string(),
      }),
    ),
    processors: z.array(
      z.object({
        name: z.string(),
        service: z.string(),
        agreement: z.object({ reference: z.string(), date: z.string() }).nullable(),
      }),
    ),
    legalBasis: z.array(z.string()),
    serviceAgreement: z
      .object({ reference: z.string(), date: z.string(), allowsPresence: z.boolean(), scope: z.string().optional() })
      .nullable(),
    presence: z.array(z.object({ service: z.string(), enabled: z.boolean() })),
    federationPartners: z.array(z.object({ service: z.string(), partner: z.string() })),
    virusScanning: z.array(z.object({ service: z.string(), enabled: z.boolean(), note: z.string() })),
    vsNfdApprovedDevices: z.boolean(),
    findings: z.array(findingSchema),
    suppressions: z.array(findingSchema),
    coverage: z.array(
      z.object({ requirement: z.string(), title: z.string(), rule: z.string().optional(), how: z.string() }),
    ),
  })
  .meta({ title: 'Compliance report of one agency' });

export type ComplianceReport = z.infer<typeof complianceReportSchema>;

function servicesOf(federation: Federation, t: TenantConfig): ComplianceReport['services'] {
  const out: ComplianceReport['services'] = [];
  for (const pid of t.wire?.pillars ?? []) {
    const p = federation.pillars.find((x) => x.id === pid);
    if (p) {
      out.push({
        service: 'Wire Bund',
        pillar: p.pillar,
        cluster: p.cluster.id,
        zone: p.cluster.zone.id,
        zoneKind: p.cluster.zone.kind,
        classification: p.classification,
        operator: p.operator.name,
      });
    }
  }
  const bum = t.bundesMessenger;
  const matrix = [
    ...(bum?.mode === 'self-hosted' ? [['BundesMessenger (selbst betrieben)', bum.cluster] as const] : []),
    ...(t.bwMessenger ? [['BwMessenger', t.bwMessenger.cluster] as const] : []),
  ];
  for (const [service, clusterId] of matrix) {
    const c = federation.clusters.find((x) => x.id === clusterId);
    if (c)
      out.push({
        service,
        cluster: c.id,
        zone: c.zone.id,
        zoneKind: c.zone.kind,
        classification: c.zone.maxClassification,
        operator: c.operator.kind === 'agency' ? t.name : c.operator.name,
      });
  }
  if (bum?.mode === 'saas') {
    const zone = federation.zones.find((z) => z.kind === 'internet');
    out.push({
      service: 'BundesMessenger (SaaS)',
      zone: zone?.id ?? 'internet',
      zoneKind: 'internet',
      classification: 'offen',
      operator: federation.operators.find((o) => o.id === bum.provider)?.name ?? bum.provider,
    });
  }
  return out;
}

export function buildReport(
  federation: Federation,
  t: TenantConfig,
  findings: readonly ComplianceFinding[],
): ComplianceReport {
  const dp = t.dataProtection;
  const clusters = new Set(
    servicesOf(federation, t)
      .map((s) => s.cluster)
      .filter(Boolean),
  );
  const stacksOfTenant = (stack?: string) => !!stack && [...clusters].some((c) => stack.startsWith(`${c}--`));
  const mine = findings.filter((f) => f.tenant === t.id || (!f.tenant && (!f.stack || stacksOfTenant(f.stack))));
  const matrixServers = [
    ...(t.bundesMessenger?.mode === 'self-hosted' ? [['BundesMessenger', t.bundesMessenger] as const] : []),
    ...(t.bwMessenger ? [['BwMessenger', t.bwMessenger] as const] : []),
  ];
  const wirePartners = (t.wire?.pillars ?? []).flatMap(
    (pid) =>
      federation.pillars
        .find((p) => p.id === pid)
        ?.partners.map((x) => ({ service: `Wire Bund (${pid})`, partner: x.domain })) ?? [],
  );
  return {
    schemaVersion: 1,
    federation: federation.name,
    agency: { id: t.id, name: t.name, kind: t.kind, domain: t.domain },
    controller: t.name,
    services: servicesOf(federation, t),
    processors: processorsOf(federation, t).map((p) => {
      const a = dp?.agreements.find((x) => x.processor === p.operator);
      return { name: p.name, service: p.service, agreement: a ? { reference: a.reference, date: a.date } : null };
    }),
    legalBasis: [...(dp?.legalBasis ?? [])],
    serviceAgreement: dp?.serviceAgreement
      ? {
          reference: dp.serviceAgreement.reference,
          date: dp.serviceAgreement.date,
          allowsPresence: dp.serviceAgreement.allowsPresence,
          ...(dp.serviceAgreement.scope ? { scope: dp.serviceAgreement.scope } : {}),
        }
      : null,
    presence: matrixServers.map(([service, s]) => ({ service, enabled: s.privacy.presence })),
    federationPartners: [
      ...wirePartners,
      ...matrixServers.flatMap(([service, s]) =>
        s.federation.mode === 'allowList'
          ? s.federation.servers.map((partner) => ({ service, partner }))
          : [{ service, partner: s.federation.mode === 'open' ? 'alle (offen)' : 'keine' }],
      ),
    ],
    virusScanning: matrixServers.map(([service, s]) => ({
      service,
      enabled: s.virusScanning.enabled,
      note: s.virusScanning.enabled
        ? 'Der Scanner erhält den Schlüssel jeder Datei: die Ende-zu-Ende-Verschlüsselung von Dateien ist geschwächt (bestätigt).'
        : `abgeschaltet: ${s.virusScanning.reason}`,
    })),
    vsNfdApprovedDevices: dp?.vsNfdApprovedDevices ?? false,
    findings: mine.filter((f) => !f.suppressed),
    suppressions: mine.filter((f) => f.suppressed),
    coverage: [...BSI_COVERAGE],
  };
}

const LEGAL = {
  'public-task': 'Wahrnehmung einer öffentlichen Aufgabe',
  'employment-relationship': 'Beschäftigungsverhältnis',
  consent: 'Einwilligung (unzulässig für Beschäftigte)',
} as Record<string, string>;
const LEVEL = { error: 'Fehler', warning: 'Warnung', info: 'Hinweis' } as const;
/**
 * Config text inside Markdown: one line (line breaks collapsed), Markdown and HTML syntax escaped, so a name or a
 * reason cannot forge a heading, a table row, a link or markup in a report an agency signs.
 */
export const cell = (s: string | number) =>
  String(s)
    .replace(/\s+/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);

export function reportMarkdown(r: ComplianceReport): string {
  const lines: string[] = [
    `# Datenschutz- und Sicherheitsbericht: ${cell(r.agency.name)}`,
    '',
    `Föderation: ${cell(r.federation)}. Behörde: ${cell(r.agency.id)} (${cell(r.agency.kind)}), Domain ${cell(r.agency.domain)}.`,
    '',
    '## Dienste, Säulen, Zonen und Einstufung',
    '',
    '| Dienst | Säule | Cluster | Zone | Einstufung | Betreiber |',
    '| --- | --- | --- | --- | --- | --- |',
    ...r.services.map(
      (s) =>
        `| ${cell(s.service)} | ${s.pillar ?? '-'} | ${cell(s.cluster ?? '-')} | ${cell(s.zone)} (${cell(s.zoneKind)}) | ${cell(s.classification)} | ${cell(s.operator)} |`,
    ),
    '',
    '## Verantwortlicher und Auftragsverarbeiter',
    '',
    `Verantwortlicher: ${cell(r.controller)}.`,
    '',
    ...(r.processors.length === 0
      ? ['Keine Auftragsverarbeitung: die Behörde betreibt ihre Dienste selbst.']
      : [
          '| Auftragsverarbeiter | Dienst | Auftragsverarbeitungsvertrag (AVV) |',
          '| --- | --- | --- |',
          ...r.processors.map(
            (p) =>
              `| ${cell(p.name)} | ${cell(p.service)} | ${p.agreement ? `${cell(p.agreement.reference)} vom ${cell(p.agreement.date)}` : '**fehlt**'} |`,
          ),
        ]),
    '',
    '## Rechtsgrundlage',
    '',
    r.legalBasis.length ? r.legalBasis.map((b) => `- ${LEGAL[b] ?? b}`).join('\n') : '- **nicht erklärt**',
    '',
    '## Dienstvereinbarung',
    '',
    r.serviceAgreement
      ? `${cell(r.serviceAgreement.reference)} vom ${cell(r.serviceAgreement.date)}; Anwesenheitsstatus ${r.serviceAgreement.allowsPresence ? 'erlaubt' : 'nicht erlaubt'}.${r.serviceAgreement.scope ? ` Regelungsumfang: ${cell(r.serviceAgreement.scope)}` : ''}`
      : 'Keine Dienstvereinbarung erklärt. Der BfDI empfiehlt, eine abzuschließen.',
    '',
    '## Anwesenheitsstatus (Online-Status)',
    '',
    r.presence.length
      ? r.presence.map((p) => `- ${cell(p.service)}: ${p.enabled ? 'eingeschaltet' : 'ausgeschaltet'}`).join('\n')
      : '- nicht zutreffend',
    '',
    '## Föderationspartner',
    '',
    r.federationPartners.length
      ? r.federationPartners.map((p) => `- ${cell(p.service)}: ${cell(p.partner)}`).join('\n')
      : '- keine',
    '',
    '## Virenscan von Anhängen',
    '',
    r.virusScanning.length
      ? r.virusScanning
          .map((v) => `- ${cell(v.service)}: ${v.enabled ? 'eingeschaltet' : 'ausgeschaltet'}. ${cell(v.note)}`)
          .join('\n')
      : '- nicht zutreffend',
    '',
    `VS-NfD-zugelassene Endgeräte erklärt: ${r.vsNfdApprovedDevices ? 'ja' : 'nein'}.`,
    '',
    '## Befunde',
    '',
    ...(r.findings.length === 0
      ? ['Keine offenen Befunde.']
      : [
          '| Regel | Anforderung | Stufe | Befund |',
          '| --- | --- | --- | --- |',
          ...r.findings.map(
            (f) => `| ${f.rule} | ${RULES_BY_ID.get(f.rule)?.title ?? ''} | ${LEVEL[f.level]} | ${cell(f.message)} |`,
          ),
        ]),
    '',
    '## Unterdrückte Befunde',
    '',
    ...(r.suppressions.length === 0
      ? ['Keine.']
      : [
          '| Regel | Befund | Verantwortlich | Begründung |',
          '| --- | --- | --- | --- |',
          ...r.suppressions.map(
            (f) => `| ${f.rule} | ${cell(f.message)} | ${cell(f.suppressed!.owner)} | ${cell(f.suppressed!.reason)} |`,
          ),
        ]),
    '',
    '## Abdeckung BSI IT-Grundschutz (APP.4.4, SYS.1.6)',
    '',
    '| Anforderung | Titel | Prüfung | Umsetzung |',
    '| --- | --- | --- | --- |',
    ...r.coverage.map((c) => `| ${c.requirement} | ${c.title} | ${c.rule ?? 'nicht geprüft'} | ${cell(c.how)} |`),
    '',
  ];
  return lines.join('\n');
}
