/**
 * The data-protection and BSI compliance pack: rules with ids and levels (in the style of cdk-nag). Tenant rules
 * read the validated model; BSI rules read the synthesized Terraform JSON.
 */
import type { Federation } from '../config/model';
import type { TenantConfig } from '../config/schema';
import { collectFacts, defaultDenyNamespaces, providerAlias } from './facts';
import { wireProfileFindings } from './rules/wire-profile';
import { matrixPrivacyFindings } from './rules/matrix-privacy';
import { DIGEST, TAG_AT_DIGEST, type ChartImages } from '../constructs/images';
import { CHARTS } from '../constructs/charts';
import { chartName, releaseValues } from './helm-values';
import { toKubernetesObject, type SynthesizedStack } from './k8s-objects';
import { germanDate, germanText, supervisor } from './report/german';

export type Level = 'error' | 'warning' | 'info';

export interface ComplianceRule {
  readonly id: string;
  readonly level: Level;
  readonly title: string;
  /** Rules that protect the zone separation of Säule 1 and the VS-NfD rules cannot be suppressed. */
  readonly unsuppressible?: boolean;
  /** BSI IT-Grundschutz requirements the rule covers. */
  readonly bsi?: readonly string[];
}

export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
  {
    id: 'DS-LEGAL-BASIS',
    level: 'error',
    title: 'Rechtsgrundlage: öffentliche Aufgabe und Beschäftigungsverhältnis erklärt',
  },
  { id: 'DS-CONSENT', level: 'error', title: 'Einwilligung ist für Beschäftigte keine Rechtsgrundlage' },
  {
    id: 'DS-AVV',
    level: 'error',
    title: 'Auftragsverarbeitungsvertrag (AVV) mit jedem Betreiber, der nicht die Behörde selbst ist',
  },
  {
    id: 'DS-DIENSTVEREINBARUNG',
    level: 'warning',
    title: 'Dienstvereinbarung empfohlen (Aufsichtsbehörde für den Datenschutz)',
  },
  {
    id: 'DS-DPO',
    level: 'warning',
    title: 'Datenschutzbeauftragte oder Datenschutzbeauftragter benannt (Art. 37 DSGVO)',
  },
  {
    id: 'DS-DSFA',
    level: 'warning',
    title: 'Datenschutz-Folgenabschätzung durchgeführt, geplant oder begründet nicht erforderlich (Art. 35 DSGVO)',
  },
  { id: 'DS-PRESENCE', level: 'error', title: 'Anwesenheitsstatus nur mit Dienstvereinbarung, die ihn erlaubt' },
  {
    id: 'DS-VIRUS-SCAN',
    level: 'info',
    title: 'Virenscan von Anhängen schwächt die Ende-zu-Ende-Verschlüsselung für Dateien (bestätigt)',
  },
  {
    id: 'DS-MATRIX-PRIVACY',
    level: 'error',
    title:
      'BundesMessenger/BwMessenger: Aufbewahrung, Nutzerverzeichnis, Profilabfragen, Standort teilen nur mit Begründung schwächer als der Standard',
  },
  {
    id: 'VSNFD-DEVICES',
    level: 'error',
    title: 'Säule 1 nur mit VS-NfD-zugelassenen Endgeräten',
    unsuppressible: true,
  },
  { id: 'VSNFD-PRODUCTS', level: 'error', title: 'Im NdB nur für VS-NfD zugelassene Produkte', unsuppressible: true },
  {
    id: 'WIRE-PROFILE',
    level: 'error',
    title: 'Wire-Profil der Säule (Gastlinks, App-Sperre, VS-NfD-Kennzeichnung, …) nur mit Begründung abgeschwächt',
    unsuppressible: true,
  },
  {
    id: 'BSI-APP.4.4.A7',
    level: 'error',
    title: 'Netztrennung: Default-Deny zwischen Namespaces',
    bsi: ['APP.4.4.A7', 'APP.4.4.A18', 'SYS.1.6.A21'],
  },
  {
    id: 'BSI-APP.4.4.A15',
    level: 'error',
    title: 'Anwendungen unterschiedlichen Schutzbedarfs teilen keinen Cluster; Säule 1 auf eigenem Cluster',
    unsuppressible: true,
    bsi: ['APP.4.4.A1', 'APP.4.4.A14', 'APP.4.4.A15'],
  },
  {
    id: 'BSI-SYS.1.6.A17',
    level: 'error',
    title: 'Keine privilegierten Container ohne begründete Ausnahme (Pod Security restricted)',
    bsi: ['SYS.1.6.A17', 'APP.4.4.A4'],
  },
  {
    id: 'BSI-SYS.1.6.A6',
    level: 'warning',
    title: 'Images aus der internen Registry, per Digest fixiert',
    bsi: ['SYS.1.6.A6', 'SYS.1.6.A12'],
  },
  { id: 'BSI-SYS.1.6.A15', level: 'error', title: 'Ressourcenbegrenzung für jeden Container', bsi: ['SYS.1.6.A15'] },
];

export const RULES_BY_ID = new Map(COMPLIANCE_RULES.map((r) => [r.id, r]));

/** What the BSI rules cover, for the coverage table of the reports. */
export const BSI_COVERAGE: ReadonlyArray<{ requirement: string; title: string; rule?: string; how: string }> = [
  {
    requirement: 'APP.4.4.A1',
    title: 'Planung der Separierung der Anwendungen',
    rule: 'BSI-APP.4.4.A15',
    how: 'Zonen und Cluster je Schutzbedarf; Säule 1 nur im NdB',
  },
  {
    requirement: 'APP.4.4.A4',
    title: 'Separierung von Pods',
    rule: 'BSI-SYS.1.6.A17',
    how: 'Pod Security restricted je Namespace',
  },
  {
    requirement: 'APP.4.4.A7',
    title: 'Separierung der Netze',
    rule: 'BSI-APP.4.4.A7',
    how: 'Default-Deny-NetworkPolicy je Namespace, Freigaben als Verbindungen',
  },
  { requirement: 'APP.4.4.A9', title: 'Nutzung von Kubernetes Service-Accounts', how: 'nicht geprüft (Charts)' },
  {
    requirement: 'APP.4.4.A13',
    title: 'Automatisierte Auditierung der Konfiguration',
    rule: 'BSI-APP.4.4.A7',
    how: 'Prüfungen bei jeder Synthese und per npm run verify',
  },
  {
    requirement: 'APP.4.4.A14',
    title: 'Verwendung dedizierter Nodes',
    rule: 'BSI-APP.4.4.A15',
    how: 'Calling-Pool für hostNetwork-Dienste',
  },
  {
    requirement: 'APP.4.4.A15',
    title: 'Separierung von Anwendungen auf Node- und Cluster-Ebene',
    rule: 'BSI-APP.4.4.A15',
    how: 'Säule 1 auf eigenem Cluster',
  },
  {
    requirement: 'APP.4.4.A18',
    title: 'Verwendung von Mikro-Segmentierung',
    rule: 'BSI-APP.4.4.A7',
    how: 'eine NetworkPolicy je erklärter Verbindung',
  },
  {
    requirement: 'SYS.1.6.A6',
    title: 'Verwendung sicherer Images',
    rule: 'BSI-SYS.1.6.A6',
    how: 'interne Registry, Digests laut Konfiguration',
  },
  {
    requirement: 'SYS.1.6.A8',
    title: 'Sichere Speicherung von Zugangsdaten',
    how: 'Secrets nur als Referenz; nie als Literal im Repository oder der Ausgabe',
  },
  {
    requirement: 'SYS.1.6.A12',
    title: 'Verteilung sicherer Images',
    rule: 'BSI-SYS.1.6.A6',
    how: 'Charts und Images aus gespiegelten Repositories',
  },
  {
    requirement: 'SYS.1.6.A15',
    title: 'Limitierung der Ressourcen pro Container',
    rule: 'BSI-SYS.1.6.A15',
    how: 'LimitRange je Namespace, Requests/Limits je Dienst',
  },
  {
    requirement: 'SYS.1.6.A17',
    title: 'Ausführung von Containern ohne Privilegien',
    rule: 'BSI-SYS.1.6.A17',
    how: 'Pod Security restricted; Ausnahmen mit Begründung',
  },
  {
    requirement: 'SYS.1.6.A21',
    title: 'Erweiterte Sicherheitsrichtlinien',
    rule: 'BSI-APP.4.4.A7',
    how: 'eingehende und ausgehende Verbindungen nur nach Freigabe',
  },
  { requirement: 'SYS.1.6.A23', title: 'Unveränderlichkeit der Container', how: 'nicht geprüft (Charts)' },
];

/** What the coverage texts are derived from: the image settings of the config and the agency's namespaces. */
export interface CoverageFacts {
  readonly registry?: string;
  readonly digests: number;
  /** Pod Security of the namespaces of the agency's stacks; absent when the stacks are not known. */
  readonly namespaces?: ReadonlyArray<{ readonly name: string; readonly level: string; readonly reason?: boolean }>;
}

/** The coverage table for one report: the texts about images and Pod Security follow the config and the stacks. */
export function bsiCoverage(
  facts: CoverageFacts,
): Array<{ requirement: string; title: string; rule?: string; how: string }> {
  const ns = facts.namespaces;
  const others = ns?.filter((n) => n.level !== 'restricted') ?? [];
  const podSecurity = !ns
    ? 'Pod Security je Namespace geprüft: restricted oder begründete Ausnahme (siehe Befunde BSI-SYS.1.6.A17)'
    : ns.length === 0
      ? 'keine eigenen Namespaces der Behörde'
      : others.length === 0
        ? `Pod Security restricted in allen ${ns.length} Namespaces der Dienste der Behörde`
        : `Pod Security restricted in ${ns.length - others.length} von ${ns.length} Namespaces; Ausnahmen: ${others
            .map((n) => `${n.name} (${n.level}${n.reason ? ', begründet' : ', ohne Begründung'})`)
            .join(', ')}`;
  const digests =
    facts.digests > 0 ? `${facts.digests} Digests konfiguriert` : 'keine Digests konfiguriert (images.digests)';
  const images = facts.registry
    ? `interne Registry ${facts.registry}; ${digests}`
    : `keine interne Registry konfiguriert (images.registry): Standard-Images der Charts aus öffentlichen Registries; ${digests}`;
  const how: Record<string, string> = {
    'APP.4.4.A4': podSecurity,
    'SYS.1.6.A6': images,
    'SYS.1.6.A12': facts.registry
      ? `Images über die interne Registry ${facts.registry}; Charts aus den konfigurierten Chart-Repositories`
      : 'Charts aus den konfigurierten Chart-Repositories; Images nicht gespiegelt (keine interne Registry)',
    'SYS.1.6.A17': podSecurity,
  };
  return BSI_COVERAGE.map((c) => (how[c.requirement] ? { ...c, how: how[c.requirement] } : { ...c }));
}

export interface ComplianceFinding {
  readonly rule: string;
  readonly level: Level;
  readonly tenant?: string;
  readonly stack?: string;
  readonly resource?: string;
  readonly message: string;
  readonly suppressed?: { readonly owner: string; readonly reason: string };
}

function finding(
  rule: string,
  tenant: string | undefined,
  message: string,
  where: Partial<ComplianceFinding> = {},
): ComplianceFinding {
  const r = RULES_BY_ID.get(rule);
  if (!r) throw new Error(`internal: unknown compliance rule ${rule}`);
  return { rule, level: r.level, tenant, message, ...where };
}

/** The service name of the `.well-known/matrix` delegation a cluster of the federation serves for a SaaS agency. */
export const WELL_KNOWN_SERVICE = 'BundesMessenger (.well-known-Delegation der Domain)';

/** The operators (processors) whose services a tenant uses, with what for. */
export function processorsOf(
  federation: Federation,
  tenant: TenantConfig,
): Array<{ operator: string; name: string; service: string }> {
  const out: Array<{ operator: string; name: string; service: string }> = [];
  for (const pid of tenant.wire?.pillars ?? []) {
    const p = federation.pillars.find((x) => x.id === pid);
    if (p && p.operator.id !== tenant.id)
      out.push({ operator: p.operator.id, name: p.operator.name, service: `Wire Bund Säule ${p.pillar}` });
  }
  const bum = tenant.bundesMessenger;
  if (bum?.mode === 'saas') {
    const op = federation.operators.find((o) => o.id === bum.provider);
    out.push({ operator: bum.provider, name: op?.name ?? bum.provider, service: 'BundesMessenger (SaaS)' });
  }
  if (bum?.mode === 'saas' && bum.wellKnown) {
    // the cluster that serves the agency's domain (.well-known/matrix) sees the addresses of its clients
    const c = federation.clusters.find((x) => x.id === bum.wellKnown?.cluster);
    if (c && c.operator.id !== tenant.id)
      out.push({ operator: c.operator.id, name: c.operator.name, service: WELL_KNOWN_SERVICE });
  }
  if (bum?.mode === 'self-hosted') {
    const c = federation.clusters.find((x) => x.id === bum.cluster);
    if (c && c.operator.id !== tenant.id)
      out.push({ operator: c.operator.id, name: c.operator.name, service: 'BundesMessenger (Cluster-Betrieb)' });
  }
  if (tenant.bwMessenger) {
    const c = federation.clusters.find((x) => x.id === tenant.bwMessenger?.cluster);
    if (c && c.operator.id !== tenant.id)
      out.push({ operator: c.operator.id, name: c.operator.name, service: 'BwMessenger' });
  }
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(`${p.operator}|${p.service}`) && seen.add(`${p.operator}|${p.service}`));
}

/** Whether a planned DSFA is overdue on a day (`YYYY-MM-DD`): its due date lies before that day. */
export function dsfaOverdue(
  dsfa: NonNullable<TenantConfig['dataProtection']>['dsfa'],
  asOf: string | undefined,
): string | undefined {
  return asOf && dsfa?.status === 'planned' && dsfa.due && dsfa.due < asOf ? dsfa.due : undefined;
}

/**
 * Data-protection and VS-NfD rules per agency, on the validated model. `asOf` is the day of the check
 * (`YYYY-MM-DD`, the report's date of issue): a planned DSFA due before it is overdue.
 */
export function tenantFindings(federation: Federation, asOf?: string): ComplianceFinding[] {
  const out: ComplianceFinding[] = [];
  for (const t of federation.tenants) {
    const dp = t.dataProtection;
    const bases = new Set(dp?.legalBasis ?? []);
    if (bases.has('consent')) {
      out.push(
        finding(
          'DS-CONSENT',
          t.id,
          `${t.name}: die Einwilligung (legalBasis 'consent') ist für Beschäftigte keine Rechtsgrundlage; stattdessen 'public-task' und 'employment-relationship' erklären`,
        ),
      );
    }
    if (!bases.has('public-task') || !bases.has('employment-relationship')) {
      out.push(
        finding(
          'DS-LEGAL-BASIS',
          t.id,
          `${t.name}: dataProtection.legalBasis muss 'public-task' und 'employment-relationship' erklären (gefunden: ${[...bases].join(', ') || 'nichts'})`,
        ),
      );
    }
    for (const p of processorsOf(federation, t)) {
      const avv = dp?.agreements.find((a) => a.processor === p.operator);
      if (!avv) {
        out.push(
          finding(
            'DS-AVV',
            t.id,
            `${t.name}: kein Auftragsverarbeitungsvertrag (AVV) mit ${p.name} für ${p.service}; dataProtection.agreements[] mit processor '${p.operator}', Aktenzeichen (reference) und Datum (date) ergänzen`,
          ),
        );
      }
    }
    if (!dp?.serviceAgreement) {
      out.push(
        finding(
          'DS-DIENSTVEREINBARUNG',
          t.id,
          `${t.name}: keine Dienstvereinbarung erklärt; ${supervisor(t.kind).replace(/^D/, 'd')} empfiehlt eine (dataProtection.serviceAgreement)`,
        ),
      );
    }
    if (!dp?.dataProtectionOfficer) {
      out.push(
        finding(
          'DS-DPO',
          t.id,
          `${t.name}: keine Datenschutzbeauftragte und kein Datenschutzbeauftragter benannt (dataProtection.dataProtectionOfficer mit name, email, phone)`,
        ),
      );
    }
    if (!dp?.dsfa) {
      out.push(
        finding(
          'DS-DSFA',
          t.id,
          `${t.name}: Stand der Datenschutz-Folgenabschätzung nicht erklärt; dataProtection.dsfa angeben: durchgeführt (done, mit reference und date), geplant (planned, mit due) oder nicht erforderlich (mit reason)`,
        ),
      );
    }
    const overdue = dsfaOverdue(dp?.dsfa, asOf);
    if (overdue) {
      out.push(
        finding(
          'DS-DSFA',
          t.id,
          `${t.name}: die Datenschutz-Folgenabschätzung ist überfällig seit ${germanDate(overdue)} (geplant, nicht abgeschlossen); durchführen und mit Aktenzeichen und Datum erklären (dataProtection.dsfa) oder den Termin (due) begründet neu setzen`,
        ),
      );
    }
    for (const [label, server] of [
      ['BundesMessenger', t.bundesMessenger?.mode === 'self-hosted' ? t.bundesMessenger : undefined],
      ['BwMessenger', t.bwMessenger],
    ] as const) {
      if (!server) continue;
      if (server.privacy.presence && !dp?.serviceAgreement?.allowsPresence) {
        out.push(
          finding(
            'DS-PRESENCE',
            t.id,
            `${t.name}: ${label} zeigt den Online-Status (privacy.presence) ohne Dienstvereinbarung, die ihn erlaubt (er ermöglicht Leistungskontrollen); abschalten oder serviceAgreement.allowsPresence erklären`,
          ),
        );
      }
      if (server.virusScanning.enabled) {
        out.push(
          server.virusScanning.acknowledgeKeyDisclosure === true
            ? finding(
                'DS-VIRUS-SCAN',
                t.id,
                `${t.name}: ${label} prüft Anhänge auf Schadsoftware; der Scanner erhält dazu den Schlüssel jeder Datei, das schwächt die Ende-zu-Ende-Verschlüsselung von Dateien (bestätigt)`,
              )
            : {
                ...finding(
                  'DS-VIRUS-SCAN',
                  t.id,
                  `${t.name}: ${label} prüft Anhänge, ohne zu bestätigen, dass dies die Ende-zu-Ende-Verschlüsselung von Dateien schwächt; acknowledgeKeyDisclosure: true setzen`,
                ),
                level: 'error' as const,
              },
        );
      }
      // Only Wire Bund is approved for VS-NfD (with suitable devices); Matrix servers stay out of the NdB.
      const cluster = federation.clusters.find((c) => c.id === server.cluster);
      if (cluster?.zone.kind === 'ndb') {
        out.push(
          finding(
            'VSNFD-PRODUCTS',
            t.id,
            `${t.name}: ${label} ist nicht für VS-NfD zugelassen und darf nicht in der NdB-Zone laufen (Cluster '${cluster.id}')`,
          ),
        );
      }
    }
    out.push(...matrixPrivacyFindings(federation, t));
    const onP1 = (t.wire?.pillars ?? []).some((pid) => federation.pillars.find((p) => p.id === pid)?.pillar === 1);
    if (onP1 && !dp?.vsNfdApprovedDevices) {
      out.push(
        finding(
          'VSNFD-DEVICES',
          t.id,
          `${t.name}: nutzt Wire Bund Säule 1 (bis VS-NfD), erklärt aber nicht dataProtection.vsNfdApprovedDevices: true`,
        ),
      );
    }
  }
  out.push(...wireProfileFindings(federation));
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The image table of every chart the project deploys, by chart name. */
const CHART_IMAGES: Readonly<Record<string, ChartImages>> = Object.fromEntries(
  Object.values(CHARTS).map((d) => [d.chart, d.images]),
);

/**
 * What keeps a release's images from coming from the internal registry, pinned by the configured digests: read from
 * the values the release hands to Helm (so a values override that points an image elsewhere is seen), against the
 * chart's image table.
 */
export function releaseImageProblems(
  chart: string,
  body: Json,
  registry: string | undefined,
  digests: Readonly<Record<string, string>>,
): string[] {
  const table = CHART_IMAGES[chart];
  if (!table) return [`${chart}: Chart ohne Image-Tabelle; seine Images werden nicht geprüft`];
  let values: Json;
  try {
    values = releaseValues(body).values;
  } catch {
    return [`${chart}: die Werte des Release sind nicht lesbar; seine Images werden nicht geprüft`];
  }
  const at = (p: string) => p.split('.').reduce((o: Json, k) => o?.[k], values);
  const out: string[] = [];
  if (registry) {
    const elsewhere = table.images.filter((i) =>
      i.registry.kind === 'own-value'
        ? at(i.registry.registryPath) !== registry
        : !String(at(i.registry.repositoryPath) ?? '').startsWith(`${registry}/`),
    );
    if (elsewhere.length > 0) {
      out.push(
        `${chart}: ${elsewhere.map((i) => (i.registry.kind === 'own-value' ? i.registry.registryPath : i.registry.repositoryPath)).join(', ')} nicht auf ${registry} umgestellt`,
      );
    }
    for (const f of table.fixed ?? []) {
      out.push(
        `${chart}: über Werte nicht umlenkbar: ${germanText(f)}; unter eigenem Namen in der Container-Laufzeit spiegeln`,
      );
    }
  }
  for (const image of table.images) {
    const pin = digests[image.name];
    if (!pin) continue;
    const digest = pin.slice(pin.indexOf('sha256:'));
    const tag = image.tagPath ? String(at(image.tagPath) ?? '') : '';
    const pinned =
      (image.digestPath && at(image.digestPath) === digest) ||
      (TAG_AT_DIGEST.test(tag) && tag.endsWith(`@${digest}`) && DIGEST.test(digest));
    if (!pinned) out.push(`${chart}: Image '${image.name}' ist nicht auf den konfigurierten Digest ${digest} fixiert`);
  }
  return out;
}

/** BSI IT-Grundschutz checks on the synthesized resources. */
export function resourceFindings(
  stacks: readonly SynthesizedStack[],
  imageRegistry?: string,
  digests: Readonly<Record<string, string>> = {},
): ComplianceFinding[] {
  const out: ComplianceFinding[] = [];
  const facts = collectFacts(stacks);
  const denied = defaultDenyNamespaces(stacks);
  const limitRanges = new Set<string>();
  for (const s of stacks) {
    for (const body of Object.values(s.json.resource?.kubernetes_limit_range_v1 ?? {}) as Json[]) {
      limitRanges.add(`${providerAlias(body.provider)}/${body.metadata?.namespace}`);
    }
  }
  const clusterNamespaces = new Map<
    string,
    Array<{ stack: string; address: string; labels: Record<string, string> }>
  >();
  for (const s of stacks) {
    for (const [name, body] of Object.entries(s.json.resource?.kubernetes_namespace_v1 ?? {}) as Array<
      [string, Json]
    >) {
      const alias = providerAlias(body.provider) ?? '?';
      const ns = body.metadata?.name;
      const labels = body.metadata?.labels ?? {};
      const tenant = labels['messenger.bund/tenant'];
      const where = { stack: s.name, resource: `kubernetes_namespace_v1.${name}` };
      clusterNamespaces.set(alias, [
        ...(clusterNamespaces.get(alias) ?? []),
        { stack: s.name, address: where.resource, labels },
      ]);
      const deny = denied.has(`${alias}/${ns}`);
      if (!deny)
        out.push(
          finding(
            'BSI-APP.4.4.A7',
            tenant,
            `Namespace '${ns}' auf Cluster '${alias}' hat keine Default-Deny-NetworkPolicy`,
            where,
          ),
        );
      if (!limitRanges.has(`${alias}/${ns}`))
        out.push(
          finding(
            'BSI-SYS.1.6.A15',
            tenant,
            `Namespace '${ns}' auf Cluster '${alias}' hat keine LimitRange mit Standardgrenzen`,
            where,
          ),
        );
      const level = labels['pod-security.kubernetes.io/enforce'];
      const reason = body.metadata?.annotations?.['messenger.bund/pod-security-reason'];
      if (level !== 'restricted') {
        out.push(
          reason
            ? {
                ...finding(
                  'BSI-SYS.1.6.A17',
                  tenant,
                  `Namespace '${ns}' läuft als begründete Ausnahme mit Pod Security '${level}': ${germanText(reason)}`,
                  where,
                ),
                level: 'info' as const,
              }
            : finding(
                'BSI-SYS.1.6.A17',
                tenant,
                `Namespace '${ns}' ist nicht Pod Security 'restricted' (gefunden: '${level ?? 'keine'}') und nennt keine Begründung`,
                where,
              ),
        );
      }
    }
  }
  for (const [alias, namespaces] of clusterNamespaces) {
    const cluster = facts.clusters.get(alias);
    const classifications = new Set(namespaces.map((n) => n.labels['messenger.bund/classification']).filter(Boolean));
    if (classifications.size > 1) {
      out.push(
        finding(
          'BSI-APP.4.4.A15',
          undefined,
          `Cluster '${alias}' beherbergt Namespaces unterschiedlichen Schutzbedarfs (${[...classifications].join(', ')})`,
          { stack: namespaces[0].stack },
        ),
      );
    }
    if (cluster?.zone.kind === 'ndb') {
      for (const n of namespaces) {
        const service = n.labels['messenger.bund/service'];
        if (n.labels['messenger.bund/pillar'] !== '1' && service !== 'ingress') {
          out.push(
            finding(
              'BSI-APP.4.4.A15',
              n.labels['messenger.bund/tenant'],
              `Cluster '${alias}' betreibt Säule 1 und darf '${service}' nicht beherbergen (Namespace einer anderen Säule oder eines anderen Dienstes)`,
              { stack: n.stack, resource: n.address },
            ),
          );
        }
      }
    }
  }
  // Images: those the project sets itself must come from the internal registry and carry the configured digest.
  for (const s of stacks) {
    for (const [name, body] of Object.entries(s.json.resource?.kubernetes_deployment_v1 ?? {}) as Array<
      [string, Json]
    >) {
      const obj = toKubernetesObject('kubernetes_deployment_v1', body) as Json;
      for (const c of obj?.spec?.template?.spec?.containers ?? []) {
        const where = { stack: s.name, resource: `kubernetes_deployment_v1.${name}` };
        const image = String(c.image ?? '');
        if (!c.resources?.limits?.cpu || !c.resources?.limits?.memory) {
          out.push(
            finding('BSI-SYS.1.6.A15', undefined, `Container '${c.name}' hat keine CPU- und Speicher-Limits`, where),
          );
        }
        if (imageRegistry && !image.startsWith(`${imageRegistry}/`)) {
          out.push(
            finding(
              'BSI-SYS.1.6.A6',
              undefined,
              `Image '${image}' stammt nicht aus der internen Registry ${imageRegistry}`,
              where,
            ),
          );
        }
        const repo = image.split('@')[0].split(':')[0].split('/').pop() ?? '';
        const digest = digests[repo]?.slice(digests[repo].indexOf('sha256:'));
        if (digest && !image.endsWith(`@${digest}`)) {
          out.push(
            finding(
              'BSI-SYS.1.6.A6',
              undefined,
              `Image '${image}' ist nicht auf den konfigurierten Digest ${digest} fixiert`,
              where,
            ),
          );
        }
      }
    }
  }
  if (imageRegistry || Object.keys(digests).length > 0) {
    for (const s of stacks) {
      for (const [name, body] of Object.entries(s.json.resource?.helm_release ?? {}) as Array<[string, Json]>) {
        const where = { stack: s.name, resource: `helm_release.${name}` };
        const chart = chartName(body.chart);
        for (const problem of releaseImageProblems(chart, body, imageRegistry, digests)) {
          out.push(finding('BSI-SYS.1.6.A6', undefined, problem, where));
        }
      }
    }
  }
  const releases = stacks.reduce((n, s) => n + Object.keys(s.json.resource?.helm_release ?? {}).length, 0);
  if (!imageRegistry && releases > 0) {
    out.push(
      finding(
        'BSI-SYS.1.6.A6',
        undefined,
        `keine interne Image-Registry konfiguriert (images.registry): ${releases} Helm-Releases beziehen die Standard-Images ihrer Charts aus öffentlichen Registries; diese spiegeln`,
      ),
    );
  }
  return out;
}
