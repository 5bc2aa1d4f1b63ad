/**
 * P1-CALLING-IP: the calling nodes and charts announce no address outside the NdB: the node annotation
 * `wire.com/external-ip` (the only patch Säule 1 may carry), and every address sftd, coturn and brig take through
 * their values ({@link callingAddressProblems}).
 */
import { insideAny, parseIp } from '../../../config/cidr';
import { AnnotationKeys } from '../../../constructs/facts';
import type { ZoneFacts } from '../../facts';
import { field } from '../../synthesized-view';
import { ipAddressesIn } from './addresses';
import type { PatchSite } from './context';
import { metadataField } from './json';
import type { GuardRule } from './rule';
import { flag } from './scope';

/**
 * - `ip`: an address (coturn's `a` or `public/private` form), or one of coturn's per-node placeholders.
 * - `host`: a DNS name or an address. - `url`: a URL whose host is one. - `turn`: a TURN/STUN URI whose host is one.
 * - `args`: command-line arguments appended to sftd's own.
 */
type AddressForm = 'ip' | 'host' | 'url' | 'turn' | 'args';

/**
 * Values through which the calling charts take an address, read from the templates of the pinned versions:
 * sftd 0.135.0 (wireapp/wire-avs-service `charts/sftd`, whose default values are `sftd-0.135.0.keys`):
 * `exec sftd -I $POD_IP -M $POD_IP -A <node address> -t <multiSFT.turnServerURI> -u https://<host>/sfts/<pod>
 * <additionalCmdArgs>`, the join-call Ingress for `host` with CORS `allowOrigin`, and `curl
 * <multiSFT.turnDiscoveryURL>`. coturn (wireapp/wire-server `charts/coturn`): `listening-ip`, `relay-ip`,
 * `external-ip`, `prometheus-ip`, `federation-listening-ip` in turnserver.conf, with the per-node placeholders
 * replaced by the node's address (`wire.com/external-ip`), host IP and pod IP; `federation-remote-whitelist`.
 */
const CALLING_ADDRESS_VALUES: Readonly<
  Record<string, ReadonlyArray<{ readonly path: string; readonly form: AddressForm; readonly what: string }>>
> = {
  sftd: [
    { path: 'host', form: 'host', what: "sftd's URL (-u https://<host>/sfts/<pod>) and its Ingress host" },
    { path: 'allowOrigin', form: 'url', what: 'the origin sftd accepts calls from' },
    { path: 'multiSFT.turnServerURI', form: 'turn', what: 'the TURN server sftd relays through (-t)' },
    { path: 'multiSFT.turnDiscoveryURL', form: 'url', what: 'where sftd fetches its TURN server' },
    { path: 'additionalCmdArgs', form: 'args', what: "arguments appended to sftd's command line" },
  ],
  coturn: [
    { path: 'coturnTurnExternalIP', form: 'ip', what: 'external-ip, the address coturn announces' },
    { path: 'coturnTurnListenIP', form: 'ip', what: 'listening-ip' },
    { path: 'coturnTurnRelayIP', form: 'ip', what: 'relay-ip' },
    { path: 'coturnPrometheusIP', form: 'ip', what: 'prometheus-ip' },
    { path: 'coturnFederationListeningIP', form: 'ip', what: 'federation-listening-ip' },
    { path: 'federate.dtls.remoteWhitelist[].host', form: 'host', what: 'a coturn federation peer' },
  ],
  // brig hands the calling servers to the clients (wire-server 5.32.0: brig/conf/_turn-servers*.txt.tpl, configmap)
  'wire-server': [
    { path: 'brig.turnStatic.v1[]', form: 'turn', what: 'a TURN server brig hands to clients' },
    { path: 'brig.turnStatic.v2[]', form: 'turn', what: 'a TURN server brig hands to clients' },
    { path: 'brig.turn.baseDomain', form: 'host', what: 'where brig looks up TURN servers' },
    { path: 'brig.config.optSettings.setSftStaticUrl', form: 'url', what: 'the SFT brig hands to clients' },
  ],
};

/** Charts whose every value is searched for addresses (the calling charts, which run on the host network). */
const SCAN_ALL_VALUES = new Set(['sftd', 'coturn']);

/** coturn replaces these per node: the node's announced address (annotation), its host IP, the pod IP. */
const COTURN_PLACEHOLDERS: readonly string[] = ['__COTURN_EXT_IP__', '__COTURN_HOST_IP__', '__COTURN_POD_IP__'];

/** sftd options that take an address or URL (from the chart's command line). */
const SFTD_ADDRESS_OPTIONS: Readonly<Record<string, AddressForm>> = {
  '-A': 'ip',
  '-I': 'ip',
  '-M': 'ip',
  '-u': 'url',
  '-t': 'turn',
};

const DNS_NAME =
  /^(?=.{1,253}\.?$)[a-zA-Z0-9](?:[-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*\.?$/;
const SHELL_SYNTAX = /[`$;&|<>(){}\\'"\n\r]/;

/** Values of a (possibly `a.b[].c`) path, with their concrete paths. */
function valuesAt(values: unknown, path: string): Array<[string, unknown]> {
  let cur: Array<[string, unknown]> = [['', values]];
  for (const part of path.split('.')) {
    const list = part.endsWith('[]');
    const key = list ? part.slice(0, -2) : part;
    const next: Array<[string, unknown]> = [];
    for (const [p, v] of cur) {
      if (v === null || typeof v !== 'object' || !(key in v)) continue;
      const here = p ? `${p}.${key}` : key;
      const item = field(v, key);
      if (list) {
        if (Array.isArray(item)) item.forEach((x: unknown, i: number) => next.push([`${here}[${i}]`, x]));
      } else {
        next.push([here, item]);
      }
    }
    cur = next;
  }
  return cur.filter(([, v]) => v !== undefined && v !== null && v !== '');
}

/** Problems of one address value in the given form; an empty list when it stays inside the NdB. */
function addressProblems(value: string, form: AddressForm, zone: ZoneFacts, placeholders: boolean): string[] {
  const outside = (a: string) => `${a}, outside the NdB (${zone.cidrs.join(', ')})`;
  const host = (h: string): string[] => {
    const bare = h.replace(/^\[(.*)\]$/, '$1');
    if (parseIp(bare)) return insideAny(zone.networks, bare) ? [] : [outside(bare)];
    return DNS_NAME.test(h) ? [] : [`'${h}', which is neither a DNS name nor an address`];
  };
  switch (form) {
    case 'ip':
      // coturn's external-ip may map `public/private`
      return value.split('/').flatMap((part) => {
        const a = part.trim();
        if (placeholders && COTURN_PLACEHOLDERS.includes(a)) return [];
        if (!parseIp(a)) return [`'${a}', which is not an address the guard can check`];
        return insideAny(zone.networks, a) ? [] : [outside(a)];
      });
    case 'host':
      return host(value);
    case 'url': {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return [`'${value}', which is not a URL`];
      }
      return host(url.hostname);
    }
    case 'turn': {
      const m = /^(?:turns?|stuns?):(\[[^\]]+\]|[^:?/[\]]+)(?::\d{1,5})?(?:\?[\w=&-]*)?$/.exec(value);
      if (m) return host(m[1]);
      // an unbracketed IPv6 address, with or without a port
      const v6 = /^(?:turns?|stuns?):([0-9a-fA-F:.]+?)(?::(\d{1,5}))?(?:\?[\w=&-]*)?$/.exec(value);
      const a = v6 && [v6[1], `${v6[1]}:${v6[2]}`].find((x) => parseIp(x)?.family === 6);
      return a ? host(a) : [`'${value}', which is not a TURN URI the guard can check`];
    }
    case 'args': {
      if (SHELL_SYNTAX.test(value)) return [`'${value}', shell syntax the guard cannot follow`];
      const tokens = value.split(/\s+/).filter(Boolean);
      const problems: string[] = [];
      tokens.forEach((t, i) => {
        const f = SFTD_ADDRESS_OPTIONS[t];
        if (f) {
          const next = tokens[i + 1];
          if (next === undefined) problems.push(`option ${t} without a value`);
          else problems.push(...addressProblems(next, f, zone, false).map((p) => `${t} ${p}`));
        } else if (!SFTD_ADDRESS_OPTIONS[tokens[i - 1]]) {
          for (const a of ipAddressesIn(t)) if (!insideAny(zone.networks, a)) problems.push(outside(a));
        }
      });
      return problems;
    }
  }
}

const listPath = (p: string) => p.replace(/\[\d+\]/g, '[]');

/**
 * Addresses the calling charts (sftd, coturn) would announce or use through their values, `set` included: each
 * must lie inside the NdB (coturn's per-node placeholders stand for the node annotation checked elsewhere). Any
 * other value of these charts that names an address outside the NdB is flagged too. For wire-server: the TURN and
 * SFT addresses brig hands to clients. Empty for other charts.
 */
function callingAddressProblems(
  chart: string,
  values: unknown,
  sensitivePaths: readonly string[],
  zone: ZoneFacts,
): string[] {
  const known = CALLING_ADDRESS_VALUES[chart];
  if (!known) return [];
  const out: string[] = [];
  const checked = new Set<string>();
  for (const k of known) {
    for (const [path, v] of valuesAt(values, k.path)) {
      checked.add(path);
      if (typeof v === 'object') {
        out.push(`${chart}: ${path} (${k.what}) is not a single value the guard can check`);
        continue;
      }
      for (const p of addressProblems(String(v), k.form, zone, chart === 'coturn'))
        out.push(`${chart}: ${path} (${k.what}) is ${p}`);
    }
  }
  for (const p of sensitivePaths) {
    if (known.some((k) => k.path === listPath(p)))
      out.push(`${chart}: ${p} is set through set_sensitive, so the guard cannot check the address`);
  }
  const walk = (v: unknown, path: string): void => {
    if (checked.has(path)) return;
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v !== null && typeof v === 'object')
      for (const [key, x] of Object.entries(v)) walk(x, path ? `${path}.${key}` : key);
    else if (typeof v === 'string')
      for (const a of ipAddressesIn(v))
        if (!insideAny(zone.networks, a))
          out.push(`${chart}: ${path} names ${a}, outside the NdB (${zone.cidrs.join(', ')})`);
  };
  if (SCAN_ALL_VALUES.has(chart)) walk(values, '');
  return out;
}

/** The patch entry is a calling node's announced address (any other patch is P1-PATCH). */
export const announcesAddress = (site: PatchSite, key: string): boolean =>
  site.type === 'kubernetes_annotations' && site.kind === 'Node' && key === AnnotationKeys.externalIp;

export const callingIpRule: GuardRule<'P1-CALLING-IP'> = {
  id: 'P1-CALLING-IP',
  level: 'error',
  unsuppressible: true,
  explanation:
    'a calling node announces an IP outside the NdB (node annotation, or an address in the sftd/coturn values)',
  *check({ patches, releases, insideNdb }) {
    for (const site of patches) {
      const zone = site.scope.zone;
      for (const [i, [key, value]] of site.entries.entries()) {
        if (announcesAddress(site, key) && !insideNdb(zone, String(value)))
          yield flag(
            site.scope,
            `node '${metadataField(site.body, 'name')}' announces ${value}, outside the NdB (${zone.cidrs.join(', ')})`,
            1,
            i,
          );
      }
    }
    for (const { scope, chart, known, values } of releases) {
      if (!known || !('values' in values)) continue;
      for (const p of callingAddressProblems(chart, values.values, values.sensitivePaths, scope.zone))
        yield flag(scope, p, 5);
    }
  },
};
