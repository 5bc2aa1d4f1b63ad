/**
 * The privacy profile of self-hosted BundesMessenger and BwMessenger (config/matrix-privacy.ts): defaults at the
 * chart's real keys, weakenings refused without a reason (config, with file and line) and listed with one
 * (DS-MATRIX-PRIVACY), no third-party tile server, value contracts on the effective values, German descriptions.
 */
import { BUNDESMESSENGER_CHART } from '../constructs/matrix/chart-version';
import { BUNDESMESSENGER, privacyContractProblems } from '../constructs/charts/bundesmessenger';
import { privacyValues } from '../constructs/matrix/values';
import {
  describeMatrixPrivacy,
  effectiveMatrixPrivacy,
  MATRIX_PRIVACY_DEFAULTS,
  weakenedMatrixPrivacy,
  type MatrixPrivacyInput,
} from '../config/matrix-privacy';
import type { Federation } from '../config/model';
import { RULES_BY_ID, tenantFindings } from '../policy/compliance-rules';
import {
  DEFAULT_YAML,
  defaultFederation,
  defaultStacks,
  issueAt,
  releaseValuesOf,
  replaceOnce,
  resources,
  stack,
  synthesize,
} from './helpers';
import { chartKeys, keyPaths } from './values-keys';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const BAB = 'bab-bum-1--tenant-bab';
const ZBK = 'bwi-bwm-1--tenant-zbkbw';
const BAB_PRIVACY = 'tenants[3].bundesMessenger.privacy';

function chartValues(stackName: string, stacks = defaultStacks()): Json {
  const r = Object.values(resources(stack(stacks, stackName), 'helm_release')).find(
    (x: Json) => x.chart === 'bundesmessenger',
  );
  return releaseValuesOf(r);
}

/** The default config with `privacy:` (YAML lines below it, indented 8) on BAB's BundesMessenger. */
const babPrivacy = (lines: string) => (y: string) =>
  replaceOnce(y, '      # privacy: all defaults', `      privacy:\n${lines}\n      # privacy`);

const REASON = 'Behördenweites Telefonbuch laut Dienstvereinbarung DV-BAB-2025-02';

const basics = {
  presence: false,
  urlPreviews: false,
  openRegistration: false,
  guestAccess: false,
  publicRoomsOverFederation: false,
  encryptionByDefault: 'all',
  pushNotificationContent: false,
} as const;

describe('defaults at the chart’s real keys', () => {
  it.each([BAB, ZBK])('%s', (name) => {
    const v = chartValues(name);
    expect(v.extraConfig).toMatchObject({
      retention: {
        enabled: true,
        default_policy: { max_lifetime: '365d' },
        allowed_lifetime_min: '1d',
        allowed_lifetime_max: '365d',
        purge_jobs: [{ interval: '1d' }],
      },
      media_retention: { local_media_lifetime: '365d', remote_media_lifetime: '30d' },
      user_directory: { enabled: true, search_all_users: false },
      require_auth_for_profile_requests: true,
      limit_profile_requests_to_users_who_share_rooms: true,
      include_profile_data_on_invite: false,
      allow_profile_lookup_over_federation: false,
      server_notices: { system_mxid_display_name: 'Hinweise des Betreibers', auto_join: true },
      oembed: { disable_default_providers: true },
      enable_3pid_lookup: false,
    });
    expect(v.config).toEqual({ reportStats: false, trustedKeyServers: [] });
    expect(v.additionalConfig).toEqual({
      dsgvoExport: { enabled: false },
      locationSharing: { enabled: false, map_style_url: '', map_style_config: null },
    });
    expect(privacyContractProblems(v)).toEqual([]);
  });
});

describe('every key path of the profile is a chart key, or a documented Synapse option below extraConfig', () => {
  const known = new Set(chartKeys(BUNDESMESSENGER_CHART.chart).keys());
  /**
   * Synapse options the chart's values do not show (extraConfig is free-form: it goes verbatim into
   * homeserver.yaml), by their documented names (Synapse configuration manual: retention, server_notices,
   * allow_profile_lookup_over_federation).
   */
  const SYNAPSE = new Set([
    'extraConfig.retention.default_policy',
    'extraConfig.retention.default_policy.max_lifetime',
    'extraConfig.retention.allowed_lifetime_min',
    'extraConfig.retention.allowed_lifetime_max',
    'extraConfig.retention.purge_jobs[]',
    'extraConfig.retention.purge_jobs[].interval',
    'extraConfig.allow_profile_lookup_over_federation',
    'extraConfig.server_notices',
    'extraConfig.server_notices.system_mxid_localpart',
    'extraConfig.server_notices.system_mxid_display_name',
    'extraConfig.server_notices.room_name',
    'extraConfig.server_notices.auto_join',
  ]);
  const unknown = (p: MatrixPrivacyInput) =>
    keyPaths(privacyValues(effectiveMatrixPrivacy(p))).filter((k) => !known.has(k) && !SYNAPSE.has(k));
  const weak: MatrixPrivacyInput = {
    ...basics,
    retention: {
      messages: { maxLifetime: 'forever', reason: REASON },
      localMedia: { maxLifetime: 'forever', reason: REASON },
      remoteMedia: { maxLifetime: '1y', reason: REASON },
    },
    userDirectory: { search: 'all-users', reason: REASON },
    profileLookups: { scope: 'all', reason: REASON },
    locationSharing: {
      enabled: true,
      tileServer: 'https://karten.bab.bund.example/wms?bbox={bbox-epsg-3857}',
      tileServerKind: 'raster',
      reason: REASON,
    },
    serverNotices: false,
    dataExport: { enabled: true, reason: REASON },
  };

  it.each([
    ['defaults', basics as MatrixPrivacyInput],
    ['everything weakened, raster tiles', weak],
  ])('%s', (_n, p) => {
    expect(unknown(p)).toEqual([]);
  });

  it('the chart keys it relies on exist as such (not only below a free-form map)', () => {
    for (const k of [
      'extraConfig.retention.enabled',
      'extraConfig.media_retention.local_media_lifetime',
      'extraConfig.media_retention.remote_media_lifetime',
      'extraConfig.user_directory.search_all_users',
      'extraConfig.limit_profile_requests_to_users_who_share_rooms',
      'extraConfig.require_auth_for_profile_requests',
      'extraConfig.include_profile_data_on_invite',
      'extraConfig.oembed.disable_default_providers',
      'config.reportStats',
      'config.trustedKeyServers[]',
      'additionalConfig.locationSharing.enabled',
      'additionalConfig.locationSharing.map_style_url',
      'additionalConfig.locationSharing.map_style_config',
      'additionalConfig.locationSharing.map_style_config.sources.wms_topplus.tiles[]',
      'additionalConfig.dsgvoExport.enabled',
    ])
      expect([k, known.has(k)]).toEqual([k, true]);
  });

  it('catches a misspelt option', () => {
    const v = privacyValues(effectiveMatrixPrivacy(basics));
    (v.extraConfig.user_directory as Json).search_all_user = false;
    expect(keyPaths(v).filter((k) => !known.has(k) && !SYNAPSE.has(k))).toEqual([
      'extraConfig.user_directory.search_all_user',
    ]);
  });
});

describe('a weakening without a reason is refused, with file and line', () => {
  it.each([
    [
      'messages kept forever',
      '        retention: { messages: { maxLifetime: forever } }',
      'retention.messages.maxLifetime',
    ],
    ['messages kept longer', '        retention: { messages: { maxLifetime: 2y } }', 'retention.messages.maxLifetime'],
    [
      'own files kept forever',
      '        retention: { localMedia: { maxLifetime: forever } }',
      'retention.localMedia.maxLifetime',
    ],
    [
      'cache kept longer',
      '        retention: { remoteMedia: { maxLifetime: 90d } }',
      'retention.remoteMedia.maxLifetime',
    ],
    ['whole user directory', '        userDirectory: { search: all-users }', 'userDirectory.reason'],
    ['profile lookups for all', '        profileLookups: { scope: all }', 'profileLookups.reason'],
    [
      'location sharing',
      '        locationSharing: { enabled: true, tileServer: https://karten.bab.bund.example/style.json }',
      'locationSharing.reason',
    ],
    ['the chart’s DSGVO exporter', '        dataExport: { enabled: true }', 'dataExport.reason'],
    [
      'a blank reason (25 spaces and a full stop)',
      `        userDirectory: { search: all-users, reason: '${' '.repeat(25)}.' }`,
      'userDirectory.reason',
    ],
    [
      'a reason too short',
      '        userDirectory: { search: all-users, reason: weil es geht }',
      'userDirectory.reason',
    ],
  ])('%s', (_n, lines, at) => {
    const i = issueAt(babPrivacy(lines), `${BAB_PRIVACY}.${at}`);
    // the line of the setting in the edited file
    expect(i.line).toBe(babPrivacy(lines)(DEFAULT_YAML).split('\n').indexOf(lines) + 1);
    expect(i.file).toMatch(/federation\.yaml$/);
  });

  it('says what the retention needs', () => {
    const i = issueAt(
      babPrivacy('        retention: { messages: { maxLifetime: forever } }'),
      `${BAB_PRIVACY}.retention.messages.maxLifetime`,
    );
    expect(i.message).toBe('keeping messages forever needs a reason (reason: at least 20 characters)');
    expect(i.value).toBe('forever');
  });

  it('shorter than the default needs no reason', () => {
    const v = chartValues(
      BAB,
      synthesize(
        defaultFederation(
          babPrivacy('        retention: { messages: { maxLifetime: 90d }, remoteMedia: { maxLifetime: 7d } }'),
        ),
      ),
    );
    expect(v.extraConfig.retention.default_policy.max_lifetime).toBe('90d');
    expect(v.extraConfig.retention.allowed_lifetime_max).toBe('90d');
    expect(v.extraConfig.media_retention).toEqual({ local_media_lifetime: '365d', remote_media_lifetime: '7d' });
  });

  it('refuses a lifetime Synapse would not read as days', () => {
    issueAt(
      babPrivacy('        retention: { messages: { maxLifetime: 12h } }'),
      `${BAB_PRIVACY}.retention.messages.maxLifetime`,
    );
  });
});

describe('with a reason: accepted, at the chart’s keys, and listed', () => {
  const lines = [
    `        retention: { messages: { maxLifetime: forever, reason: '${REASON}' }, remoteMedia: { maxLifetime: 90d, reason: '${REASON}' } }`,
    `        userDirectory: { search: all-users, reason: '${REASON}' }`,
    `        profileLookups: { scope: all, reason: '${REASON}' }`,
    `        locationSharing: { enabled: true, tileServer: 'https://karten.bab.bund.example/styles/bab/style.json', reason: '${REASON}' }`,
    `        dataExport: { enabled: true, reason: '${REASON}' }`,
    '        serverNotices: false',
  ].join('\n');
  const federation = defaultFederation(babPrivacy(lines));
  const v = chartValues(BAB, synthesize(federation));

  it('sets the weaker values', () => {
    expect(v.extraConfig.retention).toEqual({ enabled: false });
    // null removes the chart's default 90d from the values: kept as long as stated
    expect(v.extraConfig.media_retention).toEqual({ local_media_lifetime: '365d', remote_media_lifetime: '90d' });
    expect(v.extraConfig.user_directory.search_all_users).toBe(true);
    expect(v.extraConfig).toMatchObject({
      require_auth_for_profile_requests: true,
      limit_profile_requests_to_users_who_share_rooms: false,
      include_profile_data_on_invite: true,
      allow_profile_lookup_over_federation: true,
    });
    expect(v.extraConfig.server_notices).toBeUndefined();
    expect(v.additionalConfig).toEqual({
      dsgvoExport: { enabled: true },
      locationSharing: {
        enabled: true,
        map_style_url: 'https://karten.bab.bund.example/styles/bab/style.json',
        map_style_config: null,
      },
    });
    expect(privacyContractProblems(v)).toEqual([]);
  });

  it('DS-MATRIX-PRIVACY lists each weakening with its reason, for the agency, as a note', () => {
    const found = tenantFindings(federation).filter((f) => f.rule === 'DS-MATRIX-PRIVACY');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: 'info', tenant: 'bab', stack: BAB });
    for (const label of [
      'Aufbewahrung der Nachrichten: Nachrichten werden unbegrenzt aufbewahrt',
      'Zwischenspeicher für Dateien anderer Server: Dateien anderer Server werden 90 Tage aufbewahrt',
      'Nutzerverzeichnis',
      'Profilabfragen',
      'Standort teilen (Karten): Standort teilen ist an; die Apps laden Karten von karten.bab.bund.example',
      'DSGVO-Export des Charts',
    ])
      expect(found[0].message).toContain(label);
    expect(found[0].message.split(`Begründung: ${REASON}`)).toHaveLength(7);
  });

  it('the default federation has no DS-MATRIX-PRIVACY finding; the rule is in the catalogue', () => {
    expect(tenantFindings(defaultFederation()).filter((f) => f.rule === 'DS-MATRIX-PRIVACY')).toEqual([]);
    expect(RULES_BY_ID.get('DS-MATRIX-PRIVACY')?.title).toMatch(/nur mit Begründung/);
  });

  it('a model built in code without a reason is an error of DS-MATRIX-PRIVACY', () => {
    const f = structuredClone(defaultFederation()) as Federation;
    const bwm = f.tenants[4].bwMessenger as Json;
    bwm.privacy.userDirectory = { search: 'all-users' };
    bwm.privacy.locationSharing = {
      enabled: true,
      tileServer: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      tileServerKind: 'raster',
      reason: REASON,
    };
    const found = tenantFindings(f).filter((x) => x.rule === 'DS-MATRIX-PRIVACY');
    expect(found.map((x) => [x.tenant, x.level])).toEqual([
      ['zbkbw', 'error'],
      ['zbkbw', 'error'],
      ['zbkbw', 'info'],
    ]);
    expect(found[0].message).toMatch(
      /Nutzerverzeichnis .*ohne Begründung; bwMessenger\.privacy\.userDirectory\.search/,
    );
    expect(found[1].message).toMatch(/Kartendienst https:\/\/tile\.openstreetmap\.org.* liegt nicht in der Behörde/);
  });
});

describe('location sharing: off, or the agency’s own tile server', () => {
  it.each([
    'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    'https://sgx.geodatenzentrum.de/wms_topplus_open?bbox={bbox-epsg-3857}',
    // a name that only ends like the server name
    'https://evilbab.bund.example/{z}/{x}/{y}.png',
  ])('refuses the third-party tile server %s', (url) => {
    const i = issueAt(
      babPrivacy(
        `        locationSharing: { enabled: true, tileServer: '${url}', tileServerKind: raster, reason: '${REASON}' }`,
      ),
      `${BAB_PRIVACY}.locationSharing.tileServer`,
    );
    expect(i.message).toMatch(/is not inside the agency .*learns every client's IP address/);
  });

  it('refuses http and credentials', () => {
    issueAt(
      babPrivacy(
        `        locationSharing: { enabled: true, tileServer: 'http://karten.bab.bund.example/s.json', reason: '${REASON}' }`,
      ),
      `${BAB_PRIVACY}.locationSharing.tileServer`,
    );
    issueAt(
      babPrivacy(
        `        locationSharing: { enabled: true, tileServer: 'https://karten.bab.bund.example/s.json?key=abc', reason: '${REASON}' }`,
      ),
      `${BAB_PRIVACY}.locationSharing.tileServer`,
    );
  });

  it('raster tiles replace the tiles of the chart’s style and keep its layer', () => {
    const url = 'https://karten.bab.bund.example/wms?bbox={bbox-epsg-3857}&layers=web';
    const v = chartValues(
      BAB,
      synthesize(
        defaultFederation(
          babPrivacy(
            `        locationSharing: { enabled: true, tileServer: '${url}', tileServerKind: raster, attribution: Kartendienst der BAB, reason: '${REASON}' }`,
          ),
        ),
      ),
    );
    expect(v.additionalConfig.locationSharing).toEqual({
      enabled: true,
      map_style_url: '',
      map_style_config: { sources: { wms_topplus: { tiles: [url], attribution: 'Kartendienst der BAB' } } },
    });
    expect(privacyContractProblems(v)).toEqual([]);
  });

  it('a raster template needs its placeholders', () => {
    issueAt(
      babPrivacy(
        `        locationSharing: { enabled: true, tileServer: 'https://karten.bab.bund.example/tile.png', tileServerKind: raster, reason: '${REASON}' }`,
      ),
      `${BAB_PRIVACY}.locationSharing.tileServer`,
    );
  });
});

describe('value contracts on the effective values', () => {
  const base = chartValues(BAB);
  const mutated = (f: (v: Json) => void) => {
    const v = structuredClone(base);
    f(v);
    return BUNDESMESSENGER.valueContracts!(v);
  };
  it('the default values pass', () => {
    expect(BUNDESMESSENGER.valueContracts!(base)).toEqual([]);
  });
  it.each<[string, (v: Json) => void, RegExp]>([
    ['retention left to the chart', (v) => delete v.extraConfig.retention, /retention.enabled is not stated/],
    ['retention without a lifetime', (v) => delete v.extraConfig.retention.default_policy, /messages are kept forever/],
    ['no purge job', (v) => (v.extraConfig.retention.purge_jobs = []), /nothing is deleted/],
    [
      'local files left to the chart',
      (v) => delete v.extraConfig.media_retention.local_media_lifetime,
      /local_media_lifetime is not stated/,
    ],
    ['the directory left to the chart', (v) => delete v.extraConfig.user_directory, /search_all_users is not stated/],
    [
      'profiles without sign-in',
      (v) => (v.extraConfig.require_auth_for_profile_requests = false),
      /without signing in/,
    ],
    [
      'profile scope left to the chart',
      (v) => delete v.extraConfig.limit_profile_requests_to_users_who_share_rooms,
      /share_rooms is not stated/,
    ],
    ['usage statistics', (v) => (v.config.reportStats = true), /matrix.org/],
    ['a key server', (v) => (v.config.trustedKeyServers = [{ server_name: 'matrix.org' }]), /third-party key server/],
    ['oEmbed providers', (v) => (v.extraConfig.oembed.disable_default_providers = false), /oEmbed/],
    [
      'location sharing left to the chart',
      (v) => delete v.additionalConfig.locationSharing,
      /locationSharing.enabled is not stated/,
    ],
    [
      'the chart’s default style',
      (v) => delete v.additionalConfig.locationSharing.map_style_config,
      /chart's default style/,
    ],
    [
      'a style merged into the chart’s default',
      (v) => (v.additionalConfig.locationSharing.map_style_config = { name: 'x' }),
      /chart's default style/,
    ],
    [
      'a third-party style',
      (v) => {
        v.additionalConfig.locationSharing.enabled = true;
        v.additionalConfig.locationSharing.map_style_url = 'https://api.maptiler.com/maps/basic/style.json';
      },
      /api\.maptiler\.com is not inside the agency/,
    ],
    [
      'third-party tiles',
      (v) => {
        v.additionalConfig.locationSharing.enabled = true;
        v.additionalConfig.locationSharing.map_style_config = {
          sources: { wms_topplus: { tiles: ['https://sgx.geodatenzentrum.de/wms_topplus_open'] } },
        };
      },
      /sgx\.geodatenzentrum\.de is not inside the agency/,
    ],
    [
      'off, but still naming tiles',
      (v) => (v.additionalConfig.locationSharing.map_style_url = 'https://karten.bab.bund.example/s.json'),
      /off but still names map tiles/,
    ],
    [
      'on without a tile server',
      (v) => (v.additionalConfig.locationSharing.enabled = true),
      /without the agency’s tile server/,
    ],
  ])('fails: %s', (_n, f, expected) => {
    const problems = mutated(f);
    expect(problems.some((p) => expected.test(p))).toBe(true);
  });
});

describe('German description for the report', () => {
  it('labels every setting in German, defaults and weakenings', () => {
    const d = describeMatrixPrivacy(basics);
    expect(d.map((x) => x.setting)).toEqual([
      'Anwesenheitsstatus (online)',
      'Linkvorschau',
      'Offene Registrierung',
      'Gastzugang',
      'Öffentliches Raumverzeichnis über die Föderation',
      'Ende-zu-Ende-Verschlüsselung neuer Räume',
      'Nachrichteninhalt in Push-Benachrichtigungen',
      'Aufbewahrung der Nachrichten',
      'Aufbewahrung der eigenen Dateien',
      'Zwischenspeicher für Dateien anderer Server',
      'Nutzerverzeichnis (Suche nach Personen)',
      'Profilabfragen (Name, Bild)',
      'Standort teilen (Karten)',
      'Server-Hinweise des Betreibers',
      'DSGVO-Export des Charts',
      'Anfragen an Dritte',
    ]);
    const value = (s: string) => d.find((x) => x.setting === s)?.value;
    expect(value('Aufbewahrung der Nachrichten')).toBe('gelöscht nach 365 Tagen');
    expect(value('Zwischenspeicher für Dateien anderer Server')).toBe('gelöscht nach 30 Tagen ohne Abruf');
    expect(value('Nutzerverzeichnis (Suche nach Personen)')).toBe(
      'Personen aus gemeinsamen Räumen und Mitglieder öffentlicher Räume',
    );
    expect(value('Standort teilen (Karten)')).toBe('aus');
    expect(value('Ende-zu-Ende-Verschlüsselung neuer Räume')).toBe('alle Räume');
    const weak = describeMatrixPrivacy({
      ...basics,
      retention: { ...MATRIX_PRIVACY_DEFAULTS.retention, messages: { maxLifetime: 'forever', reason: REASON } },
      userDirectory: { search: 'all-users', reason: REASON },
    });
    expect(weak.find((x) => x.setting === 'Aufbewahrung der Nachrichten')?.value).toBe(
      `unbegrenzt (Begründung: ${REASON})`,
    );
    expect(weak.find((x) => x.setting === 'Nutzerverzeichnis (Suche nach Personen)')?.value).toBe(
      `alle Personen des Servers (Begründung: ${REASON})`,
    );
  });

  it('weakened settings name their config path and describe themselves in German', () => {
    expect(weakenedMatrixPrivacy(basics)).toEqual([]);
    expect(
      weakenedMatrixPrivacy({
        ...basics,
        retention: { ...MATRIX_PRIVACY_DEFAULTS.retention, localMedia: { maxLifetime: '2y' } },
      }),
    ).toEqual([
      {
        setting: 'retention.localMedia',
        path: ['privacy', 'retention', 'localMedia', 'maxLifetime'],
        description: 'eigene Dateien werden 730 Tage aufbewahrt, länger als der Standard (365 Tage)',
        reason: undefined,
      },
    ]);
  });
});
