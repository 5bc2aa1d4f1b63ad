/**
 * The Wire Bund pillar profile: the team feature switches galley enforces for every team of a pillar
 * (`galley.config.settings.featureFlags.*` of the wire-server chart), typed, with a preset per pillar (Säule) and
 * per-pillar overrides from the config. A Säule-1 profile that is weaker than its preset needs a recorded reason
 * (`wire.pillars[].profile.reason`); the compliance rule WIRE-PROFILE refuses it otherwise, and the report shows
 * the profile. Plain data and functions: config layer, no constructs.
 */
import type { PillarNumber } from './domain';
import type { WirePillar } from './model';
import type { ConfigPath } from './errors';

export const FEATURE_STATUSES = ['enabled', 'disabled'] as const;
export type FeatureStatus = (typeof FEATURE_STATUSES)[number];
/** `locked`: team admins cannot change the status; `unlocked`: they can (team settings). */
export const LOCK_STATUSES = ['locked', 'unlocked'] as const;
export type LockStatus = (typeof LOCK_STATUSES)[number];
/** galley's legal hold modes, from the most to the least protective. */
export const LEGALHOLD_MODES = [
  'disabled-permanently',
  'disabled-by-default',
  'whitelist-teams-and-implicit-consent',
] as const;
export type LegalholdMode = (typeof LEGALHOLD_MODES)[number];

/** Wire's inactivity timeout of the app lock: galley refuses less than 30 seconds. */
export const APP_LOCK_TIMEOUT = { min: 30, max: 86400 } as const;

export interface FeatureToggle {
  readonly status: FeatureStatus;
  readonly lockStatus: LockStatus;
}

/** The effective feature switches of one pillar (what galley gets). */
export interface WireProfile {
  /**
   * Clients mark a conversation as cleared (here: VS-NfD) only while every participant is on one of these domains.
   * Säule 1: the pillar's own federation domain and those of its VS-NfD federation partners in the NdB.
   */
  readonly classifiedDomains: { readonly status: FeatureStatus; readonly domains: readonly string[] };
  /** Links that let people without an account of the team join a conversation. */
  readonly conversationGuestLinks: FeatureToggle;
  /** App lock on the clients (PIN/biometrics); `enforced`: users cannot switch it off. */
  readonly appLock: {
    readonly status: FeatureStatus;
    readonly enforced: boolean;
    readonly inactivityTimeoutSecs: number;
  };
  readonly legalhold: LegalholdMode;
  readonly fileSharing: FeatureToggle;
  /** `enforcedTimeoutSeconds` 0: users choose; more: every message deletes itself after that time. */
  readonly selfDeletingMessages: FeatureToggle & { readonly enforcedTimeoutSeconds: number };
  /** A verification code by e-mail in addition to the password (second factor) at login and for new devices. */
  readonly sndFactorPasswordChallenge: FeatureToggle;
  /** The Outlook calendar add-in (a third party receives meeting data). */
  readonly outlookCalIntegration: FeatureToggle;
}

export type WireProfileSetting = keyof WireProfile;

/** `wire.pillars[].profile` as the config gives it: every setting and every field of it optional. */
export interface WireProfileOverrides {
  readonly classifiedDomains?: { readonly status?: FeatureStatus };
  readonly conversationGuestLinks?: Partial<FeatureToggle>;
  readonly appLock?: {
    readonly status?: FeatureStatus;
    readonly enforced?: boolean;
    readonly inactivityTimeoutSecs?: number;
  };
  readonly legalhold?: LegalholdMode;
  readonly fileSharing?: Partial<FeatureToggle>;
  readonly selfDeletingMessages?: Partial<FeatureToggle> & { readonly enforcedTimeoutSeconds?: number };
  readonly sndFactorPasswordChallenge?: Partial<FeatureToggle>;
  readonly outlookCalIntegration?: Partial<FeatureToggle>;
  /** Why the profile is weaker than the pillar's preset (required for Säule 1 by WIRE-PROFILE). */
  readonly reason?: string;
}

type Preset = Omit<WireProfile, 'classifiedDomains'> & { readonly classifiedDomains: FeatureStatus };

/**
 * Säule 1 (NdB, up to VS-NfD), the baseline the issue of the Bund sets; a weaker setting needs a recorded reason.
 */
const SAEULE_1: Preset = {
  // The VS-NfD marking: a conversation shows as cleared only while everyone in it is on a VS-NfD backend.
  classifiedDomains: 'enabled',
  // VS-NfD only on approved devices of identified staff: no one joins by link, and no team admin can allow it.
  conversationGuestLinks: { status: 'disabled', lockStatus: 'locked' },
  // Lost or unattended devices: the app locks itself after one minute (Wire's default timeout), users cannot opt out.
  appLock: { status: 'enabled', enforced: true, inactivityTimeoutSecs: 60 },
  // No recording of staff communication (a surveillance measure without a legal basis in the pillar); the
  // legalhold service is not deployed either (tags.legalhold: false).
  legalhold: 'disabled-permanently',
  // Documents up to VS-NfD are part of the approved use; team admins may still switch it off for their team.
  fileSharing: { status: 'enabled', lockStatus: 'unlocked' },
  // Data minimisation (Art. 5(1)(c), 25 GDPR): users may let messages delete themselves; admins may enforce a time.
  selfDeletingMessages: { status: 'enabled', lockStatus: 'unlocked', enforcedTimeoutSeconds: 0 },
  // A second factor for every login and new device of a VS-NfD account; not for team admins to switch off.
  sndFactorPasswordChallenge: { status: 'enabled', lockStatus: 'locked' },
  // The Outlook add-in hands meeting data to a third party outside the NdB: off and locked.
  outlookCalIntegration: { status: 'disabled', lockStatus: 'locked' },
};

/** Säule 3 (IT-Grundschutz, offen): an explicit default as the Bund would set it for agency networks. */
const SAEULE_3: Preset = {
  // Nothing in Säule 3 is classified: marking conversations as cleared would mislead (refused as a config error).
  classifiedDomains: 'disabled',
  // Off by default, but a team admin may open guest links for a team that works with outside partners.
  conversationGuestLinks: { status: 'disabled', lockStatus: 'unlocked' },
  // Offered to users, not enforced: the agencies' device management enforces a screen lock at Grundschutz level.
  appLock: { status: 'enabled', enforced: false, inactivityTimeoutSecs: 60 },
  // As in Säule 1: no recording of staff communication.
  legalhold: 'disabled-permanently',
  // File exchange is the everyday use of an agency messenger; team admins may switch it off.
  fileSharing: { status: 'enabled', lockStatus: 'unlocked' },
  // Data minimisation, as in Säule 1.
  selfDeletingMessages: { status: 'enabled', lockStatus: 'unlocked', enforcedTimeoutSeconds: 0 },
  // On by default; unlocked so that a team that signs in through its agency's identity provider (SSO, with its
  // own second factor) is not asked twice.
  sndFactorPasswordChallenge: { status: 'enabled', lockStatus: 'unlocked' },
  // No third party: the Outlook add-in stays off; a pillar that has an AVV for it overrides this with a reason.
  outlookCalIntegration: { status: 'disabled', lockStatus: 'locked' },
};

/**
 * The preset of each pillar. Säule 2 (internet, not implemented) takes the Säule-3 default until it is specified.
 */
export const WIRE_PROFILE_PRESETS: Readonly<Record<PillarNumber, Preset>> = { 1: SAEULE_1, 2: SAEULE_3, 3: SAEULE_3 };

/** The preset of a pillar as a profile, with the classified domains (used only when the preset enables them). */
export function wireProfileBaseline(pillar: PillarNumber, classifiedDomains: readonly string[]): WireProfile {
  const p = WIRE_PROFILE_PRESETS[pillar];
  return {
    ...p,
    classifiedDomains: {
      status: p.classifiedDomains,
      domains: p.classifiedDomains === 'enabled' ? [...classifiedDomains] : [],
    },
  };
}

/** The profile after the config's overrides (each field given replaces the preset's). */
export function applyOverrides(base: WireProfile, o: WireProfileOverrides = {}): WireProfile {
  const status = o.classifiedDomains?.status ?? base.classifiedDomains.status;
  return {
    classifiedDomains: { status, domains: status === 'enabled' ? base.classifiedDomains.domains : [] },
    conversationGuestLinks: { ...base.conversationGuestLinks, ...o.conversationGuestLinks },
    appLock: { ...base.appLock, ...o.appLock },
    legalhold: o.legalhold ?? base.legalhold,
    fileSharing: { ...base.fileSharing, ...o.fileSharing },
    selfDeletingMessages: { ...base.selfDeletingMessages, ...o.selfDeletingMessages },
    sndFactorPasswordChallenge: { ...base.sndFactorPasswordChallenge, ...o.sndFactorPasswordChallenge },
    outlookCalIntegration: { ...base.outlookCalIntegration, ...o.outlookCalIntegration },
  };
}

/** German names of the settings, for the report. */
export const WIRE_PROFILE_LABELS: Readonly<Record<WireProfileSetting, string>> = {
  classifiedDomains: 'Eingestufte Domänen (VS-NfD-Kennzeichnung von Unterhaltungen)',
  conversationGuestLinks: 'Gastlinks für Unterhaltungen',
  appLock: 'App-Sperre',
  legalhold: 'Legal Hold (Aufzeichnung der Kommunikation)',
  fileSharing: 'Dateiaustausch',
  selfDeletingMessages: 'Selbstlöschende Nachrichten',
  sndFactorPasswordChallenge: 'Zweiter Faktor bei der Anmeldung (Code per E-Mail)',
  outlookCalIntegration: 'Outlook-Kalenderintegration',
};

const STATUS_DE: Readonly<Record<FeatureStatus, string>> = { enabled: 'aktiviert', disabled: 'deaktiviert' };
const LOCK_DE: Readonly<Record<LockStatus, string>> = {
  locked: 'für Team-Admins gesperrt',
  unlocked: 'durch Team-Admins änderbar',
};
const LEGALHOLD_DE: Readonly<Record<LegalholdMode, string>> = {
  'disabled-permanently': 'dauerhaft deaktiviert',
  'disabled-by-default': 'deaktiviert, je Team freischaltbar',
  'whitelist-teams-and-implicit-consent': 'für freigegebene Teams aktiv (stillschweigende Einwilligung)',
};

const toggleText = (t: FeatureToggle) => `${STATUS_DE[t.status]}, ${LOCK_DE[t.lockStatus]}`;

/** The value of one setting in German. */
export function describeWireSetting(profile: WireProfile, setting: WireProfileSetting): string {
  switch (setting) {
    case 'classifiedDomains': {
      const c = profile.classifiedDomains;
      return c.status === 'enabled' ? `aktiviert: ${c.domains.join(', ') || '(keine Domäne)'}` : 'deaktiviert';
    }
    case 'appLock': {
      const a = profile.appLock;
      return a.status === 'enabled'
        ? `aktiviert, ${a.enforced ? 'erzwungen' : 'nicht erzwungen'}, Sperre nach ${a.inactivityTimeoutSecs} s Inaktivität`
        : 'deaktiviert';
    }
    case 'legalhold':
      return LEGALHOLD_DE[profile.legalhold];
    case 'selfDeletingMessages': {
      const s = profile.selfDeletingMessages;
      const t = s.enforcedTimeoutSeconds > 0 ? `, Löschung nach ${s.enforcedTimeoutSeconds} s erzwungen` : '';
      return `${toggleText(s)}${t}`;
    }
    default:
      return toggleText(profile[setting]);
  }
}

/** The profile as German rows for the report: one per setting. */
export function describeWireProfile(profile: WireProfile): Array<{ setting: string; value: string }> {
  return (Object.keys(WIRE_PROFILE_LABELS) as WireProfileSetting[]).map((s) => ({
    setting: WIRE_PROFILE_LABELS[s],
    value: describeWireSetting(profile, s),
  }));
}

/** One setting that is weaker than the preset, in German. */
export interface Weakening {
  readonly setting: WireProfileSetting;
  readonly text: string;
}

/**
 * A switch weakens when its status leaves the protective value, when it is unlocked although the preset locks it in
 * the protective value, or when it is locked in the non-protective value (team admins can no longer restrict it).
 */
function toggleWeakenings(
  setting: WireProfileSetting,
  base: FeatureToggle,
  eff: FeatureToggle,
  protective: FeatureStatus,
): Weakening[] {
  const label = WIRE_PROFILE_LABELS[setting];
  const out: Weakening[] = [];
  if (base.status === protective && eff.status !== protective)
    out.push({ setting, text: `${label}: ${STATUS_DE[eff.status]} statt ${STATUS_DE[base.status]}` });
  if (base.lockStatus === 'locked' && eff.lockStatus === 'unlocked' && base.status === protective)
    out.push({ setting, text: `${label}: ${LOCK_DE.unlocked} statt ${LOCK_DE.locked}` });
  if (base.lockStatus === 'unlocked' && eff.lockStatus === 'locked' && eff.status !== protective)
    out.push({
      setting,
      text: `${label}: ${STATUS_DE[eff.status]} und ${LOCK_DE.locked} (Team-Admins können nicht mehr einschränken)`,
    });
  return out;
}

/** What of `profile` is weaker than `base`, in German (empty: as strict as the preset, or stricter). */
export function weakenings(base: WireProfile, profile: WireProfile): Weakening[] {
  const out: Weakening[] = [];
  const L = WIRE_PROFILE_LABELS;
  if (base.classifiedDomains.status === 'enabled' && profile.classifiedDomains.status !== 'enabled')
    out.push({
      setting: 'classifiedDomains',
      text: `${L.classifiedDomains}: deaktiviert statt aktiviert (Unterhaltungen werden nicht mehr als VS-NfD gekennzeichnet)`,
    });
  out.push(
    ...toggleWeakenings(
      'conversationGuestLinks',
      base.conversationGuestLinks,
      profile.conversationGuestLinks,
      'disabled',
    ),
  );
  const [ba, pa] = [base.appLock, profile.appLock];
  if (ba.status === 'enabled' && pa.status !== 'enabled')
    out.push({ setting: 'appLock', text: `${L.appLock}: deaktiviert statt aktiviert` });
  if (ba.enforced && !pa.enforced)
    out.push({ setting: 'appLock', text: `${L.appLock}: nicht erzwungen statt erzwungen` });
  if (pa.inactivityTimeoutSecs > ba.inactivityTimeoutSecs)
    out.push({
      setting: 'appLock',
      text: `${L.appLock}: Sperre nach ${pa.inactivityTimeoutSecs} s statt ${ba.inactivityTimeoutSecs} s Inaktivität`,
    });
  if (LEGALHOLD_MODES.indexOf(profile.legalhold) > LEGALHOLD_MODES.indexOf(base.legalhold))
    out.push({
      setting: 'legalhold',
      text: `${L.legalhold}: ${LEGALHOLD_DE[profile.legalhold]} statt ${LEGALHOLD_DE[base.legalhold]}`,
    });
  out.push(...toggleWeakenings('fileSharing', base.fileSharing, profile.fileSharing, 'disabled'));
  out.push(
    ...toggleWeakenings('selfDeletingMessages', base.selfDeletingMessages, profile.selfDeletingMessages, 'enabled'),
  );
  const [bt, pt] = [
    base.selfDeletingMessages.enforcedTimeoutSeconds,
    profile.selfDeletingMessages.enforcedTimeoutSeconds,
  ];
  if (bt > 0 && (pt === 0 || pt > bt))
    out.push({
      setting: 'selfDeletingMessages',
      text: `${L.selfDeletingMessages}: ${pt === 0 ? 'keine erzwungene Löschung' : `Löschung nach ${pt} s`} statt nach ${bt} s`,
    });
  out.push(
    ...toggleWeakenings(
      'sndFactorPasswordChallenge',
      base.sndFactorPasswordChallenge,
      profile.sndFactorPasswordChallenge,
      'enabled',
    ),
  );
  out.push(
    ...toggleWeakenings('outlookCalIntegration', base.outlookCalIntegration, profile.outlookCalIntegration, 'disabled'),
  );
  return out;
}

/**
 * The classified domains of a pillar: for Säule 1 its own federation domain and those of its federation partners
 * that are in an NdB zone and carry VS-NfD (own pillars or external backends); none for the other pillars. The
 * partners carry their zone kind and classification (resolved by the loader); the federation is no longer read.
 */
export function classifiedDomainsOf(pillar: WirePillar): string[] {
  if (pillar.pillar !== 1) return [];
  const partners = pillar.partners
    .filter((p) => p.zoneKind === 'ndb' && p.classification === 'VS-NfD')
    .map((p) => p.domain);
  return [...new Set([pillar.federationDomain, ...partners])];
}

export interface EffectiveWireProfile {
  readonly profile: WireProfile;
  /** The pillar's preset (with its classified domains). */
  readonly baseline: WireProfile;
  /** German descriptions of every setting weaker than the baseline. */
  readonly weakened: string[];
  /** The reason the config records for the weakening. */
  readonly reason?: string;
}

/** The profile a pillar runs with: its preset, the config's overrides, what is weaker and why. */
export function effectiveWireProfile(pillar: WirePillar): EffectiveWireProfile {
  const baseline = wireProfileBaseline(pillar.pillar, classifiedDomainsOf(pillar));
  const profile = applyOverrides(baseline, pillar.profile);
  const reason = pillar.profile?.reason;
  return {
    profile,
    baseline,
    weakened: weakenings(baseline, profile).map((w) => w.text),
    ...(reason !== undefined ? { reason } : {}),
  };
}

/**
 * Config errors of one pillar's profile (the schema reports them with file and line): a reason without anything
 * weakened, and classified domains outside Säule 1.
 */
export function wireProfileConfigProblems(
  pillar: PillarNumber,
  overrides: WireProfileOverrides | undefined,
): Array<{ path: ConfigPath; message: string }> {
  if (!overrides) return [];
  const out: Array<{ path: ConfigPath; message: string }> = [];
  const base = wireProfileBaseline(pillar, []);
  if (overrides.classifiedDomains?.status === 'enabled' && WIRE_PROFILE_PRESETS[pillar].classifiedDomains !== 'enabled')
    out.push({
      path: ['classifiedDomains', 'status'],
      message: `classifiedDomains marks conversations as cleared for VS-NfD; Säule ${pillar} carries 'offen' and cannot enable it (allowed: 'disabled' or no override)`,
    });
  if (overrides.reason !== undefined && weakenings(base, applyOverrides(base, overrides)).length === 0)
    out.push({
      path: ['reason'],
      message: `a reason records why the profile is weaker than the Säule-${pillar} preset, but no setting is weaker; remove the reason or the override it was meant for`,
    });
  return out;
}
