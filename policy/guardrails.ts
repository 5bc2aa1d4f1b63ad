/**
 * Guardrails of Säule 1 checked as present and intact, and the addresses the calling charts announce: what the
 * guard's units P1-QUOTA, P1-ADMISSION and P1-CALLING-IP (policy/rules/guard/) judge with.
 *
 * - Every Säule-1 namespace keeps its ResourceQuota with `services.loadbalancers` and `services.nodeports` at 0
 *   (the zone edge, the cluster's ingress-controller namespace, at most its one load balancer and two node ports).
 * - Every NdB cluster keeps the ValidatingAdmissionPolicy of `constructs/admission-guardrail.ts` intact (failure
 *   policy Fail, the Service/Pod/Ingress/Gateway API match, every CEL validation the construct writes for the zone)
 *   and a binding that enforces it (Deny) in every Säule-1 namespace and in unlabelled namespaces alike.
 * - sftd and coturn announce no address outside the NdB through their chart values (not only through the node
 *   annotation `wire.com/external-ip`, which P1-CALLING-IP checks as well).
 *
 * The default deny of every Säule-1 namespace is checked by P1-NETPOL (`defaultDenyNamespaces`).
 */
import { insideAny, parseIp } from '../config/cidr';
import { ndbAdmissionValidations, SYSTEM_NAMESPACES } from '../constructs/admission-guardrail';
import { Labels, NAMESPACE_NAME_LABEL } from '../constructs/labels';
import type { NetworkZone } from '../constructs/network-zone';
import type { ClusterFacts, Facts, ZoneFacts } from './facts';
import type { KubernetesObject, SynthesizedStack } from './k8s-objects';
import { field, items, lengthOf } from './synthesized-view';
import { entriesOf, labelsOf, metadataField } from './rules/guard/json';

/** A namespace, ResourceQuota or admission manifest the guardrail checks read, as the Kubernetes object it creates. */
export interface GuardrailResource {
  readonly stack: SynthesizedStack;
  /** Terraform address of the resource. */
  readonly address: string;
  readonly object: KubernetesObject;
  /** Provider alias, i.e. the cluster id. */
  readonly alias?: string;
}

/** A namespace the project creates that belongs to Säule 1. */
export interface Pillar1Namespace {
  readonly stack: SynthesizedStack;
  /** Terraform address of the namespace resource. */
  readonly address: string;
  /** Provider alias, i.e. the cluster id. */
  readonly alias: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly cluster?: ClusterFacts;
}

const pillar1Labels = (l: Readonly<Record<string, unknown>>) =>
  l[Labels.pillar] === '1' || l[Labels.zoneKind] === 'ndb';

/**
 * Säule-1 namespaces, judged as the guard judges any resource: declared through an NdB cluster's provider,
 * labelled pillar 1 / zone-kind ndb, or in a stack of an NdB cluster.
 */
export function pillar1Namespaces(resources: readonly GuardrailResource[], facts: Facts): Pillar1Namespace[] {
  const out: Pillar1Namespace[] = [];
  for (const r of resources) {
    const name = metadataField(r.object, 'name');
    if (r.object.kind !== 'Namespace' || !name) continue;
    const cluster = r.alias ? facts.clusters.get(r.alias) : undefined;
    const id = field(field(field(r.stack.json, 'locals'), 'zone_cluster'), 'id') ?? '';
    const own = typeof id === 'string' ? facts.clusters.get(id) : undefined;
    const labels = labelsOf(metadataField(r.object, 'labels') ?? {});
    if (cluster?.zone.kind === 'ndb' || pillar1Labels(labels) || own?.zone.kind === 'ndb') {
      out.push({ stack: r.stack, address: r.address, alias: r.alias ?? '', name: String(name), labels, cluster });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// ResourceQuota

/**
 * What the zone edge (the cluster's ingress-controller namespace, labelled zone-edge) may own: its one load
 * balancer in the zone's class and the two node ports Kubernetes counts for it (`stacks/platform-stack.ts`).
 * Every other Säule-1 namespace: none.
 */
export const EDGE_SERVICE_LIMITS = { 'services.loadbalancers': 1, 'services.nodeports': 2 } as const;
/** The quota limits that keep Services of type LoadBalancer and NodePort out of a namespace. */
export const SERVICE_LIMITS = ['services.loadbalancers', 'services.nodeports'] as const;

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity as a number (`0`, `2`, `1k`, `500m`), or undefined when it cannot be read. */
export function quantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?\s*$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'm' ? n / 1000 : n * SUFFIX[m[2] ?? ''];
}

// ---------------------------------------------------------------------------------------------------------------
// ValidatingAdmissionPolicy and binding

interface RequiredMatch {
  readonly group: string;
  /** `*`: the rule must name all versions (the Gateway API serves several). */
  readonly version: string;
  readonly resources: readonly string[];
}

/** What the policy must match (CREATE and UPDATE each): the kinds its validations judge. */
export const REQUIRED_MATCH: readonly RequiredMatch[] = [
  { group: '', version: 'v1', resources: ['services', 'pods'] },
  { group: 'networking.k8s.io', version: 'v1', resources: ['ingresses'] },
  {
    group: 'gateway.networking.k8s.io',
    version: '*',
    resources: ['gateways', 'httproutes', 'grpcroutes', 'tcproutes', 'udproutes', 'tlsroutes'],
  },
];
const OPERATIONS = ['CREATE', 'UPDATE'];

const has = (list: unknown, item: string) => Array.isArray(list) && (list.includes(item) || list.includes('*'));

/** The required matches that no rule covers, as `group/version resource OPERATION`. */
function uncovered(rules: unknown): string[] {
  const list: readonly unknown[] = Array.isArray(rules) ? rules : [];
  const missing: string[] = [];
  for (const m of REQUIRED_MATCH) {
    for (const resource of m.resources) {
      for (const op of OPERATIONS) {
        const ok = list.some((r) => {
          const versions = field(r, 'apiVersions');
          const scope = field(r, 'scope');
          return (
            has(field(r, 'apiGroups'), m.group) &&
            (m.version === '*' ? Array.isArray(versions) && versions.includes('*') : has(versions, m.version)) &&
            has(field(r, 'resources'), resource) &&
            has(field(r, 'operations'), op) &&
            (scope === undefined || scope === '*' || scope === 'Namespaced')
          );
        });
        if (!ok) missing.push(`${m.group || 'core'}/${m.version} ${resource} ${op}`);
      }
    }
  }
  return missing;
}

const emptySelector = (s: unknown) =>
  s === undefined ||
  s === null ||
  (Object.keys(field(s, 'matchLabels') ?? {}).length === 0 && !lengthOf(field(s, 'matchExpressions')));

/** Kubernetes label selector semantics (matchLabels and matchExpressions, all ANDed). */
export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined || selector === null) return true;
  for (const [k, v] of entriesOf(field(selector, 'matchLabels'))) if (labels[k] !== v) return false;
  for (const e of items(field(selector, 'matchExpressions'))) {
    const key = field(e, 'key');
    const operator = field(e, 'operator');
    const present = Object.prototype.hasOwnProperty.call(labels, String(key));
    const label = present ? labels[String(key)] : undefined;
    const values = items(field(e, 'values'));
    const ok =
      operator === 'In'
        ? present && values.includes(label)
        : operator === 'NotIn'
          ? !present || !values.includes(label)
          : operator === 'Exists'
            ? present
            : operator === 'DoesNotExist'
              ? !present
              : false;
    if (!ok) return false;
  }
  return true;
}

const normalize = (expression: string) => expression.replace(/\s+/g, ' ').trim();

/** The CEL validations the construct writes for this cluster's zone and calling pool. */
function expectedValidations(cluster: ClusterFacts) {
  const zone = cluster.zone;
  // ndbAdmissionValidations reads the zone's classes and networks only
  const zoneLike = {
    zoneId: zone.id,
    kind: zone.kind,
    cidrs: zone.cidrs,
    networks: zone.networks,
    ingressClass: zone.ingressClass,
    loadBalancerClass: zone.loadBalancerClass,
  } as unknown as NetworkZone;
  const calling = cluster.nodePools.find((p) => p.purpose === 'calling')?.nodeSelector;
  return ndbAdmissionValidations(zoneLike, calling);
}

/** Why a ValidatingAdmissionPolicy does not (fully) keep Säule 1 closed; empty when intact. */
export function policyProblems(obj: unknown, cluster: ClusterFacts): string[] {
  const spec = field(obj, 'spec') ?? {};
  const problems: string[] = [];
  const failurePolicy = field(spec, 'failurePolicy');
  if (failurePolicy !== undefined && failurePolicy !== 'Fail')
    problems.push(`failurePolicy is ${failurePolicy}, not Fail (an error in a validation would admit)`);
  if (field(spec, 'paramKind'))
    problems.push('paramKind is set (a binding without parameters may skip the validations)');
  if (lengthOf(field(spec, 'matchConditions')))
    problems.push('matchConditions narrow which requests the validations see');
  const mc = field(spec, 'matchConstraints');
  if (!mc) {
    problems.push('matchConstraints are missing, so it matches nothing');
  } else {
    const missing = uncovered(field(mc, 'resourceRules'));
    if (missing.length) problems.push(`matchConstraints do not cover ${missing.join(', ')}`);
    if (lengthOf(field(mc, 'excludeResourceRules')))
      problems.push('matchConstraints.excludeResourceRules exempt resources');
    if (!emptySelector(field(mc, 'namespaceSelector')))
      problems.push('matchConstraints.namespaceSelector narrows the namespaces');
    if (!emptySelector(field(mc, 'objectSelector')))
      problems.push('matchConstraints.objectSelector narrows the objects');
  }
  const validations = field(spec, 'validations');
  const have = new Set(
    (Array.isArray(validations) ? validations : []).map((v: unknown) =>
      normalize(String(field(v, 'expression') ?? '')),
    ),
  );
  for (const v of expectedValidations(cluster)) {
    if (!have.has(normalize(v.expression))) problems.push(`validation missing or altered: "${v.message}"`);
  }
  return problems;
}

/** Namespaces a binding must reach on the cluster: its Säule-1 namespaces, and one that carries no labels at all. */
function probeNamespaces(namespaces: readonly Pillar1Namespace[]) {
  const probes = namespaces.map((n) => ({ name: n.name, labels: { ...n.labels, [NAMESPACE_NAME_LABEL]: n.name } }));
  // an unlabelled namespace (created by hand or by a chart) must not escape either
  const unlabelled = 'default';
  if (!(SYSTEM_NAMESPACES as readonly string[]).includes(unlabelled))
    probes.push({ name: `${unlabelled} (unlabelled)`, labels: { [NAMESPACE_NAME_LABEL]: unlabelled } });
  return probes;
}

/** Why a binding does not enforce a policy in every Säule-1 namespace; empty when intact. */
export function bindingProblems(obj: unknown, namespaces: readonly Pillar1Namespace[]): string[] {
  const spec = field(obj, 'spec') ?? {};
  const problems: string[] = [];
  const validationActions = field(spec, 'validationActions');
  const actions: readonly unknown[] = Array.isArray(validationActions) ? validationActions : [];
  if (!actions.includes('Deny'))
    problems.push(`validationActions are [${actions.join(', ')}], without Deny (violations would be admitted)`);
  if (field(spec, 'paramRef')) problems.push('paramRef is set (missing parameters may skip the policy)');
  const mr = field(spec, 'matchResources') ?? {};
  if (!emptySelector(field(mr, 'objectSelector'))) problems.push('matchResources.objectSelector narrows the objects');
  if (lengthOf(field(mr, 'excludeResourceRules')))
    problems.push('matchResources.excludeResourceRules exempt resources');
  if (lengthOf(field(mr, 'resourceRules'))) {
    const missing = uncovered(field(mr, 'resourceRules'));
    if (missing.length) problems.push(`matchResources.resourceRules do not cover ${missing.join(', ')}`);
  }
  const missed = probeNamespaces(namespaces)
    .filter((n) => !selects(field(mr, 'namespaceSelector'), n.labels))
    .map((n) => n.name);
  if (missed.length) problems.push(`its namespaceSelector leaves out ${missed.join(', ')}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Addresses sftd and coturn announce through their values

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
export const CALLING_ADDRESS_VALUES: Readonly<
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
export const COTURN_PLACEHOLDERS: readonly string[] = ['__COTURN_EXT_IP__', '__COTURN_HOST_IP__', '__COTURN_POD_IP__'];

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

/** Every IPv4 or IPv6 address written somewhere in a text. */
export function addressesIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])/g)) if (parseIp(m[0])) found.push(m[0]);
  for (const m of text.matchAll(/(?<![\w:])[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}(?:\d{1,3}(?:\.\d{1,3}){3})?/g)) {
    if (m[0].includes(':') && parseIp(m[0])) found.push(m[0]);
  }
  return [...new Set(found)];
}

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
          for (const a of addressesIn(t)) if (!insideAny(zone.networks, a)) problems.push(outside(a));
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
export function callingAddressProblems(
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
      for (const a of addressesIn(v))
        if (!insideAny(zone.networks, a))
          out.push(`${chart}: ${path} names ${a}, outside the NdB (${zone.cidrs.join(', ')})`);
  };
  if (SCAN_ALL_VALUES.has(chart)) walk(values, '');
  return out;
}
