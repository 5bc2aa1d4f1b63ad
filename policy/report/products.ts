/**
 * What each product processes, in German, for the record of processing activities (Art. 30 DSGVO) in the
 * compliance reports: purposes, categories of data subjects and of personal data, end-to-end encryption and what
 * the software keeps. The agency states its deletion concept (`dataProtection.retention`); the project sets the
 * retention of self-hosted Matrix servers (config/matrix-privacy.ts), none in Wire.
 */

import type { Product } from '../../config/domain';

export type { Product };

export interface DataCategory {
  readonly category: string;
  readonly examples: string;
}

export interface ProductEntry {
  readonly purposes: readonly string[];
  readonly dataSubjects: readonly string[];
  readonly dataCategories: readonly DataCategory[];
  /** What the platform encrypts end to end, and what the operator still sees. */
  readonly encryption: string;
  /** What the software keeps, and for how long, unless the agency's deletion concept sets periods. */
  readonly retention: string;
}

const MATRIX_CATEGORIES: readonly DataCategory[] = [
  {
    category: 'Bestandsdaten',
    examples:
      'Matrix-Kennung (@name:server), Anzeigename, Profilbild; bei Anmeldung über die Behörde (OIDC) deren Kennung',
  },
  {
    category: 'Inhaltsdaten',
    examples:
      'Nachrichten, Sprachnachrichten, Anhänge, Bilder, Videos und Umfragen; in verschlüsselten Räumen Ende-zu-Ende-verschlüsselt',
  },
  {
    category: 'Metadaten',
    examples:
      'Raummitgliedschaften, Raumnamen und -einstellungen, Zeitpunkte, Lesebestätigungen, Geräte und ihre öffentlichen Schlüssel (Raumzustand liegt unverschlüsselt auf dem Server und bei beteiligten föderierten Servern)',
  },
  { category: 'Verbindungsdaten', examples: 'IP-Adressen, Sitzungen, Zugriffsprotokolle des Servers' },
];

const MATRIX_ENCRYPTION =
  'Inhalte verschlüsselter Räume sind Ende-zu-Ende-verschlüsselt (Olm/Megolm); Raumzustand und Metadaten (Mitgliedschaften, Raumnamen, Zeitpunkte) verarbeitet der Server unverschlüsselt';

const MATRIX_RETENTION =
  'Synapse löscht Nachrichten und Dateien nach den Fristen des Datenschutzprofils; Konten bestehen bis zur Deaktivierung über die Admin-API.';

export const PRODUCTS: Readonly<Record<Product, ProductEntry>> = {
  wire: {
    purposes: [
      'Dienstliche Kommunikation der Beschäftigten: Text- und Sprachnachrichten, Dateien und Bilder in Einzel- und Gruppenunterhaltungen',
      'Audio- und Videokonferenzen sowie Bildschirmfreigabe',
    ],
    dataSubjects: [
      'Beschäftigte der Behörde, die den Dienst nutzen',
      'Beschäftigte anderer Behörden auf derselben Wire-Instanz (Kommunikationspartnerinnen und -partner)',
    ],
    dataCategories: [
      {
        category: 'Bestandsdaten',
        examples: 'Name, Benutzerkennung (Handle), dienstliche E-Mail-Adresse, Profilbild, Team-Zugehörigkeit',
      },
      {
        category: 'Inhaltsdaten',
        examples:
          'Nachrichten, Sprachnachrichten, Dateien und Bilder; Ende-zu-Ende-verschlüsselt, beim Betreiber nur verschlüsselt gespeichert',
      },
      {
        category: 'Metadaten',
        examples:
          'Kontakte, Unterhaltungs- und Gruppenmitgliedschaften, Zeitpunkte, Geräte und ihre öffentlichen Schlüssel',
      },
      {
        category: 'Verbindungsdaten',
        examples: 'IP-Adressen, Zugriffsprotokolle, Anrufverbindungen über die Calling-Server (SFT, TURN)',
      },
    ],
    encryption:
      'Nachrichten, Dateien sowie Audio- und Videoanrufe sind stets Ende-zu-Ende-verschlüsselt; der Betreiber verarbeitet Bestands-, Meta- und Verbindungsdaten',
    retention:
      'Dieses Projekt setzt in Wire keine Löschfristen; verschlüsselte Nachrichten und Dateien speichert der Betreiber laut AVV. Konten bestehen bis zur Löschung durch die Behörde (bei LDAP-Anbindung folgt der Kontobestand dem Verzeichnisdienst).',
  },
  bundesmessenger: {
    purposes: [
      'Dienstliche Kommunikation der Beschäftigten: Text- und Sprachnachrichten, Anhänge, Bilder und Videos in privaten Chats sowie in öffentlichen und geschlossenen Gruppen',
      'Umfragen und Abstimmungen innerhalb von Teams',
    ],
    dataSubjects: ['Beschäftigte der Behörde, die den Dienst nutzen'],
    dataCategories: MATRIX_CATEGORIES,
    encryption: MATRIX_ENCRYPTION,
    retention: MATRIX_RETENTION,
  },
  bwmessenger: {
    purposes: [
      'Dienstliche Kommunikation der Angehörigen der Bundeswehr: Text- und Sprachnachrichten, Anhänge, Bilder und Videos in Einzel- und Gruppenchats',
    ],
    dataSubjects: ['Angehörige der Bundeswehr, die den Dienst nutzen'],
    dataCategories: MATRIX_CATEGORIES,
    encryption: MATRIX_ENCRYPTION,
    retention: MATRIX_RETENTION,
  },
};

/** Purposes and data that depend on how the agency uses a product. */
export const CONDITIONAL = {
  ldap: {
    purpose: 'Anlage und Pflege der Nutzerkonten aus dem Verzeichnisdienst der Behörde (LDAP, SCIM)',
    category: {
      category: 'Verzeichnisdaten',
      examples: 'Name, E-Mail-Adresse und Gruppenzugehörigkeit aus dem Verzeichnisdienst der Behörde',
    },
  },
  federation: {
    purpose: 'Behördenübergreifende Kommunikation mit föderierten Instanzen',
    subject: 'Nutzende föderierter Instanzen (Kommunikationspartnerinnen und -partner)',
  },
  virusScanning: { purpose: 'Prüfung empfangener Anhänge auf Schadsoftware' },
  saasRetention:
    'Aufbewahrung und Löschung beim SaaS-Anbieter laut AVV; die Einstellungen des Dienstes sind nicht Teil dieser Konfiguration.',
} as const;
