/**
 * The Wire Bund pillar profile: presets per Säule, classified domains, overrides with a recorded reason, the
 * compliance rule WIRE-PROFILE, galley's feature flags at the chart's key paths, and the render contract on galley's
 * rendered config (with the real chart when the offline mirror exists).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { formatPath } from '../config/errors';
import type { Federation, WirePillar } from '../config/model';
import type { Classification, ZoneKind } from '../config/schema';
import {
  classifiedDomainsOf,
  describeWireProfile,
  effectiveWireProfile,
  WIRE_PROFILE_PRESETS,
} from '../config/wire-profile';
import { expectedGalleyFlags } from '../constructs/charts/wire-server';
import { tenantFindings, RULES_BY_ID } from '../policy/compliance-rules';
import { evaluate } from '../policy/engine';
import { wireProfile } from '../policy/rules/compliance/wire-profile';
import type { KubernetesObject, SynthesizedStack } from '../policy/k8s-objects';
import { checkRendered } from '../policy/render/checks';
import { contractProblems } from '../policy/render/contracts';
import { helmBinary } from '../policy/render/helm';
import { releasesOf, renderReleases } from '../policy/render/render';
import { local } from '../policy/synthesized-view';
import {
  configIssues,
  DEFAULT_YAML,
  defaultFederation,
  defaultStacks,
  issueAt,
  releaseValuesOf,
  replaceOnce,
  resources,
  ROOT,
  stack,
  synthesizeInMemory,
} from './helpers';
import { chartKeys, keyPaths } from './values-keys';

/** WIRE-PROFILE alone over a federation: one finding per agency that uses a pillar, or one without agency. */
const wireProfileFindings = (federation: Federation) => evaluate([wireProfile], { federation });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const S1 = 'itzbund-ndb-1--wire-s1';
const S3 = 'itzbund-gs-1--wire-s3';
const S1_DOMAINS = ['wire-s1.itzbund.ndb.example', 'wire.bkbsp.ndb.example'];

/** The default YAML with `profile` lines added to the pillar whose `calling` block ends with `after`. */
const S1_END = '        mediaPorts: { min: 32768, max: 61000 }\n';
const S3_END = '          - { name: gs-calling-2, advertisedIp: 10.96.10.12 }\n';
const withProfile = (end: string, lines: string) => (y: string) =>
  replaceOnce(y, end, `${end}      profile:\n${lines.replace(/^(?=.)/gm, '  ')}`);
const REASON = "      reason: 'Pilotbetrieb mit dem Partnerressort bis 2026-06, Freigabe ISB 2025-014'\n";

const pillar = (f: Federation, id: string) => f.pillars.find((p) => p.id === id)!;
const galleyFlags = (stacks: SynthesizedStack[], name: string, pid: string): Json =>
  releaseValuesOf(resources(stack(stacks, name), 'helm_release')[`${pid}_wire-server`]).galley.config.settings
    .featureFlags;

describe('presets per pillar', () => {
  const f = defaultFederation();

  it('Säule 1: VS-NfD marking with its domains, guest links off and locked, app lock enforced, no legal hold', () => {
    const e = effectiveWireProfile(pillar(f, 'wire-s1'));
    expect(e.profile).toEqual(e.baseline);
    expect(e.weakened).toEqual([]);
    expect(e.reason).toBeUndefined();
    expect(e.profile).toMatchObject({
      classifiedDomains: { status: 'enabled', domains: S1_DOMAINS },
      conversationGuestLinks: { status: 'disabled', lockStatus: 'locked' },
      appLock: { status: 'enabled', enforced: true },
      legalhold: 'disabled-permanently',
      sndFactorPasswordChallenge: { status: 'enabled', lockStatus: 'locked' },
      outlookCalIntegration: { status: 'disabled', lockStatus: 'locked' },
    });
  });

  it('Säule 3: its explicit default (guest links off but unlockable, app lock offered, no third party)', () => {
    const e = effectiveWireProfile(pillar(f, 'wire-s3'));
    expect(e.weakened).toEqual([]);
    expect(e.profile).toEqual({
      classifiedDomains: { status: 'disabled', domains: [] },
      conversationGuestLinks: { status: 'disabled', lockStatus: 'unlocked' },
      appLock: { status: 'enabled', enforced: false, inactivityTimeoutSecs: 60 },
      legalhold: 'disabled-permanently',
      fileSharing: { status: 'enabled', lockStatus: 'unlocked' },
      selfDeletingMessages: { status: 'enabled', lockStatus: 'unlocked', enforcedTimeoutSeconds: 0 },
      sndFactorPasswordChallenge: { status: 'enabled', lockStatus: 'unlocked' },
      outlookCalIntegration: { status: 'disabled', lockStatus: 'locked' },
    });
    // the presets differ where the Säule does: Säule 1 is the stricter one
    expect(WIRE_PROFILE_PRESETS[1].conversationGuestLinks.lockStatus).toBe('locked');
    expect(WIRE_PROFILE_PRESETS[3].appLock.enforced).toBe(false);
  });

  it('describes every setting in German for the report', () => {
    const rows = describeWireProfile(effectiveWireProfile(pillar(f, 'wire-s1')).profile);
    // every value is written out in German, none left as the raw setting
    for (const r of rows) expect(r.value).not.toMatch(/\b(enabled|disabled|locked|unlocked)\b/);
    expect(rows).toContainEqual({
      setting: 'Eingestufte Domänen (VS-NfD-Kennzeichnung von Unterhaltungen)',
      value: `aktiviert: ${S1_DOMAINS.join(', ')}`,
    });
    expect(rows).toContainEqual({
      setting: 'Gastlinks für Unterhaltungen',
      value: 'deaktiviert, für Team-Admins gesperrt',
    });
    expect(rows).toContainEqual({
      setting: 'App-Sperre',
      value: 'aktiviert, erzwungen, Sperre nach 60 s Inaktivität',
    });
    expect(rows).toContainEqual({
      setting: 'Legal Hold (Aufzeichnung der Kommunikation)',
      value: 'dauerhaft deaktiviert',
    });
  });
});

describe('classified domains: the pillar and its VS-NfD partners in the NdB, no other', () => {
  it('adds a further NdB backend the pillar federates with', () => {
    const f = defaultFederation((y) =>
      replaceOnce(
        replaceOnce(
          y,
          '  federationLinks:\n',
          '    - { id: bmvg-ndb, domain: wire.bmvg.ndb.example, zone: ndb, classification: VS-NfD }\n  federationLinks:\n',
        ),
        '    - { between: [wire-s1, bkbsp-ndb], searchPolicy: exact_handle_search }\n',
        '    - { between: [wire-s1, bkbsp-ndb], searchPolicy: exact_handle_search }\n    - { between: [bmvg-ndb, wire-s1] }\n',
      ),
    );
    expect(classifiedDomainsOf(pillar(f, 'wire-s1'))).toEqual([...S1_DOMAINS, 'wire.bmvg.ndb.example']);
  });

  it('leaves out partners outside the NdB or below VS-NfD, and gives other pillars none', () => {
    // the config refuses such links for Säule 1; the rule still filters a model built in code
    const f = defaultFederation();
    const s1 = pillar(f, 'wire-s1');
    const partner = (id: string, zone: string, zoneKind: ZoneKind, classification: Classification) => ({
      id,
      domain: `wire.${id}.example`,
      zone,
      zoneKind,
      classification,
      searchPolicy: 'no_search' as const,
    });
    const withOthers: WirePillar = {
      ...s1,
      partners: [
        ...s1.partners,
        partner('musterland-wire', 'gs-itzbund', 'grundschutz', 'offen'),
        partner('ndb-offen', 'ndb', 'ndb', 'offen'),
        partner('gs-vsnfd', 'gs-itzbund', 'grundschutz', 'VS-NfD'),
      ],
    };
    expect(classifiedDomainsOf(withOthers)).toEqual(S1_DOMAINS);
    // an NdB partner at VS-NfD is listed: the filter is what leaves the others out
    expect(classifiedDomainsOf({ ...withOthers, partners: [partner('ndb-vsnfd', 'ndb', 'ndb', 'VS-NfD')] })).toEqual([
      s1.federationDomain,
      'wire.ndb-vsnfd.example',
    ]);
    // Säule 3 federates with musterland-wire and marks nothing as classified
    expect(classifiedDomainsOf(pillar(f, 'wire-s3'))).toEqual([]);
  });
});

describe('overrides with a recorded reason', () => {
  const edit = withProfile(
    S1_END,
    `      conversationGuestLinks: { status: enabled }\n      appLock: { enforced: false }\n${REASON}`,
  );

  it('are accepted, and every weakened setting is listed in German', () => {
    const f = defaultFederation(edit);
    const e = effectiveWireProfile(pillar(f, 'wire-s1'));
    expect(e.profile.conversationGuestLinks).toEqual({ status: 'enabled', lockStatus: 'locked' });
    expect(e.weakened).toEqual([
      'Gastlinks für Unterhaltungen: aktiviert statt deaktiviert',
      'App-Sperre: nicht erzwungen statt erzwungen',
    ]);
    expect(e.reason).toBe('Pilotbetrieb mit dem Partnerressort bis 2026-06, Freigabe ISB 2025-014');
    // galley gets the overridden values; the rest stays at the preset
    const flags = galleyFlags(synthesizeInMemory(f), S1, 'wire-s1');
    expect(flags.conversationGuestLinks).toEqual({ defaults: { status: 'enabled', lockStatus: 'locked' } });
    expect(flags.appLock.defaults.config.enforceAppLock).toBe(false);
    expect(flags.classifiedDomains).toEqual({ status: 'enabled', config: { domains: S1_DOMAINS } });
  });

  it('WIRE-PROFILE reports the justified weakening as a note in the reports of the agencies on the pillar', () => {
    const found = wireProfileFindings(defaultFederation(edit));
    expect(found.map((x) => [x.level, x.tenant, x.stack])).toEqual([['info', 'bmbsp', S1]]);
    expect(found[0].message).toBe(
      "Wire Bund Säule 1 ('wire-s1'): Profil schwächer als die Voreinstellung der Säule: Gastlinks für Unterhaltungen: aktiviert statt deaktiviert; App-Sperre: nicht erzwungen statt erzwungen. Begründung: Pilotbetrieb mit dem Partnerressort bis 2026-06, Freigabe ISB 2025-014",
    );
  });

  it('a stricter override needs no reason and is no finding', () => {
    const f = defaultFederation(
      withProfile(
        S3_END,
        '      conversationGuestLinks: { lockStatus: locked }\n      fileSharing: { status: disabled }\n',
      ),
    );
    expect(effectiveWireProfile(pillar(f, 'wire-s3')).weakened).toEqual([]);
    expect(wireProfileFindings(f)).toEqual([]);
  });
});

describe('WIRE-PROFILE: a weakened Säule-1 profile without a reason', () => {
  it('is an error that cannot be suppressed, in the report of each agency on the pillar', () => {
    expect(RULES_BY_ID.get('WIRE-PROFILE')).toMatchObject({ level: 'error', unsuppressible: true });
    const f = defaultFederation(
      withProfile(S1_END, '      legalhold: disabled-by-default\n      classifiedDomains: { status: disabled }\n'),
    );
    const found = tenantFindings(f).filter((x) => x.rule === 'WIRE-PROFILE');
    expect(found.map((x) => [x.level, x.tenant, x.stack])).toEqual([['error', 'bmbsp', S1]]);
    expect(found[0].message).toContain(
      'Eingestufte Domänen (VS-NfD-Kennzeichnung von Unterhaltungen): deaktiviert statt aktiviert',
    );
    expect(found[0].message).toContain(
      'Legal Hold (Aufzeichnung der Kommunikation): deaktiviert, je Team freischaltbar statt dauerhaft deaktiviert',
    );
    expect(found[0].message).toMatch(/Für Säule 1 \(VS-NfD\) ist das nur mit Begründung zulässig/);
  });

  it('unlocking a locked switch or a longer app-lock timeout weakens too', () => {
    const f = defaultFederation(
      withProfile(
        S1_END,
        '      sndFactorPasswordChallenge: { lockStatus: unlocked }\n      appLock: { inactivityTimeoutSecs: 900 }\n',
      ),
    );
    expect(effectiveWireProfile(pillar(f, 'wire-s1')).weakened).toEqual([
      'App-Sperre: Sperre nach 900 s statt 60 s Inaktivität',
      'Zweiter Faktor bei der Anmeldung (Code per E-Mail): durch Team-Admins änderbar statt für Team-Admins gesperrt',
    ]);
    expect(wireProfileFindings(f).map((x) => x.level)).toEqual(['error']);
  });

  it('Säule 3 without a reason is a warning for each agency on it', () => {
    const f = defaultFederation(withProfile(S3_END, '      outlookCalIntegration: { status: enabled }\n'));
    expect(wireProfileFindings(f).map((x) => [x.level, x.tenant, x.stack])).toEqual([
      ['warning', 'bmbsp', S3],
      ['warning', 'lamv', S3],
    ]);
  });

  it('the default federation has no WIRE-PROFILE finding', () => {
    expect(tenantFindings(defaultFederation()).filter((x) => x.rule === 'WIRE-PROFILE')).toEqual([]);
  });
});

describe('config errors with file and line', () => {
  const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1;

  it('a reason without any weakening', () => {
    const edit = withProfile(S1_END, `      fileSharing: { status: disabled }\n${REASON}`);
    const i = issueAt(edit, 'wire.pillars[0].profile.reason');
    expect(i.message).toMatch(
      /a reason records why the profile is weaker than the Säule-1 preset, but no setting is weaker/,
    );
    expect(i.file).toBe(path.relative(process.cwd(), path.join(ROOT, 'config', 'federation.yaml')));
    expect(i.line).toBe(lineOf(edit(DEFAULT_YAML), 'reason: '));
  });

  it('classified domains in a pillar that carries no VS-NfD', () => {
    const edit = withProfile(S3_END, '      classifiedDomains: { status: enabled }\n');
    const i = issueAt(edit, 'wire.pillars[1].profile.classifiedDomains.status');
    expect(i.message).toMatch(/Säule 3 carries 'offen' and cannot enable it/);
    expect(i.line).toBe(lineOf(edit(DEFAULT_YAML), 'classifiedDomains: { status: enabled }'));
  });

  it('a weakened Säule-1 profile with a blank reason (25 spaces and a full stop)', () => {
    const edit = withProfile(S1_END, `      appLock: { enforced: false }\n      reason: '${' '.repeat(25)}.'\n`);
    const i = issueAt(edit, 'wire.pillars[0].profile.reason');
    expect(i.message).toBe('a profile reason needs at least 20 characters besides surrounding spaces');
    expect(i.line).toBe(lineOf(edit(DEFAULT_YAML), 'reason: '));
  });

  it('an app-lock timeout out of range is described in seconds, not characters', () => {
    for (const secs of [0, 86401]) {
      const edit = withProfile(S1_END, `      appLock: { inactivityTimeoutSecs: ${secs} }\n`);
      const i = issueAt(edit, 'wire.pillars[0].profile.appLock.inactivityTimeoutSecs');
      expect(i.message).toBe('inactivityTimeoutSecs must be between 30 and 86400 seconds');
      expect(i.allowed ?? '').not.toMatch(/character/);
      expect(i.line).toBe(lineOf(edit(DEFAULT_YAML), 'inactivityTimeoutSecs'));
    }
  });

  it('unknown settings, short reasons and timeouts galley refuses', () => {
    const issues = configIssues(
      withProfile(
        S1_END,
        "      guestLinks: { status: enabled }\n      appLock: { inactivityTimeoutSecs: 10 }\n      reason: 'zu kurz'\n",
      ),
    ).map((i) => formatPath(i.path));
    expect(issues).toEqual(
      expect.arrayContaining([
        'wire.pillars[0].profile.guestLinks',
        'wire.pillars[0].profile.appLock.inactivityTimeoutSecs',
        'wire.pillars[0].profile.reason',
      ]),
    );
  });
});

describe("galley's feature flags in the values", () => {
  const stacks = defaultStacks();

  it('carry the Säule-1 profile at the chart’s key paths', () => {
    expect(galleyFlags(stacks, S1, 'wire-s1')).toEqual({
      sso: 'enabled-by-default',
      legalhold: 'disabled-permanently',
      teamSearchVisibility: 'disabled-by-default',
      classifiedDomains: { status: 'enabled', config: { domains: S1_DOMAINS } },
      conversationGuestLinks: { defaults: { status: 'disabled', lockStatus: 'locked' } },
      appLock: { defaults: { status: 'enabled', config: { enforceAppLock: true, inactivityTimeoutSecs: 60 } } },
      fileSharing: { defaults: { status: 'enabled', lockStatus: 'unlocked' } },
      selfDeletingMessages: {
        defaults: { status: 'enabled', lockStatus: 'unlocked', config: { enforcedTimeoutSeconds: 0 } },
      },
      sndFactorPasswordChallenge: { defaults: { status: 'enabled', lockStatus: 'locked' } },
      outlookCalIntegration: { defaults: { status: 'disabled', lockStatus: 'locked' } },
    });
    expect(galleyFlags(stacks, S3, 'wire-s3').classifiedDomains).toEqual({
      status: 'disabled',
      config: { domains: [] },
    });
  });

  it('every path is a key path of wire-server 5.32.0 (chart defaults or production examples)', () => {
    const keys = chartKeys('wire-server');
    const paths = keyPaths({ galley: { config: { settings: { featureFlags: galleyFlags(stacks, S1, 'wire-s1') } } } });
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.filter((p) => !keys.has(p))).toEqual([]);
  });

  it('the stack records the profile for verify --render and reports', () => {
    expect(local(stack(stacks, S1), 'wire_profile')).toEqual({
      profile: effectiveWireProfile(pillar(defaultFederation(), 'wire-s1')).profile,
      weakened: [],
    });
  });
});

describe('render contract: the rendered galley config carries the profile', () => {
  const stacks = defaultStacks();
  const locals = (name: string): Json => stack(stacks, name).json.locals;
  /** galley.yaml as the chart renders the feature flags (toYaml of each). */
  const galley = (flags: Json): KubernetesObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'galley', namespace: 'wire-s1' },
    data: { 'galley.yaml': JSON.stringify({ settings: { featureFlags: flags } }) },
  });
  const problems = (flags: Json, l: Json = locals(S1)) =>
    contractProblems('wire-server', [galley(flags)], l)
      .filter(([ref]) => ref.includes('galley'))
      .map(([, m]) => m);

  it('passes on the flags the values give', () => {
    expect(problems(galleyFlags(stacks, S1, 'wire-s1'))).toEqual([]);
    expect(problems(galleyFlags(stacks, S3, 'wire-s3'), locals(S3))).toEqual([]);
  });

  it('fails when the VS-NfD marking is missing, lists another domain, or guest links are open', () => {
    const flags = galleyFlags(stacks, S1, 'wire-s1');
    const without = structuredClone(flags);
    without.classifiedDomains = { status: 'disabled', config: { domains: [] } };
    expect(problems(without)).toEqual([
      expect.stringMatching(
        /^galley.yaml: settings.featureFlags.classifiedDomains.status is "disabled", not "enabled"/,
      ),
      expect.stringMatching(/^galley.yaml: settings.featureFlags.classifiedDomains.config.domains is \[\], not \[/),
    ]);
    const foreign = structuredClone(flags);
    foreign.classifiedDomains.config.domains.push('wire.musterland.example');
    expect(problems(foreign)).toHaveLength(1);
    const open = structuredClone(flags);
    open.conversationGuestLinks.defaults = { status: 'enabled', lockStatus: 'unlocked' };
    expect(problems(open)).toHaveLength(2);
  });

  it('Säule 1 is held to its preset unless the stack records a reason', () => {
    const l = structuredClone(locals(S1));
    l.wire_profile.profile.conversationGuestLinks = { status: 'enabled', lockStatus: 'locked' };
    const open = structuredClone(galleyFlags(stacks, S1, 'wire-s1'));
    open.conversationGuestLinks.defaults.status = 'enabled';
    expect(problems(open, l)).toHaveLength(1);
    l.wire_profile.reason = 'Pilotbetrieb mit dem Partnerressort, ISB-Freigabe';
    expect(problems(open, l)).toEqual([]);
    // the domains always come from the stack's own facts
    expect(expectedGalleyFlags(l).find(([p]) => p.endsWith('classifiedDomains.config.domains'))?.[1]).toEqual(
      S1_DOMAINS,
    );
  });

  it('a stack without pillar facts has no expectation; unreadable facts are a finding', () => {
    expect(contractProblems('wire-server', [], {}).filter(([ref]) => ref.includes('galley'))).toEqual([]);
    expect(problems({}, { wire_instance: { pillar: 1 } })).toEqual([
      "galley.yaml: the stack's facts cannot be read: wire_instance of a Säule-1 stack without domain or partners",
    ]);
  });
});

const MIRROR = process.env.CHART_MIRROR ?? path.resolve(ROOT, '..', 'shared', 'charts');
const haveMirror = fs.existsSync(path.join(MIRROR, 'wire-server-5.32.0.tgz'));
const withMirror = haveMirror ? describe : describe.skip;
if (!haveMirror) process.stdout.write(`wire-profile.test: chart rendering skipped: no chart mirror at ${MIRROR}\n`);

withMirror('render contract with the real wire-server chart', () => {
  const stacks = defaultStacks();
  const s1Release = () => releasesOf(stacks).find((r) => r.address === 'helm_release.wire-s1_wire-server')!;
  const render = async (body: Json) => {
    const release = { ...s1Release(), body };
    const results = await renderReleases([release], { helm: helmBinary(), mirror: MIRROR });
    expect(results[0].status).toBe('rendered');
    return checkRendered(stacks, results).filter((f) => f.check === 'contract');
  };

  it('galley of Säule 1 renders the VS-NfD marking with its domains, guest links and app lock', async () => {
    expect(await render(s1Release().body)).toEqual([]);
  });

  it('a release whose values drop classifiedDomains renders the chart default, which the contract refuses', async () => {
    const body: Json = structuredClone(s1Release().body);
    const at = body.values.findIndex((d: string) => d.includes('featureFlags'));
    const values = parse(body.values[at]);
    delete values.galley.config.settings.featureFlags.classifiedDomains;
    delete values.galley.config.settings.featureFlags.appLock;
    body.values[at] = JSON.stringify(values);
    const found = (await render(body)).map((f) => `${f.object} ${f.message.split(';')[0]}`);
    expect(found).toEqual([
      'ConfigMap/wire-s1/galley galley.yaml: settings.featureFlags.classifiedDomains.status is "disabled", not "enabled"',
      `ConfigMap/wire-s1/galley galley.yaml: settings.featureFlags.classifiedDomains.config.domains is [], not ${JSON.stringify(S1_DOMAINS)}`,
      'ConfigMap/wire-s1/galley galley.yaml: settings.featureFlags.appLock.defaults.config.enforceAppLock is false, not true',
    ]);
  });
});
