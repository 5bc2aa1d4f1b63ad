/**
 * The domain rules of config/domain, each with a case it allows and one it refuses; the resolved tenants of the
 * model; and "no Matrix in the NdB" refused at config time with file and line (and by the construct behind it).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import {
  acmeAllowedIn,
  bwMessengerAllowedIn,
  demoDatastoresAllowedIn,
  internetZoneOf,
  matrixServerZone,
  mayHostOwnBundesMessenger,
  mayOperateBwMessenger,
  mayUseBwMessenger,
  openDataProtectionSteps,
  openDsfa,
  openFederationAllowedIn,
  operatedByAgency,
  pillarPlacementProblems,
  processorsOf,
  productApprovedIn,
  WELL_KNOWN_SERVICE,
  zoneKindMayCarry,
  zoneMaxClassification,
  zoneMayCarry,
  zonesMayFederate,
} from '../config/domain';
import { ConfigError } from '../config/errors';
import { parseFederation } from '../config/load';
import type { Federation, Tenant } from '../config/model';
import { isResolvedTenant } from '../config/resolve';
import type { TenantConfig } from '../config/schema';
import { buildFederationApp } from '../stacks/app';
import { DEFAULT_YAML, defaultFederation, issueAt, replaceOnce } from './helpers';

const ndb = { id: 'ndb', kind: 'ndb', allowFederationWith: [] } as const;
const gs = { id: 'gs', kind: 'grundschutz', allowFederationWith: [] } as const;
const internet = { id: 'inet', kind: 'internet', allowFederationWith: [] } as const;

describe('zones', () => {
  it('zoneMaxClassification: VS-NfD by default only in the NdB; a declared maximum wins', () => {
    expect(zoneMaxClassification(ndb)).toBe('VS-NfD');
    expect(zoneMaxClassification(gs)).toBe('offen');
    expect(zoneMaxClassification({ kind: 'ndb', maxClassification: 'offen' })).toBe('offen');
  });

  it('zoneKindMayCarry: VS-NfD only in zones of kind ndb, offen everywhere', () => {
    expect(zoneKindMayCarry('ndb', 'VS-NfD')).toBe(true);
    expect(zoneKindMayCarry('grundschutz', 'VS-NfD')).toBe(false);
    expect(zoneKindMayCarry('internet', 'offen')).toBe(true);
  });

  it('zoneMayCarry: a classification up to the zone maximum', () => {
    expect(zoneMayCarry(ndb, 'VS-NfD')).toBe(true);
    expect(zoneMayCarry({ kind: 'ndb', maxClassification: 'offen' }, 'VS-NfD')).toBe(false);
    expect(zoneMayCarry(gs, 'VS-NfD')).toBe(false);
    expect(zoneMayCarry(gs, 'offen')).toBe(true);
  });

  it('zonesMayFederate: zones of one kind, or both declaring each other', () => {
    expect(zonesMayFederate(gs, { ...gs, id: 'gs-2' })).toBe(true);
    expect(zonesMayFederate(gs, internet)).toBe(false);
    expect(zonesMayFederate({ ...gs, allowFederationWith: ['inet'] }, internet)).toBe(false);
    expect(
      zonesMayFederate({ ...gs, allowFederationWith: ['inet'] }, { ...internet, allowFederationWith: ['gs'] }),
    ).toBe(true);
  });

  it('acmeAllowedIn and openFederationAllowedIn: only the internet zone', () => {
    expect(acmeAllowedIn(internet)).toBe(true);
    expect(acmeAllowedIn(gs)).toBe(false);
    expect(openFederationAllowedIn(internet)).toBe(true);
    expect(openFederationAllowedIn(ndb)).toBe(false);
  });

  it('internetZoneOf: the first zone of kind internet, none without one', () => {
    expect(internetZoneOf([ndb, internet, { ...internet, id: 'inet-2' }])).toBe(internet);
    expect(internetZoneOf([ndb, gs])).toBeUndefined();
  });
});

describe('pillars', () => {
  it('pillarPlacementProblems: Säule 1 only in the NdB and only where VS-NfD may be carried', () => {
    expect(pillarPlacementProblems(1, ndb)).toEqual([]);
    expect(pillarPlacementProblems(3, gs)).toEqual([]);
    expect(pillarPlacementProblems(1, gs)).toEqual([
      { rule: 'zone-kind', wanted: 'ndb' },
      { rule: 'classification', needed: 'VS-NfD', max: 'offen' },
    ]);
    expect(pillarPlacementProblems(1, { kind: 'ndb', maxClassification: 'offen' })).toEqual([
      { rule: 'classification', needed: 'VS-NfD', max: 'offen' },
    ]);
    expect(pillarPlacementProblems(2, gs)).toEqual([{ rule: 'zone-kind', wanted: 'internet' }]);
  });

  it('demoDatastoresAllowedIn: pilot only', () => {
    expect(demoDatastoresAllowedIn('pilot')).toBe(true);
    expect(demoDatastoresAllowedIn('production')).toBe(false);
  });
});

describe('products', () => {
  it('productApprovedIn: in the NdB only Wire Bund; elsewhere every product', () => {
    expect(productApprovedIn('wire', ndb)).toBe(true);
    expect(productApprovedIn('bundesmessenger', ndb)).toBe(false);
    expect(productApprovedIn('bwmessenger', ndb)).toBe(false);
    expect(productApprovedIn('bundesmessenger', gs)).toBe(true);
    expect(productApprovedIn('bwmessenger', gs)).toBe(true);
  });

  it('mayOperateBwMessenger: only the Bundeswehr IT service provider', () => {
    expect(mayOperateBwMessenger({ kind: 'bundeswehr-it-service-provider' })).toBe(true);
    expect(mayOperateBwMessenger({ kind: 'federal-it-service-provider' })).toBe(false);
    expect(mayOperateBwMessenger({ kind: 'agency' })).toBe(false);
  });

  it('mayHostOwnBundesMessenger: a self-hosted BundesMessenger only on a cluster the agency operates itself', () => {
    expect(mayHostOwnBundesMessenger({ id: 'bab' }, { id: 'bab' })).toBe(true);
    expect(mayHostOwnBundesMessenger({ id: 'itzbund' }, { id: 'bab' })).toBe(false);
  });

  it('mayUseBwMessenger: the BwMessenger only for tenants of kind bundeswehr', () => {
    expect(mayUseBwMessenger({ kind: 'bundeswehr' })).toBe(true);
    expect(mayUseBwMessenger({ kind: 'federal-authority' })).toBe(false);
  });

  it('bwMessengerAllowedIn: the BwMessenger not in the internet zone', () => {
    expect(bwMessengerAllowedIn(gs)).toBe(true);
    expect(bwMessengerAllowedIn(internet)).toBe(false);
  });
});

describe('matrixServerZone', () => {
  const clusterZone = (id: string) => (id === 'c-gs' ? gs : undefined);

  it('a self-hosted server is in the zone of its cluster', () => {
    expect(matrixServerZone({ mode: 'self-hosted', cluster: 'c-gs' }, [ndb, gs, internet], clusterZone)).toBe(gs);
    expect(matrixServerZone({ mode: 'self-hosted', cluster: 'nowhere' }, [ndb, gs, internet], clusterZone)).toBe(
      undefined,
    );
  });

  it('BundesMessenger as SaaS is in the internet zone, and in none when the federation has none', () => {
    expect(matrixServerZone({ mode: 'saas' }, [ndb, gs, internet], clusterZone)).toBe(internet);
    expect(matrixServerZone({ mode: 'saas' }, [ndb, gs], clusterZone)).toBeUndefined();
  });
});

describe('resolved tenants and their processors', () => {
  const fed = defaultFederation();
  const tenant = (id: string): Tenant => fed.tenants.find((t) => t.id === id)!;

  it('operatedByAgency: the operator is the agency itself (a cluster it runs), not another operator', () => {
    const bab = tenant('bab');
    const bum = bab.bundesMessengerService;
    if (bum?.mode !== 'self-hosted') throw new Error('test setup: bab hosts its BundesMessenger');
    expect(operatedByAgency(bum.cluster.operator, bab)).toBe(true);
    expect(operatedByAgency(bum.cluster.operator, tenant('bfbs'))).toBe(false);
  });

  it('a delegation on a cluster another agency runs: that agency is a processor (one rule for both)', () => {
    const moved = defaultFederation((y) =>
      replaceOnce(y, 'wellKnown: { cluster: itzbund-gs-1 }', 'wellKnown: { cluster: bab-bum-1 }'),
    );
    const bfbs = moved.tenants.find((t) => t.id === 'bfbs')!;
    expect(processorsOf(moved, bfbs)).toContainEqual({
      operator: 'bab',
      name: 'Bundesanstalt für Beispielbau',
      service: WELL_KNOWN_SERVICE,
    });
  });

  it('a tenant carries its references as the objects of the model, and its config objects as they are', () => {
    const bmbsp = tenant('bmbsp');
    expect(bmbsp.wirePillars.map((p) => p.id)).toEqual(bmbsp.wire?.pillars);
    for (const p of bmbsp.wirePillars) expect(fed.pillars).toContain(p);
    const bab = tenant('bab');
    expect(bab.bundesMessengerService).toMatchObject({ mode: 'self-hosted', product: 'bundesmessenger' });
    expect(bab.bundesMessengerService?.config).toBe(bab.bundesMessenger);
    expect(bab.matrixServers.map((s) => [s.product, s.cluster.id, s.zone.id])).toEqual([
      ['bundesmessenger', 'bab-bum-1', 'gs-bab'],
    ]);
    const bfbs = tenant('bfbs').bundesMessengerService;
    expect(bfbs?.mode === 'saas' && [bfbs.provider?.id, bfbs.wellKnownCluster?.id, bfbs.zone?.id]).toEqual([
      't-systems',
      'itzbund-gs-1',
      'internet',
    ]);
    const zbkbw = tenant('zbkbw');
    expect([zbkbw.bwMessengerService?.cluster.operator.id, zbkbw.bwMessengerService?.zone.kind]).toEqual([
      'bwi',
      'grundschutz',
    ]);
    // still a TenantConfig: readers of the config type keep working
    const asConfig: TenantConfig = zbkbw;
    expect(isResolvedTenant(asConfig)).toBe(true);
    expect(fed.config.tenants.map((t) => t.id)).toEqual(fed.tenants.map((t) => t.id));
  });

  it('processorsOf: the operators besides the agency, for each service; never the agency itself', () => {
    expect(processorsOf(fed, tenant('bfbs'))).toEqual([
      { operator: 't-systems', name: expect.any(String), service: 'BundesMessenger (SaaS)' },
      { operator: 'itzbund', name: expect.any(String), service: WELL_KNOWN_SERVICE },
    ]);
    expect(processorsOf(fed, tenant('zbkbw'))).toEqual([
      { operator: 'bwi', name: expect.any(String), service: 'BwMessenger' },
    ]);
    // bab runs its BundesMessenger on its own cluster: no processor
    expect(processorsOf(fed, tenant('bab'))).toEqual([]);
  });

  it('processorsOf resolves a plain TenantConfig (a model built in code) like a loaded tenant', () => {
    const plain: TenantConfig = fed.config.tenants.find((t) => t.id === 'bmbsp')!;
    expect(isResolvedTenant(plain)).toBe(false);
    expect(processorsOf(fed, plain)).toEqual(processorsOf(fed, tenant('bmbsp')));
    expect(processorsOf(fed, plain).map((p) => p.service)).toContain('Wire Bund Säule 1');
  });

  it('a loaded tenant copied with a changed reference is resolved again, not read from its stale objects', () => {
    const bab = tenant('bab');
    const bum = bab.bundesMessenger as Extract<TenantConfig['bundesMessenger'], { mode: 'self-hosted' }>;
    const moved = { ...bab, bundesMessenger: { ...bum, cluster: 'itzbund-gs-1' } };
    expect(isResolvedTenant(bab)).toBe(true);
    expect(isResolvedTenant(moved)).toBe(false);
    expect(processorsOf(fed, moved)).toEqual([
      { operator: 'itzbund', name: expect.any(String), service: 'BundesMessenger (Cluster-Betrieb)' },
    ]);
  });
});

describe('open data protection steps', () => {
  const fed = defaultFederation();
  const tenant = (id: string): Tenant => fed.tenants.find((t) => t.id === id)!;
  const steps = (t: Tenant, asOf?: string) => openDataProtectionSteps(t, asOf).map((s) => s.step);

  it('an agency that declares everything has none open; a planned DSFA stays open until it is done', () => {
    expect(steps(tenant('bab'))).toEqual([]);
    expect(steps(tenant('lamv'))).toContain('dsfa');
  });

  it('each missing declaration is an open step, in the order the agency_todo lists them', () => {
    const bare = { ...tenant('bmbsp'), dataProtection: undefined };
    // an AVV for each Wire pillar (Säule 1 and 3, both run by ITZBund)
    expect(steps(bare)).toEqual([
      'agreement',
      'agreement',
      'vsnfd-devices',
      'dpo',
      'dsfa',
      'retention',
      'service-agreement',
    ]);
    expect(openDataProtectionSteps(bare, undefined)[0]).toMatchObject({
      step: 'agreement',
      processing: { operator: 'itzbund', service: 'Wire Bund Säule 1', of: { kind: 'wire-pillar' } },
    });
  });

  it('openDsfa: a planned DSFA is overdue only when its due date lies before the day', () => {
    const lamv = tenant('lamv');
    expect(openDsfa(lamv, '2026-03-31')).toEqual({ state: 'planned', due: '2026-03-31' });
    expect(openDsfa(lamv, '2026-04-01')).toEqual({ state: 'planned', due: '2026-03-31', overdue: '2026-03-31' });
    expect(openDsfa(tenant('bab'), '2099-01-01')).toBeUndefined();
  });
});

describe('no Matrix in the NdB', () => {
  const bumOnNdb = (y: string) => replaceOnce(y, 'zone: gs-bab\n    operator: bab', 'zone: ndb\n    operator: bab');
  const bwmOnNdb = (y: string) => replaceOnce(y, 'zone: bw-netz\n    operator: bwi', 'zone: ndb\n    operator: bwi');

  it('a BundesMessenger on an NdB cluster is a config error with file and line', () => {
    const file = 'tenants/ndb-matrix.yaml';
    let error: unknown;
    try {
      parseFederation(bumOnNdb(DEFAULT_YAML), file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues.find((i) => i.path.join('.') === 'tenants.3.bundesMessenger.cluster');
    expect(issue).toMatchObject({
      value: 'bab-bum-1',
      message: expect.stringMatching(
        /BundesMessenger of 'bab' is not approved for VS-NfD and cannot run in the NdB; cluster 'bab-bum-1' is in zone 'ndb'/,
      ),
      allowed:
        "a cluster outside the NdB (there only Wire Bund Säule 1 is approved) that 'bab' operates: (none declared)",
    });
    const line = DEFAULT_YAML.split('\n').findIndex((l) => l.trim() === 'cluster: bab-bum-1') + 1;
    expect(issue?.line).toBe(line);
    expect((error as ConfigError).message).toContain(
      `tenants/ndb-matrix.yaml:${line}:${issue?.column}: tenants[3].bundesMessenger.cluster: BundesMessenger of 'bab' is not approved for VS-NfD`,
    );
  });

  it('a BwMessenger in the internet zone is refused with a hint that leads to a place it may run', () => {
    const onInternet = (y: string) =>
      replaceOnce(y, 'zone: bw-netz\n    operator: bwi', 'zone: internet\n    operator: bwi');
    const issue = issueAt(onInternet, 'tenants[4].bwMessenger.cluster');
    expect(issue.message).toMatch(/BwMessenger cannot run on cluster 'bwi-bwm-1' in the internet zone/);
    expect(issue.allowed).toMatch(/kind 'grundschutz'/);
    expect(issue.allowed).not.toMatch(/'ndb'/);
  });

  it('a BwMessenger on an NdB cluster too; the default federation has neither', () => {
    expect(issueAt(bwmOnNdb, 'tenants[4].bwMessenger.cluster')).toMatchObject({
      message: expect.stringMatching(
        /BwMessenger of 'zbkbw' is not approved for VS-NfD and cannot run in the NdB; cluster 'bwi-bwm-1' is in zone 'ndb'/,
      ),
      allowed: expect.stringMatching(/that BWI operates: \(none declared\)$/),
    });
    expect(() => defaultFederation()).not.toThrow();
  });

  it('a model built in code with a Matrix server in the NdB is refused by the construct as well', () => {
    const fed = structuredClone(defaultFederation()) as Federation & { clusters: Array<{ id: string; zone: unknown }> };
    const ndbZone = fed.zones.find((z) => z.kind === 'ndb');
    const bab = fed.tenants.find((t) => t.id === 'bab')!;
    // the clone keeps shared objects shared: moving the cluster moves the tenant's server with it
    Object.assign(bab.bundesMessengerService!, { zone: ndbZone });
    Object.assign(fed.clusters.find((c) => c.id === 'bab-bum-1')!, { zone: ndbZone });
    const outdir = path.join(os.tmpdir(), 'unused-domain-rules');
    expect(() => buildFederationApp(fed, { outdir })).toThrow(
      /MatrixHomeserver 'bab.bund.example': BundesMessenger is not approved for VS-NfD and does not run in the NdB/,
    );
    expect(() => buildFederationApp(defaultFederation(), { outdir })).not.toThrow();
  });
});

describe('product placement: the construct refuses what the config refuses, as a second line', () => {
  const outdir = path.join(os.tmpdir(), 'unused-domain-rules');
  // a clone keeps shared objects shared: changing a cluster changes the tenant's server on it
  const built = () => structuredClone(defaultFederation());

  it('a BwMessenger for a tenant not of kind bundeswehr', () => {
    const fed = built();
    Object.assign(fed.tenants.find((t) => t.id === 'zbkbw')!, { kind: 'federal-authority' });
    expect(() => buildFederationApp(fed, { outdir })).toThrow(
      /MatrixHomeserver 'zbk.bundeswehr.example': BwMessenger is for the Bundeswehr only, not for 'zbkbw' of kind 'federal-authority'/,
    );
  });

  it('a BwMessenger in the internet zone', () => {
    const fed = built();
    const internetZone = fed.zones.find((z) => z.kind === 'internet');
    const zbkbw = fed.tenants.find((t) => t.id === 'zbkbw')!;
    Object.assign(zbkbw.bwMessengerService!.cluster, { zone: internetZone });
    Object.assign(zbkbw.bwMessengerService!, { zone: internetZone });
    expect(() => buildFederationApp(fed, { outdir })).toThrow(/BwMessenger does not run in the internet zone/);
  });

  it('a self-hosted BundesMessenger on a cluster the agency does not operate', () => {
    const fed = built();
    const itzbund = fed.operators.find((o) => o.id === 'itzbund');
    const bab = fed.tenants.find((t) => t.id === 'bab')!;
    const bum = bab.bundesMessengerService;
    if (bum?.mode !== 'self-hosted') throw new Error('test setup: bab hosts its BundesMessenger');
    Object.assign(bum.cluster, { operator: itzbund });
    expect(() => buildFederationApp(fed, { outdir })).toThrow(
      /MatrixHomeserver 'bab.bund.example': a self-hosted BundesMessenger runs only on a cluster 'bab' operates itself/,
    );
  });
});
