/**
 * Address-family-complete network facts: IPv4 embedded in IPv6 (mapped, compatible, translated, NAT64, Teredo, 6to4)
 * is compared as the IPv4 it reaches, so no spelling lets the NdB zone, a calling IP or an ipBlock cover the
 * internet; and a zone's TURN URIs are RFC 7065 URIs of servers inside the zone, without credentials.
 */
import {
  addressesReached,
  cidrContains,
  cidrProblem,
  cidrsOverlap,
  coversPublicInternet,
  insideAny,
  ipv4Reading,
  parseCidr,
  readingSuffix,
  type Cidr,
} from '../config/cidr';
import { formatIssue, formatPath, type ConfigIssue } from '../config/errors';
import { parseTurnUri, redactTurnUri, TURN_URI_ALLOWED } from '../config/semantic';
import { checkExposure, type Finding } from '../policy/exposure';
import type { SynthesizedStack } from '../policy/k8s-objects';
import { resources } from '../policy/synthesized-view';
import {
  configIssues,
  DEFAULT_YAML,
  defaultFederation,
  defaultStacks,
  issueAt,
  releaseValuesOf,
  replaceOnce,
  synthesizeInMemory,
} from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const cidr = (text: string): Cidr => {
  const c = parseCidr(text);
  if (!c) throw new Error(`test setup: ${text} is not a CIDR`);
  return c;
};

const NDB_CIDRS = "cidrs: [10.64.0.0/12, 'fd00:64::/32']";
const withNdb = (extra: string) => (y: string) =>
  replaceOnce(y, NDB_CIDRS, `cidrs: [10.64.0.0/12, 'fd00:64::/32', ${extra}]`);
const issuesAt = (issues: ConfigIssue[], path: string) => issues.filter((i) => formatPath(i.path) === path);

describe('normalization of IPv6 spellings of IPv4', () => {
  it('IPv4-mapped ::ffff:0:0/96 is all of IPv4', () => {
    expect(addressesReached(cidr('::ffff:0:0/96'))).toEqual(addressesReached(cidr('0.0.0.0/0')));
    expect(cidrsOverlap(cidr('::ffff:0:0/96'), cidr('0.0.0.0/0'))).toBe(true);
    expect(cidrsOverlap(cidr('::ffff:0:0/96'), cidr('10.64.0.0/12'))).toBe(true);
    expect(cidrsOverlap(cidr('::ffff:10.96.0.0/109'), cidr('10.64.0.0/12'))).toBe(false);
    expect(insideAny([cidr('10.64.0.0/12')], '::ffff:10.64.1.2')).toBe(true);
    expect(insideAny([cidr('10.64.0.0/12')], '::ffff:203.0.113.5')).toBe(false);
    expect(cidrContains(cidr('10.64.0.0/12'), cidr('::ffff:10.64.0.0/108'))).toBe(true);
    expect(ipv4Reading(cidr('::ffff:0:0/96'))).toBe('IPv4-mapped: 0.0.0.0/0');
  });

  it('IPv4-compatible ::/96 and NAT64 64:ff9b::/96 carry IPv4 in their low 32 bits', () => {
    expect(cidrsOverlap(cidr('::/96'), cidr('203.0.113.0/24'))).toBe(true);
    expect(cidrsOverlap(cidr('64:ff9b::/96'), cidr('0.0.0.0/0'))).toBe(true);
    expect(cidrContains(cidr('203.0.113.0/24'), cidr('64:ff9b::203.0.113.0/120'))).toBe(true);
    expect(cidrsOverlap(cidr('64:ff9b::203.0.113.0/120'), cidr('10.0.0.0/8'))).toBe(false);
    expect(ipv4Reading(cidr('64:ff9b::cb00:7100/120'))).toBe('NAT64: 203.0.113.0/24');
  });

  it('NAT64 local-use 64:ff9b:1::/48 may reach any IPv4 address and covers none for sure', () => {
    expect(cidrsOverlap(cidr('64:ff9b:1::/64'), cidr('10.0.0.0/8'))).toBe(true);
    expect(insideAny([cidr('64:ff9b:1::/48')], '64:ff9b:1::1')).toBe(false);
  });

  it('6to4 2002::/16 reaches any IPv4 address (through public relays) and covers none, like Teredo', () => {
    // Changed deliberately (reviewer): these used to read 6to4 as its site's IPv4 address, one to one
    // (2002:a40:1::/48 was 10.64.0.1, inside the NdB). A native-IPv6 client reaches a 6to4 address through
    // whichever public relay announces 2002::/16, then over IPv4 across the internet: the path leaves the zone
    // whatever the embedded address says, so a 6to4 address is never inside a zone and reaches every network.
    expect(cidrsOverlap(cidr('2002::/16'), cidr('0.0.0.0/0'))).toBe(true);
    // 2002:cb00:7100::/40 is the 6to4 space of 203.0.113.0/24: it reaches more than that, and that does not cover it
    expect(cidrContains(cidr('203.0.113.0/24'), cidr('2002:cb00:7100::/40'))).toBe(false);
    expect(cidrsOverlap(cidr('2002:cb00:7100::/40'), cidr('203.0.113.128/25'))).toBe(true);
    expect(cidrsOverlap(cidr('2002:cb00:7100::/40'), cidr('10.0.0.0/8'))).toBe(true);
    expect(ipv4Reading(cidr('2002:cb00:7100::/40'))).toBe(
      '6to4: any IPv4 address, through public 6to4 relays; site 203.0.113.0/24',
    );
    // 2002:a40:1::/48 is the site 10.64.0.1: not inside the NdB
    expect(insideAny([cidr('10.64.0.0/12')], '2002:a40:1::/48')).toBe(false);
    expect(insideAny([cidr('10.64.0.0/12')], '2002:0a40:0a0b::1')).toBe(false);
    expect(insideAny([cidr('10.64.0.0/12')], '2002:cb00:7105::1')).toBe(false);
    // not even 6to4 space covers a 6to4 address; only all of IPv4 would
    expect(insideAny([cidr('2002::/16')], '2002:a40:1::1')).toBe(false);
    expect(insideAny([cidr('0.0.0.0/0')], '2002:a40:1::1')).toBe(true);
    expect(cidrContains(cidr('2002:a40:1:1::/64'), cidr('2002:a40:1:2::/64'))).toBe(false);
    expect(cidrsOverlap(cidr('2002:a40:1:1::/64'), cidr('10.64.0.1/32'))).toBe(true);
    expect(coversPublicInternet([cidr('2002:a40:1::/48')])).toMatch(/public IPv4/);
  });

  it('IPv4-translated ::ffff:0:0:0/96 carries IPv4 in its low 32 bits, one to one', () => {
    expect(addressesReached(cidr('::ffff:0:0:0/96'))).toEqual(addressesReached(cidr('0.0.0.0/0')));
    expect(ipv4Reading(cidr('::ffff:0:0:0/96'))).toBe('IPv4-translated: 0.0.0.0/0');
    // ::ffff:0:c633:640b is 198.51.100.11, the internet zone
    expect(insideAny([cidr('198.51.100.0/24')], '::ffff:0:c633:640b')).toBe(true);
    expect(insideAny([cidr('10.64.0.0/12')], '::ffff:0:c633:640b')).toBe(false);
    expect(readingSuffix('::ffff:0:c633:640b')).toBe(' (IPv4-translated: 198.51.100.11)');
    expect(cidrContains(cidr('10.64.0.0/12'), cidr('::ffff:0:10.64.0.0/112'))).toBe(true);
    expect(cidrContains(cidr('::ffff:0:10.64.0.0/108'), cidr('10.64.1.0/24'))).toBe(true);
    expect(cidrsOverlap(cidr('::ffff:0:10.96.0.0/109'), cidr('10.64.0.0/12'))).toBe(false);
    expect(coversPublicInternet([cidr('::ffff:0:0:0/96')])).toMatch(/public IPv4/);
  });

  it('Teredo 2001::/32 reaches any IPv4 address (through public relays) and covers none', () => {
    // server 10.64.10.12 (0a40:0a0c), client 10.64.10.12 (f5bf:f5f3 = 0a40:0a0c XOR ffff:ffff): still the internet
    const teredo = '2001:0:a40:a0c::f5bf:f5f3';
    expect(cidrsOverlap(cidr('2001::/32'), cidr('10.0.0.0/8'))).toBe(true);
    expect(cidrsOverlap(cidr(`${teredo}/128`), cidr('203.0.113.0/24'))).toBe(true);
    expect(insideAny([cidr('10.64.0.0/12')], teredo)).toBe(false);
    // not even Teredo space covers a Teredo address; only all of IPv4 would
    expect(insideAny([cidr('2001::/32')], teredo)).toBe(false);
    expect(insideAny([cidr('0.0.0.0/0')], teredo)).toBe(true);
    expect(cidrContains(cidr('2001::/32'), cidr('2001:0:a40:a0c::/64'))).toBe(false);
    expect(coversPublicInternet([cidr('2001:0:a40:a0c::/64')])).toMatch(/public IPv4/);
    expect(readingSuffix(teredo)).toBe(
      ' (Teredo: any IPv4 address, through public Teredo relays; server 10.64.10.12, client 10.64.10.12)',
    );
    expect(ipv4Reading(cidr('2001::/32'))).toBe('Teredo: any IPv4 address, through public Teredo relays');
    // the native neighbours stay native
    expect(cidrsOverlap(cidr('2001:1::/32'), cidr('0.0.0.0/0'))).toBe(false);
    expect(cidrsOverlap(cidr('2001:db8::/32'), cidr('0.0.0.0/0'))).toBe(false);
    expect(ipv4Reading(cidr('2001:db8:100::/48'))).toBeUndefined();
    // 2001::/31 = Teredo (all of IPv4) and the native 2001:1::/32
    expect(addressesReached(cidr('2001::/31'))).toEqual([
      ...addressesReached(cidr('0.0.0.0/0')),
      ...addressesReached(cidr('2001:1::/32')),
    ]);
  });

  it('splits a range straddling embedded space into its IPv4 and native IPv6 parts', () => {
    // 64:ff9b::/95 = the NAT64 /96 (all of IPv4) and the native 64:ff9b::1:0:0/96
    expect(addressesReached(cidr('64:ff9b::/95'))).toEqual([
      ...addressesReached(cidr('0.0.0.0/0')),
      ...addressesReached(cidr('64:ff9b::1:0:0/96')),
    ]);
    expect(insideAny([cidr('0.0.0.0/0')], '64:ff9b::/95')).toBe(false);
    expect(insideAny([cidr('0.0.0.0/0'), cidr('64:ff9b::1:0:0/96')], '64:ff9b::/95')).toBe(true);
    // ::/0 reaches all of IPv4 too
    expect(cidrsOverlap(cidr('::/0'), cidr('10.64.0.0/12'))).toBe(true);
    expect(cidrsOverlap(cidr('fd00::/8'), cidr('0.0.0.0/0'))).toBe(false);
  });

  it('tells the internet from a closed network', () => {
    for (const world of [['0.0.0.0/1'], ['0.0.0.0/1', '128.0.0.0/1'], ['2000::/3'], ['::ffff:0:0/96'], ['2001::/32']])
      expect(coversPublicInternet(world.map(cidr))).toBeDefined();
    expect(coversPublicInternet(['11.0.0.0/8', '12.0.0.0/8'].map(cidr))).toMatch(/public IPv4/);
    for (const closed of [['10.0.0.0/8'], ['fc00::/7'], ['10.64.0.0/12', 'fd00:64::/32'], ['2001:db8:100::/48']])
      expect(coversPublicInternet(closed.map(cidr))).toBeUndefined();
  });

  it('refuses whitespace instead of trimming it', () => {
    for (const text of [' 10.64.0.0/12', '10.64.0.0/12 ', '10.64.0.0 /12', '10.64.0.0/\t12', 'fd00:64::/32\n']) {
      expect(parseCidr(text)).toBeUndefined();
      expect(cidrProblem(text)).toBe('contains whitespace');
      expect(insideAny([cidr('10.0.0.0/8')], text)).toBe(false);
    }
    expect(cidrProblem('10.1.2.3/8')).toBe('host bits must be zero');
  });
});

describe('config: the NdB zone claims no internet, in any spelling', () => {
  it.each([
    ["'::ffff:0:0/96'"],
    ['0.0.0.0/1, 128.0.0.0/1'],
    ["'2000::/3'"],
    ["'::ffff:0:0:0/96'"],
    ["'2001::/32'"],
    ["'2001:0:a40:a0c::/64'"],
  ])('refuses %s as NdB networks', (extra) => {
    const issues = configIssues(withNdb(extra));
    const values = extra.replace(/'/g, '').split(', ');
    values.forEach((value, k) => {
      const [issue] = issuesAt(issues, `zones[0].cidrs[${2 + k}]`).filter((i) => /claims the internet/.test(i.message));
      expect(issue).toBeDefined();
      expect(issue.message).toContain("NdB zone 'ndb' claims the internet");
      expect(issue.value).toBe(value);
      expect(issue.allowed).toMatch(/private space .* or at most a \/8 of IPv4 and a \/16 of IPv6 of public space/);
      expect(formatIssue(issue)).toMatch(
        new RegExp(`federation\\.yaml:\\d+:\\d+: zones\\[0\\]\\.cidrs\\[${2 + k}\\]: NdB zone 'ndb' claims`),
      );
    });
  });

  it('names the IPv4 that a mapped NdB network reaches', () => {
    const [issue] = issuesAt(configIssues(withNdb("'::ffff:0:0/96'")), 'zones[0].cidrs[2]').filter((i) =>
      /claims the internet/.test(i.message),
    );
    expect(issue.message).toContain("'::ffff:0:0/96' (IPv4-mapped: 0.0.0.0/0)");
  });

  it('refuses NdB networks that together hold more public space than one /8', () => {
    const issue = issueAt(withNdb('11.0.0.0/8, 12.0.0.0/8'), 'zones[0].cidrs');
    expect(issue.message).toMatch(/NdB zone 'ndb' claims the internet: its networks together cover \d+ public IPv4/);
  });

  it('refuses a zone overlapping another one in a mapped spelling', () => {
    const issue = issueAt((y) => replaceOnce(y, "'fd00:96::/32'", "'::ffff:10.64.0.0/112'"), 'zones[1].cidrs[1]');
    expect(issue.message).toBe(
      "overlaps zones[0].cidrs[0] '10.64.0.0/12' of zone 'ndb'; '::ffff:10.64.0.0/112' reaches IPv4-mapped: 10.64.0.0/16",
    );
    expect(issue.allowed).toMatch(/in any spelling/);
  });

  it('refuses an NdB network in 6to4 spelling: it overlaps the internet zone and claims the internet', () => {
    // 2002:c633:6400::/40 is the 6to4 space of 198.51.100.0/24, the internet zone's network; read like Teredo (see
    // cidr.ts), it reaches any IPv4 address, so it overlaps every other zone and claims the internet
    const issues = configIssues(withNdb("'2002:c633:6400::/40'"));
    expect(issues.map((i) => `${formatPath(i.path)}: ${i.message}`)).toContain(
      "zones[4].cidrs[0]: overlaps zones[0].cidrs[2] '2002:c633:6400::/40' (6to4: any IPv4 address, through public 6to4 relays; site 198.51.100.0/24) of zone 'ndb'",
    );
    expect(issuesAt(issues, 'zones[0].cidrs[2]').some((i) => /claims the internet/.test(i.message))).toBe(true);
  });

  it('refuses a Säule-1 calling IP in 6to4 spelling, even one whose embedded address lies in the NdB', () => {
    // 2002:0a40:0a0b::1 is the 6to4 site 10.64.10.11: native-IPv6 clients reach it through public relays
    const issue = issueAt(
      (y) => replaceOnce(y, 'advertisedIp: 10.64.10.12', "advertisedIp: '2002:0a40:0a0b::1'"),
      'wire.pillars[0].calling.nodes[1].advertisedIp',
    );
    expect(issue.message).toBe(
      "calling IP of pillar 'wire-s1' lies outside zone 'ndb' (6to4: any IPv4 address, through public 6to4 relays; site 10.64.10.11)",
    );
    expect(issue.line).toBeGreaterThan(0);
  });

  it('refuses CIDRs with whitespace (they would reach NetworkPolicies as written)', () => {
    const issue = issueAt((y) => replaceOnce(y, "'fd00:96::/32'", "' fd00:96::/32'"), 'zones[1].cidrs[1]');
    expect(issue.message).toBe('not a valid CIDR: contains whitespace');
    expect(issue.value).toBe(' fd00:96::/32');
  });

  it('refuses a Säule-1 calling IP or datastore in the IPv4-mapped spelling of an internet address', () => {
    const calling = issueAt(
      (y) => replaceOnce(y, 'advertisedIp: 10.64.10.12', "advertisedIp: '::ffff:203.0.113.5'"),
      'wire.pillars[0].calling.nodes[1].advertisedIp',
    );
    expect(calling.message).toBe("calling IP of pillar 'wire-s1' lies outside zone 'ndb' (IPv4-mapped: 203.0.113.5)");
    expect(calling.value).toBe('::ffff:203.0.113.5');
    const store = issueAt(
      (y) => replaceOnce(y, 'cassandra: [10.64.20.11,', "cassandra: ['64:ff9b::203.0.113.9',"),
      'wire.pillars[0].datastores.cassandra[0]',
    );
    expect(store.message).toBe(
      "datastore of pillar 'wire-s1' lies outside zone 'ndb' (NAT64: 203.0.113.9): data would leave the zone",
    );
    // with the zone widened to ::ffff:0:0/96 the same address is refused through the zone
    const issues = configIssues((y) =>
      withNdb("'::ffff:0:0/96'")(replaceOnce(y, 'advertisedIp: 10.64.10.12', "advertisedIp: '::ffff:203.0.113.5'")),
    );
    expect(
      issues.some((i) => formatPath(i.path) === 'zones[0].cidrs[2]' && /claims the internet/.test(i.message)),
    ).toBe(true);
  });

  it('refuses a Säule-1 calling IP in the IPv4-translated spelling of an internet address (the reviewer repro)', () => {
    const calling = (y: string) => replaceOnce(y, 'advertisedIp: 10.64.10.12', "advertisedIp: '::ffff:0:c633:640b'");
    const issue = issueAt(calling, 'wire.pillars[0].calling.nodes[1].advertisedIp');
    expect(issue.message).toBe(
      "calling IP of pillar 'wire-s1' lies outside zone 'ndb' (IPv4-translated: 198.51.100.11)",
    );
    expect(issue.value).toBe('::ffff:0:c633:640b');
    // with the zone widened to ::ffff:0:0:0/96 the zone itself is refused: it claims the internet and overlaps
    // every other zone, the internet zone's 198.51.100.0/24 among them
    const issues = configIssues((y) => withNdb("'::ffff:0:0:0/96'")(calling(y)));
    const at = issuesAt(issues, 'zones[0].cidrs[2]').map((i) => i.message);
    expect(at).toContain(
      "NdB zone 'ndb' claims the internet: '::ffff:0:0:0/96' (IPv4-translated: 0.0.0.0/0) covers 3702259712 public IPv4 addresses (more than a /8)",
    );
    expect(issuesAt(issues, 'zones[4].cidrs[0]').map((i) => i.message)).toContain(
      "overlaps zones[0].cidrs[2] '::ffff:0:0:0/96' (IPv4-translated: 0.0.0.0/0) of zone 'ndb'",
    );
  });

  it('refuses a Säule-1 calling IP in Teredo spelling, even one whose embedded addresses lie in the NdB', () => {
    const issue = issueAt(
      (y) => replaceOnce(y, 'advertisedIp: 10.64.10.12', "advertisedIp: '2001:0:a40:a0c::f5bf:f5f3'"),
      'wire.pillars[0].calling.nodes[1].advertisedIp',
    );
    expect(issue.message).toBe(
      "calling IP of pillar 'wire-s1' lies outside zone 'ndb' (Teredo: any IPv4 address, through public Teredo relays; server 10.64.10.12, client 10.64.10.12)",
    );
  });

  it.each([
    ['redis host', 'redis: { host: redis.wire-s1.itzbund.ndb.example }', 'redis: { host: 198.51.100.9 }', 'redis.host'],
    [
      'SQS endpoint',
      'sqsEndpoint: http://sqs.wire-s1.itzbund.ndb.example:9324',
      'sqsEndpoint: http://198.51.100.9:9324',
      'queues.sqsEndpoint',
    ],
    [
      'SNS endpoint in a decimal IPv4 spelling',
      'snsEndpoint: http://sns.wire-s1.itzbund.ndb.example:9911',
      'snsEndpoint: http://3325256713:9911',
      'queues.snsEndpoint',
    ],
    [
      'redis host in 6to4 spelling of an NdB address',
      'redis: { host: redis.wire-s1.itzbund.ndb.example }',
      "redis: { host: '2002:0a40:0a0b::1' }",
      'redis.host',
    ],
  ])('refuses a Säule-1 %s outside the zone, with file and line', (_, from, to, key) => {
    const edit = (y: string) => replaceOnce(y, from, to);
    const issue = issueAt(edit, `wire.pillars[0].datastores.${key}`);
    expect(issue.message).toMatch(
      /^datastore of pillar 'wire-s1' lies outside zone 'ndb' .*: data would leave the zone$/,
    );
    expect(issue.line).toBe(
      edit(DEFAULT_YAML)
        .split('\n')
        .findIndex((l) => l.includes(to)) + 1,
    );
  });

  it('accepts Säule-1 datastore hosts that are IP addresses inside the zone, and DNS names', () => {
    expect(() =>
      defaultFederation((y) =>
        replaceOnce(
          replaceOnce(y, 'redis: { host: redis.wire-s1.itzbund.ndb.example }', 'redis: { host: 10.64.20.40 }'),
          'sqsEndpoint: http://sqs.wire-s1.itzbund.ndb.example:9324',
          "sqsEndpoint: 'http://[fd00:64::20]:9324'",
        ),
      ),
    ).not.toThrow();
  });

  it('refuses a zone network in Teredo spelling: it overlaps every IPv4 network', () => {
    const issue = issueAt((y) => replaceOnce(y, "'fd00:96::/32'", "'2001:0:a60::/48'"), 'zones[1].cidrs[1]');
    expect(issue.message).toBe(
      "overlaps zones[0].cidrs[0] '10.64.0.0/12' of zone 'ndb'; '2001:0:a60::/48' reaches Teredo: any IPv4 address, through public Teredo relays",
    );
    expect(issue.allowed).toMatch(/IPv4-translated.*Teredo and 6to4 ranges reach any IPv4 address/);
  });
});

describe('config: TURN URIs of a zone (RFC 7065)', () => {
  const BAB_TURN = "'turn:172.20.10.11:3478?transport=udp'";
  const turnIssue = (uri: string) => {
    const issues = issuesAt(
      configIssues((y) => replaceOnce(y, BAB_TURN, `'${uri.replace(/'/g, "''")}'`)),
      'zones[2].turn.uris[0]',
    );
    expect(issues).toHaveLength(1);
    return issues[0];
  };
  const INTERNET_EDGE = 'loadBalancerClass: lb.dmz.itzbund.example/public\n';
  const withInternetTurn = (uri: string) => (y: string) =>
    replaceOnce(
      y,
      INTERNET_EDGE,
      `${INTERNET_EDGE}    turn:\n      uris: ['${uri}']\n      existingSecret: turn-shared-secret\n`,
    );

  it.each([
    ['turn: 172.20.10.11:3478', /contains whitespace/],
    ['turn:172.20.10.11:99999', /port must be 1 to 65535/],
    ['turn:172.20.10.11:0', /port must be 1 to 65535/],
    ['turn:172.20.10.11:03478', /port must be 1 to 65535/],
    ['turn:172.20.10.11:', /port must be 1 to 65535/],
    ['turn:[fd00:172::11%eth0]:3478', /IPv6 zone id/],
    ['turn:[fd00:172::11%25eth0]', /IPv6 zone id/],
    ['turn:fd00:172::11:3478?transport=udp', /^IPv6 address in a TURN URI without brackets$/],
    ['turn:[172.20.10.11]:3478', /no IPv6 address in brackets/],
    ['turn:[fd00:172::11]3478', /text after the '\]'/],
    ['turn:[fd00:172::11:3478', /without its closing/],
    ['turn:172.20.10.011:3478', /host is not a DNS name, an IPv4 address or an IPv6 address in brackets/],
    ['turn:turn_1.bab.example', /host is not a DNS name/],
    ['turn:', /host is not a DNS name/],
    ['turn:172.20.10.11:3478?transport=sctp', /transport must be 'udp' or 'tcp'/],
    ['turn:172.20.10.11:3478?transport=udp&transport=tcp', /no query parameter but 'transport'/],
  ])('refuses %s', (uri, message) => {
    const issue = turnIssue(uri);
    expect(issue.message).toMatch(message);
    expect(issue.value).toBe(uri);
    expect(issue.allowed).toBe(TURN_URI_ALLOWED);
    expect(formatIssue(issue)).toMatch(/federation\.yaml:\d+:\d+: zones\[2\]\.turn\.uris\[0\]: /);
  });

  it.each([
    ['turn:user:pass@172.20.10.11:3478', /carries credentials \(user information/, 'turn:***@172.20.10.11:3478'],
    ['turn:s3cr3t@turn.bab.example', /carries credentials/, 'turn:***@turn.bab.example'],
    [
      'turn:172.20.10.11:3478?transport=udp&password=s3cr3t',
      /credential in the query parameter 'password'/,
      'turn:172.20.10.11:3478?transport=udp&password=***',
    ],
    [
      'turn:172.20.10.11:3478?credential=s3cr3t',
      /query parameter 'credential'/,
      'turn:172.20.10.11:3478?credential=***',
    ],
    ['turn:172.20.10.11:3478?x=s3cr3t', /no query parameter but 'transport'/, 'turn:172.20.10.11:3478?x=***'],
    ['turn:172.20.10.11:3478#s3cr3t', /fragment/, 'turn:172.20.10.11:3478#***'],
  ])('refuses credentials in %s and shows them redacted', (uri, message, shown) => {
    const issue = turnIssue(uri);
    expect(issue.message).toMatch(message);
    expect(issue.value).toBe(shown);
    const line = formatIssue(issue);
    expect(line).toContain(`found "${shown}"`);
    expect(line).not.toMatch(/pass@|s3cr3t/);
  });

  it('accepts RFC 7065 URIs: DNS names, IPv4, bracketed IPv6, turns:, ports and transports', () => {
    for (const uri of [
      'turn:172.20.10.11',
      'turns:turn.bab.example:5349?transport=tcp',
      'turn:[fd00:172::11]:3478?transport=udp',
      'turns:[fd00:172::11]',
      'turn:[::ffff:172.20.10.11]:65535',
    ])
      expect(() => defaultFederation((y) => replaceOnce(y, BAB_TURN, `'${uri}'`))).not.toThrow();
    expect(parseTurnUri('turns:[fd00:172::11]:5349?transport=tcp')).toEqual({
      turn: { secure: true, host: 'fd00:172::11', ip: 'fd00:172::11', port: 5349, transport: 'tcp' },
    });
    expect(parseTurnUri('turn:turn.bab.example')).toEqual({
      turn: { secure: false, host: 'turn.bab.example', ip: undefined, port: undefined, transport: undefined },
    });
  });

  it('redacts user information, fragments and every query value but transport', () => {
    expect(redactTurnUri('turn:u:p@w@172.20.10.11:3478?transport=udp')).toBe(
      'turn:***@172.20.10.11:3478?transport=udp',
    );
    expect(redactTurnUri('turn:h?transport=tcp&token=abc&bare#frag')).toBe('turn:h?transport=tcp&token=***&***#***');
    expect(redactTurnUri('turn:172.20.10.11:3478?transport=udp')).toBe('turn:172.20.10.11:3478?transport=udp');
  });

  it.each([
    ['turn:10.64.10.11:3478', "TURN server of zone 'gs-bab' lies outside the zone: calls would be relayed outside it"],
    [
      'turn:[::ffff:0:c633:640b]:3478',
      "TURN server of zone 'gs-bab' lies outside the zone (IPv4-translated: 198.51.100.11): calls would be relayed outside it",
    ],
    // Teredo with server and client 172.20.10.11: relayed over the internet all the same
    [
      'turn:[2001:0:ac14:a0b::53eb:f5f4]',
      /^TURN server of zone 'gs-bab' lies outside the zone \(Teredo: .*client 172\.20\.10\.11\)/,
    ],
  ])('refuses a closed zone TURN server outside the zone: %s', (uri, message) => {
    const issue = turnIssue(uri);
    if (typeof message === 'string') expect(issue.message).toBe(message);
    else expect(issue.message).toMatch(message);
    expect(issue.allowed).toBe("a TURN server inside the zone's networks 172.20.0.0/14, fd00:172::/32");
  });

  it('refuses an internet zone TURN server inside another zone, and accepts one on the internet', () => {
    const [issue] = issuesAt(configIssues(withInternetTurn('turn:10.64.10.11:3478')), 'zones[4].turn.uris[0]');
    expect(issue.message).toBe(
      "TURN server of internet zone 'internet' lies in zones[0].cidrs[0] '10.64.0.0/12' of zone 'ndb'",
    );
    const [mapped] = issuesAt(configIssues(withInternetTurn('turn:[::ffff:10.64.10.11]')), 'zones[4].turn.uris[0]');
    expect(mapped.message).toMatch(
      /lies in zones\[0\]\.cidrs\[0\] '10\.64\.0\.0\/12' of zone 'ndb' \(IPv4-mapped: 10\.64\.10\.11\)/,
    );
    expect(() => defaultFederation(withInternetTurn('turn:203.0.113.7:3478'))).not.toThrow();
  });
});

describe('guard: ipBlocks and zone facts that reach the internet', () => {
  const P1 = 'itzbund-ndb-1--wire-s1';
  const NETPOL = 'wire-s1_netpol_allow-from-ns-ingress-ndb';
  const clone = (): SynthesizedStack[] =>
    defaultStacks().map((s) => ({ name: s.name, json: JSON.parse(JSON.stringify(s.json)) }));
  const get = (stacks: SynthesizedStack[], name: string): Json => stacks.find((s) => s.name === name)!.json;
  /** Widens the NdB zone facts in every stack, as a hand-edited cdktf.out would (verify has no config). */
  const widenNdb = (stacks: SynthesizedStack[], extra: string[]) => {
    for (const s of stacks) {
      const z = (s.json as Json).locals?.network_zone;
      if (z?.id === 'ndb') z.cidrs = [...z.cidrs, ...extra];
    }
  };
  const at = (findings: Finding[], rule: string, address: string) =>
    findings.filter((f) => f.rule === rule && f.stack === P1 && f.address === address);
  const WORLD = ['::ffff:0:0/96', '0.0.0.0/1', '128.0.0.0/1', '2000::/3', '::ffff:0:0:0/96', '2001::/32'];

  it('the default federation is clean', () => {
    expect(checkExposure(clone())).toEqual([]);
  });

  it.each(WORLD)('flags ipBlock %s on a Säule-1 NetworkPolicy', (block) => {
    const stacks = clone();
    get(stacks, P1).resource.kubernetes_network_policy_v1[NETPOL].spec.ingress[0].from = [
      { ip_block: { cidr: block } },
    ];
    const found = at(checkExposure(stacks), 'P1-NETPOL', `kubernetes_network_policy_v1.${NETPOL}`);
    expect(found.map((f) => f.message)).toEqual([expect.stringContaining(`ingress from ipBlock ${block}`)]);
  });

  it.each([
    [['::ffff:0:0/96']],
    [['0.0.0.0/1', '128.0.0.0/1']],
    [['2000::/3']],
    [['::ffff:0:0:0/96']],
    [['2001::/32']],
  ])('flags NdB zone facts widened by %j, and ipBlocks inside them', (extra) => {
    const stacks = clone();
    widenNdb(stacks, extra);
    get(stacks, P1).resource.kubernetes_network_policy_v1[NETPOL].spec.ingress[0].from = extra.map((c) => ({
      ip_block: { cidr: c },
    }));
    const findings = checkExposure(stacks);
    expect(at(findings, 'P1-ZONE', 'locals.network_zone').map((f) => f.message)).toContainEqual(
      expect.stringMatching(/the NdB zone claims .*, which includes the internet/),
    );
    expect(at(findings, 'P1-NETPOL', `kubernetes_network_policy_v1.${NETPOL}`)).toHaveLength(extra.length);
  });

  it('flags NdB zone facts that reach another zone in a mapped spelling', () => {
    const stacks = clone();
    // 10.96.0.0/13 is gs-itzbund's network
    widenNdb(stacks, ['::ffff:10.96.0.0/109']);
    get(stacks, P1).resource.kubernetes_network_policy_v1[NETPOL].spec.ingress[0].from = [
      { ip_block: { cidr: '10.96.0.0/16' } },
    ];
    const findings = checkExposure(stacks);
    expect(at(findings, 'P1-ZONE', 'locals.network_zone').map((f) => f.message)).toContainEqual(
      expect.stringMatching(
        /'::ffff:10.96.0.0\/109' \(IPv4-mapped: 10.96.0.0\/13\), which covers addresses of zone 'gs-itzbund'/,
      ),
    );
    expect(at(findings, 'P1-NETPOL', `kubernetes_network_policy_v1.${NETPOL}`)).toHaveLength(1);
  });

  it('flags an ipBlock with whitespace', () => {
    const stacks = clone();
    get(stacks, P1).resource.kubernetes_network_policy_v1[NETPOL].spec.ingress[0].from = [
      { ip_block: { cidr: ' 10.64.0.0/16' } },
    ];
    expect(at(checkExposure(stacks), 'P1-NETPOL', `kubernetes_network_policy_v1.${NETPOL}`)).toHaveLength(1);
  });
});

describe('TURN URIs', () => {
  it('bracket IPv6 calling IPs', () => {
    const stacks = synthesizeInMemory(
      defaultFederation((y) => replaceOnce(y, 'advertisedIp: 10.64.10.11', "advertisedIp: 'fd00:64::11'")),
    );
    const s1 = stacks.find((s) => s.name === 'itzbund-ndb-1--wire-s1')!;
    const releases = resources(s1, 'helm_release').map((r) => r.body as Json);
    const sftd = releaseValuesOf(releases.find((r) => r.chart === 'sftd'));
    expect(sftd.multiSFT.turnServerURI).toBe('turn:[fd00:64::11]:3478?transport=udp');
    const all = JSON.stringify(releases.map((r) => releaseValuesOf(r)));
    expect(all).toContain('turn:[fd00:64::11]:3478');
    expect(all).not.toMatch(/turns?:fd00/);
  });
});
