import { ConfigError, type ConfigIssue } from '../config/errors';
import { parseFederation } from '../config/load';
import { DEFAULT_YAML, issueAt } from './helpers';

/** Parses the default YAML after `edit` and returns the issues (fails when it parses). */
function issuesOf(edit: (yaml: string) => string, file = 'tenants/example.yaml'): ConfigIssue[] {
  try {
    parseFederation(edit(DEFAULT_YAML), file);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.issues];
    throw e;
  }
  throw new Error('expected the config to be rejected');
}

function replaceOnce(yaml: string, from: string, to: string): string {
  if (!yaml.includes(from)) throw new Error(`test setup: '${from}' not in the default config`);
  return yaml.replace(from, to);
}

interface Case {
  readonly name: string;
  readonly edit: (yaml: string) => string;
  readonly path: string;
  readonly value: unknown;
  readonly message: RegExp;
  readonly allowed?: RegExp;
}

const cases: Case[] = [
  {
    name: 'unknown BundesMessenger mode',
    edit: (y) => replaceOnce(y, 'mode: self-hosted', 'mode: selfhost'),
    path: 'tenants[3].bundesMessenger.mode',
    value: 'selfhost',
    message: /unknown mode/,
    allowed: /"self-hosted" \| "saas"/,
  },
  {
    name: 'unknown zone kind',
    edit: (y) => replaceOnce(y, 'kind: internet', 'kind: dmz'),
    path: 'zones[4].kind',
    value: 'dmz',
    message: /not an allowed value/,
    allowed: /"ndb" \| "grundschutz" \| "internet"/,
  },
  {
    name: 'cluster in an unknown zone',
    edit: (y) => replaceOnce(y, 'zone: gs-bab', 'zone: gs-nirgendwo'),
    path: 'clusters[2].zone',
    value: 'gs-nirgendwo',
    message: /unknown zone/,
    allowed: /'ndb', 'gs-itzbund', 'gs-bab', 'bw-netz', 'internet'/,
  },
  {
    name: 'duplicate tenant id',
    edit: (y) => replaceOnce(y, 'id: lamv', 'id: bmbsp'),
    path: 'tenants[1].id',
    value: 'bmbsp',
    message: /duplicate id, already used by tenants\[0\]/,
  },
  {
    name: 'pillar 1 on a Grundschutz cluster',
    edit: (y) => replaceOnce(y, 'pillar: 1\n      cluster: itzbund-ndb-1', 'pillar: 1\n      cluster: itzbund-gs-1'),
    path: 'wire.pillars[0].cluster',
    value: 'itzbund-gs-1',
    message: /Säule 1 \('wire-s1'\) cannot run on cluster 'itzbund-gs-1' in zone 'gs-itzbund' of kind 'grundschutz'/,
    allowed: /zone of kind 'ndb': 'itzbund-ndb-1'/,
  },
  {
    name: 'tenant names an unknown pillar',
    edit: (y) => replaceOnce(y, 'pillars: [wire-s3]', 'pillars: [wire-s2]'),
    path: 'tenants[1].wire.pillars[0]',
    value: 'wire-s2',
    message: /unknown Wire pillar/,
    allowed: /'wire-s1', 'wire-s3'/,
  },
  {
    name: 'malformed CIDR',
    edit: (y) => replaceOnce(y, '10.96.0.0/13', '10.96.0.0/33'),
    path: 'zones[1].cidrs[0]',
    value: '10.96.0.0/33',
    message: /not a valid CIDR/,
  },
  {
    name: 'CIDR with host bits',
    edit: (y) => replaceOnce(y, '172.20.0.0/14', '172.21.0.1/14'),
    path: 'zones[2].cidrs[0]',
    value: '172.21.0.1/14',
    message: /not a valid CIDR/,
  },
  {
    name: 'overlapping zones',
    edit: (y) => replaceOnce(y, '10.96.0.0/13', '10.70.0.0/16'),
    path: 'zones[1].cidrs[0]',
    value: '10.70.0.0/16',
    message: /overlaps zones\[0\]\.cidrs\[0\] '10\.64\.0\.0\/12' of zone 'ndb'/,
  },
  {
    name: 'overlapping IPv6 zones',
    edit: (y) => replaceOnce(y, "'fd00:96::/32'", "'fd00:64:1::/48'"),
    path: 'zones[1].cidrs[1]',
    value: 'fd00:64:1::/48',
    message: /overlaps .* of zone 'ndb'/,
  },
  {
    name: 'invalid DNS name',
    edit: (y) => replaceOnce(y, 'domain: lamv.musterland.example', 'domain: Landesamt_Musterland'),
    path: 'tenants[1].domain',
    value: 'Landesamt_Musterland',
    message: /fully qualified DNS name/,
  },
  {
    name: 'credentials in the config',
    edit: (y) => replaceOnce(y, 'context: bwm-prod', 'context: bwm-prod\n      token: eyJhbGciOi'),
    path: 'clusters[3].connection.token',
    value: 'eyJhbGciOi',
    message: /unknown key 'token' \(credentials never go into the config/,
    allowed: /keys type, path, context/,
  },
  {
    name: 'VS-NfD outside the NdB',
    edit: (y) =>
      replaceOnce(
        y,
        'loadBalancerClass: lb.gs.itzbund.example/internal',
        'loadBalancerClass: lb.gs.itzbund.example/internal\n    maxClassification: VS-NfD',
      ),
    path: 'zones[1].maxClassification',
    value: 'VS-NfD',
    message: /cannot carry VS-NfD/,
  },
  {
    name: 'BwMessenger for a civil agency',
    edit: (y) => replaceOnce(y, 'kind: bundeswehr\n', 'kind: federal-authority\n'),
    path: 'tenants[4].bwMessenger',
    value: expect.objectContaining({ cluster: 'bwi-bwm-1', serverName: 'zbk.bundeswehr.example' }),
    message: /BwMessenger is for the Bundeswehr only; tenant 'zbkbw' is of kind 'federal-authority'/,
  },
  {
    name: 'self-hosted BundesMessenger on a cluster the agency does not operate',
    edit: (y) => replaceOnce(y, 'cluster: bab-bum-1\n      serverName', 'cluster: itzbund-gs-1\n      serverName'),
    path: 'tenants[3].bundesMessenger.cluster',
    value: 'itzbund-gs-1',
    message: /must run on a cluster the agency operates itself/,
  },
  {
    name: 'unknown state backend',
    edit: (y) => replaceOnce(y, 'type: local', 'type: consul'),
    path: 'stateBackend.type',
    value: 'consul',
    message: /unknown type/,
    allowed: /"local" \| "pg" \| "s3"/,
  },
  {
    name: 'missing required key',
    edit: (y) => replaceOnce(y, '    ingressController:\n      namespace: ingress-bw\n', ''),
    path: 'clusters[3].ingressController',
    value: undefined,
    message: /required key is missing/,
  },
  {
    name: 'pillar without operator when the default operator is not declared',
    edit: (y) =>
      replaceOnce(
        y,
        '  - id: itzbund\n    name: Informationstechnikzentrum Bund (ITZBund)\n    kind: federal-it-service-provider\n',
        '',
      ).replace(/operator: itzbund/g, 'operator: bwi'),
    path: 'wire.pillars[0].operator',
    value: undefined,
    message: /has no operator and the default operator 'itzbund' is not declared/,
  },
  {
    name: 'datastore outside the pillar zone',
    edit: (y) =>
      replaceOnce(
        y,
        'cassandra: [10.64.20.11, 10.64.20.12, 10.64.20.13]',
        'cassandra: [10.64.20.11, 203.0.113.5, 10.64.20.13]',
      ),
    path: 'wire.pillars[0].datastores.cassandra[1]',
    value: '203.0.113.5',
    message: /datastore of pillar 'wire-s1' lies outside zone 'ndb': data would leave the zone/,
    allowed: /10.64.0.0\/12/,
  },
  {
    name: 'tenant id that is an operator id',
    edit: (y) => replaceOnce(y, 'id: lamv', 'id: itzbund'),
    path: 'tenants[1].id',
    value: 'itzbund',
    message: /tenant id 'itzbund' is already the id of an operator/,
  },
  {
    name: 'credentials in a chart repository URL',
    edit: (y) => replaceOnce(y, 'stable: https://s3-eu-west-1', 'stable: https://robot:s3cr3t@s3-eu-west-1'),
    path: 'wire.chartRepositories.stable',
    // the refused credential is not echoed
    value: 'https://***@s3-eu-west-1.amazonaws.com/public.wire.com/charts',
    message: /must not contain credentials/,
  },
  {
    name: 'credentials in exec plugin arguments',
    edit: (y) =>
      replaceOnce(y, '--oidc-client-id=terraform]', '--oidc-client-id=terraform, --oidc-client-secret=geheim]'),
    path: 'clusters[1].connection.args[3]',
    value: '--oidc-client-secret=***',
    message: /exec args must not carry credentials/,
  },
  {
    name: 'unknown operator',
    edit: (y) => replaceOnce(y, 'operator: bwi', 'operator: bwi-gmbh'),
    path: 'clusters[3].operator',
    value: 'bwi-gmbh',
    message: /unknown operator/,
  },
];

describe('invalid configs are rejected with file, path, value and what is allowed', () => {
  it.each(cases)('$name', (c) => {
    const issues = issuesOf(c.edit);
    const issue = issues.find(
      (i) =>
        i.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
          .join('')
          .replace(/^\./, '') === c.path,
    );
    if (!issue) throw new Error(`no issue at ${c.path}; got:\n${new ConfigError(issues).message}`);
    expect(issue.file).toBe('tenants/example.yaml');
    expect(issue.value).toEqual(c.value);
    expect(issue.message).toMatch(c.message);
    if (c.allowed) expect(issue.allowed).toMatch(c.allowed);
    const text = new ConfigError(issues).message;
    expect(text).toContain(`tenants/example.yaml:`);
    expect(text).toContain(`${c.path}: `);
  });

  it('names the line of the offending value', () => {
    const issues = issuesOf((y) => replaceOnce(y, 'mode: self-hosted', 'mode: selfhost'));
    const line = DEFAULT_YAML.split('\n').findIndex((l) => l.includes('mode: self-hosted')) + 1;
    expect(issues[0].line).toBe(line);
    expect(new ConfigError(issues).message).toContain(
      `tenants/example.yaml:${line}:13: tenants[3].bundesMessenger.mode: unknown mode; found "selfhost"; allowed: "self-hosted" | "saas"`,
    );
  });

  it('reports several errors together', () => {
    const issues = issuesOf((y) => replaceOnce(replaceOnce(y, 'id: lamv', 'id: bmbsp'), 'zone: gs-bab', 'zone: gs-x'));
    expect(issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['tenants.1.id', 'clusters.2.zone']));
  });

  it('reports schema errors together', () => {
    const issues = issuesOf((y) =>
      replaceOnce(replaceOnce(y, 'kind: internet', 'kind: dmz'), 'mode: saas', 'mode: cloud'),
    );
    expect(issues).toHaveLength(2);
  });

  it('rejects YAML that does not parse, naming the line', () => {
    const issues = issuesOf((y) => replaceOnce(y, 'zones:\n', 'zones:\n  - id: [unclosed\n'));
    expect(issues[0].message).toMatch(/not valid YAML/);
    expect(issues[0].line).toBeGreaterThan(1);
  });

  it('rejects duplicate keys in YAML', () => {
    const issues = issuesOf((y) =>
      replaceOnce(y, 'stateBackend:\n  type: local\n', 'stateBackend:\n  type: local\n  type: pg\n'),
    );
    expect(issues[0].message).toMatch(/not valid YAML/);
  });
});

describe('data protection agreements', () => {
  it('an agreement names a known operator as processor (a typo is a file:line error, not a misleading compliance finding)', () => {
    const i = issueAt(
      (y) =>
        replaceOnce(
          y,
          '- { processor: itzbund, reference: AVV-ITZBund-2025-0117',
          '- { processor: itzbnd, reference: AVV-ITZBund-2025-0117',
        ),
      'tenants[0].dataProtection.agreements[0].processor',
    );
    expect(i.message).toBe("tenant 'bmbsp' records an agreement with an unknown operator");
    expect(i.value).toBe('itzbnd');
    expect(i.allowed).toMatch(/'itzbund'/);
    expect(i.line).toBeGreaterThan(0);
  });
});
