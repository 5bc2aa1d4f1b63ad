import { formatPath } from '../config/errors';
import {
  configIssues,
  defaultFederation,
  defaultStacks,
  replaceOnce,
  resources,
  stack,
  synthesize,
  synthesizeInMemory,
  withPillar2,
  issueAt,
  releaseValuesOf,
} from './helpers';
import { WIRE_CHARTS } from '../constructs/wire/chart-versions';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { dataSources, local, outputValue, valueAt } from '../policy/synthesized-view';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** An output of a stack that holds a list of lines (`agency_todo`, `firewall_entries`). */
const lines = (s: SynthesizedStack, name: string) => outputValue(s, name) as string[];

function releases(stackName: string, stacks = defaultStacks()): Record<string, Json> {
  return resources(stack(stacks, stackName), 'helm_release');
}
const values = releaseValuesOf;

describe('pillar rules (config errors that name both ends)', () => {
  it('refuses a pillar on a cluster of another zone kind, naming pillar and cluster', () => {
    const i = issueAt(
      (y) => replaceOnce(y, 'pillar: 3\n      cluster: itzbund-gs-1', 'pillar: 3\n      cluster: itzbund-ndb-1'),
      'wire.pillars[1].cluster',
    );
    expect(i.message).toBe("Säule 3 ('wire-s3') cannot run on cluster 'itzbund-ndb-1' in zone 'ndb' of kind 'ndb'");
    expect(i.allowed).toBe("a cluster in a zone of kind 'grundschutz': 'itzbund-gs-1', 'bab-bum-1', 'bwi-bwm-1'");
  });

  it('requires the acknowledgement for Säule 2', () => {
    const i = issueAt((y) => withPillar2(y, false), 'wire.pillars[2].acknowledgeNotImplemented');
    expect(i.message).toMatch(/Säule 2 \('wire-s2'\) is not implemented in reality today/);
    expect(i.allowed).toBe('true');
  });

  it('never uses demo datastores in production', () => {
    const j = issueAt(
      (y) =>
        y.replace(
          /(id: wire-s3[\s\S]*?)datastores:\n        mode: external\n(?:        .*\n)+/,
          '$1datastores: { mode: demo }\n',
        ),
      'wire.pillars[1].datastores.mode',
    );
    expect(j.message).toBe("pillar 'wire-s3' is in stage 'production' and cannot use the ephemeral demo datastores");
  });

  it('rejects calling IPs outside the zone', () => {
    const i = issueAt(
      (y) => replaceOnce(y, 'advertisedIp: 10.64.10.12', 'advertisedIp: 203.0.113.7'),
      'wire.pillars[0].calling.nodes[1].advertisedIp',
    );
    expect(i.message).toBe("calling IP of pillar 'wire-s1' lies outside zone 'ndb'");
    expect(i.value).toBe('203.0.113.7');
    expect(i.allowed).toBe('an address inside 10.64.0.0/12, fd00:64::/32');
  });

  it('allows public ACME only in the internet zone', () => {
    const i = issueAt(
      (y) =>
        replaceOnce(y, 'pki: { type: internal-ca, issuerName: itzbund-ndb-ca }', 'pki: { type: acme, issuerName: le }'),
      'clusters[0].pki.type',
    );
    expect(i.message).toMatch(
      /public ACME certificates are only for the internet zone; cluster 'itzbund-ndb-1' is in 'ndb'/,
    );
  });
});

describe('federation rules', () => {
  const link = (a: string, b: string) => (y: string) =>
    replaceOnce(
      y,
      '    - { between: [wire-s3, musterland-wire], searchPolicy: full_search }',
      `    - { between: [wire-s3, musterland-wire], searchPolicy: full_search }\n    - { between: [${a}, ${b}] }`,
    );

  it('joins only instances of equal classification', () => {
    const i = issueAt(link('wire-s1', 'wire-s3'), 'wire.federationLinks[2].between');
    expect(i.message).toContain(
      "'wire-s1' (wire-s1.itzbund.ndb.example) and 'wire-s3' (wire-s3.itzbund.example) are VS-NfD and offen",
    );
  });

  it('never links Säule 1 to an instance outside the NdB zone', () => {
    const edit = (y: string) =>
      link(
        'wire-s1',
        'bw-vsnfd',
      )(
        replaceOnce(
          y,
          '  federationLinks:',
          '    - { id: bw-vsnfd, domain: wire.bw.example, zone: bw-netz, classification: offen }\n  federationLinks:',
        ),
      );
    const issues = configIssues(edit).filter((i) => formatPath(i.path) === 'wire.federationLinks[2].between');
    expect(issues.map((i) => i.message)).toContain(
      "Säule 1 'wire-s1' cannot federate with 'bw-vsnfd' outside the NdB zone (zone 'bw-netz')",
    );
  });

  it('never federates an instance with itself', () => {
    const i = issueAt(link('wire-s3', 'wire-s3'), 'wire.federationLinks[2].between');
    expect(i.message).toBe(
      "a Wire instance never federates with itself: 'wire-s3' (wire-s3.itzbund.example) and 'wire-s3' (wire-s3.itzbund.example)",
    );
  });

  it('never reuses a federation domain', () => {
    const i = issueAt(
      (y) => replaceOnce(y, 'domain: wire.musterland.example', 'domain: wire-s3.itzbund.example'),
      'wire.externalBackends[1].domain',
    );
    expect(i.message).toBe("federation domain of 'musterland-wire' is already used by 'wire-s3'");
  });

  it('gives Säule 2 no path to Säulen 1 and 3', () => {
    const issues = configIssues((y) => link('wire-s2', 'wire-s3')(withPillar2(y)));
    expect(issues.map((i) => i.message)).toContain("Säule 2 'wire-s2' has no network path to Säule 3 'wire-s3'");
  });
});

describe('Säule 2', () => {
  it('is absent by default', () => {
    expect(defaultFederation().pillars.map((p) => p.pillar)).not.toContain(2);
    expect(
      defaultStacks()
        .map((s) => s.name)
        .filter((n) => n.includes('wire-s2')),
    ).toEqual([]);
  });

  it('deploys only with the acknowledgement, on the internet cluster, with a warning', () => {
    const fed = defaultFederation((y) => withPillar2(y));
    const stacks = synthesize(fed);
    const s2 = stack(stacks, 'itzbund-inet-1--wire-s2');
    expect(valueAt(local(s2, 'network_zone'), 'kind')).toBe('internet');
    expect(Object.values(resources(s2, 'helm_release')).map((r: Json) => r.provider)).toEqual(
      expect.arrayContaining(['helm.itzbund-inet-1']),
    );
    // no federation with pillars 1 and 3, and nothing of it on their clusters
    expect(fed.pillars.find((p) => p.pillar === 2)?.partners).toEqual([]);
    const other = stacks.filter((s) => s.name.startsWith('itzbund-ndb-1') || s.name.startsWith('itzbund-gs-1'));
    expect(JSON.stringify(other.map((s) => s.json))).not.toContain('wire-s2');
  });
});

describe('Wire Bund pillar backend', () => {
  const s1 = releases('itzbund-ndb-1--wire-s1');
  const byChart = (chart: string) => Object.values(s1).find((r: Json) => r.chart === chart) as Json;

  it('composes the charts of Wire release 5.32 from the configured repositories', () => {
    const charts = Object.values(s1)
      .map((r: Json) => `${r.chart}@${r.version}`)
      .sort();
    expect(charts).toEqual(
      [
        'cassandra-external',
        'elasticsearch-external',
        'minio-external',
        'postgresql-external',
        'rabbitmq-external',
        'wire-server',
        'nginx-ingress-services',
        'webapp',
        'team-settings',
        'account-pages',
        'sftd',
        'coturn',
      ]
        .map((c) => `${c}@${WIRE_CHARTS[c as keyof typeof WIRE_CHARTS].version}`)
        .sort(),
    );
    expect(byChart('sftd').repository).toBe('https://s3-eu-west-1.amazonaws.com/public.wire.com/charts-avs');
    expect(byChart('webapp').repository).toBe('https://s3-eu-west-1.amazonaws.com/public.wire.com/charts-webapp');
    expect(Object.values(s1).some((r: Json) => ['databases-ephemeral', 'fake-aws'].includes(r.chart))).toBe(false);
  });

  it('takes chart repositories from the config (air-gapped mirror)', () => {
    const stacks = synthesize(
      defaultFederation((y) =>
        y
          .replace(
            'stable: https://s3-eu-west-1.amazonaws.com/public.wire.com/charts',
            'stable: https://harbor.itzbund.example/chartrepo/wire',
          )
          .replace(
            'avs: https://s3-eu-west-1.amazonaws.com/public.wire.com/charts-avs',
            'avs: https://harbor.itzbund.example/chartrepo/wire-avs',
          ),
      ),
    );
    const r = Object.values(releases('itzbund-ndb-1--wire-s1', stacks)) as Json[];
    expect(r.find((x) => x.chart === 'wire-server').repository).toBe('https://harbor.itzbund.example/chartrepo/wire');
    expect(r.find((x) => x.chart === 'sftd').repository).toBe('https://harbor.itzbund.example/chartrepo/wire-avs');
  });

  it('points wire-server at the external datastores', () => {
    const v = values(byChart('wire-server'));
    expect(v.brig.config.cassandra.host).toBe('cassandra-external');
    expect(v.galley.config.postgresql.host).toBe('postgresql-external-rw');
    expect(values(byChart('cassandra-external')).IPs).toEqual(['10.64.20.11', '10.64.20.12', '10.64.20.13']);
    expect(values(byChart('postgresql-external'))).toEqual({ RWIPs: ['10.64.24.11'], ROIPs: ['10.64.24.12'] });
  });

  it('uses the zone ingress class and the cluster PKI issuer', () => {
    const v = values(byChart('nginx-ingress-services'));
    expect(v.config.ingressClass).toBe('nginx-ndb');
    expect(v.tls).toMatchObject({
      useCertManager: true,
      createIssuer: false,
      issuer: { name: 'itzbund-ndb-ca', kind: 'ClusterIssuer' },
    });
    expect(values(byChart('sftd')).config.ingressClass).toBe('nginx-ndb');
  });

  it('keeps the cannon LoadBalancer off', () => {
    expect(values(byChart('wire-server')).cannon.service.nginz.enabled).toBe(false);
  });

  it('places sftd and coturn on the calling pool and announces the configured IPs', () => {
    for (const c of ['sftd', 'coturn']) {
      const r = byChart(c);
      expect(r.namespace).toBe('wire-s1-calling');
      expect(values(r).nodeSelector).toEqual({ 'node.messenger.bund/pool': 'calling' });
      expect(values(r).replicaCount).toBe(2);
    }
    const ann = resources(stack(defaultStacks(), 'itzbund-ndb-1--wire-s1'), 'kubernetes_annotations');
    expect(Object.values(ann).map((a: Json) => [a.metadata.name, a.annotations['wire.com/external-ip']])).toEqual([
      ['ndb-calling-1', '10.64.10.11'],
      ['ndb-calling-2', '10.64.10.12'],
    ]);
    expect(values(byChart('wire-server')).brig.turnStatic.v2).toEqual([
      'turn:10.64.10.11:3478',
      'turn:10.64.10.11:3478?transport=tcp',
      'turn:10.64.10.12:3478',
      'turn:10.64.10.12:3478?transport=tcp',
    ]);
    const ns = Object.values(
      resources(stack(defaultStacks(), 'itzbund-ndb-1--wire-s1'), 'kubernetes_namespace_v1'),
    ).find((n: Json) => n.metadata.name === 'wire-s1-calling') as Json;
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  it('sizes requests and limits from the size profile', () => {
    const large = values(byChart('wire-server'));
    expect(large.brig.replicaCount).toBe(6);
    expect(large.brig.resources).toEqual({
      requests: { cpu: '200m', memory: '400Mi' },
      limits: { cpu: '2000m', memory: '1024Mi' },
    });
    const medium = values(
      Object.values(releases('itzbund-gs-1--wire-s3')).find((r: Json) => r.chart === 'wire-server'),
    );
    expect(medium.brig.replicaCount).toBe(3);
    expect(medium.brig.resources.requests).toEqual({ cpu: '100m', memory: '200Mi' });
  });

  it('configures federation in all four places, allowDynamic with the declared remotes, mTLS federator ingress', () => {
    const v = values(byChart('wire-server'));
    expect(v.tags.federation).toBe(true);
    expect(v.brig.config.optSettings.setFederationDomain).toBe('wire-s1.itzbund.ndb.example');
    expect(v.galley.config.settings.federationDomain).toBe('wire-s1.itzbund.ndb.example');
    expect(v.cargohold.config.settings.federationDomain).toBe('wire-s1.itzbund.ndb.example');
    expect(v['background-worker'].config.federationDomain).toBe('wire-s1.itzbund.ndb.example');
    expect(v.brig.config.optSettings.setFederationStrategy).toBe('allowDynamic');
    expect(v.brig.config.optSettings.setFederationDomainConfigs).toEqual([
      { domain: 'wire.bkbsp.ndb.example', search_policy: 'exact_handle_search' },
    ]);
    expect(v.brig.config.rabbitmq.host).toBe('rabbitmq-external');
    const nis = values(byChart('nginx-ingress-services'));
    expect(nis.federator.enabled).toBe(true);
    expect(nis.config.dns.federator).toBe('federator.wire-s1.itzbund.ndb.example');
    expect(byChart('nginx-ingress-services').set_sensitive.map((x: Json) => x.name)).toEqual(['secrets.tlsClientCA']);
  });

  it('leaves federation off for a pillar without links', () => {
    const stacks = synthesize(
      defaultFederation((y) =>
        y.replace('    - { between: [wire-s3, musterland-wire], searchPolicy: full_search }\n', ''),
      ),
    );
    const v = values(
      Object.values(releases('itzbund-gs-1--wire-s3', stacks)).find((r: Json) => r.chart === 'wire-server'),
    );
    expect(v.tags.federation).toBe(false);
    expect(v.brig.config.optSettings.setFederationStrategy).toBe('allowNone');
    expect(v.federator).toBeUndefined();
  });
});

describe('secrets', () => {
  const all = JSON.stringify(defaultStacks().map((s) => s.json));

  it('never appear as literals in the synthesized JSON', () => {
    for (const literal of [
      'verysecurepassword',
      'CHANGEME',
      'BEGIN PRIVATE KEY',
      'BEGIN CERTIFICATE',
      'dummysecret',
      'Bearer ',
    ]) {
      expect(all).not.toContain(literal);
    }
    for (const s of defaultStacks()) {
      for (const r of Object.values(resources(s, 'helm_release')) as Json[]) {
        expect(JSON.stringify(values(r))).not.toMatch(/"secrets":|[pP]assword":|privateKeys|"token":/);
        for (const x of r.set_sensitive ?? []) {
          expect(x.value.startsWith('${replace(replace(data.kubernetes_secret_v1.')).toBe(true);
          expect(x.value).toMatch(/\.data\["[a-z0-9.-]+"\], /);
          expect(x.value.endsWith(', ",", "\\\\,")}')).toBe(true);
        }
      }
    }
  });

  it('are read from the pre-created Secret named in the config', () => {
    const s = stack(defaultStacks(), 'itzbund-ndb-1--wire-s1');
    expect(
      dataSources(s, 'kubernetes_secret_v1')
        .map(({ body }) => `${valueAt(body, 'metadata.namespace')}/${valueAt(body, 'metadata.name')}`)
        .sort(),
    ).toEqual([
      'wire-s1-calling/wire-server-secrets',
      'wire-s1-calling/wire-server-secrets',
      'wire-s1/wire-server-secrets',
      'wire-s1/wire-server-secrets',
    ]);
    const ws = Object.values(resources(s, 'helm_release')).find((r: Json) => r.chart === 'wire-server') as Json;
    expect(ws.set_sensitive.map((x: Json) => x.name)).toEqual(
      expect.arrayContaining([
        'brig.secrets.zAuth.privateKeys',
        'brig.secrets.turn.secret',
        'federator.remoteCAContents',
      ]),
    );
  });
});

describe('agencies on Wire Bund', () => {
  it('deploy one ldap-scim-bridge per pillar for an agency with an LDAP directory', () => {
    for (const [st, pillar] of [
      ['itzbund-ndb-1--tenant-bmbsp', 'wire-s1'],
      ['itzbund-gs-1--tenant-bmbsp', 'wire-s3'],
    ]) {
      const r = Object.values(releases(st)) as Json[];
      expect(r.map((x) => [x.chart, x.namespace])).toEqual([['ldap-scim-bridge', `tenant-bmbsp-${pillar}`]]);
      const v = values(r[0]);
      expect(v.config.scimTarget.host).toBe(`spar.${pillar}.svc.cluster.local`);
      expect(r[0].set_sensitive.map((x: Json) => x.name)).toEqual([
        'config.ldapSource.password',
        'config.scimTarget.token',
      ]);
    }
    expect(releases('itzbund-gs-1--tenant-lamv')).toEqual({});
  });

  it('let the bridge reach spar, and only spar, in the pillar namespace', () => {
    const tenant = resources(stack(defaultStacks(), 'itzbund-ndb-1--tenant-bmbsp'), 'kubernetes_network_policy_v1');
    const toSpar = Object.values(tenant).find((p: Json) => p.metadata.name === 'allow-to-ns-wire-s1') as Json;
    expect(toSpar.spec.egress[0].to[0]).toEqual({
      namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'wire-s1' } },
      pod_selector: { match_labels: { app: 'spar' } },
    });
    const pillar = resources(stack(defaultStacks(), 'itzbund-ndb-1--wire-s1'), 'kubernetes_network_policy_v1');
    const fromBridges = Object.values(pillar).find(
      (p: Json) => p.metadata.name === 'allow-from-nss-ldap-scim-bridges',
    ) as Json;
    expect(fromBridges.spec.pod_selector).toEqual({ match_labels: { app: 'spar' } });
    expect(fromBridges.spec.ingress[0]).toEqual({
      from: [
        {
          namespace_selector: {
            match_labels: { 'messenger.bund/service': 'wire-ldap-scim-bridge', 'messenger.bund/pillar': '1' },
          },
        },
      ],
      ports: [{ port: '8080', protocol: 'TCP' }],
    });
  });

  it('output what the agency still must do', () => {
    const s1 = lines(stack(defaultStacks(), 'itzbund-ndb-1--tenant-bmbsp'), 'agency_todo');
    // bmbsp records its AVV with ITZBund: only what is really missing is listed
    expect(s1.join('\n')).not.toMatch(/Auftragsverarbeitungsvertrag/);
    // bmbsp declares VS-NfD-approved devices (dataProtection.vsNfdApprovedDevices): not listed as a step
    expect(s1.join('\n')).not.toMatch(/VS-NfD-approved devices/);
    // without the agreement the step is listed (compliance would stop the synth with DS-AVV; the stack says it too)
    const without = synthesizeInMemory(
      defaultFederation((y) =>
        replaceOnce(
          y,
          '- { processor: itzbund, reference: AVV-ITZBund-2025-0117',
          '- { processor: t-systems, reference: AVV-ITZBund-2025-0117',
        ),
      ),
    );
    expect(lines(stack(without, 'itzbund-ndb-1--tenant-bmbsp'), 'agency_todo')).toContain(
      'Auftragsverarbeitungsvertrag (AVV) with Informationstechnikzentrum Bund (ITZBund), operator of Wire Bund Säule 1',
    );
    const s3 = lines(stack(defaultStacks(), 'itzbund-gs-1--tenant-lamv'), 'agency_todo');
    expect(s3.join('\n')).not.toMatch(/VS-NfD/);
    expect(s3.join('\n')).toMatch(/DNS/);
    // lamv's DSFA is planned, bmbsp's done: only the open one is a step
    // (due 2026-03-31: overdue once the day of the synth is later)
    expect(s3.join('\n')).toMatch(/carry out the planned data protection impact assessment/i);
    expect(s1.join('\n')).not.toMatch(/impact assessment|data protection officer/);
    // lamv records no deletion concept and no Dienstvereinbarung: both are steps; bmbsp records both
    expect(s3.join('\n')).toMatch(/deletion concept/);
    expect(s3.join('\n')).toMatch(/Dienstvereinbarung/);
    expect(s1.join('\n')).not.toMatch(/deletion concept|Dienstvereinbarung/);
    const overdue = (epoch: string) => {
      const saved = process.env.SOURCE_DATE_EPOCH;
      process.env.SOURCE_DATE_EPOCH = epoch;
      try {
        return lines(stack(synthesizeInMemory(defaultFederation()), 'itzbund-gs-1--tenant-lamv'), 'agency_todo').join(
          '\n',
        );
      } finally {
        if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
        else process.env.SOURCE_DATE_EPOCH = saved;
      }
    };
    expect(overdue('1751371200')).toMatch(/Carry out the planned .* by 2026-03-31/); // 2025-07-01
    expect(overdue('1790000000')).toMatch(/Overdue since 2026-03-31/); // 2026-09
  });

  it('a missing DPO and DSFA are steps of the agency', () => {
    const without = synthesizeInMemory(
      defaultFederation((y) =>
        y
          .replace(/\n {6}dataProtectionOfficer:[^\n]*(\n {8}[^\n]*)*/, '')
          .replace(/\n {6}dsfa:[^\n]*(\n {8}[^\n]*)*/, ''),
      ),
    );
    const todo = lines(stack(without, 'itzbund-ndb-1--tenant-bmbsp'), 'agency_todo').join('\n');
    expect(todo).toMatch(/Name the data protection officer \(Art\. 37 GDPR\)/);
    expect(todo).toMatch(/Record the data protection impact assessment \(DSFA, Art\. 35 GDPR\)/);
  });
});

describe('calling across federated backends and the zone firewall', () => {
  it('federating pillars relay calls between coturn servers over DTLS, with a certificate from the cluster issuer', () => {
    const coturn = values(releases('itzbund-ndb-1--wire-s1')['wire-s1-calling_coturn']);
    expect(coturn.federate).toEqual({
      enabled: true,
      port: 9191,
      dtls: {
        enabled: true,
        tls: {
          issuerRef: { name: 'itzbund-ndb-ca', kind: 'ClusterIssuer' },
          certificate: { dnsNames: ['coturn.wire-s1.itzbund.ndb.example'] },
        },
        remoteWhitelist: [{ host: 'coturn.wire.bkbsp.ndb.example' }],
      },
    });
    // without federation links: no coturn federation
    const alone = synthesize(
      defaultFederation((y) => y.replace(/  federationLinks:\n(    - .*\n)+/, '  federationLinks: []\n')),
    );
    expect(values(releases('itzbund-ndb-1--wire-s1', alone)['wire-s1-calling_coturn']).federate).toBeUndefined();
  });

  it('the firewall output opens what sftd and coturn really use: the kernel range, coturn’s relay range, federation', () => {
    const entries = lines(stack(defaultStacks(), 'itzbund-ndb-1--wire-s1'), 'firewall_entries');
    expect(entries.filter((e) => e.includes('10.64.10.11 '))).toEqual([
      "10.64.0.0/12,fd00:64::/32 -> 10.64.10.11 udp/32768-61000 (sftd media: the node's ip_local_port_range)",
      '10.64.0.0/12,fd00:64::/32 -> 10.64.10.11 udp/49152-65535 (coturn relay: its built-in range)',
      '10.64.0.0/12,fd00:64::/32 -> 10.64.10.11 udp+tcp/3478 (TURN)',
      'ndb (federation partners) -> 10.64.10.11 udp/9191 (coturn federation, DTLS)',
    ]);
  });
});
