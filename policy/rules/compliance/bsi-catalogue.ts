/**
 * The BSI IT-Grundschutz requirements of the coverage table (modules APP.4.4 Kubernetes and SYS.1.6 Containerisierung),
 * in the table's order. Which rule covers a requirement, and how, the rules declare (`covers` in their unit); a
 * requirement no rule covers names here why it is not checked, or what covers it outside the pack.
 */

export interface BsiRequirement {
  readonly id: string;
  readonly title: string;
  /** The table's text when no rule of the pack covers the requirement; without it, such a requirement has no row. */
  readonly withoutRule?: string;
}

export const BSI_REQUIREMENTS: readonly BsiRequirement[] = [
  { id: 'APP.4.4.A1', title: 'Planung der Separierung der Anwendungen' },
  { id: 'APP.4.4.A4', title: 'Separierung von Pods' },
  { id: 'APP.4.4.A7', title: 'Separierung der Netze' },
  { id: 'APP.4.4.A9', title: 'Nutzung von Kubernetes Service-Accounts', withoutRule: 'nicht geprüft (Charts)' },
  { id: 'APP.4.4.A13', title: 'Automatisierte Auditierung der Konfiguration' },
  { id: 'APP.4.4.A14', title: 'Verwendung dedizierter Nodes' },
  { id: 'APP.4.4.A15', title: 'Separierung von Anwendungen auf Node- und Cluster-Ebene' },
  { id: 'APP.4.4.A18', title: 'Verwendung von Mikro-Segmentierung' },
  { id: 'SYS.1.6.A6', title: 'Verwendung sicherer Images' },
  {
    id: 'SYS.1.6.A8',
    title: 'Sichere Speicherung von Zugangsdaten',
    withoutRule: 'Secrets nur als Referenz; nie als Literal im Repository oder der Ausgabe',
  },
  { id: 'SYS.1.6.A12', title: 'Verteilung sicherer Images' },
  { id: 'SYS.1.6.A15', title: 'Limitierung der Ressourcen pro Container' },
  { id: 'SYS.1.6.A17', title: 'Ausführung von Containern ohne Privilegien' },
  { id: 'SYS.1.6.A21', title: 'Erweiterte Sicherheitsrichtlinien' },
  { id: 'SYS.1.6.A23', title: 'Unveränderlichkeit der Container', withoutRule: 'nicht geprüft (Charts)' },
];
