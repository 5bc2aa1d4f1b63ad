/** BWI's BundesMessenger chart (also the BwMessenger's), from openCode. Not in the offline mirror. */
import { BUNDESMESSENGER_IMAGES } from '../matrix/images';
import { LIFETIME, tileServerOutside } from '../../config/matrix-privacy';
import type { ChartDescriptor } from './descriptor';

export const BUNDESMESSENGER: ChartDescriptor = {
  chart: 'bundesmessenger',
  version: '1.16.0',
  repository: 'matrix',
  images: BUNDESMESSENGER_IMAGES,
  guard: { ingressClassPath: 'ingress.className' },
  // What our own NetworkPolicies of the namespace must let through; the chart's policies only add to them.
  flows: [
    {
      from: { zoneClient: true },
      to: { zoneIngress: true },
      port: 443,
      what: 'clients in the zone -> zone ingress 443',
    },
    { from: { zoneIngress: true }, to: { pod: 'synapse' }, port: 8008, what: 'zone ingress -> Synapse 8008' },
    {
      from: { pod: 'synapse' },
      to: { zoneClient: true },
      port: 5432,
      what: 'Synapse -> PostgreSQL 5432 (in the zone)',
    },
    {
      from: { pod: 'schadcodescanner' },
      to: { zoneClient: true },
      port: 443,
      what: 'virus scanner -> ClamAV mirror 443 (in the zone)',
    },
  ],
  valueContracts: (values) => {
    const out: string[] = [];
    for (const key of ['dataPrivacyUrl', 'imprintUrl']) {
      if (/^[a-z]+:\/\//i.test(String(values[key] ?? '')))
        out.push(`${key} '${String(values[key])}' has a scheme: the chart writes https://<value>`);
    }
    for (const m of list(at(values, 'schadcodescanner.freshclam.mirrors'))) {
      if (!/:\d+$/.test(String(m)))
        out.push(
          `schadcodescanner.freshclam.mirrors entry '${m}' has no port: the chart makes the text after its last ':' a NetworkPolicy port`,
        );
    }
    for (const e of list(at(values, 'networkpolicies.fwProxyList'))) {
      if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(String(e)))
        out.push(
          `networkpolicies.fwProxyList entry '${e}' is not an IPv4 network: the chart allows every port to the network before ':' anyway`,
        );
    }
    if (at(values, 'extraConfig.turn_shared_secret') !== undefined)
      out.push(
        'extraConfig.turn_shared_secret lands in the homeserver.yaml ConfigMap: mount the secret and use turn_shared_secret_path',
      );
    out.push(...privacyContractProblems(values));
    return out;
  },
};

/** The value at a dotted path of a values tree, undefined where the path breaks off. */
function at(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, key) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined),
      value,
    );
}

/** The items of a list value; nothing for anything else. */
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** A map value, or an empty one for anything else. */
const map = (v: unknown): Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * The privacy profile (config/matrix-privacy.ts) as the values must carry it, wherever the chart's default is weaker:
 * retention stated, the directory and profile lookups stated, location sharing off or with the agency's own tiles
 * (never the chart's default style, whose tiles come from a third party), no usage statistics, no key servers.
 * Whether a weaker value has its reason is the config's and DS-MATRIX-PRIVACY's concern.
 */
export function privacyContractProblems(values: unknown): string[] {
  const out: string[] = [];
  const x = map(at(values, 'extraConfig'));
  const lifetimeOrNull = (v: unknown) => v === null || LIFETIME.test(String(v));
  const r = x.retention;
  if (at(r, 'enabled') === true) {
    if (!LIFETIME.test(String(at(r, 'default_policy.max_lifetime'))))
      out.push('extraConfig.retention is on without default_policy.max_lifetime: messages are kept forever');
    const purgeJobs = at(r, 'purge_jobs');
    if (!Array.isArray(purgeJobs) || purgeJobs.length === 0)
      out.push('extraConfig.retention.purge_jobs is empty: nothing is deleted');
  } else if (at(r, 'enabled') !== false) {
    out.push('extraConfig.retention.enabled is not stated: the chart keeps messages forever');
  }
  for (const key of ['local_media_lifetime', 'remote_media_lifetime']) {
    const m = map(x.media_retention);
    if (!(key in m) || !lifetimeOrNull(m[key]))
      out.push(`extraConfig.media_retention.${key} is not stated as a lifetime (or null for kept forever)`);
  }
  if (typeof at(x, 'user_directory.search_all_users') !== 'boolean')
    out.push('extraConfig.user_directory.search_all_users is not stated: the chart lets everybody search everybody');
  if (x.require_auth_for_profile_requests !== true)
    out.push('extraConfig.require_auth_for_profile_requests is not true: profiles are readable without signing in');
  for (const key of [
    'limit_profile_requests_to_users_who_share_rooms',
    'include_profile_data_on_invite',
    'allow_profile_lookup_over_federation',
  ]) {
    if (typeof x[key] !== 'boolean') out.push(`extraConfig.${key} is not stated`);
  }
  if (at(values, 'config.reportStats') !== false)
    out.push('config.reportStats is not false: Synapse reports to matrix.org');
  const keyServers = at(values, 'config.trustedKeyServers');
  if (!Array.isArray(keyServers) || keyServers.length > 0)
    out.push('config.trustedKeyServers is not empty: Synapse asks a third-party key server');
  if (at(x, 'oembed.disable_default_providers') !== true)
    out.push("extraConfig.oembed.disable_default_providers is not true: Synapse asks third parties' oEmbed APIs");
  const ls = map(at(values, 'additionalConfig.locationSharing'));
  if (typeof ls.enabled !== 'boolean') {
    out.push(
      'additionalConfig.locationSharing.enabled is not stated: the chart shares locations with map tiles from a third party',
    );
  } else {
    const style = ls.map_style_config;
    // the chart serves map_style_config as style.json whenever it is set, and merges ours into its default
    if (style === undefined || (style !== null && at(style, 'sources.wms_topplus.tiles') === undefined))
      out.push(
        "additionalConfig.locationSharing.map_style_config keeps the chart's default style: its tiles come from a third party",
      );
    const urls = [
      ...(ls.map_style_url ? [String(ls.map_style_url)] : []),
      ...Object.values(map(at(style, 'sources'))).flatMap((src) => list(at(src, 'tiles')).map(String)),
    ];
    if (!ls.enabled && urls.length > 0)
      out.push(`additionalConfig.locationSharing is off but still names map tiles (${urls.join(', ')})`);
    if (ls.enabled && urls.length === 0)
      out.push('additionalConfig.locationSharing is on without the agency’s tile server');
    for (const u of urls) {
      const outside = /^https:\/\//.test(u)
        ? tileServerOutside(u, String(at(values, 'serverName') ?? ''))
        : 'not https';
      if (outside) out.push(`additionalConfig.locationSharing: '${u}': ${outside}`);
    }
  }
  return out;
}
