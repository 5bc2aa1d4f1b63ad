/**
 * IPv4/IPv6 address and CIDR arithmetic on bigints: parse, contain, overlap.
 * Used by the config checks (zones must not overlap, advertised IPs must lie in their zone) and by the policy guard.
 *
 * Every overlap and containment check compares *addresses*, not spellings. An IPv6 range that embeds IPv4
 * addresses reaches those IPv4 addresses. To compare across spellings, a CIDR is normalized into intervals of one
 * unified space: IPv6 numbering, with every IPv4 address at its IPv4-mapped position `::ffff:a.b.c.d` and the
 * embedding ranges folded onto it. An IPv6 range that straddles embedding space splits into its IPv4 part and its
 * native part.
 *
 * The IPv6 ranges that embed or translate IPv4 (RFC 6890 and the IANA IPv6 Special-Purpose Address Registry), and
 * how each is read (see {@link EMBEDDINGS}):
 *
 * | range              | name              | IPv4 address                    | reads as                              |
 * | ------------------ | ----------------- | ------------------------------- | ------------------------------------- |
 * | `::/96`            | IPv4-compatible   | low 32 bits (RFC 4291, deprec.) | that address, one to one              |
 * | `::ffff:0:0/96`    | IPv4-mapped       | low 32 bits (RFC 4291)          | that address (it is the unified space)|
 * | `::ffff:0:0:0/96`  | IPv4-translated   | low 32 bits (RFC 2765, 6145)    | that address, one to one              |
 * | `64:ff9b::/96`     | NAT64             | low 32 bits (RFC 6052)          | that address, one to one              |
 * | `64:ff9b:1::/48`   | NAT64 local-use   | operator's choice (RFC 8215)    | any IPv4 address; covers none         |
 * | `2001::/32`        | Teredo            | server bits 32-63, client low   | any IPv4 address; covers none         |
 * |                    |                   | 32 bits XOR ones (RFC 4380)     | (it is relayed over the internet)     |
 * | `2002::/16`        | 6to4              | bits 16-47 (RFC 3056)           | any IPv4 address; covers none         |
 * |                    |                   |                                 | (it is relayed over the internet)     |
 *
 * "Any IPv4 address; covers none": such a range overlaps every IPv4 network and is never inside one, so it can
 * neither hide in a zone nor prove that an address lies inside one. Teredo is read that way because an address of
 * it is reached through whichever public Teredo relay announces 2001::/32 and then over UDP/IPv4 to the client's
 * public address: the path is the internet, whatever the embedded addresses say. 6to4 likewise: a native-IPv6
 * client reaches `2002:0a40:0a0b::1` through a public relay announcing 2002::/16, which tunnels to 10.64.10.11
 * over the internet; an NdB address spelled in 6to4 is no address inside the NdB.
 *
 * Not folded, because no prefix tells them apart from native addresses: RFC 6052 network-specific NAT64 prefixes
 * and SIIT (RFC 7915) prefixes, 6rd (RFC 5969) and ISATAP interface identifiers (`::5efe:a.b.c.d`, RFC 5214). They
 * sit inside an operator's own IPv6 prefix, and that prefix is what the zone declares. The other special-purpose
 * ranges (`::1/128`, `::/128`, `100::/64`, `2001:2::/48`, `2001:db8::/32`, ORCHID, `fc00::/7`, `fe80::/10`, ...)
 * embed no IPv4.
 */

export type IpFamily = 4 | 6;

export interface Cidr {
  readonly family: IpFamily;
  /** First address of the network. */
  readonly first: bigint;
  /** Last address of the network. */
  readonly last: bigint;
  readonly prefix: number;
  readonly text: string;
}

/** A closed range of the unified address space (see the file comment). */
export interface Interval {
  readonly first: bigint;
  readonly last: bigint;
}

const V4_SIZE = 1n << 32n;
const V4_MASK = V4_SIZE - 1n;
const V6_MAX = (1n << 128n) - 1n;
/** Where IPv4 lives in the unified space: `::ffff:0:0/96`. */
const MAPPED_BASE = 0xffffn << 32n;
const ALL_IPV4: Interval = { first: MAPPED_BASE, last: MAPPED_BASE + V4_MASK };

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups: number[] = [];
    const items = s.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseIpv4(item);
        if (v4 === undefined) return undefined;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(item)) return undefined;
        groups.push(parseInt(item, 16));
      }
    }
    return groups;
  };
  const head = toGroups(halves[0]);
  const tail = halves.length === 2 ? toGroups(halves[1]) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Parses a single IPv4 or IPv6 address. Whitespace anywhere is refused. */
export function parseIp(text: string): { family: IpFamily; value: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  if (v6 !== undefined) return { family: 6, value: v6 };
  return undefined;
}

/**
 * Why `text` is not a CIDR, or undefined when it is one. Whitespace is refused, not trimmed: the text is copied
 * as written into NetworkPolicies and other output, where ` 10.0.0.0/8` is not the network the checks saw.
 */
export function cidrProblem(text: string): string | undefined {
  if (typeof text !== 'string') return 'not a string';
  if (/\s/.test(text)) return 'contains whitespace';
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return "no '/prefix' length";
  const ip = parseIp(m[1]);
  if (!ip) return 'not an IPv4 or IPv6 address before the /';
  const bits = ip.family === 4 ? 32 : 128;
  if (Number(m[2]) > bits || (m[2].length > 1 && m[2].startsWith('0')))
    return `prefix length must be 0 to ${bits}, without leading zeros`;
  const hostMask = (1n << BigInt(bits - Number(m[2]))) - 1n;
  if ((ip.value & hostMask) !== 0n) return 'host bits must be zero';
  return undefined;
}

/**
 * Parses `a.b.c.d/n` or `x:y::/n`. Host bits must be zero (a typo such as 10.1.2.3/8 is refused rather than
 * silently widened), and whitespace is refused (see {@link cidrProblem}). Returns undefined when the text is not a
 * valid CIDR.
 */
export function parseCidr(text: string): Cidr | undefined {
  if (cidrProblem(text) !== undefined) return undefined;
  const [address, length] = text.split('/');
  const ip = parseIp(address)!;
  const prefix = Number(length);
  const bits = ip.family === 4 ? 32 : 128;
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  return { family: ip.family, first: ip.value, last: ip.value | hostMask, prefix, text };
}

/** An address or a CIDR as a Cidr (an address is its own /32 or /128). */
export function parseAddressOrCidr(text: string): Cidr | undefined {
  const ip = parseIp(text);
  if (ip) return { family: ip.family, first: ip.value, last: ip.value, prefix: ip.family === 4 ? 32 : 128, text };
  return parseCidr(text);
}

/** IPv6 ranges that embed IPv4 addresses, and how. */
interface Embedding {
  readonly name: string;
  readonly first: bigint;
  readonly last: bigint;
  /** The IPv4 addresses (as 32-bit values) that the IPv6 range [a, b] inside this embedding reaches. */
  readonly reach: (a: bigint, b: bigint) => [bigint, bigint] | undefined;
  /** The IPv4 addresses that [a, b] covers in every spelling inside this embedding (for the outer side). */
  readonly cover: (a: bigint, b: bigint) => [bigint, bigint] | undefined;
  /** How [a, b] reads in messages, when the IPv4 CIDRs it reaches say too little. */
  readonly note?: (a: bigint, b: bigint) => string;
}

function low32(name: string, first: bigint): Embedding {
  const f = (a: bigint, b: bigint): [bigint, bigint] => [a & V4_MASK, b & V4_MASK];
  return { name, first, last: first + V4_MASK, reach: f, cover: f };
}

/** A range whose IPv4 address cannot be pinned down: it reaches any IPv4 address and covers none. */
function anyIpv4(name: string, first: bigint, bits: bigint, note?: Embedding['note']): Embedding {
  return { name, first, last: first + (1n << bits) - 1n, reach: () => [0n, V4_MASK], cover: () => undefined, note };
}

const SIXTO4_FIRST = 0x2002n << 112n;

const TEREDO_FIRST = 0x2001n << 112n;

/** Sorted by first address (normalize walks them in order). */
const EMBEDDINGS: readonly Embedding[] = [
  // ::a.b.c.d (RFC 4291, deprecated); :: and ::1 included, which only makes the checks stricter
  low32('IPv4-compatible', 0n),
  // ::ffff:a.b.c.d is the unified position of IPv4 itself (see MAPPED_BASE)
  low32('IPv4-mapped', MAPPED_BASE),
  // ::ffff:0:a.b.c.d (RFC 2765 SIIT, RFC 6145): the IPv4 address a translator gives an IPv6-only host
  low32('IPv4-translated', 0xffffn << 48n),
  // 64:ff9b::a.b.c.d (RFC 6052 well-known prefix)
  low32('NAT64', 0x64ff9bn << 96n),
  // 64:ff9b:1::/48 (RFC 8215, local use): where the IPv4 address sits depends on the operator's prefix length,
  // so any part of it may reach any IPv4 address, and none of it is known to cover one.
  anyIpv4('NAT64 local-use', (0x64ff9bn << 96n) | (1n << 80n), 80n),
  // 2001:0:SSSS:SSSS:flags:port:CCCC:CCCC (RFC 4380): server IPv4 S, client IPv4 C XOR ffff:ffff, reached through
  // public relays: any IPv4 address, none covered (see the file comment)
  anyIpv4('Teredo', TEREDO_FIRST, 96n, (a, b) =>
    a === b
      ? `any IPv4 address, through public Teredo relays; server ${ipv4Text((a >> 64n) & V4_MASK)}, client ${ipv4Text(~a & V4_MASK)}`
      : 'any IPv4 address, through public Teredo relays',
  ),
  // 2002:AABB:CCDD::/48 is the 6to4 space of AA.BB.CC.DD (RFC 3056). A native-IPv6 client reaches it through
  // whichever public 6to4 relay announces 2002::/16, then over IPv4 across the internet: like Teredo, any IPv4
  // address, none covered (see the file comment)
  anyIpv4('6to4', SIXTO4_FIRST, 112n, (a, b) => {
    const sites = ipv4Cidrs((a >> 80n) & V4_MASK, (b >> 80n) & V4_MASK);
    const shown = sites.length > 3 ? `${sites.slice(0, 3).join(', ')}, ...` : sites.join(', ');
    return `any IPv4 address, through public 6to4 relays; site ${shown}`;
  }),
];

function merge(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((x, y) => (x.first < y.first ? -1 : x.first > y.first ? 1 : 0));
  const out: Array<{ first: bigint; last: bigint }> = [];
  for (const i of sorted) {
    const prev = out[out.length - 1];
    if (prev && i.first <= prev.last + 1n) {
      if (i.last > prev.last) prev.last = i.last;
    } else {
      out.push({ first: i.first, last: i.last });
    }
  }
  return out;
}

function normalize(c: Cidr, side: 'reach' | 'cover'): Interval[] {
  if (c.family === 4) return [{ first: MAPPED_BASE + c.first, last: MAPPED_BASE + c.last }];
  const out: Interval[] = [];
  let cursor = c.first;
  for (const e of EMBEDDINGS) {
    if (e.last < c.first || e.first > c.last) continue;
    if (cursor < e.first) out.push({ first: cursor, last: e.first - 1n });
    const a = c.first > e.first ? c.first : e.first;
    const b = c.last < e.last ? c.last : e.last;
    const v4 = e[side](a, b);
    if (v4) out.push({ first: MAPPED_BASE + v4[0], last: MAPPED_BASE + v4[1] });
    cursor = b + 1n;
  }
  if (cursor <= c.last) out.push({ first: cursor, last: c.last });
  return merge(out);
}

/** Every address `c` reaches, in any spelling, as merged intervals of the unified space. */
export function addressesReached(c: Cidr): Interval[] {
  return normalize(c, 'reach');
}

/** The addresses `c` covers in every spelling (differs from the reach only for 6to4, NAT64 local-use and Teredo). */
export function addressesCovered(c: Cidr): Interval[] {
  return normalize(c, 'cover');
}

function intersects(a: readonly Interval[], b: readonly Interval[]): boolean {
  return a.some((x) => b.some((y) => x.first <= y.last && y.first <= x.last));
}

/** True when every interval of `inner` lies inside the union `outer` (both merged). */
function covered(outer: readonly Interval[], inner: readonly Interval[]): boolean {
  return inner.every((i) => outer.some((o) => o.first <= i.first && i.last <= o.last));
}

/** True when the two networks share an address in any spelling (`::ffff:0:0/96` overlaps `10.0.0.0/8`). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return intersects(addressesReached(a), addressesReached(b));
}

/** True when every address `inner` reaches lies inside `outer`, in any spelling. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return covered(addressesCovered(outer), addressesReached(inner));
}

/**
 * True when every address the address (or CIDR) reaches, in any spelling, lies inside the union of the given
 * networks. False for text that is neither (whitespace included).
 */
export function insideAny(networks: readonly Cidr[], addressOrCidr: string): boolean {
  const inner = parseAddressOrCidr(addressOrCidr);
  if (!inner) return false;
  return covered(merge(networks.flatMap(addressesCovered)), addressesReached(inner));
}

function ipv4Text(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
}

/** The IPv4 range [first, last] (32-bit values) as the fewest CIDRs. */
function ipv4Cidrs(first: bigint, last: bigint): string[] {
  const out: string[] = [];
  let at = first;
  while (at <= last) {
    let size = 1n;
    let prefix = 32;
    while (prefix > 0 && (at & (size * 2n - 1n)) === 0n && at + size * 2n - 1n <= last) {
      size *= 2n;
      prefix--;
    }
    out.push(prefix === 32 ? ipv4Text(at) : `${ipv4Text(at)}/${prefix}`);
    at += size;
  }
  return out;
}

/**
 * How an IPv6 network reaches IPv4, for messages: `IPv4-mapped: 0.0.0.0/0`, or undefined for IPv4 networks and
 * IPv6 networks that embed no IPv4 address.
 */
export function ipv4Reading(c: Cidr): string | undefined {
  if (c.family === 4) return undefined;
  const parts: string[] = [];
  for (const e of EMBEDDINGS) {
    if (e.last < c.first || e.first > c.last) continue;
    const a = c.first > e.first ? c.first : e.first;
    const b = c.last < e.last ? c.last : e.last;
    if (e.note) {
      parts.push(`${e.name}: ${e.note(a, b)}`);
      continue;
    }
    const v4 = e.reach(a, b)!;
    const cidrs = ipv4Cidrs(v4[0], v4[1]);
    parts.push(`${e.name}: ${cidrs.length > 3 ? `${cidrs.slice(0, 3).join(', ')}, ...` : cidrs.join(', ')}`);
  }
  return parts.length === 0 ? undefined : parts.join('; ');
}

/** ` (IPv4-mapped: 203.0.113.5)` for an address or CIDR that embeds IPv4, else ''. For messages. */
export function readingSuffix(addressOrCidr: string): string {
  const c = parseAddressOrCidr(addressOrCidr);
  const reading = c && ipv4Reading(c);
  return reading ? ` (${reading})` : '';
}

/** `'::ffff:0:0/96' (IPv4-mapped: 0.0.0.0/0)`, or just `'10.0.0.0/8'`. */
export function describeCidr(c: Cidr): string {
  const reading = ipv4Reading(c);
  return reading ? `'${c.text}' (${reading})` : `'${c.text}'`;
}

const span = (text: string): Interval => addressesReached(parseCidr(text)!)[0];

/** Address space that is not the public internet: private, shared, loopback, link-local, multicast, reserved. */
const NOT_PUBLIC: readonly Interval[] = merge([
  ...['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12'].map(span),
  ...['192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4'].map(span),
  ...['fc00::/7', 'fe80::/10', 'ff00::/8'].map(span),
]);

/**
 * The most public address space a closed network may hold: a /8 of IPv4 and a /16 of IPv6. More than that is
 * the internet, not a network of its own (`0.0.0.0/1`, `2000::/3`, `::ffff:0:0/96`).
 */
export const PUBLIC_SPACE_LIMIT = { ipv4: 1n << 24n, ipv6: 1n << 112n, text: 'a /8 of IPv4 and a /16 of IPv6' };

/** How many public IPv4 and (native) IPv6 addresses the networks reach together, in any spelling. */
export function publicAddressCount(networks: readonly Cidr[]): { ipv4: bigint; ipv6: bigint } {
  let ipv4 = 0n;
  let ipv6 = 0n;
  for (const i of merge(networks.flatMap(addressesReached))) {
    // split at the IPv4 space, then subtract what is not public
    const pieces: Interval[] = [];
    for (const [lo, hi] of [
      [0n, ALL_IPV4.first - 1n],
      [ALL_IPV4.first, ALL_IPV4.last],
      [ALL_IPV4.last + 1n, V6_MAX],
    ]) {
      const first = i.first > lo ? i.first : lo;
      const last = i.last < hi ? i.last : hi;
      if (first <= last) pieces.push({ first, last });
    }
    for (const p of pieces) {
      let n = p.last - p.first + 1n;
      for (const x of NOT_PUBLIC) {
        const first = p.first > x.first ? p.first : x.first;
        const last = p.last < x.last ? p.last : x.last;
        if (first <= last) n -= last - first + 1n;
      }
      if (p.first >= ALL_IPV4.first && p.last <= ALL_IPV4.last) ipv4 += n;
      else ipv6 += n;
    }
  }
  return { ipv4, ipv6 };
}

/**
 * Why the networks amount to the internet rather than a closed network (more public space than
 * {@link PUBLIC_SPACE_LIMIT}, in any spelling), or undefined.
 */
export function coversPublicInternet(networks: readonly Cidr[]): string | undefined {
  const { ipv4, ipv6 } = publicAddressCount(networks);
  const why: string[] = [];
  if (ipv4 > PUBLIC_SPACE_LIMIT.ipv4) why.push(`${ipv4} public IPv4 addresses (more than a /8)`);
  if (ipv6 > PUBLIC_SPACE_LIMIT.ipv6) why.push(`public IPv6 space larger than a /16`);
  return why.length === 0 ? undefined : why.join(' and ');
}
