import { formatIssue } from '../config/errors';
import { BUNDESMESSENGER_CHART } from '../constructs/matrix/chart-version';
import { field, items, outputValue } from '../policy/synthesized-view';
import {
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

function chartRelease(stackName: string, stacks = defaultStacks()): Json {
  return Object.values(resources(stack(stacks, stackName), 'helm_release')).find(
    (r: Json) => r.chart === 'bundesmessenger',
  );
}
const values = releaseValuesOf;
const BAB = 'bab-bum-1--tenant-bab';

describe('BundesMessenger, self-hosted', () => {
  const r = chartRelease(BAB);
  const v = values(r);

  it('deploys BWI’s chart, pinned once, from the configured repository, on the agency’s own cluster', () => {
    expect(r.chart).toBe('bundesmessenger');
    expect(r.version).toBe(BUNDESMESSENGER_CHART.version);
    expect(r.repository).toBe('oci://registry.opencode.de/bwi/bundesmessenger/backend/helm-chart');
    expect(r.provider).toBe('helm.bab-bum-1');
    expect(r.namespace).toBe('bum-bab');
    const mirrored = synthesize(
      defaultFederation((y) =>
        y.replace('tenants:\n', 'matrix:\n  chartRepository: oci://harbor.bab.bund.example/bum\n\ntenants:\n'),
      ),
    );
    expect(chartRelease(BAB, mirrored).repository).toBe('oci://harbor.bab.bund.example/bum');
  });

  it('sets the required inputs: server names, privacy policy and imprint, PostgreSQL secret, ingress class', () => {
    expect(v).toMatchObject({
      serverName: 'bab.bund.example',
      publicServerName: 'matrix.bab.bund.example',
      adminAPIServerName: 'matrix-admin.bab.bund.example',
      // the chart writes https://<value>: the scheme is not given twice
      dataPrivacyUrl: 'www.bab.bund.example/datenschutz',
      imprintUrl: 'www.bab.bund.example/impressum',
      postgresql: { enabled: false },
      externalPostgresql: {
        host: 'pg.bab.bund.example',
        existingSecret: 'synapse-postgresql',
        existingSecretPasswordKey: 'password',
      },
      ingress: { enabled: true, className: 'nginx-bab' },
      webclient: { enabled: true, uri: 'web.bab.bund.example' },
    });
  });

  it('serves every host with TLS: serverName with publicServerName (the chart drops an entry without it)', () => {
    expect(v.ingress.tls).toEqual([
      { secretName: 'bundesmessenger-tls', hosts: ['matrix.bab.bund.example', 'bab.bund.example'] },
      { secretName: 'bundesmessenger-admin-tls', hosts: ['matrix-admin.bab.bund.example'] },
      { secretName: 'bundesmessenger-web-tls', hosts: ['web.bab.bund.example'] },
    ]);
    // bab-bum-1 names no cert-manager issuer: the agency creates the Secrets, and its to-do list says so
    expect(v.ingress.annotations).toEqual({});
    expect(items(outputValue(stack(defaultStacks(), BAB), 'agency_todo')).join('\n')).toContain(
      'Create TLS Secrets bundesmessenger-tls (matrix.bab.bund.example, bab.bund.example), bundesmessenger-admin-tls and bundesmessenger-web-tls',
    );
    const withIssuer = synthesize(
      defaultFederation((y) =>
        replaceOnce(
          y,
          '    ingressController:\n      namespace: ingress-bab',
          '    pki: { type: internal-ca, issuerName: bab-ca }\n    ingressController:\n      namespace: ingress-bab',
        ),
      ),
    );
    expect(values(chartRelease(BAB, withIssuer)).ingress.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'bab-ca',
    });
  });

  it.each([
    ['presence (online status) off', (x: Json) => x.extraConfig.presence.enabled, false],
    ['URL previews off', (x: Json) => x.extraConfig.url_preview_enabled, false],
    ['open registration off', (x: Json) => x.extraConfig.enable_registration, false],
    ['guest access off', (x: Json) => x.extraConfig.allow_guest_access, false],
    ['public room directory over federation off', (x: Json) => x.extraConfig.allow_public_rooms_over_federation, false],
    [
      'end-to-end encryption on for all rooms',
      (x: Json) => x.extraConfig.encryption_enabled_by_default_for_room_type,
      'all',
    ],
    ['push notification content off', (x: Json) => x.extraConfig.push.include_content, false],
  ])('privacy default: %s', (_n, get, expected) => {
    expect(get(v)).toBe(expected);
  });

  it('changes a privacy default only when the config says so', () => {
    const stacks = synthesize(
      defaultFederation((y) =>
        replaceOnce(y, '      # privacy: all defaults', '      privacy: { urlPreviews: true }\n      # privacy'),
      ),
    );
    const changed = values(chartRelease(BAB, stacks));
    expect(changed.extraConfig.url_preview_enabled).toBe(true);
    expect(changed.extraConfig.presence.enabled).toBe(false);
  });

  it('keeps the chart’s own NetworkPolicies on, in addition to the guarded namespace', () => {
    expect(v.networkpolicies).toMatchObject({ enabled: true, ingressNamespace: 'ingress-bab' });
    // the chart opens egress to 0.0.0.0/0 unless fwProxyList names where synapse may go: the zone and declared
    // peers; each entry allows every port to its network (the chart cannot restrict ports), so entries are networks
    expect(v.networkpolicies.fwProxyList).toEqual(['172.20.0.0/14', '198.51.100.0/24']);
    const policies = Object.values(resources(stack(defaultStacks(), BAB), 'kubernetes_network_policy_v1')) as Json[];
    expect(policies.some((p) => p.metadata.namespace === 'bum-bab' && p.metadata.name === 'default-deny')).toBe(true);
  });

  it('scans attachments with ClamAV from the internal mirror, and says what that costs', () => {
    expect(v.contentscanner.enabled).toBe(true);
    expect(v.schadcodescanner).toEqual({
      enabled: true,
      // the chart turns the text after the last ':' into a NetworkPolicy port: the port is always explicit
      freshclam: { mirrors: ['https://clamav-mirror.bab.bund.example:443'] },
    });
    const out = outputValue(stack(defaultStacks(), BAB), 'bundesmessenger_settings');
    expect(field(out, 'virusScanning')).toMatch(/end-to-end encryption of files is weakened/);
  });

  it('refuses a ClamAV mirror with a path: the chart would read the path as the NetworkPolicy port', () => {
    const i = issueAt(
      (y) =>
        replaceOnce(
          y,
          'clamavMirror: https://clamav-mirror.bab.bund.example',
          'clamavMirror: https://clamav-mirror.bab.bund.example/db',
        ),
      'tenants[3].bundesMessenger.virusScanning.clamavMirror',
    );
    expect(i.message).toMatch(/without a path/);
    expect(i.line).toBeGreaterThan(0);
  });

  it('requires the scanning choice to be explicit and acknowledged', () => {
    const i = issueAt(
      (y) =>
        replaceOnce(
          y,
          '        acknowledgeKeyDisclosure: true\n        clamavMirror: https://clamav-mirror.bab',
          '        clamavMirror: https://clamav-mirror.bab',
        ),
      'tenants[3].bundesMessenger.virusScanning.acknowledgeKeyDisclosure',
    );
    expect(i.message).toMatch(/required key is missing/);
    const refused = issueAt(
      (y) =>
        replaceOnce(
          y,
          '        acknowledgeKeyDisclosure: true\n        clamavMirror: https://clamav-mirror.bab',
          '        acknowledgeKeyDisclosure: false\n        clamavMirror: https://clamav-mirror.bab',
        ),
      'tenants[3].bundesMessenger.virusScanning.acknowledgeKeyDisclosure',
    );
    expect(formatIssue(refused)).toMatch(/not an allowed value; found false/);
    const off = synthesize(
      defaultFederation((y) =>
        replaceOnce(
          y,
          '        enabled: true\n        acknowledgeKeyDisclosure: true\n        clamavMirror: https://clamav-mirror.bab.bund.example',
          "        enabled: false\n        reason: 'Dateianhänge sind in dieser Behörde abgeschaltet'",
        ),
      ),
    );
    expect(values(chartRelease(BAB, off)).contentscanner.enabled).toBe(false);
  });

  it('uses the zone’s TURN servers, with the shared secret from a Secret', () => {
    expect(v.extraConfig.turn_uris).toEqual([
      'turn:172.20.10.11:3478?transport=udp',
      'turn:172.20.10.11:3478?transport=tcp',
    ]);
    // the secret is mounted from its Secret and read from a file: no Helm value, no ConfigMap entry, no state
    expect(r.set_sensitive).toBeUndefined();
    expect(v.extraConfig.turn_shared_secret).toBeUndefined();
    expect(v.extraConfig.turn_shared_secret_path).toBe('/synapse/turn/turn-shared-secret');
    const volume = {
      name: 'turn-secret',
      secret: { secretName: 'turn-shared-secret', items: [{ key: 'turn-shared-secret', path: 'turn-shared-secret' }] },
    };
    const mount = { name: 'turn-secret', mountPath: '/synapse/turn', readOnly: true };
    expect(v.synapse.extraVolumes[0]).toEqual(volume);
    expect(v.synapse.extraVolumeMounts[0]).toEqual(mount);
    expect(v.workers.default.volumes[0]).toEqual(volume);
    expect(v.workers.default.volumeMounts[0]).toEqual(mount);
  });

  it('staff sign in through the agency’s OIDC provider; the client secret is read from its Secret', () => {
    expect(v.extraConfig.oidc_providers).toEqual([
      {
        idp_id: 'behoerde',
        idp_name: 'Anmeldung über die Behörde',
        issuer: 'https://login.bab.bund.example/realms/bab',
        client_id: 'bundesmessenger',
        client_secret_path: '/synapse/oidc/client-secret',
        scopes: ['openid', 'profile'],
        user_mapping_provider: {
          config: { localpart_template: '{{ user.preferred_username }}', display_name_template: '{{ user.name }}' },
        },
      },
    ]);
    expect(v.synapse.extraVolumes[1]).toEqual({
      name: 'oidc-client-secret',
      secret: { secretName: 'bundesmessenger-oidc', items: [{ key: 'client-secret', path: 'client-secret' }] },
    });
    expect(JSON.stringify(v)).not.toMatch(/client_secret"/);
    const todo = items(outputValue(stack(defaultStacks(), BAB), 'agency_todo')).join('\n');
    expect(todo).toContain(
      "Register the client 'bundesmessenger' at https://login.bab.bund.example/realms/bab with redirect URI https://matrix.bab.bund.example/_synapse/client/oidc/callback",
    );
    // without it: accounts only through the admin API, and the agency is told
    const without = synthesize(
      defaultFederation((y) => y.replace(/      # staff sign in[\s\S]*?existingSecret: bundesmessenger-oidc\n/, '')),
    );
    expect(values(chartRelease(BAB, without)).extraConfig.oidc_providers).toBeUndefined();
    expect(outputValue(stack(without, BAB), 'agency_todo')).toContain(
      'No sign-in configured (identity): accounts can only be created through the admin API',
    );
  });

  it('computes unread counts (push.enabled) but sends nothing without an approved gateway', () => {
    // Synapse's push.enabled: false would also stop unread counts; nothing leaves without Sygnal and a gateway
    expect(v.extraConfig.push).toEqual({ enabled: true, include_content: false });
    expect(v.sygnal.enabled).toBe(false);
    const withGw = synthesize(
      defaultFederation((y) =>
        replaceOnce(
          y,
          '      # privacy: all defaults',
          '      push: { gateway: https://push.bab.bund.example }\n      # privacy',
        ),
      ),
    );
    expect(values(chartRelease(BAB, withGw)).extraConfig.push.enabled).toBe(true);
    const todo = items(outputValue(stack(withGw, BAB), 'agency_todo')).join('\n');
    expect(todo).toContain('to the approved push gateway https://push.bab.bund.example');
  });
});

describe('BundesMessenger federation states', () => {
  const whitelistOf = (edit: (y: string) => string) => {
    const r = chartRelease(BAB, synthesize(defaultFederation(edit)));
    return { parsed: values(r).extraConfig, raw: String(r.values[0]) };
  };

  it('allowList names the servers', () => {
    expect(values(chartRelease(BAB)).extraConfig.federation_domain_whitelist).toEqual(['bfbs.bund.example']);
  });

  it('none renders an empty whitelist (no federation at all)', () => {
    const w = whitelistOf((y) =>
      replaceOnce(
        y,
        '      federation:\n        mode: allowList\n        servers: [bfbs.bund.example]',
        '      federation: { mode: none }',
      ),
    );
    expect(w.parsed.federation_domain_whitelist).toEqual([]);
  });

  it('open unsets the whitelist (null removes the chart default), and only in the internet zone', () => {
    const i = issueAt(
      (y) =>
        replaceOnce(
          y,
          '      federation:\n        mode: allowList\n        servers: [bfbs.bund.example]',
          '      federation: { mode: open }',
        ),
      'tenants[3].bundesMessenger.federation.mode',
    );
    expect(i.message).toBe(
      "open federation of 'bab' is refused outside the internet zone; its cluster is in 'gs-bab' (grundschutz)",
    );
    const inInternet = (y: string) =>
      replaceOnce(
        replaceOnce(y, 'zone: gs-bab\n    operator: bab', 'zone: internet\n    operator: bab'),
        '      federation:\n        mode: allowList\n        servers: [bfbs.bund.example]',
        '      federation: { mode: open }',
      );
    const w = whitelistOf(inInternet);
    expect(w.raw).toMatch(/federation_domain_whitelist: null/);
    expect('federation_domain_whitelist' in w.parsed && w.parsed.federation_domain_whitelist === null).toBe(true);
    expect(w.parsed.federation_domain_whitelist).not.toEqual([]);
  });

  it('refuses servers that are not BundesMessenger servers of this federation', () => {
    const i = issueAt(
      (y) => replaceOnce(y, 'servers: [bfbs.bund.example]', 'servers: [matrix.org]'),
      'tenants[3].bundesMessenger.federation.servers[0]',
    );
    expect(i.message).toBe(
      "BundesMessenger of 'bab' federates only with other BundesMessenger servers of this federation",
    );
    expect(i.allowed).toBe("'bfbs.bund.example'");
    const bw = issueAt(
      (y) => replaceOnce(y, 'servers: [bfbs.bund.example]', 'servers: [zbk.bundeswehr.example]'),
      'tenants[3].bundesMessenger.federation.servers[0]',
    );
    expect(bw.message).toMatch(/only with other BundesMessenger servers/);
  });

  it('refuses zones of different kinds unless both zones declare it', () => {
    const i = issueAt(
      (y) => replaceOnce(y, '    allowFederationWith: [gs-bab]\n', ''),
      'tenants[3].bundesMessenger.federation.servers[0]',
    );
    expect(i.message).toBe(
      "'bab' in zone 'gs-bab' (grundschutz) and 'bfbs' in zone 'internet' (internet) are in zones of different kinds",
    );
  });
});

describe('BundesMessenger as SaaS', () => {
  it('owns no helm_release of the chart, anywhere', () => {
    for (const s of defaultStacks().filter((x) => x.name.includes('tenant-bfbs'))) {
      expect(Object.values(resources(s, 'helm_release')).filter((r: Json) => r.chart === 'bundesmessenger')).toEqual(
        [],
      );
    }
    const all = defaultStacks().flatMap((s) => Object.values(resources(s, 'helm_release')) as Json[]);
    expect(
      all
        .filter((r) => r.chart === 'bundesmessenger')
        .map((r) => r.namespace)
        .sort(),
    ).toEqual(['bum-bab', 'bwm-zbkbw']);
  });

  it('serves the .well-known/matrix delegation on the server name, as JSON readable from other origins', () => {
    const s = stack(defaultStacks(), 'itzbund-gs-1--tenant-bfbs');
    const cm = Object.values(resources(s, 'kubernetes_config_map_v1'))[0] as Json;
    expect(cm.data['default.conf']).toContain('default_type application/json;');
    expect(cm.data['default.conf']).toContain('add_header Access-Control-Allow-Origin "*" always;');
    const dep = Object.values(resources(s, 'kubernetes_deployment_v1'))[0] as Json;
    // only server and client are served; the nginx config is mounted where nginx reads it
    expect(dep.spec.template.spec.volume[0].config_map.items.map((i: Json) => i.key)).toEqual(['server', 'client']);
    const other = synthesize(
      defaultFederation((y) =>
        replaceOnce(y, '      serverName: bfbs.bund.example', '      serverName: matrix-id.bfbs.example').replace(
          'servers: [bfbs.bund.example]',
          'servers: [matrix-id.bfbs.example]',
        ),
      ),
    );
    const s2 = stack(other, 'itzbund-gs-1--tenant-bfbs');
    expect((Object.values(resources(s2, 'kubernetes_ingress_v1'))[0] as Json).spec.rule[0].host).toBe(
      'matrix-id.bfbs.example',
    );
    expect(items(outputValue(s2, 'dns_entries'))[0]).toMatch(
      /^https:\/\/matrix-id\.bfbs\.example\/\.well-known\/matrix\/server/,
    );
  });

  it('serves the .well-known/matrix delegation as a small guarded deployment in the zone of its web domain', () => {
    const s = stack(defaultStacks(), 'itzbund-gs-1--tenant-bfbs');
    const cm = Object.values(resources(s, 'kubernetes_config_map_v1'))[0] as Json;
    expect(JSON.parse(cm.data.server)).toEqual({ 'm.server': 'bfbs.bundesmessenger.t-systems.example:443' });
    expect(JSON.parse(cm.data.client)).toEqual({
      'm.homeserver': { base_url: 'https://bfbs.bundesmessenger.t-systems.example' },
    });
    const ing = Object.values(resources(s, 'kubernetes_ingress_v1'))[0] as Json;
    expect(ing.spec.ingress_class_name).toBe('nginx-gs');
    expect(ing.spec.rule[0].host).toBe('bfbs.bund.example');
    const ns = Object.values(resources(s, 'kubernetes_namespace_v1'))[0] as Json;
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('outputs the homeserver, DNS and egress entries, the processor and the AVV it requires', () => {
    const bfbs = stack(defaultStacks(), 'itzbund-gs-1--tenant-bfbs');
    const out = (name: string) => outputValue(bfbs, name);
    expect(out('homeserver_url')).toBe('https://bfbs.bundesmessenger.t-systems.example');
    expect(out('processor')).toBe('T-Systems International GmbH');
    expect(out('data_processing_agreement')).toMatch(
      /Auftragsverarbeitungsvertrag \(AVV, Art. 28 DSGVO\) between Bundesamt für Beispielstatistik \(controller\) and T-Systems International GmbH \(processor\)/,
    );
    expect(items(out('dns_entries')).join('\n')).toMatch(/bfbs.bund.example\/.well-known\/matrix\/server/);
    expect(items(out('egress_entries'))[0]).toMatch(/bfbs.bundesmessenger.t-systems.example:443/);
  });

  it('without a delegation, has a stack of outputs only, and no provider', () => {
    const stacks = synthesize(
      defaultFederation((y) => replaceOnce(y, '      wellKnown: { cluster: itzbund-gs-1 }\n', '')),
    );
    const s = stack(stacks, 'saas--tenant-bfbs');
    expect(s.json.resource).toBeUndefined();
    expect(s.json.provider).toBeUndefined();
    expect(outputValue(s, 'processor')).toBe('T-Systems International GmbH');
  });
});

describe('BwMessenger', () => {
  it('runs the same Matrix stack on the BWI cluster for the Bundeswehr tenant', () => {
    const r = chartRelease('bwi-bwm-1--tenant-zbkbw');
    expect(r.namespace).toBe('bwm-zbkbw');
    expect(values(r).extraConfig.federation_domain_whitelist).toEqual([]);
    const ns = Object.values(
      resources(stack(defaultStacks(), 'bwi-bwm-1--tenant-zbkbw'), 'kubernetes_namespace_v1'),
    ).find((n: Json) => n.metadata.name === 'bwm-zbkbw') as Json;
    expect(ns.metadata.labels['messenger.bund/service']).toBe('bwmessenger');
  });

  it('is refused for a tenant that is not of kind bundeswehr', () => {
    const i = issueAt(
      (y) => replaceOnce(y, 'kind: bundeswehr\n', 'kind: federal-authority\n'),
      'tenants[4].bwMessenger',
    );
    expect(i.message).toBe("BwMessenger is for the Bundeswehr only; tenant 'zbkbw' is of kind 'federal-authority'");
  });

  it('federates only with other BwMessenger servers', () => {
    const i = issueAt(
      (y) =>
        replaceOnce(
          y,
          '      federation: { mode: none }\n      virusScanning:\n        enabled: true\n        acknowledgeKeyDisclosure: true\n        clamavMirror: https://clamav-mirror.bwi',
          '      federation: { mode: allowList, servers: [bab.bund.example] }\n      virusScanning:\n        enabled: true\n        acknowledgeKeyDisclosure: true\n        clamavMirror: https://clamav-mirror.bwi',
        ),
      'tenants[4].bwMessenger.federation.servers[0]',
    );
    expect(i.message).toBe("BwMessenger of 'zbkbw' federates only with other BwMessenger servers of this federation");
  });
});

describe('every values key path set appears in the chart’s derived key paths (from values-keys.txt)', () => {
  // Keys the chart's values show only as comments count as known.
  const known = new Set(chartKeys(BUNDESMESSENGER_CHART.chart).keys());
  /** Free-form maps (`path.*` in the file), listed once. */
  const freeForm = [...known].filter((l) => l.endsWith('.*')).map((l) => l.slice(0, -2));
  /**
   * Lists whose items are Kubernetes objects the chart passes through as they are (`toYaml`): their item keys are
   * Kubernetes' (IngressTLS, Volume, VolumeMount), not the chart's.
   */
  const KUBERNETES_LISTS = [
    'ingress.tls[]',
    'synapse.extraVolumes[]',
    'synapse.extraVolumeMounts[]',
    'workers.default.volumes[]',
    'workers.default.volumeMounts[]',
  ];
  const unknown = (v: unknown) =>
    keyPaths(v).filter(
      (p) =>
        !known.has(p) &&
        !freeForm.some((f) => p.startsWith(`${f}.`) || p.startsWith(`${f}[]`)) &&
        !KUBERNETES_LISTS.some((l) => p.startsWith(`${l}.`)),
    );
  it('lists of Kubernetes objects are chart keys themselves', () => {
    for (const l of KUBERNETES_LISTS) expect(known.has(l)).toBe(true);
  });

  it.each(['bab-bum-1--tenant-bab', 'bwi-bwm-1--tenant-zbkbw'])('%s', (name) => {
    const r = chartRelease(name);
    expect(unknown(values(r))).toEqual([]);
    expect(unknown(Object.fromEntries((r.set_sensitive ?? []).map((x: Json) => [x.name, 'x'])))).toEqual([]);
  });

  it('with an internal image registry too', () => {
    const stacks = synthesize(
      defaultFederation((y) => y.replace('tenants:\n', 'images:\n  registry: registry.bab.bund.example\n\ntenants:\n')),
    );
    const v = values(chartRelease(BAB, stacks));
    expect(v.image.registry).toBe('registry.bab.bund.example');
    expect(unknown(v)).toEqual([]);
  });

  it('catches a key the chart does not have', () => {
    expect(unknown({ contentscanner: { enabled: true, quarantine: true }, extraConfig: { anything: 1 } })).toEqual([
      'contentscanner.quarantine',
    ]);
  });
});

describe('a SaaS partner’s .well-known delegation must be reachable by the servers that federate with it', () => {
  it('refuses a delegation in a zone the partner cannot reach, naming both zones', () => {
    const i = issueAt(
      (y) => replaceOnce(y, 'wellKnown: { cluster: itzbund-gs-1 }', 'wellKnown: { cluster: itzbund-ndb-1 }'),
      'tenants[3].bundesMessenger.federation.servers[0]',
    );
    expect(i.message).toBe(
      "'bab' in zone 'gs-bab' (grundschutz) cannot reach the .well-known delegation of 'bfbs', served in zone 'ndb' (ndb): servers look up bfbs.bund.example/.well-known/matrix/server there",
    );
    expect(i.line).toBeGreaterThan(0);
  });
});
