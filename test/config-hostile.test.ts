/**
 * Hostile and careless config input (families 5, 7, 8 and 10 of the fail-closed issue): every case ends in a
 * ConfigError that names the file and line, never in a stack trace, a hang or a silently accepted value.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, formatIssue, formatPath, type ConfigIssue } from '../config/errors';
import { loadFederation, parseFederation } from '../config/load';
import { Namespaces } from '../config/naming';
import { synthFederation } from '../app/pipeline';
import { execArgCredential, redactCredentials, urlCredentials } from '../config/schema';
import { buildReport, evaluateCompliance, reportMarkdown } from '../policy/compliance';
import { tenantFindings } from '../policy/compliance-rules';
import { DEFAULT_YAML, defaultFederation, issueAt, replaceOnce, tmpDir } from './helpers';

function issuesOfText(text: string, file = 'hostile.yaml'): ConfigIssue[] {
  try {
    parseFederation(text, file);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.issues];
    throw e;
  }
  throw new Error('expected the config to be rejected');
}

function issuesOfFile(file: string): ConfigIssue[] {
  try {
    loadFederation(file);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.issues];
    throw e;
  }
  throw new Error('expected the file to be rejected');
}

const PILLAR_S1 = '    - id: wire-s1\n';

describe('parser limits: errors, not traces', () => {
  it('refuses an alias bomb', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 8 }, (_, i) => {
        const prev = String.fromCharCode(97 + i);
        const next = String.fromCharCode(98 + i);
        return `${next}: &${next} [${Array(10).fill(`*${prev}`).join(', ')}]`;
      }),
    ].join('\n');
    const [issue] = issuesOfText(bomb);
    expect(issue.message).toMatch(/alias bomb/);
    expect(issue.file).toBe('hostile.yaml');
  });

  it('refuses very deep nesting with the line where it gets too deep', () => {
    const deep = `federation:\n  name: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const [issue] = issuesOfText(deep);
    expect(issue.message).toMatch(/nested more than 64 levels/);
    expect(issue.line).toBe(2);
  });

  it('names the key that appears twice', () => {
    const [issue] = issuesOfText(replaceOnce(DEFAULT_YAML, '    kind: ndb\n', '    kind: ndb\n    kind: internet\n'));
    expect(issue.message).toBe("not valid YAML: the key 'kind' appears twice in one mapping");
    expect(issue.value).toBe('kind');
    expect(issue.line).toBe(DEFAULT_YAML.split('\n').indexOf('    kind: ndb') + 2);
  });

  it('refuses a file that is not UTF-8, naming the line of the first bad byte', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'latin1.yaml');
    const text = replaceOnce(DEFAULT_YAML, 'Beispielangelegenheiten', 'Beispielangelegenheiten \u00fc');
    fs.writeFileSync(file, Buffer.from(text, 'latin1'));
    const [issue] = issuesOfFile(file);
    expect(issue.message).toMatch(/not valid UTF-8/);
    // The whole file is Latin-1: the first line with a non-ASCII character is the first one refused.
    expect(issue.line).toBe(text.split('\n').findIndex((l) => /[^\x00-\x7f]/.test(l)) + 1);
    expect(issue.value).toMatch(/^byte 0x[0-9a-f]{2} at offset \d+$/);
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses a directory and a FIFO without reading them (a FIFO would block forever)', () => {
    const dir = tmpDir();
    expect(issuesOfFile(dir)[0].message).toMatch(/not a regular file \(a directory\)/);
    const fifo = path.join(dir, 'config.yaml');
    if (spawnSync('mkfifo', [fifo]).status === 0) {
      expect(issuesOfFile(fifo)[0].message).toMatch(/not a regular file \(a FIFO/);
    }
    fs.rmSync(dir, { recursive: true });
  });

  it('synth prints the error and exits 1 for a FIFO config, without a trace and without hanging', () => {
    const dir = tmpDir();
    const fifo = path.join(dir, 'config.yaml');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return;
    const r = spawnSync(process.execPath, ['scripts/launch.js', 'main'], {
      cwd: path.resolve(__dirname, '..'),
      env: { ...process.env, FEDERATION_CONFIG: fifo, CDKTF_OUTDIR: path.join(dir, 'out'), SYNTH_REUSE: 'off' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not a regular file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('text that would change meaning on its way out', () => {
  it('refuses a line break in a name (it would forge report lines)', () => {
    const i = issueAt(
      (y) => replaceOnce(y, 'name: Bundesministerium für Beispielangelegenheiten', 'name: "BMBsp\\n| forged | row |"'),
      'tenants[0].name',
    );
    expect(i.message).toBe('contains a line break or control character');
    expect(i.line).toBeGreaterThan(0);
  });

  it('refuses bidirectional override characters', () => {
    const i = issueAt(
      (y) => replaceOnce(y, 'name: Bundesministerium für Beispielangelegenheiten', 'name: "BMBsp \u202e"'),
      'tenants[0].name',
    );
    expect(i.message).toMatch(/bidirectional override/);
  });

  it('refuses quotes in a file path that Terraform functions read', () => {
    const i = issueAt(
      (y) =>
        replaceOnce(
          y,
          'clusterCaCertificateFile: ~/.kube/itzbund-gs-1-ca.pem',
          `clusterCaCertificateFile: '~/a"b.pem'`,
        ),
      'clusters[1].connection.clusterCaCertificateFile',
    );
    expect(i.message).toMatch(/without double quotes/);
  });
});

describe('names: no two stacks or namespaces get one name', () => {
  it("refuses a pillar id 'platform' (it would share the platform stack's name and state)", () => {
    const i = issueAt(
      (y) => replaceOnce(y, PILLAR_S1, '    - id: platform\n').replace(/\bwire-s1\b/g, 'platform'),
      'wire.pillars[0].id',
    );
    expect(i.message).toBe(
      "the stack name 'itzbund-ndb-1--platform' of the stack of Wire pillar 'platform' is also the stack name of the platform stack of cluster 'itzbund-ndb-1'",
    );
    expect(i.value).toBe('platform');
    expect(i.line).toBe(DEFAULT_YAML.split('\n').indexOf('    - id: wire-s1') + 1);
  });

  it("refuses a pillar id 'tenant-<agency>' on a cluster where that agency has a stack", () => {
    const yaml = (y: string) =>
      replaceOnce(y, PILLAR_S1, '    - id: tenant-bmbsp\n').replace(/\bwire-s1\b/g, 'tenant-bmbsp');
    const issues = issuesOfText(yaml(DEFAULT_YAML));
    expect(issues.map((i) => i.message)).toContainEqual(
      expect.stringMatching(/stack name 'itzbund-ndb-1--tenant-bmbsp' .* is also the stack name of/),
    );
  });

  it("refuses a pillar id equal to the cluster's zone-edge namespace", () => {
    const issues = issuesOfText(
      replaceOnce(DEFAULT_YAML, PILLAR_S1, '    - id: ingress-ndb\n').replace(/\bwire-s1\b/g, 'ingress-ndb'),
    );
    const i = issues.find((x) => formatPath(x.path) === 'wire.pillars[0].id');
    expect(i?.message).toBe(
      "the namespace 'ingress-ndb' of Wire pillar 'ingress-ndb' is also the namespace of the zone edge (ingress controller) of cluster 'itzbund-ndb-1' on cluster 'itzbund-ndb-1'",
    );
  });

  it('refuses a namespace Kubernetes owns', () => {
    const i = issueAt(
      (y) => replaceOnce(y, 'namespace: ingress-ndb', 'namespace: kube-system'),
      'clusters[0].ingressController.namespace',
    );
    expect(i.message).toMatch(/belongs to Kubernetes itself/);
  });

  it('long LDAP bridge namespaces stay distinct (hashed, not cut)', () => {
    const a = Namespaces.ldapBridge('agency-with-a-very-long-name-xyz', 'pillar-with-a-long-name-number-1');
    const b = Namespaces.ldapBridge('agency-with-a-very-long-name-xyz', 'pillar-with-a-long-name-number-2');
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(b.length).toBeLessThanOrEqual(63);
  });
});

describe('combinations the constructs used to refuse with a trace', () => {
  it('refuses Säule 1 in an NdB zone declared for at most offen', () => {
    const i = issueAt(
      (y) => replaceOnce(y, '    maxClassification: VS-NfD', '    maxClassification: offen'),
      'wire.pillars[0].cluster',
    );
    expect(i.message).toMatch(/Säule 1 \('wire-s1'\) carries VS-NfD, but zone 'ndb' .* at most 'offen'/);
  });

  it('a suppression error names its line', () => {
    const yaml = `${DEFAULT_YAML}compliance:\n  suppressions:\n    - { rule: NO-SUCH-RULE, tenant: lamv, owner: x, reason: 'a reason that is long enough' }\n`;
    const federation = parseFederation(yaml, 'tenants/example.yaml');
    let issues: ConfigIssue[] = [];
    try {
      evaluateCompliance(federation, []);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      issues = [...e.issues];
    }
    expect(issues).toHaveLength(1);
    expect(formatIssue(issues[0])).toMatch(
      new RegExp(
        `^tenants/example.yaml:${yaml.split('\n').length - 1}:\\d+: compliance.suppressions\\[0\\].rule: unknown compliance rule`,
      ),
    );
  });
});

describe('credentials never pass', () => {
  const cases: Array<[string, string, string, string]> = [
    [
      'SaaS homeserverUrl',
      'homeserverUrl: https://bfbs',
      'homeserverUrl: https://u:p@bfbs',
      'tenants[2].bundesMessenger.homeserverUrl',
    ],
    [
      'privacy URL',
      'privacyPolicyUrl: https://www.bab',
      'privacyPolicyUrl: https://admin@www.bab',
      'tenants[3].bundesMessenger.privacyPolicyUrl',
    ],
    [
      'imprint URL',
      'imprintUrl: https://www.bab',
      'imprintUrl: https://www.bab.bund.example/?token=abc&x=',
      'tenants[3].bundesMessenger.imprintUrl',
    ],
    [
      'ClamAV mirror',
      'clamavMirror: https://clamav-mirror.bab',
      'clamavMirror: https://u:p@clamav-mirror.bab',
      'tenants[3].bundesMessenger.virusScanning.clamavMirror',
    ],
    ['exec host', 'host: https://api.gs-1', 'host: https://user:pw@api.gs-1', 'clusters[1].connection.host'],
    [
      'exec args: --token <JWT> as two arguments',
      '--oidc-client-id=terraform]',
      '--oidc-client-id=terraform, --token, eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl]',
      // the flag, not its value: the issue echoes the argument it points at
      'clusters[1].connection.args[3]',
    ],
    [
      'exec args: --auth-header=Bearer',
      '--oidc-client-id=terraform]',
      '--oidc-client-id=terraform, "--auth-header=Bearer abc"]',
      'clusters[1].connection.args[3]',
    ],
    [
      'exec args: --api-key=',
      '--oidc-client-id=terraform]',
      '--oidc-client-id=terraform, --api-key=k3y]',
      'clusters[1].connection.args[3]',
    ],
    [
      'a password key in a free-form map',
      'nodeSelector: { node.messenger.bund/pool: general }',
      'nodeSelector: { node.messenger.bund/pool: general, password: hunter22 }',
      'clusters[0].nodePools[0].nodeSelector.password',
    ],
  ];
  it.each(cases)('%s', (_, from, to, at) => {
    const i = issueAt((y) => replaceOnce(y, from, to), at);
    expect(i.message).toMatch(/credentials|not credentials/);
    expect(i.line).toBeGreaterThan(0);
  });

  it.each([
    [
      'a shell command line in one argument',
      'args: [get-token,',
      'args: [-c, "kubelogin get-token --token=s3cr3t", get-token,',
      1,
    ],
    ['a credential header', 'args: [get-token,', 'args: [--header, "Private-Token: glpat-abcdefghijk", get-token,', 1],
  ])('exec args: %s', (_, from, to, index) => {
    const i = issueAt((y) => replaceOnce(y, from, to), `clusters[1].connection.args[${index}]`);
    expect(i.message).toMatch(/must not carry credentials/);
    // the refused value is not echoed
    expect(JSON.stringify(i.value)).not.toMatch(/s3cr3t|glpat-abcdefghijk/);
  });

  it('exec command is one program, not a command line with a token', () => {
    const i = issueAt(
      (y) => replaceOnce(y, 'command: kubelogin', "command: 'kubelogin --token=abc'"),
      'clusters[1].connection.command',
    );
    expect(i.message).toMatch(/command is one program/);
    expect(i.value).toBe('kubelogin --token=***');
  });

  it('a token in the fragment of the API server URL', () => {
    const i = issueAt(
      (y) =>
        replaceOnce(
          y,
          'host: https://api.gs-1.itzbund.example:6443',
          "host: 'https://api.gs-1.itzbund.example:6443/#access_token=abc'",
        ),
      'clusters[1].connection.host',
    );
    expect(i.message).toMatch(/must not contain credentials/);
    expect(i.value).toBe('https://api.gs-1.itzbund.example:6443/#access_token=***');
  });

  it('redaction keeps what is no credential', () => {
    expect(redactCredentials('--oidc-client-id=terraform --token=abc https://u:p@h/x?a=1&token=2')).toBe(
      '--oidc-client-id=terraform --token=*** https://***@h/x?a=1&token=***',
    );
  });

  it('the push gateway and the s3 state endpoint refuse credentials too', () => {
    expect(urlCredentials('https://u:p@sygnal.example/')).toMatch(/user information/);
    expect(urlCredentials('https://minio.example/?X-Amz-Signature=abc')).toMatch(/X-Amz-Signature/);
    expect(urlCredentials('https://minio.example/bucket')).toBeUndefined();
  });

  it('flags that name a file or an environment variable are fine', () => {
    expect(execArgCredential(['get-token', '--token-file', '/run/token', '--password-env=PW'])).toBeUndefined();
    // the issue points at the flag: error output echoes the argument it points at, and that is no credential
    expect(execArgCredential(['get-token', '--token', 'abc'])).toEqual({ index: 1, what: '--token <value>' });
    expect(execArgCredential(['password=abc'])).toEqual({ index: 0, what: 'password=<value>' });
  });

  it('the default federation still loads', () => {
    expect(defaultFederation().tenants.length).toBeGreaterThan(0);
  });
});

describe('credentials never pass: query parameters, flags and tokens the reviewer found', () => {
  const AKIA = 'AKIAIOSFODNN7EXAMPLE';
  const JWT_TEXT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
  const STABLE = 'stable: https://s3-eu-west-1.amazonaws.com/public.wire.com/charts\n';
  it.each([
    ['an Azure SAS (sig)', 'https://mirror.example/charts?sv=2024&sig=abc', /'sig'/],
    ['a Google API key (key)', 'https://mirror.example/charts?key=AIzaSyA-abcdefghijklmnop', /'key'/],
    ['access_key', 'https://mirror.example/charts?access_key=abc', /'access_key'/],
    ['client_secret', 'https://mirror.example/charts?client_secret=abc', /'client_secret'/],
    ['a JWT in the path', `https://mirror.example/${JWT_TEXT}/charts`, /JSON Web Token/],
    ['an AWS access key id in the path', `https://mirror.example/${AKIA}/charts`, /AWS access key id/],
  ])('a Wire chart repository with %s', (_, repo, what) => {
    expect(urlCredentials(repo)).toMatch(what);
    const i = issueAt((y) => replaceOnce(y, STABLE, `stable: '${repo}'\n`), 'wire.chartRepositories.stable');
    expect(i.message).toMatch(/must not contain credentials/);
    expect(i.line).toBeGreaterThan(0);
    expect(JSON.stringify(i.value)).not.toMatch(/abc|AIza|eyJ|AKIA/);
  });

  it('the BundesMessenger chart repository and a SaaS homeserver URL refuse a key parameter', () => {
    const repo = issueAt(
      (y) => `${y}matrix:\n  chartRepository: 'https://mirror.example/charts?key=AIzaSyA-abcdefghijklmnop'\n`,
      'matrix.chartRepository',
    );
    expect(repo.message).toMatch(/chartRepository must not contain credentials/);
    expect(repo.value).toBe('https://mirror.example/charts?key=***');
    const hs = issueAt(
      (y) =>
        replaceOnce(y, 'homeserverUrl: https://bfbs', 'homeserverUrl: https://bfbs.example/?key=abc&x=https://bfbs'),
      'tenants[2].bundesMessenger.homeserverUrl',
    );
    expect(hs.message).toMatch(/must not contain credentials/);
  });

  it('harmless query parameters stay allowed', () => {
    for (const u of [
      'https://mirror.example/charts?sv=2024',
      'https://mirror.example/charts?version=1&lang=de&code=de',
      'https://mirror.example/charts?monkey=1&keyword=x',
    ])
      expect(urlCredentials(u)).toBeUndefined();
  });

  it('a JWT in the path of the exec host URL', () => {
    const i = issueAt(
      (y) =>
        replaceOnce(
          y,
          'host: https://api.gs-1.itzbund.example:6443',
          `host: 'https://api.gs-1.itzbund.example:6443/${JWT_TEXT}'`,
        ),
      'clusters[1].connection.host',
    );
    expect(i.message).toMatch(/must not contain credentials/);
    expect(i.value).toBe('https://api.gs-1.itzbund.example:6443/***');
  });

  it.each([
    ['--pass=hunter2', ['--pass=hunter2'], 3, /hunter2/],
    ['--private-key=...', ['--private-key=MIIEvQIBADANBg'], 3, /MIIEvQIBADANBg/],
    ['--access-key AKIA...', ['--access-key', AKIA], 3, /AKIA/],
    ['--token -abc123secret (a value that starts with a dash)', ['--token', '-abc123secret'], 3, /abc123secret/],
    ['an AWS access key id anywhere', [`--cluster=${AKIA}`], 3, /AKIA/],
    ['a shell command line with --pass x', ['-c', 'tool --pass hunter2'], 4, /hunter2/],
  ])('exec args: %s', (_, extra, index, secret) => {
    const to = `--oidc-client-id=terraform, ${extra.map((a) => `'${a}'`).join(', ')}]`;
    const i = issueAt(
      (y) => replaceOnce(y, '--oidc-client-id=terraform]', to),
      `clusters[1].connection.args[${index}]`,
    );
    expect(i.message).toMatch(/must not carry credentials/);
    expect(i.line).toBeGreaterThan(0);
    expect(JSON.stringify(i.value)).not.toMatch(secret);
  });

  it('flags that only look like credential flags, and a long flag after a credential flag, stay allowed', () => {
    expect(
      execArgCredential(['get-token', '--pass-through', '--bypass-cache', '--pass-file', '/run/pw', '--keyring=x']),
    ).toBeUndefined();
    expect(execArgCredential(['get-token', '--password-stdin', '--verbose'])).toBeUndefined();
  });

  it('redaction masks the new credentials in error output', () => {
    expect(redactCredentials('https://m.example/c?sv=2024&sig=abc&key=AIza1 --pass=hunter2')).toBe(
      'https://m.example/c?sv=2024&sig=***&key=*** --pass=***',
    );
    expect(redactCredentials(`tool --token -abc123secret --access-key ${AKIA} --private-key=k`)).toBe(
      'tool --token *** --access-key *** --private-key=***',
    );
    expect(redactCredentials(`x ${AKIA} https://h/${JWT_TEXT}/y`)).toBe('x *** https://h/***/y');
    expect(redactCredentials('--token-file /run/token --oidc-client-id=terraform --verbose')).toBe(
      '--token-file /run/token --oidc-client-id=terraform --verbose',
    );
  });
});

describe('a reason is text, not padding', () => {
  const BLANK = `'${' '.repeat(25)}.'`;
  it('virus scanning switched off with a blank reason', () => {
    const edit = (y: string) =>
      replaceOnce(
        y,
        'virusScanning:\n        enabled: true\n        acknowledgeKeyDisclosure: true\n        clamavMirror: https://clamav-mirror.bab.bund.example',
        `virusScanning: { enabled: false, reason: ${BLANK} }`,
      );
    const i = issueAt(edit, 'tenants[3].bundesMessenger.virusScanning.reason');
    expect(i.message).toMatch(/at least 20 characters besides surrounding spaces/);
    expect(i.line).toBe(
      edit(DEFAULT_YAML)
        .split('\n')
        .findIndex((l) => l.includes('virusScanning: { enabled: false')) + 1,
    );
  });

  it('a DSFA not required with a blank reason', () => {
    const edit = (y: string) => y.replace(/reason: Schwellwertanalyse.*/, `reason: ${BLANK}`);
    const i = issueAt(edit, 'tenants[2].dataProtection.dsfa.reason');
    expect(i.message).toMatch(/DSFA that is not required needs a reason/);
    expect(i.line).toBeGreaterThan(0);
  });

  it('a suppression with a blank reason, or one of spaced-out letters', () => {
    for (const reason of [BLANK, `'a${' '.repeat(30)}b'`]) {
      const i = issueAt(
        (y) => `${y}compliance:\n  suppressions:\n    - { rule: DS-DPO, tenant: lamv, owner: x, reason: ${reason} }\n`,
        'compliance.suppressions[0].reason',
      );
      expect(i.message).toMatch(/suppression needs a reason/);
      expect(i.line).toBeGreaterThan(0);
    }
  });
});

describe('config text in reports', () => {
  it('a name with Markdown or HTML cannot forge a link, markup or a table row in the agency report', () => {
    const forged = 'BMBsp [Bestätigt](https://evil.example) <img src=x> | keine | Befunde |';
    const federation = defaultFederation((y) =>
      replaceOnce(y, 'name: Bundesministerium für Beispielangelegenheiten', `name: '${forged}'`),
    );
    const md = reportMarkdown(buildReport(federation, federation.tenants[0], tenantFindings(federation)));
    const heading = md.split('\n')[0];
    expect(heading).toBe(
      '# Datenschutz- und Sicherheitsbericht: BMBsp \\[Bestätigt\\](https://evil.example) \\<img src=x\\> \\| keine \\| Befunde \\|',
    );
    // Every table row of the services table still has its six cells.
    const rows = md.split('\n').filter((l) => /^\| Wire Bund \| \d \|/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(6);
    expect(md).not.toMatch(/(?<!\\)\[Bestätigt(?<!\\)\]/);
  });
});

describe('compliance errors name the config line of the agency', () => {
  it('a DS-CONSENT error at synth cites file:line of the tenant entry', () => {
    const yaml = replaceOnce(
      DEFAULT_YAML,
      'legalBasis: [public-task, employment-relationship]',
      'legalBasis: [consent, public-task, employment-relationship]',
    );
    const file = path.join(tmpDir(), 'federation.yaml');
    fs.writeFileSync(file, yaml);
    let message = '';
    try {
      synthFederation(parseFederation(yaml, file), path.join(path.dirname(file), 'out'));
    } catch (e) {
      message = (e as Error).message;
    }
    const line = yaml.split('\n').indexOf('  - id: bmbsp') + 1;
    expect(message).toMatch(
      new RegExp(`^  .*federation\\.yaml:${line}: \\[DS-CONSENT\\] error \\(tenant bmbsp\\)`, 'm'),
    );
  });
});

describe('odd files and spellings', () => {
  it.each([
    ['an empty file', '', /holds no federation/, 1],
    ['only comments', '# nothing here\n# at all\n', /holds no federation/, 1],
    ['only a document marker', '---\n', /holds no federation/, 1],
    ['a list instead of a mapping', '- a\n- b\n', /not a mapping of keys/, 1],
    ['two documents', `${DEFAULT_YAML}---\nfederation: { name: zweite }\n`, /more than one YAML document/, undefined],
    [
      'an unknown tag',
      DEFAULT_YAML.replace('kind: federal-ministry', 'kind: !foo federal-ministry'),
      /unknown YAML tag !foo/,
      undefined,
    ],
  ])('%s: a file:line error', (_, text, message, line) => {
    const [issue] = issuesOfText(text);
    expect(issue.message).toMatch(message);
    expect(issue.line).toBeGreaterThan(0);
    if (line) expect(issue.line).toBe(line);
  });

  it('refuses Unicode line separators in names (U+2028, U+2029)', () => {
    for (const sep of ['\u2028', '\u2029']) {
      const i = issueAt(
        (y) => replaceOnce(y, 'name: Bundesministerium für Beispielangelegenheiten', `name: "BM${sep}# Pwned"`),
        'tenants[0].name',
      );
      expect(i.message).toBe('contains a line break or control character');
    }
  });

  it("refuses the cluster id 'saas' (its stacks would look like a SaaS agency's)", () => {
    const i = issueAt((y) => y.replace(/\bbab-bum-1\b/g, 'saas'), 'clusters[2].id');
    expect(i.message).toMatch(/reserved for the stacks of SaaS agencies/);
  });
});
