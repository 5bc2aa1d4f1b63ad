/**
 * The privacy profile of a self-hosted Matrix homeserver (BundesMessenger, BwMessenger) beyond the switches of
 * `privacy` it always had: how long messages and files are kept, whom the user directory and profile lookups show,
 * location sharing and its map tiles, server notices and the chart's DSGVO exporter. Every setting has a stated
 * default; a setting weaker than its default needs a recorded reason (at least 20 characters), which the config
 * refuses without and the compliance rule DS-MATRIX-PRIVACY lists for the data protection officer.
 *
 * Plain data, its schema and functions: config layer, no constructs. The values of the chart are in
 * constructs/matrix/values.ts, the compliance rule in policy/rules/compliance/ds-matrix-privacy.ts.
 */
import { z } from 'zod';
import type { ConfigPath } from './errors';

/** A retention period as Synapse reads it: days, weeks or years (`y` = 365 days). */
export const LIFETIME = /^[1-9]\d{0,4}[dwy]$/;
export const FOREVER = 'forever';
export type Lifetime = string;

/** Days of a lifetime (`forever`: Infinity). */
export function lifetimeDays(lifetime: Lifetime): number {
  if (lifetime === FOREVER) return Infinity;
  const m = /^(\d+)([dwy])$/.exec(lifetime);
  if (!m) throw new Error(`internal: '${lifetime}' is not a lifetime`);
  return Number(m[1]) * { d: 1, w: 7, y: 365 }[m[2] as 'd' | 'w' | 'y'];
}

/**
 * The defaults, and why a Bund data protection officer can accept them:
 * - messages 365 days: a messenger is no file (Akte); what must be kept goes into the e-Akte within the year,
 *   and a year covers the questions that come back (Nachfragen, Vertretung, Jahresabschluss);
 * - own files 365 days since their last access: files follow the messages they were sent with;
 * - files of other servers 30 days since their last access: only a cache, fetched again when needed.
 */
export const MATRIX_RETENTION_DEFAULTS = { messages: '365d', localMedia: '365d', remoteMedia: '30d' } as const;
export type RetentionKind = keyof typeof MATRIX_RETENTION_DEFAULTS;

export interface RetentionSetting {
  /** A lifetime (`365d`, `52w`, `1y`) or `forever`. */
  readonly maxLifetime: Lifetime;
  readonly reason?: string;
}

export type UserDirectory =
  | { readonly search: 'shared-rooms' }
  | { readonly search: 'all-users'; readonly reason: string };
export type ProfileLookups = { readonly scope: 'shared-rooms' } | { readonly scope: 'all'; readonly reason: string };
export type LocationSharing =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      /** `style`: a MapLibre style (map_style_url); `raster`: a raster tile URL template (map_style_config). */
      readonly tileServer: string;
      readonly tileServerKind: 'style' | 'raster';
      readonly attribution?: string;
      readonly reason: string;
    };
export type DataExport = { readonly enabled: false } | { readonly enabled: true; readonly reason: string };

/** The settings of the profile (what `privacy` holds besides presence, URL previews & co.). */
export interface MatrixPrivacyProfile {
  readonly retention: {
    readonly messages: RetentionSetting;
    readonly localMedia: RetentionSetting;
    readonly remoteMedia: RetentionSetting;
  };
  readonly userDirectory: UserDirectory;
  readonly profileLookups: ProfileLookups;
  readonly locationSharing: LocationSharing;
  /** Synapse's server notices: a room per user in which the operator informs (not end-to-end encrypted). */
  readonly serverNotices: boolean;
  /** The chart's DSGVO exporter (`additionalConfig.dsgvoExport`). */
  readonly dataExport: DataExport;
}

export const MATRIX_PRIVACY_DEFAULTS: MatrixPrivacyProfile = {
  retention: {
    messages: { maxLifetime: MATRIX_RETENTION_DEFAULTS.messages },
    localMedia: { maxLifetime: MATRIX_RETENTION_DEFAULTS.localMedia },
    remoteMedia: { maxLifetime: MATRIX_RETENTION_DEFAULTS.remoteMedia },
  },
  userDirectory: { search: 'shared-rooms' },
  profileLookups: { scope: 'shared-rooms' },
  locationSharing: { enabled: false },
  serverNotices: true,
  dataExport: { enabled: false },
};

/** The switches `privacy` always had (presence, URL previews, ...), as far as the profile describes them. */
export interface MatrixPrivacyBasics {
  readonly presence: boolean;
  readonly urlPreviews: boolean;
  readonly openRegistration: boolean;
  readonly guestAccess: boolean;
  readonly publicRoomsOverFederation: boolean;
  readonly encryptionByDefault: 'all' | 'invite' | 'off';
  readonly pushNotificationContent: boolean;
}

/** `privacy` of a homeserver: the basic switches, and the profile (defaults where a setting is missing). */
export type MatrixPrivacyInput = MatrixPrivacyBasics & Partial<MatrixPrivacyProfile>;
export type EffectiveMatrixPrivacy = MatrixPrivacyBasics & MatrixPrivacyProfile;

/** The profile in effect: every setting the input leaves out at its default. */
export function effectiveMatrixPrivacy(privacy: MatrixPrivacyInput): EffectiveMatrixPrivacy {
  const d = MATRIX_PRIVACY_DEFAULTS;
  return {
    ...privacy,
    retention: {
      messages: privacy.retention?.messages ?? d.retention.messages,
      localMedia: privacy.retention?.localMedia ?? d.retention.localMedia,
      remoteMedia: privacy.retention?.remoteMedia ?? d.retention.remoteMedia,
    },
    userDirectory: privacy.userDirectory ?? d.userDirectory,
    profileLookups: privacy.profileLookups ?? d.profileLookups,
    locationSharing: privacy.locationSharing ?? d.locationSharing,
    serverNotices: privacy.serverNotices ?? d.serverNotices,
    dataExport: privacy.dataExport ?? d.dataExport,
  };
}

/** The minimum length of a reason for a weakened setting. */
export const MIN_REASON = 20;

export type MatrixPrivacySetting =
  | 'retention.messages'
  | 'retention.localMedia'
  | 'retention.remoteMedia'
  | 'userDirectory'
  | 'profileLookups'
  | 'locationSharing'
  | 'dataExport';

export interface WeakenedSetting {
  readonly setting: MatrixPrivacySetting;
  /** Where the choice is made, below the homeserver (`privacy.userDirectory.search`). */
  readonly path: ConfigPath;
  /** German: what is weaker than the default, for the data protection officer. */
  readonly description: string;
  readonly reason?: string;
}

/** German label of each setting, for the report. */
export const MATRIX_PRIVACY_LABELS: Readonly<Record<MatrixPrivacySetting | 'serverNotices' | 'thirdParties', string>> =
  {
    'retention.messages': 'Aufbewahrung der Nachrichten',
    'retention.localMedia': 'Aufbewahrung der eigenen Dateien',
    'retention.remoteMedia': 'Zwischenspeicher für Dateien anderer Server',
    userDirectory: 'Nutzerverzeichnis (Suche nach Personen)',
    profileLookups: 'Profilabfragen (Name, Bild)',
    locationSharing: 'Standort teilen (Karten)',
    serverNotices: 'Server-Hinweise des Betreibers',
    dataExport: 'DSGVO-Export des Charts',
    thirdParties: 'Anfragen an Dritte',
  };

/** `365 Tagen` (dative, after `nach`) or `365 Tage`. */
function days(lifetime: Lifetime, dative = true): string {
  const n = lifetimeDays(lifetime);
  return n === 1 ? '1 Tag' : `${n} ${dative ? 'Tagen' : 'Tage'}`;
}

function tileHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The settings weaker than their defaults, with their reasons (German descriptions). */
export function weakenedMatrixPrivacy(privacy: MatrixPrivacyInput): WeakenedSetting[] {
  const p = effectiveMatrixPrivacy(privacy);
  const out: WeakenedSetting[] = [];
  const what: Record<RetentionKind, string> = {
    messages: 'Nachrichten',
    localMedia: 'eigene Dateien',
    remoteMedia: 'Dateien anderer Server',
  };
  for (const kind of ['messages', 'localMedia', 'remoteMedia'] as const) {
    const r = p.retention[kind];
    const def = MATRIX_RETENTION_DEFAULTS[kind];
    if (lifetimeDays(r.maxLifetime) <= lifetimeDays(def)) continue;
    out.push({
      setting: `retention.${kind}`,
      path: ['privacy', 'retention', kind, 'maxLifetime'],
      description:
        r.maxLifetime === FOREVER
          ? `${what[kind]} werden unbegrenzt aufbewahrt (Standard: gelöscht nach ${days(def)})`
          : `${what[kind]} werden ${days(r.maxLifetime, false)} aufbewahrt, länger als der Standard (${days(def, false)})`,
      reason: r.reason,
    });
  }
  if (p.userDirectory.search === 'all-users')
    out.push({
      setting: 'userDirectory',
      path: ['privacy', 'userDirectory', 'search'],
      description:
        'das Nutzerverzeichnis zeigt allen alle Personen des Servers (Standard: Personen aus gemeinsamen Räumen und Mitglieder öffentlicher Räume)',
      reason: p.userDirectory.reason,
    });
  if (p.profileLookups.scope === 'all')
    out.push({
      setting: 'profileLookups',
      path: ['privacy', 'profileLookups', 'scope'],
      description:
        'Name und Bild jeder Person sind für alle angemeldeten Personen und über die Föderation abrufbar und stehen in Einladungen (Standard: nur bei gemeinsamen Räumen)',
      reason: p.profileLookups.reason,
    });
  if (p.locationSharing.enabled)
    out.push({
      setting: 'locationSharing',
      path: ['privacy', 'locationSharing', 'enabled'],
      description: `Standort teilen ist an; die Apps laden Karten von ${tileHost(p.locationSharing.tileServer)}, der dabei die IP-Adresse und den gezeigten Kartenausschnitt erfährt (Standard: aus)`,
      reason: p.locationSharing.reason,
    });
  if (p.dataExport.enabled)
    out.push({
      setting: 'dataExport',
      path: ['privacy', 'dataExport', 'enabled'],
      description:
        'der DSGVO-Export des Charts ist an: ein Dienstkonto darf in Synapse Befehle ausführen und Secrets schreiben, die Exporte bleiben auf einem Volume, das auch eine Deinstallation überdauert (Standard: aus)',
      reason: p.dataExport.reason,
    });
  return out;
}

/** Whether a recorded reason is enough. */
export function reasonGiven(reason: string | undefined): boolean {
  return (reason ?? '').trim().length >= MIN_REASON;
}

/**
 * Why a tile server is not inside the agency: its host must be the Matrix server name or lie below it (a name the
 * agency controls, e.g. `karten.<serverName>`). Undefined when it is.
 */
export function tileServerOutside(tileServer: string, serverName: string): string | undefined {
  let host: string;
  try {
    host = new URL(tileServer).hostname.toLowerCase();
  } catch {
    return `'${tileServer}' is not a URL`;
  }
  const name = serverName.toLowerCase();
  if (host === name || host.endsWith(`.${name}`)) return undefined;
  return `the tile server ${host} is not inside the agency (neither ${name} nor a name below it): a third-party tile server learns every client's IP address and the map section it shows, i.e. where the shared position is`;
}

/** German description of every privacy setting of a homeserver (the basic switches too), for the report. */
export function describeMatrixPrivacy(privacy: MatrixPrivacyInput): Array<{ setting: string; value: string }> {
  const p = effectiveMatrixPrivacy(privacy);
  const onOff = (b: boolean) => (b ? 'an' : 'aus');
  const why = (reason?: string) => (reason ? ` (Begründung: ${reason})` : '');
  const retention = (kind: RetentionKind, after: string) => {
    const r = p.retention[kind];
    return r.maxLifetime === FOREVER
      ? `unbegrenzt${why(r.reason)}`
      : `gelöscht nach ${days(r.maxLifetime)}${after}${why(r.reason)}`;
  };
  const L = MATRIX_PRIVACY_LABELS;
  return [
    { setting: 'Anwesenheitsstatus (online)', value: onOff(p.presence) },
    { setting: 'Linkvorschau', value: onOff(p.urlPreviews) },
    { setting: 'Offene Registrierung', value: onOff(p.openRegistration) },
    { setting: 'Gastzugang', value: onOff(p.guestAccess) },
    { setting: 'Öffentliches Raumverzeichnis über die Föderation', value: onOff(p.publicRoomsOverFederation) },
    {
      setting: 'Ende-zu-Ende-Verschlüsselung neuer Räume',
      value: { all: 'alle Räume', invite: 'nur Räume mit Einladung', off: 'aus' }[p.encryptionByDefault],
    },
    { setting: 'Nachrichteninhalt in Push-Benachrichtigungen', value: onOff(p.pushNotificationContent) },
    { setting: L['retention.messages'], value: retention('messages', '') },
    { setting: L['retention.localMedia'], value: retention('localMedia', ' ohne Abruf') },
    { setting: L['retention.remoteMedia'], value: retention('remoteMedia', ' ohne Abruf') },
    {
      setting: L.userDirectory,
      value:
        p.userDirectory.search === 'shared-rooms'
          ? 'Personen aus gemeinsamen Räumen und Mitglieder öffentlicher Räume'
          : `alle Personen des Servers${why(p.userDirectory.reason)}`,
    },
    {
      setting: L.profileLookups,
      value:
        p.profileLookups.scope === 'shared-rooms'
          ? 'nur angemeldet und bei gemeinsamen Räumen; keine Abfragen über die Föderation; keine Profildaten in Einladungen'
          : `alle angemeldeten Personen und andere Server; Profildaten in Einladungen${why(p.profileLookups.reason)}`,
    },
    {
      setting: L.locationSharing,
      value: p.locationSharing.enabled
        ? `an, Karten vom Kartendienst der Behörde ${tileHost(p.locationSharing.tileServer)}${why(p.locationSharing.reason)}`
        : 'aus',
    },
    {
      setting: L.serverNotices,
      value: p.serverNotices ? 'an (Raum „Hinweise des Betreibers“, nicht Ende-zu-Ende-verschlüsselt)' : 'aus',
    },
    {
      setting: L.dataExport,
      value: p.dataExport.enabled
        ? `an${why(p.dataExport.reason)}`
        : 'aus; Auskünfte nach Art. 15 DSGVO stellt der Betrieb mit dem Synapse-Befehl export-data zusammen',
    },
    {
      setting: L.thirdParties,
      value:
        'keine vom Server: keine Nutzungsstatistik an matrix.org, keine fremden Schlüssel-Server, keine oEmbed-Anbieter; ' +
        (p.locationSharing.enabled
          ? 'Karten nur vom Kartendienst der Behörde'
          : 'keine Kartenabrufe (Standort teilen aus)') +
        '; Anfragen der Clients an Dritte sind über das Chart nicht einstellbar: Integrationsmanager des Web-Clients, Jitsi für Videokonferenzen, voreingestellter Identitätsserver (siehe offene Punkte)',
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Schema (config/schema.ts spreads these into `privacy` of a Matrix homeserver)

/**
 * A recorded reason (for a weakened setting, a disabled safeguard, a suppression): at least MIN_REASON characters
 * once surrounding whitespace is trimmed and inner runs of whitespace count as one, so that 25 spaces and a full
 * stop are no reason. Every `reason` of the config is one of these (config/schema.ts re-exports it).
 */
export const reasonText = (message = `a reason needs at least ${MIN_REASON} characters besides surrounding spaces`) =>
  z
    .string()
    .trim()
    // one check, one message: inner runs of spaces count as one
    .refine((s) => s.replace(/\s+/g, ' ').length >= MIN_REASON, { message });

const reason = reasonText().meta({
  description: 'why the setting is weaker than its default; listed in the compliance report',
});

const retentionSetting = (kind: RetentionKind, what: string) => {
  const def = MATRIX_RETENTION_DEFAULTS[kind];
  return z
    .strictObject({
      maxLifetime: z
        .union([z.literal(FOREVER), z.string().regex(LIFETIME)], {
          message: `maxLifetime must be a number of days, weeks or years ('365d', '52w', '1y') or '${FOREVER}'`,
        })
        .default(def),
      reason: reason.optional(),
    })
    .superRefine((v, ctx) => {
      if (v.maxLifetime !== FOREVER && !LIFETIME.test(v.maxLifetime)) return; // refused above
      if (lifetimeDays(v.maxLifetime) > lifetimeDays(def) && !reasonGiven(v.reason))
        ctx.addIssue({
          code: 'custom',
          path: ['maxLifetime'],
          input: v.maxLifetime,
          message: `keeping ${what} ${v.maxLifetime === FOREVER ? 'forever' : `longer than the default ${def}`} needs a reason (reason: at least ${MIN_REASON} characters)`,
        });
    })
    .default({ maxLifetime: def })
    .meta({ description: `${what}: deleted after maxLifetime; default ${def}; longer or '${FOREVER}' needs a reason` });
};

const HAS_CREDENTIALS = (u: string): boolean => {
  try {
    const parsed = new URL(u);
    return (
      !!parsed.username ||
      !!parsed.password ||
      [...parsed.searchParams.keys()].some((k) =>
        /(token|password|secret|api[-_]?key|apikey|signature|auth|key)/i.test(k),
      )
    );
  } catch {
    return false;
  }
};

export const matrixPrivacyProfileFields = {
  retention: z
    .strictObject({
      messages: retentionSetting('messages', 'messages'),
      localMedia: retentionSetting('localMedia', 'files uploaded to this server (counted from their last access)'),
      remoteMedia: retentionSetting('remoteMedia', 'cached files of other servers (counted from their last access)'),
    })
    .default({
      messages: { maxLifetime: MATRIX_RETENTION_DEFAULTS.messages },
      localMedia: { maxLifetime: MATRIX_RETENTION_DEFAULTS.localMedia },
      remoteMedia: { maxLifetime: MATRIX_RETENTION_DEFAULTS.remoteMedia },
    })
    .meta({
      description: `Synapse deletes messages after ${MATRIX_RETENTION_DEFAULTS.messages}, own files ${MATRIX_RETENTION_DEFAULTS.localMedia} and other servers' files ${MATRIX_RETENTION_DEFAULTS.remoteMedia} after their last access (defaults); what must be kept belongs in the e-Akte`,
    }),
  userDirectory: z
    .discriminatedUnion('search', [
      z.strictObject({
        search: z.literal('shared-rooms').meta({ description: 'people find only those they share a room with' }),
      }),
      z.strictObject({
        search: z.literal('all-users').meta({ description: 'everybody finds everybody on the server' }),
        reason,
      }),
    ])
    .default({ search: 'shared-rooms' })
    .meta({ description: 'whom the user directory shows; default shared-rooms; all-users needs a reason' }),
  profileLookups: z
    .discriminatedUnion('scope', [
      z.strictObject({
        scope: z.literal('shared-rooms').meta({
          description:
            'names and avatars only for signed-in people sharing a room; none over federation; none in invites',
        }),
      }),
      z.strictObject({
        scope: z.literal('all').meta({ description: 'every signed-in person and every federated server' }),
        reason,
      }),
    ])
    .default({ scope: 'shared-rooms' })
    .meta({ description: 'who may look up profiles (always signed in); default shared-rooms; all needs a reason' }),
  locationSharing: z
    .discriminatedUnion('enabled', [
      z.strictObject({ enabled: z.literal(false) }),
      z
        .strictObject({
          enabled: z.literal(true),
          tileServer: z
            .url({ protocol: /^https$/, message: 'tileServer must be an https:// URL' })
            .refine((u) => !HAS_CREDENTIALS(u), {
              message: 'tileServer must not carry credentials (user:password@ or a key in the query)',
            })
            .meta({
              description:
                "the agency's own tile server, below the Matrix server name (e.g. https://karten.<serverName>/styles/behoerde/style.json); a third-party tile server is refused",
            }),
          tileServerKind: z.enum(['style', 'raster']).default('style').meta({
            description:
              'style: tileServer is a MapLibre style JSON; raster: a raster tile URL template with {bbox-epsg-3857} or {z}/{x}/{y}',
          }),
          attribution: z
            .string()
            .max(300)
            .regex(/^[^<>]*$/, { message: 'attribution is plain text (no HTML, no links to third parties)' })
            .optional()
            .meta({ description: 'raster only: the attribution shown on the map' }),
          reason,
        })
        .superRefine((v, ctx) => {
          if (v.tileServerKind === 'raster' && !/\{bbox-epsg-3857\}|\{z\}/.test(v.tileServer))
            ctx.addIssue({
              code: 'custom',
              path: ['tileServer'],
              input: v.tileServer,
              message: 'a raster tile URL template needs {bbox-epsg-3857} (WMS) or {z}/{x}/{y}',
            });
        }),
    ])
    .default({ enabled: false })
    .meta({
      description:
        "location sharing in the apps; default off (the chart's default loads map tiles from a third party, which learns IP address and position); on only with the agency's own tile server and a reason",
    }),
  serverNotices: z.boolean().default(true).meta({
    description:
      "Synapse's server notices: the operator informs users in a room of its own (not end-to-end encrypted), e.g. about deletion periods; default on",
  }),
  dataExport: z
    .discriminatedUnion('enabled', [
      z.strictObject({
        enabled: z.literal(false).meta({
          description: 'Art. 15 requests are answered by the operator with Synapse’s export-data admin command',
        }),
      }),
      z.strictObject({
        enabled: z.literal(true).meta({
          description:
            "the chart's DSGVO exporter: a suspended CronJob that runs export-data through kubectl exec (Role with pods/exec and Secret write access), exports kept on a volume that survives uninstalling",
        }),
        reason,
      }),
    ])
    .default({ enabled: false })
    .meta({ description: "the chart's DSGVO exporter (additionalConfig.dsgvoExport); default off" }),
};

/**
 * Checks of the profile that need the homeserver's other fields (config/schema.ts runs it on every Matrix server):
 * the tile server lies inside the agency.
 */
export function matrixPrivacyServerIssues(server: {
  readonly serverName: string;
  readonly privacy: Partial<MatrixPrivacyProfile>;
}): Array<{ path: ConfigPath; message: string; input: unknown }> {
  const ls = server.privacy.locationSharing;
  if (!ls?.enabled) return [];
  const outside = tileServerOutside(ls.tileServer, server.serverName);
  return outside
    ? [{ path: ['privacy', 'locationSharing', 'tileServer'], message: outside, input: ls.tileServer }]
    : [];
}
