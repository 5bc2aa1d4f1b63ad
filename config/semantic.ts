/**
 * Checks that need more than one value at a time: unique ids, references, CIDR overlaps, and whether a cluster's
 * zone kind fits what runs on it. Runs after the schema; reports every finding, not only the first.
 */
import {
  Cidr,
  cidrProblem,
  cidrsOverlap,
  coversPublicInternet,
  describeCidr,
  insideAny,
  ipv4Reading,
  parseAddressOrCidr,
  parseCidr,
  parseIp,
  PUBLIC_SPACE_LIMIT,
  readingSuffix,
} from './cidr';
import {
  acmeAllowedIn,
  bwMessengerAllowedIn,
  DEFAULT_PILLAR_OPERATOR,
  demoDatastoresAllowedIn,
  matrixServerZone,
  mayHostOwnBundesMessenger,
  mayOperateBwMessenger,
  mayUseBwMessenger,
  openFederationAllowedIn,
  PILLAR_CLASSIFICATION,
  PILLAR_ZONE_KIND,
  pillarMayFederateWith,
  pillarPlacementProblems,
  PRODUCT_LABELS,
  productApprovedIn,
  zoneKindMayCarry,
  zoneMaxClassification,
  zonesMayFederate,
  type MatrixProduct,
} from './domain';
import type { ConfigPath } from './errors';
import { DNS_NAME, type Classification, type FederationConfig } from './schema';

export type Report = (path: ConfigPath, message: string, value: unknown, allowed?: string) => void;

function list(values: Iterable<string>): string {
  const items = [...values];
  return items.length === 0 ? '(none declared)' : items.map((v) => `'${v}'`).join(', ');
}

function uniqueIds(items: ReadonlyArray<{ id: string }>, section: string, report: Report): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const first = seen.get(item.id);
    if (first !== undefined) {
      report(
        [...section.split('.'), index, 'id'],
        `duplicate id, already used by ${section}[${first}]`,
        item.id,
        'an id not used elsewhere in this list',
      );
    } else {
      seen.set(item.id, index);
    }
  });
}

/** What a zone's TURN URI may be (RFC 7065), for messages. */
export const TURN_URI_ALLOWED =
  "'turn:' or 'turns:', a DNS name, an IPv4 address or an IPv6 address in brackets without zone id, an optional " +
  "':port' (1-65535) and an optional '?transport=udp' or '?transport=tcp', without credentials (the TURN secret " +
  "comes from turn.existingSecret); e.g. 'turn:172.20.10.11:3478?transport=udp', 'turns:[fd00:172::11]:5349'";

/** Query parameter names that carry a credential (RFC 7065 has none; WebRTC's username and credential). */
const TURN_CREDENTIAL_PARAM = /(user|pass|pwd|secret|token|key|credential|auth|signature)/i;

/**
 * The TURN URI as it may appear in messages and logs: user information, the fragment and the value of every query
 * parameter but `transport` replaced by `***` (`turn:***@172.20.10.11:3478`).
 */
export function redactTurnUri(uri: string): string {
  const m = /^([^:]*:)([^?#]*)(\?[^#]*)?(#.*)?$/s.exec(uri);
  if (!m) return '***';
  const [, scheme, hostport, query, fragment] = m;
  const at = hostport.lastIndexOf('@');
  const host = at < 0 ? hostport : `***${hostport.slice(at)}`;
  const params = query
    ?.slice(1)
    .split('&')
    .map((p) => {
      const eq = p.indexOf('=');
      if (eq < 0) return p === '' ? p : '***';
      return p.slice(0, eq) === 'transport' ? p : `${p.slice(0, eq)}=***`;
    });
  return `${scheme}${host}${params ? `?${params.join('&')}` : ''}${fragment ? '#***' : ''}`;
}

export interface TurnUri {
  readonly secure: boolean;
  /** The host as written (an IPv6 address without its brackets). */
  readonly host: string;
  /** Set when the host is an IP address. */
  readonly ip?: string;
  readonly port?: number;
  readonly transport?: 'udp' | 'tcp';
}

/**
 * Parses a zone's TURN URI by RFC 7065 (`turn:`/`turns:` host [":" port] ["?transport=" udp|tcp]), narrowed to
 * what a closed network can check: the host is a DNS name, an IPv4 address or a bracketed IPv6 address without
 * zone id; no user information, no query parameter but `transport`, no fragment. Returns why it is not one.
 */
export function parseTurnUri(uri: string): { turn: TurnUri } | { problem: string } {
  if (/[\s\u0000-\u001f\u007f]/.test(uri)) return { problem: 'TURN URI contains whitespace or a control character' };
  const m = /^(turns?):([^?#]*)(?:\?([^#]*))?(#.*)?$/s.exec(uri);
  if (!m) return { problem: "TURN URI does not start with 'turn:' or 'turns:'" };
  const [, scheme, hostport, query, fragment] = m;
  if (hostport.includes('@'))
    return { problem: "TURN URI carries credentials (user information before '@'); TURN takes no credentials in URIs" };
  const params = query === undefined ? [] : query.split('&');
  const credential = params.map((p) => p.split('=')[0]).find((name) => TURN_CREDENTIAL_PARAM.test(name));
  if (credential !== undefined)
    return { problem: `TURN URI carries a credential in the query parameter '${credential}'` };
  if (fragment !== undefined) return { problem: 'TURN URI has a fragment (#...)' };
  let transport: TurnUri['transport'];
  if (query !== undefined) {
    const [name, value, ...rest] = query.split('=');
    if (params.length !== 1 || name !== 'transport' || rest.length > 0)
      return { problem: "TURN URI takes no query parameter but 'transport'" };
    if (value !== 'udp' && value !== 'tcp') return { problem: "TURN URI transport must be 'udp' or 'tcp'" };
    transport = value;
  }
  let host: string;
  let ip: string | undefined;
  let portText: string | undefined;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0) return { problem: "TURN URI has an IPv6 address without its closing ']'" };
    host = hostport.slice(1, close);
    const after = hostport.slice(close + 1);
    if (host.includes('%'))
      return { problem: 'TURN URI has an IPv6 zone id (%...), which names a network interface of one host' };
    if (parseIp(host)?.family !== 6) return { problem: 'TURN URI has no IPv6 address in brackets' };
    if (after !== '' && !after.startsWith(':')) return { problem: "TURN URI has text after the ']' that is no port" };
    ip = host;
    portText = after === '' ? undefined : after.slice(1);
  } else {
    if ((hostport.match(/:/g) ?? []).length > 1) return { problem: 'IPv6 address in a TURN URI without brackets' };
    const colon = hostport.indexOf(':');
    host = colon < 0 ? hostport : hostport.slice(0, colon);
    portText = colon < 0 ? undefined : hostport.slice(colon + 1);
    if (parseIp(host)?.family === 4) ip = host;
    else if (!DNS_NAME.test(host))
      return { problem: 'TURN URI host is not a DNS name, an IPv4 address or an IPv6 address in brackets' };
  }
  let port: number | undefined;
  if (portText !== undefined) {
    port = /^[1-9][0-9]{0,4}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) return { problem: 'TURN URI port must be 1 to 65535' };
  }
  return { turn: { secure: scheme === 'turns', host, ip, port, transport } };
}

/**
 * A zone's TURN URIs parse (see {@link parseTurnUri}), and a TURN server given by address belongs to the zone:
 * inside its networks for a closed zone (ndb, grundschutz), where the Matrix servers of the zone relay their calls;
 * in no other zone's networks for the internet zone. Values are shown redacted ({@link redactTurnUri}).
 */
function checkTurnUris(
  cfg: FederationConfig,
  parsed: ReadonlyArray<{ zone: number; cidr: number; net: Cidr }>,
  report: Report,
): void {
  cfg.zones.forEach((zone, zi) => {
    const nets = parsed.filter((p) => p.zone === zi).map((p) => p.net);
    const allParsed = nets.length === zone.cidrs.length;
    (zone.turn?.uris ?? []).forEach((uri, ui) => {
      const at = ['zones', zi, 'turn', 'uris', ui];
      const shown = redactTurnUri(uri);
      const result = parseTurnUri(uri);
      if ('problem' in result) {
        report(at, result.problem, shown, TURN_URI_ALLOWED);
        return;
      }
      const ip = result.turn.ip;
      if (ip === undefined) return;
      if (zone.kind !== 'internet') {
        if (allParsed && !insideAny(nets, ip))
          report(
            at,
            `TURN server of zone '${zone.id}' lies outside the zone${readingSuffix(ip)}: calls would be relayed outside it`,
            shown,
            `a TURN server inside the zone's networks ${zone.cidrs.join(', ')}`,
          );
        return;
      }
      const host = parseAddressOrCidr(ip)!;
      const other = parsed.find((p) => p.zone !== zi && cidrsOverlap(p.net, host));
      if (other)
        report(
          at,
          `TURN server of internet zone '${zone.id}' lies in zones[${other.zone}].cidrs[${other.cidr}] ${describeCidr(other.net)} of zone '${cfg.zones[other.zone].id}'${readingSuffix(ip)}`,
          shown,
          'a TURN server on the internet, in no other zone',
        );
    });
  });
}

export function checkSemantics(cfg: FederationConfig, report: Report): void {
  uniqueIds(cfg.operators, 'operators', report);
  uniqueIds(cfg.zones, 'zones', report);
  uniqueIds(cfg.clusters, 'clusters', report);
  uniqueIds(cfg.wire.pillars, 'wire.pillars', report);
  uniqueIds(cfg.tenants, 'tenants', report);
  // tenants can operate clusters, so operator and tenant ids share one space
  const operatorIds = new Set(cfg.operators.map((o) => o.id));
  cfg.tenants.forEach((t, ti) => {
    if (operatorIds.has(t.id))
      report(
        ['tenants', ti, 'id'],
        `tenant id '${t.id}' is already the id of an operator`,
        t.id,
        'an id used by no operator and no other tenant',
      );
    // an agreement names the processor it was concluded with: an operator of this federation
    (t.dataProtection?.agreements ?? []).forEach((a, ai) => {
      if (!operatorIds.has(a.processor))
        report(
          ['tenants', ti, 'dataProtection', 'agreements', ai, 'processor'],
          `tenant '${t.id}' records an agreement with an unknown operator`,
          a.processor,
          [...operatorIds].map((o) => `'${o}'`).join(', '),
        );
    });
  });

  const zones = new Map(cfg.zones.map((z) => [z.id, z]));
  const clusters = new Map(cfg.clusters.map((c) => [c.id, c]));
  const pillars = new Map(cfg.wire.pillars.map((p) => [p.id, p]));
  const operators = new Map(cfg.operators.map((o) => [o.id, o]));
  const tenantIds = new Set(cfg.tenants.map((t) => t.id));

  // Zones: CIDRs parse, classification fits the kind, no overlaps across or within zones.
  const parsed: Array<{ zone: number; cidr: number; net: Cidr }> = [];
  cfg.zones.forEach((zone, zi) => {
    zone.cidrs.forEach((text, ci) => {
      const net = parseCidr(text);
      if (!net) {
        report(
          ['zones', zi, 'cidrs', ci],
          `not a valid CIDR: ${cidrProblem(text)}`,
          text,
          "an IPv4 or IPv6 network such as '10.20.0.0/16' or 'fd00:20::/48'",
        );
      } else {
        parsed.push({ zone: zi, cidr: ci, net });
      }
    });
    if (zone.maxClassification !== undefined && !zoneKindMayCarry(zone.kind, zone.maxClassification)) {
      report(
        ['zones', zi, 'maxClassification'],
        `zone '${zone.id}' of kind '${zone.kind}' cannot carry VS-NfD`,
        zone.maxClassification,
        "'offen' (VS-NfD only in zones of kind 'ndb')",
      );
    }
  });
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const a = parsed[i];
      const b = parsed[j];
      if (cidrsOverlap(a.net, b.net)) {
        const other =
          a.zone === b.zone
            ? `zones[${a.zone}].cidrs[${a.cidr}] of the same zone`
            : `zones[${a.zone}].cidrs[${a.cidr}] ${describeCidr(a.net)} of zone '${cfg.zones[a.zone].id}'`;
        const reading = ipv4Reading(b.net);
        const spelled = reading || ipv4Reading(a.net);
        report(
          ['zones', b.zone, 'cidrs', b.cidr],
          `overlaps ${other}${reading ? `; '${b.net.text}' reaches ${reading}` : ''}`,
          b.net.text,
          `networks that overlap no other zone network${spelled ? ' in any spelling (IPv4-mapped, IPv4-compatible, IPv4-translated and NAT64 ranges are the IPv4 addresses they embed; NAT64 local-use, Teredo and 6to4 ranges reach any IPv4 address)' : ''}`,
        );
      }
    }
  }
  // TURN URIs: RFC 7065 syntax, no credentials, and a TURN server given by address lies in its zone.
  checkTurnUris(cfg, parsed, report);
  // The NdB is a closed network: no more public address space than one organisation holds, in any spelling.
  cfg.zones.forEach((zone, zi) => {
    if (zone.kind !== 'ndb') return;
    const own = parsed.filter((p) => p.zone === zi);
    const allowed = `the NdB's own networks: private space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7) or at most ${PUBLIC_SPACE_LIMIT.text} of public space, overlapping no other zone`;
    let single = false;
    for (const p of own) {
      const why = coversPublicInternet([p.net]);
      if (why) {
        single = true;
        report(
          ['zones', zi, 'cidrs', p.cidr],
          `NdB zone '${zone.id}' claims the internet: ${describeCidr(p.net)} covers ${why}`,
          p.net.text,
          allowed,
        );
      }
    }
    const why = coversPublicInternet(own.map((p) => p.net));
    if (why && !single) {
      report(
        ['zones', zi, 'cidrs'],
        `NdB zone '${zone.id}' claims the internet: its networks together cover ${why}`,
        zone.cidrs,
        allowed,
      );
    }
  });

  // Clusters: zone and operator resolve; node pool names unique.
  cfg.clusters.forEach((cluster, ci) => {
    if (!zones.has(cluster.zone)) {
      report(
        ['clusters', ci, 'zone'],
        `cluster '${cluster.id}' names an unknown zone`,
        cluster.zone,
        list(zones.keys()),
      );
    }
    if (!operators.has(cluster.operator) && !tenantIds.has(cluster.operator)) {
      report(
        ['clusters', ci, 'operator'],
        `cluster '${cluster.id}' names an unknown operator`,
        cluster.operator,
        `an operator id (${list(operators.keys())}) or the id of a self-hosting tenant`,
      );
    }
    const poolNames = new Set<string>();
    cluster.nodePools.forEach((pool, pi) => {
      if (poolNames.has(pool.name))
        report(
          ['clusters', ci, 'nodePools', pi, 'name'],
          'duplicate node pool name',
          pool.name,
          'a name used once per cluster',
        );
      poolNames.add(pool.name);
    });
  });

  // Wire Bund pillars: cluster resolves and its zone kind fits the pillar.
  cfg.wire.pillars.forEach((pillar, pi) => {
    const cluster = clusters.get(pillar.cluster);
    if (!cluster) {
      report(
        ['wire', 'pillars', pi, 'cluster'],
        `pillar '${pillar.id}' names an unknown cluster`,
        pillar.cluster,
        list(clusters.keys()),
      );
    } else {
      const zone = zones.get(cluster.zone);
      const want = PILLAR_ZONE_KIND[pillar.pillar];
      if (zone && pillarPlacementProblems(pillar.pillar, zone).some((p) => p.rule === 'zone-kind')) {
        report(
          ['wire', 'pillars', pi, 'cluster'],
          `Säule ${pillar.pillar} ('${pillar.id}') cannot run on cluster '${cluster.id}' in zone '${zone.id}' of kind '${zone.kind}'`,
          pillar.cluster,
          `a cluster in a zone of kind '${want}': ${list(cfg.clusters.filter((c) => zones.get(c.zone)?.kind === want).map((c) => c.id))}`,
        );
      }
    }
    if (pillar.operator !== undefined && !operators.has(pillar.operator)) {
      report(
        ['wire', 'pillars', pi, 'operator'],
        `pillar '${pillar.id}' names an unknown operator`,
        pillar.operator,
        list(operators.keys()),
      );
    }
    if (pillar.operator === undefined && !operators.has(DEFAULT_PILLAR_OPERATOR)) {
      report(
        ['wire', 'pillars', pi, 'operator'],
        `pillar '${pillar.id}' has no operator and the default operator '${DEFAULT_PILLAR_OPERATOR}' is not declared`,
        undefined,
        `declare operators[].id '${DEFAULT_PILLAR_OPERATOR}' or name one of ${list(operators.keys())}`,
      );
    }
  });

  // Tenants: references resolve, and services fit the tenant kind and the cluster's zone.
  cfg.tenants.forEach((tenant, ti) => {
    tenant.wire?.pillars.forEach((pid, i) => {
      if (!pillars.has(pid))
        report(
          ['tenants', ti, 'wire', 'pillars', i],
          `tenant '${tenant.id}' names an unknown Wire pillar`,
          pid,
          list(pillars.keys()),
        );
      if (tenant.wire?.pillars.indexOf(pid) !== i)
        report(['tenants', ti, 'wire', 'pillars', i], 'pillar listed twice', pid, 'each pillar once');
    });
    const bum = tenant.bundesMessenger;
    if (bum?.mode === 'self-hosted') {
      const cluster = clusters.get(bum.cluster);
      if (!cluster) {
        report(
          ['tenants', ti, 'bundesMessenger', 'cluster'],
          `tenant '${tenant.id}' names an unknown cluster`,
          bum.cluster,
          list(clusters.keys()),
        );
      } else if (!mayHostOwnBundesMessenger({ id: cluster.operator }, tenant)) {
        report(
          ['tenants', ti, 'bundesMessenger', 'cluster'],
          `self-hosted BundesMessenger of '${tenant.id}' must run on a cluster the agency operates itself; cluster '${cluster.id}' is operated by '${cluster.operator}'`,
          bum.cluster,
          `a cluster with operator '${tenant.id}': ${list(cfg.clusters.filter((c) => mayHostOwnBundesMessenger({ id: c.operator }, tenant)).map((c) => c.id))}`,
        );
      }
    }
    if (bum?.mode === 'saas' && !operators.has(bum.provider)) {
      report(
        ['tenants', ti, 'bundesMessenger', 'provider'],
        `tenant '${tenant.id}' names an unknown SaaS provider`,
        bum.provider,
        list(operators.keys()),
      );
    }
    if (tenant.bwMessenger) {
      if (!mayUseBwMessenger(tenant)) {
        report(
          ['tenants', ti, 'bwMessenger'],
          `BwMessenger is for the Bundeswehr only; tenant '${tenant.id}' is of kind '${tenant.kind}'`,
          tenant.bwMessenger,
          "tenants of kind 'bundeswehr' (other agencies use bundesMessenger)",
        );
      }
      const cluster = clusters.get(tenant.bwMessenger.cluster);
      if (!cluster) {
        report(
          ['tenants', ti, 'bwMessenger', 'cluster'],
          `tenant '${tenant.id}' names an unknown cluster`,
          tenant.bwMessenger.cluster,
          list(clusters.keys()),
        );
      } else {
        const op = operators.get(cluster.operator);
        if (!op || !mayOperateBwMessenger(op)) {
          report(
            ['tenants', ti, 'bwMessenger', 'cluster'],
            `BwMessenger runs on clusters operated by BWI; cluster '${cluster.id}' is operated by '${cluster.operator}'`,
            tenant.bwMessenger.cluster,
            `a cluster whose operator has kind 'bundeswehr-it-service-provider': ${list(
              cfg.clusters
                .filter((c) => {
                  const o = operators.get(c.operator);
                  return o !== undefined && mayOperateBwMessenger(o);
                })
                .map((c) => c.id),
            )}`,
          );
        }
        const zone = zones.get(cluster.zone);
        if (zone && !bwMessengerAllowedIn(zone)) {
          report(
            ['tenants', ti, 'bwMessenger', 'cluster'],
            `BwMessenger cannot run on cluster '${cluster.id}' in the internet zone '${cluster.zone}'`,
            tenant.bwMessenger.cluster,
            "a cluster in a zone of kind 'grundschutz' (a Matrix server runs neither in the internet zone nor in the NdB)",
          );
        }
      }
    }
  });
  checkWire(cfg, report);
  checkMatrix(cfg, report);
  cfg.compliance.suppressions.forEach((sup, si) => {
    if (sup.tenant !== undefined && !tenantIds.has(sup.tenant)) {
      report(
        ['compliance', 'suppressions', si, 'tenant'],
        'suppression names an unknown tenant',
        sup.tenant,
        list(tenantIds),
      );
    }
  });
}

/** BundesMessenger and BwMessenger servers: federation states, classification and zone rules, references. */
function checkMatrix(cfg: FederationConfig, report: Report): void {
  const zones = new Map(cfg.zones.map((z) => [z.id, z]));
  const clusters = new Map(cfg.clusters.map((c) => [c.id, c]));
  type Server = {
    tenant: string;
    kind: 'bum' | 'bwm';
    serverName: string;
    zone?: string;
    /** SaaS: the cluster that serves the agency's `.well-known/matrix` delegation. */
    wellKnownCluster?: string;
    path: Array<string | number>;
  };
  const clusterZone = (id: string) => zones.get(clusters.get(id)?.zone ?? '');
  const operatorKinds = new Map(cfg.operators.map((o) => [o.id, o.kind]));
  const servers: Server[] = [];
  cfg.tenants.forEach((t, ti) => {
    const bum = t.bundesMessenger;
    if (bum?.mode === 'self-hosted') {
      servers.push({
        tenant: t.id,
        kind: 'bum',
        serverName: bum.serverName,
        zone: matrixServerZone(bum, cfg.zones, clusterZone)?.id,
        path: ['tenants', ti, 'bundesMessenger'],
      });
    } else if (bum?.mode === 'saas') {
      servers.push({
        tenant: t.id,
        kind: 'bum',
        serverName: bum.serverName,
        zone: matrixServerZone(bum, cfg.zones, clusterZone)?.id,
        wellKnownCluster: bum.wellKnown?.cluster,
        path: ['tenants', ti, 'bundesMessenger'],
      });
      if (bum.wellKnown && !clusters.has(bum.wellKnown.cluster)) {
        report(
          ['tenants', ti, 'bundesMessenger', 'wellKnown', 'cluster'],
          `tenant '${t.id}' names an unknown cluster`,
          bum.wellKnown.cluster,
          list(clusters.keys()),
        );
      }
    }
    if (t.bwMessenger) {
      servers.push({
        tenant: t.id,
        kind: 'bwm',
        serverName: t.bwMessenger.serverName,
        zone: matrixServerZone({ mode: 'self-hosted', cluster: t.bwMessenger.cluster }, cfg.zones, clusterZone)?.id,
        path: ['tenants', ti, 'bwMessenger'],
      });
    }
  });
  const byName = new Map<string, Server>();
  for (const srv of servers) {
    const first = byName.get(srv.serverName);
    if (first)
      report(
        [...srv.path, 'serverName'],
        `Matrix server name of '${srv.tenant}' is already used by '${first.tenant}'`,
        srv.serverName,
        'a server name used once',
      );
    else byName.set(srv.serverName, srv);
  }
  const classification = (zoneId?: string): Classification => {
    const zone = zones.get(zoneId ?? '');
    return zone ? zoneMaxClassification(zone) : 'offen';
  };
  cfg.tenants.forEach((t, ti) => {
    const entries: Array<
      [Array<string | number>, 'bum' | 'bwm', { federation: { mode: string; servers?: string[] }; cluster: string }]
    > = [];
    if (t.bundesMessenger?.mode === 'self-hosted')
      entries.push([['tenants', ti, 'bundesMessenger'], 'bum', t.bundesMessenger]);
    if (t.bwMessenger) entries.push([['tenants', ti, 'bwMessenger'], 'bwm', t.bwMessenger]);
    for (const [at, kind, server] of entries) {
      const zone = matrixServerZone({ mode: 'self-hosted', cluster: server.cluster }, cfg.zones, clusterZone);
      const matrixProduct: MatrixProduct = kind === 'bum' ? 'bundesmessenger' : 'bwmessenger';
      const product = PRODUCT_LABELS[matrixProduct];
      // Only Wire Bund is approved for VS-NfD: no Matrix server in the NdB (compliance rule VSNFD-PRODUCTS after synth).
      if (zone && !productApprovedIn(matrixProduct, zone)) {
        report(
          [...at, 'cluster'],
          `${product} of '${t.id}' is not approved for VS-NfD and cannot run in the NdB; cluster '${server.cluster}' is in zone '${zone.id}' (${zone.kind})`,
          server.cluster,
          `a cluster outside the NdB (there only Wire Bund Säule 1 is approved) that ${kind === 'bum' ? `'${t.id}' operates` : 'BWI operates'}: ${list(
            cfg.clusters
              .filter((c) => {
                const z = zones.get(c.zone);
                const operator = { kind: operatorKinds.get(c.operator) ?? 'agency' };
                const mayRun =
                  kind === 'bum' ? mayHostOwnBundesMessenger({ id: c.operator }, t) : mayOperateBwMessenger(operator);
                return z !== undefined && productApprovedIn(matrixProduct, z) && mayRun;
              })
              .map((c) => c.id),
          )}`,
        );
      }
      if (server.federation.mode === 'open' && zone && !openFederationAllowedIn(zone)) {
        report(
          [...at, 'federation', 'mode'],
          `open federation of '${t.id}' is refused outside the internet zone; its cluster is in '${zone.id}' (${zone.kind})`,
          'open',
          "'none' or 'allowList'",
        );
      }
      (server.federation.servers ?? []).forEach((name, si) => {
        const path = [...at, 'federation', 'servers', si];
        const other = byName.get(name);
        if (!other || other.kind !== kind) {
          report(
            path,
            `${product} of '${t.id}' federates only with other ${product} servers of this federation`,
            name,
            list(servers.filter((x) => x.kind === kind && x.tenant !== t.id).map((x) => x.serverName)),
          );
          return;
        }
        if (other.tenant === t.id) {
          report(path, `'${t.id}' cannot federate with itself`, name, 'another server');
          return;
        }
        const mine = classification(zone?.id);
        const theirs = classification(other.zone);
        if (mine !== theirs) {
          report(
            path,
            `federation only joins servers of equal classification: '${t.id}' (${mine}) and '${other.tenant}' (${theirs})`,
            name,
            `servers classified ${mine}`,
          );
        }
        const otherZone = zones.get(other.zone ?? '');
        if (zone && otherZone && !zonesMayFederate(zone, otherZone)) {
          report(
            path,
            `'${t.id}' in zone '${zone.id}' (${zone.kind}) and '${other.tenant}' in zone '${otherZone.id}' (${otherZone.kind}) are in zones of different kinds`,
            name,
            `declare both zones in each other's allowFederationWith, or a server in a '${zone.kind}' zone`,
          );
        }
        // A SaaS partner's `.well-known/matrix` delegation is where servers look it up: this server must reach it.
        const wkZone = other.wellKnownCluster === undefined ? undefined : clusterZone(other.wellKnownCluster);
        if (zone && wkZone && !zonesMayFederate(zone, wkZone)) {
          report(
            path,
            `'${t.id}' in zone '${zone.id}' (${zone.kind}) cannot reach the .well-known delegation of '${other.tenant}', served in zone '${wkZone.id}' (${wkZone.kind}): servers look up ${name}/.well-known/matrix/server there`,
            name,
            `a delegation in a zone '${t.id}' reaches: a '${zone.kind}' zone, or one that declares '${zone.id}' in allowFederationWith (and '${zone.id}' it)`,
          );
        }
      });
    }
  });
}

/** Wire Bund pillars: pillar 2 acknowledgement, stage rules, PKI, calling IPs, and the federation rules. */
function checkWire(cfg: FederationConfig, report: Report): void {
  const zones = new Map(cfg.zones.map((z) => [z.id, z]));
  const clusters = new Map(cfg.clusters.map((c) => [c.id, c]));
  const networksOf = (zoneId: string | undefined) =>
    (zoneId ? (zones.get(zoneId)?.cidrs ?? []) : []).map((c) => parseCidr(c)).filter((c): c is Cidr => !!c);

  cfg.clusters.forEach((cluster, ci) => {
    const zone = zones.get(cluster.zone);
    if (cluster.pki?.type === 'acme' && !(zone && acmeAllowedIn(zone))) {
      report(
        ['clusters', ci, 'pki', 'type'],
        `public ACME certificates are only for the internet zone; cluster '${cluster.id}' is in '${cluster.zone}'`,
        'acme',
        "'internal-ca' (the zone's own CA)",
      );
    }
  });

  cfg.wire.pillars.forEach((pillar, pi) => {
    const at = (...rest: Array<string | number>) => ['wire', 'pillars', pi, ...rest];
    if (pillar.pillar === 2 && pillar.acknowledgeNotImplemented !== true) {
      report(
        at('acknowledgeNotImplemented'),
        `Säule 2 ('${pillar.id}') is not implemented in reality today; declaring it needs an explicit acknowledgement`,
        pillar.acknowledgeNotImplemented,
        'true',
      );
    }
    if (pillar.pillar !== 2 && pillar.acknowledgeNotImplemented !== undefined) {
      report(
        at('acknowledgeNotImplemented'),
        `only Säule 2 takes acknowledgeNotImplemented; '${pillar.id}' is Säule ${pillar.pillar}`,
        pillar.acknowledgeNotImplemented,
        'remove the key',
      );
    }
    if (pillar.datastores.mode === 'demo' && !demoDatastoresAllowedIn(pillar.stage)) {
      report(
        at('datastores', 'mode'),
        `pillar '${pillar.id}' is in stage 'production' and cannot use the ephemeral demo datastores`,
        'demo',
        "'external' (or stage 'pilot')",
      );
    }
    const cluster = clusters.get(pillar.cluster);
    const zone = cluster && zones.get(cluster.zone);
    if (zone) {
      for (const problem of pillarPlacementProblems(pillar.pillar, zone)) {
        if (problem.rule !== 'classification') continue;
        const { needed, max } = problem;
        report(
          at('cluster'),
          `Säule ${pillar.pillar} ('${pillar.id}') carries ${needed}, but zone '${zone.id}' of cluster '${pillar.cluster}' ` +
            `is declared for at most '${max}' (zones[${cfg.zones.indexOf(zone)}].maxClassification)`,
          pillar.cluster,
          `a cluster in a zone that may carry ${needed}`,
        );
      }
    }
    if (cluster && !cluster.pki) {
      report(
        ['clusters', cfg.clusters.indexOf(cluster), 'pki'],
        `cluster '${cluster.id}' runs Wire pillar '${pillar.id}' and needs a PKI issuer for its certificates`,
        undefined,
        '{ type: internal-ca, issuerName: <ClusterIssuer> } (acme only in the internet zone)',
      );
    }
    if (cluster && !cluster.nodePools.some((p) => p.purpose === 'calling')) {
      report(
        at('cluster'),
        `pillar '${pillar.id}' needs a node pool with purpose 'calling' on cluster '${cluster.id}' for sftd and coturn`,
        pillar.cluster,
        "a cluster with nodePools[].purpose 'calling'",
      );
    }
    const networks = networksOf(cluster?.zone);
    pillar.calling.nodes.forEach((node, ni) => {
      if (!parseIp(node.advertisedIp)) {
        report(
          at('calling', 'nodes', ni, 'advertisedIp'),
          'not an IP address',
          node.advertisedIp,
          'an IPv4 or IPv6 address inside the zone',
        );
      } else if (cluster && !insideAny(networks, node.advertisedIp)) {
        report(
          at('calling', 'nodes', ni, 'advertisedIp'),
          `calling IP of pillar '${pillar.id}' lies outside zone '${cluster.zone}'${readingSuffix(node.advertisedIp)}`,
          node.advertisedIp,
          `an address inside ${zones.get(cluster.zone)?.cidrs.join(', ')}`,
        );
      }
    });
    const ports = pillar.calling.mediaPorts;
    if (ports.min >= ports.max) {
      report(
        at('calling', 'mediaPorts'),
        'media port range is empty',
        ports,
        'min < max, e.g. { min: 32768, max: 61000 }',
      );
    }
    if (pillar.datastores.mode === 'external') {
      const d = pillar.datastores;
      const stores: Array<[Array<string | number>, readonly string[]]> = [
        ...(['cassandra', 'elasticsearch', 'minio', 'rabbitmq'] as const).map(
          (k) => [[k], d[k]] as [Array<string | number>, readonly string[]],
        ),
        [['postgresql', 'rw'], d.postgresql.rw],
        [['postgresql', 'ro'], d.postgresql.ro],
      ];
      for (const [key, ips] of stores) {
        ips.forEach((ip, ii) => {
          if (!parseIp(ip)) {
            report(at('datastores', ...key, ii), 'not an IP address', ip, 'an IPv4 or IPv6 address');
          } else if (cluster && !insideAny(networks, ip)) {
            report(
              at('datastores', ...key, ii),
              `datastore of pillar '${pillar.id}' lies outside zone '${cluster.zone}'${readingSuffix(ip)}: data would leave the zone`,
              ip,
              `an address inside ${zones.get(cluster.zone)?.cidrs.join(', ')}`,
            );
          }
        });
      }
      // Redis and the queue endpoints name a host: an IP address (also as the host of a URL) must lie inside the
      // zone like the datastore lists above; a DNS name resolves elsewhere and cannot be checked here.
      const hosts: Array<[Array<string | number>, string, string | undefined]> = [
        [['redis', 'host'], d.redis.host, ipHost(d.redis.host)],
        ...(['sqsEndpoint', 'snsEndpoint'] as const).map(
          (k) =>
            [['queues', k], d.queues[k], urlIpHost(d.queues[k])] as [
              Array<string | number>,
              string,
              string | undefined,
            ],
        ),
      ];
      for (const [key, value, ip] of hosts) {
        if (ip !== undefined && cluster && !insideAny(networks, ip))
          report(
            at('datastores', ...key),
            `datastore of pillar '${pillar.id}' lies outside zone '${cluster.zone}' (${ip}${readingSuffix(ip)}): data would leave the zone`,
            value,
            `an address inside ${zones.get(cluster.zone)?.cidrs.join(', ')}, or a DNS name`,
          );
      }
    }
  });

  // Federation: instances are our pillars and declared external backends.
  type Instance = {
    id: string;
    domain: string;
    zone?: string;
    classification: Classification;
    pillar?: number;
    path: Array<string | number>;
  };
  const instances = new Map<string, Instance>();
  cfg.wire.pillars.forEach((p, pi) => {
    instances.set(p.id, {
      id: p.id,
      domain: p.federationDomain ?? p.domain,
      zone: clusters.get(p.cluster)?.zone,
      classification: PILLAR_CLASSIFICATION[p.pillar],
      pillar: p.pillar,
      path: ['wire', 'pillars', pi, p.federationDomain ? 'federationDomain' : 'domain'],
    });
  });
  cfg.wire.externalBackends.forEach((e, ei) => {
    const zone = zones.get(e.zone);
    if (!zone)
      report(
        ['wire', 'externalBackends', ei, 'zone'],
        `external backend '${e.id}' names an unknown zone`,
        e.zone,
        list(zones.keys()),
      );
    if (zone && !zoneKindMayCarry(zone.kind, e.classification)) {
      report(
        ['wire', 'externalBackends', ei, 'classification'],
        `external backend '${e.id}' in zone '${e.zone}' (${zone.kind}) cannot carry VS-NfD`,
        e.classification,
        "'offen'",
      );
    }
    if (instances.has(e.id))
      report(['wire', 'externalBackends', ei, 'id'], 'id already used by a pillar', e.id, 'an id not used by a pillar');
    else
      instances.set(e.id, {
        id: e.id,
        domain: e.domain,
        zone: e.zone,
        classification: e.classification,
        path: ['wire', 'externalBackends', ei, 'domain'],
      });
  });
  const domains = new Map<string, Instance>();
  for (const inst of instances.values()) {
    const first = domains.get(inst.domain);
    if (first)
      report(
        inst.path,
        `federation domain of '${inst.id}' is already used by '${first.id}'`,
        inst.domain,
        'a federation domain used by one instance only',
      );
    else domains.set(inst.domain, inst);
  }
  const seen = new Set<string>();
  cfg.wire.federationLinks.forEach((link, li) => {
    const at = ['wire', 'federationLinks', li, 'between'];
    const [a, b] = link.between.map((id) => instances.get(id));
    link.between.forEach((id, k) => {
      if (!instances.has(id))
        report([...at, k], 'unknown Wire instance', id, `a pillar or external backend: ${list(instances.keys())}`);
    });
    if (!a || !b) return;
    const names = `'${a.id}' (${a.domain}) and '${b.id}' (${b.domain})`;
    if (a.id === b.id) {
      report(at, `a Wire instance never federates with itself: ${names}`, link.between, 'two different instances');
      return;
    }
    const key = [a.id, b.id].sort().join('|');
    if (seen.has(key)) report(at, `link between ${names} is declared twice`, link.between, 'each link once');
    seen.add(key);
    if (a.classification !== b.classification) {
      report(
        at,
        `federation only joins instances of equal classification: ${names} are ${a.classification} and ${b.classification}`,
        link.between,
        'two instances of the same classification',
      );
    }
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      if (!pillarMayFederateWith(x.pillar, zones.get(y.zone ?? '')?.kind)) {
        report(
          at,
          `Säule 1 '${x.id}' cannot federate with '${y.id}' outside the NdB zone (zone '${y.zone}')`,
          link.between,
          'instances in a zone of kind ndb',
        );
      }
      if (x.pillar === 2 && (y.pillar === 1 || y.pillar === 3)) {
        report(
          at,
          `Säule 2 '${x.id}' has no network path to Säule ${y.pillar} '${y.id}'`,
          link.between,
          'external backends in the internet zone',
        );
      }
    }
  });
}

/** The IP address a host field names (`198.51.100.9`, `fd00::1`, `[fd00::1]`), or undefined for a DNS name. */
function ipHost(host: string): string | undefined {
  const h = host.trim().replace(/^\[(.*)\]$/, '$1');
  return parseIp(h) ? h : undefined;
}

/**
 * The IP address a URL's host is, in the spelling the URL parser reads it (`http://3325256713/` and
 * `http://0xc6.51.100.9/` are 198.51.100.9), or undefined for a DNS name or text that is no URL.
 */
function urlIpHost(u: string): string | undefined {
  try {
    return ipHost(new URL(u).hostname);
  } catch {
    return undefined;
  }
}
