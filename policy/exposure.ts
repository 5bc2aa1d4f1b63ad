/**
 * The synth-time guard: nothing of Säule 1 (anything on an NdB cluster, or labelled pillar 1 / zone-kind ndb) is
 * reachable from outside the NdB. It reads only the synthesized Terraform JSON, so escape hatches and
 * `addOverride` are seen as what they produce.
 */
import { cidrsOverlap, coversPublicInternet, insideAny, parseAddressOrCidr, readingSuffix } from '../config/cidr';
import { CHARTS } from '../constructs/charts';
import {
  collectFacts,
  defaultDenyNamespaces,
  providerAlias,
  type ClusterFacts,
  type ExpectedFacts,
  type Facts,
  type ZoneFacts,
} from './facts';
import { chartName, goTruthy, releaseValues, terraformText } from './helm-values';
import { callingAddressProblems, guardrailFindings, renderedGuardrailProblems } from './guardrails';
import {
  literalJson,
  liveTemplates,
  toKubernetesObject,
  type KubernetesObject,
  type SynthesizedStack,
} from './k8s-objects';

export const EXPOSURE_RULES = {
  'P1-ZONE': 'deployed through the providers of a cluster whose zone is not the NdB (or of an unknown cluster)',
  'P1-SERVICE':
    'a Service reachable from outside the NdB (NodePort, foreign load balancer, external IPs, ExternalName)',
  'P1-INGRESS': "an Ingress or Gateway API object outside the NdB zone's ingress class",
  'P1-HOSTNET': 'a pod on the host network or with a host port, outside the calling pool',
  'P1-NETPOL':
    'a NetworkPolicy that admits traffic from or sends it to outside the NdB, or a namespace without default deny',
  'P1-HELM': 'a Helm release whose values expose it, or a chart the guard does not know',
  'P1-CALLING-IP':
    'a calling node announces an IP outside the NdB (node annotation, or an address in the sftd/coturn values)',
  'P1-FEDERATION': 'a federation link or DNS entry to an instance outside the NdB',
  'P1-PATCH': 'a label or annotation patch that changes the guardrails or the exposure of an existing object',
  'P1-QUOTA':
    'a Säule-1 namespace without its ResourceQuota of zero load balancers and node ports, or with a limit raised',
  'P1-ADMISSION': 'an NdB cluster whose admission policy or binding is missing or weakened',
  'P1-TERRAFORM':
    'Terraform the guard does not evaluate: count, for_each, dynamic, provisioners, lifecycle, a Helm postrender, a resource type this app never writes, or a live template outside the known forms',
} as const;

export type ExposureRule = keyof typeof EXPOSURE_RULES;

export interface Finding {
  readonly stack: string;
  /** Terraform resource address `type.name` (or `locals.name`). */
  readonly address: string;
  readonly rule: ExposureRule;
  readonly message: string;
}

export function formatFinding(f: Finding): string {
  return `${f.stack} ${f.address} [${f.rule}] ${f.message}`;
}

const POD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);
const GATEWAY_KINDS = new Set(['Gateway', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'UDPRoute', 'TLSRoute']);
const CLUSTER_LOCAL = /\.svc\.cluster\.local\.?$/;

/**
 * Charts the guard knows how to read, and the values path that must carry the zone's ingress class: from the chart
 * descriptors (`constructs/charts/`).
 */
export const KNOWN_CHARTS: Readonly<Record<string, { ingressClassPath?: string; calling?: boolean }>> =
  Object.fromEntries(Object.values(CHARTS).map((d) => [d.chart, d.guard]));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Scope {
  readonly stack: SynthesizedStack;
  readonly address: string;
  readonly cluster?: ClusterFacts;
  /** The NdB zone this resource must stay in. */
  readonly zone: ZoneFacts;
  readonly namespace?: string;
  readonly namespaceLabels: Record<string, string>;
}

/** A string of the Terraform JSON as the literal text Terraform hands over (`$${` is `${`). */
const lit = (v: unknown): Json => (typeof v === 'string' ? terraformText(v) : v);

function getPath(obj: Json, path: string): Json {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

/** Value paths that decide exposure; set through set_sensitive they cannot be checked. */
const EXPOSURE_PATH =
  /(^|\.)(service|hostNetwork|hostPort|ingress|ingressClass|ingressClassName|className|loadBalancer\w*|externalIPs|setFederation\w*|federation_domain_whitelist|networkpolicies)(\.|\[|$)/;

/**
 * The IP addresses (and CIDRs) a free-form text names, e.g. an annotation value such as
 * `metallb.universe.tf/loadBalancerIPs: 198.51.100.7,10.64.0.9` or `[2001:db8::1]:443`: every token that reads as
 * an address or CIDR, and every dotted IPv4 address inside a token (`10.64.0.1:80`).
 */
export function addressesIn(text: string): string[] {
  const out = new Set<string>();
  for (const token of text.split(/[\s,;"'[\]{}()=|<>]+/)) {
    if (!token) continue;
    if (parseAddressOrCidr(token)) {
      out.add(token);
      continue;
    }
    for (const m of token.matchAll(/(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,3})?(?![\d.])/g))
      if (parseAddressOrCidr(m[0])) out.add(m[0]);
  }
  return [...out];
}

function sameSelector(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export class ExposureGuard {
  private readonly facts: Facts;
  private readonly findings: Finding[] = [];
  /** The stacks with the references the guard can follow resolved ({@link resolveReferences}). */
  private readonly stacks: readonly SynthesizedStack[];

  constructor(
    private readonly raw: readonly SynthesizedStack[],
    private readonly expected?: ExpectedFacts,
  ) {
    this.stacks = resolveReferences(raw);
    this.facts = collectFacts(this.stacks, expected);
  }

  run(): Finding[] {
    const byName = new Map(this.stacks.map((s) => [s.name, s]));
    // Terraform the guard would otherwise read as plain values (all stacks: any of them can reach the NdB)
    for (const stack of this.raw)
      for (const t of terraformProblems(stack)) this.flag({ stack, address: t.address }, 'P1-TERRAFORM', t.message);
    for (const p of this.facts.problems) {
      const stack = byName.get(p.stack);
      if (stack) this.flag({ stack, address: p.address }, 'P1-ZONE', p.message);
    }
    for (const stack of this.stacks) this.checkStack(stack);
    this.checkDefaultDeny();
    // quota, admission policy and binding of every Säule-1 namespace (policy/guardrails.ts)
    for (const f of guardrailFindings(this.stacks, this.facts)) this.flag(f, f.rule, f.message);
    return this.findings;
  }

  private flag(scope: { stack: SynthesizedStack; address: string }, rule: ExposureRule, message: string): void {
    this.findings.push({ stack: scope.stack.name, address: scope.address, rule, message });
  }

  /**
   * Every address `addressOrCidr` reaches, in any spelling (IPv4-mapped, NAT64, 6to4), lies inside the NdB zone's
   * declared networks, and none belongs to another zone or to the internet at large: zone facts widened to
   * `::ffff:0:0/96` or `0.0.0.0/1` admit nothing more than before.
   */
  private insideNdb(zone: ZoneFacts, addressOrCidr: string): boolean {
    const net = parseAddressOrCidr(String(addressOrCidr));
    if (!net || !insideAny(zone.networks, net.text) || coversPublicInternet([net])) return false;
    const others = [...this.facts.clusters.values()].map((c) => c.zone).filter((z) => z.id !== zone.id);
    return !others.some((z) => z.networks.some((m) => cidrsOverlap(net, m)));
  }

  private isPillar1Namespace(labels: Record<string, string>): boolean {
    return labels['messenger.bund/pillar'] === '1' || labels['messenger.bund/zone-kind'] === 'ndb';
  }

  /** The scope of a resource when it belongs to Säule 1, else undefined. */
  private scopeOf(
    stack: SynthesizedStack,
    address: string,
    body: Json,
    namespace: string | undefined,
    labels: Record<string, string>,
  ): Scope | undefined {
    const alias = providerAlias(body.provider);
    const cluster = alias ? this.facts.clusters.get(alias) : undefined;
    const nsLabels = (alias && namespace && this.facts.namespaces.get(`${alias}/${namespace}`)) || {};
    const pillar1 =
      cluster?.zone.kind === 'ndb' ||
      this.isPillar1Namespace(nsLabels) ||
      this.isPillar1Namespace(labels) ||
      this.stackLooksPillar1(stack);
    if (!pillar1) return undefined;
    const zone = cluster?.zone.kind === 'ndb' ? cluster.zone : this.facts.ndb;
    const scope = { stack, address, cluster, namespace, namespaceLabels: nsLabels, zone: zone as ZoneFacts };
    if (!cluster || cluster.zone.kind !== 'ndb') {
      this.flag(
        scope,
        'P1-ZONE',
        cluster
          ? `Säule-1 resource deployed through the providers of cluster '${cluster.id}' in zone '${cluster.zone.id}' (${cluster.zone.kind})`
          : `Säule-1 resource deployed through provider '${body.provider ?? '(default)'}', which belongs to no known NdB cluster`,
      );
    }
    return zone ? scope : undefined;
  }

  private stackLooksPillar1(stack: SynthesizedStack): boolean {
    const c = stack.json.locals?.zone_cluster;
    return !!c && this.facts.clusters.get(c.id)?.zone.kind === 'ndb';
  }

  private checkStack(stack: SynthesizedStack): void {
    const resources = stack.json.resource ?? {};
    for (const [type, byName] of Object.entries(resources) as Array<[string, Record<string, Json>]>) {
      for (const [name, body] of Object.entries(byName)) {
        const address = `${type}.${name}`;
        if (type === 'helm_release') {
          this.checkRelease(stack, address, body);
        } else if (type === 'kubernetes_annotations' || type === 'kubernetes_labels') {
          this.checkPatch(stack, address, type, body);
        } else if (type.startsWith('kubernetes_')) {
          const obj = toKubernetesObject(type, body);
          if (!obj) {
            const scope = this.scopeOf(
              stack,
              address,
              body,
              lit(body.metadata?.namespace),
              literalJson(body.metadata?.labels ?? {}),
            );
            if (scope) this.flag(scope, 'P1-HELM', `resource type ${type} is not known to the guard`);
            continue;
          }
          const ns = obj.kind === 'Namespace' ? obj.metadata.name : obj.metadata?.namespace;
          const scope = this.scopeOf(stack, address, body, ns, obj.metadata?.labels ?? {});
          if (scope) this.checkObject(scope, obj);
        }
      }
    }
    this.checkFederation(stack);
  }

  /**
   * Checks the objects a chart rendered for a release with the same rules as the objects we declare ourselves.
   * Each finding's address is `helm_release.<name> <Kind>/<namespace>/<name>`.
   */
  checkRendered(stack: SynthesizedStack, address: string, body: Json, objects: readonly KubernetesObject[]): Finding[] {
    const before = this.findings.length;
    const known = KNOWN_CHARTS[chartName(body.chart)];
    for (const obj of objects) {
      const ns = obj.kind === 'Namespace' ? obj.metadata.name : (obj.metadata.namespace ?? lit(body.namespace));
      const scope = this.scopeOf(
        stack,
        `${address} ${obj.kind}/${ns ?? ''}/${obj.metadata.name ?? ''}`,
        body,
        ns,
        obj.metadata.labels ?? {},
      );
      if (!scope) continue;
      // sftd and coturn may use the host network, but only on the calling pool of a calling namespace
      const pool = scope.cluster?.nodePools.find((p) => p.purpose === 'calling');
      const podSpec = (obj as Json).spec?.template?.spec;
      const onCallingPool =
        !!known?.calling &&
        !!pool &&
        scope.namespaceLabels['messenger.bund/service'] === 'wire-calling' &&
        sameSelector(podSpec?.nodeSelector, pool.nodeSelector);
      this.checkObject(scope, obj, onCallingPool);
      for (const p of renderedGuardrailProblems(obj)) this.flag(scope, p.rule, p.message);
    }
    return this.findings.slice(before);
  }

  private checkObject(scope: Scope, obj: KubernetesObject, hostNetworkAllowed = false): void {
    const spec = (obj as Json).spec ?? {};
    const zone = scope.zone;
    if (obj.kind === 'Service') {
      const type = spec.type ?? 'ClusterIP';
      if (type === 'NodePort') this.flag(scope, 'P1-SERVICE', 'Service of type NodePort opens a port on every node');
      if (type === 'LoadBalancer' && spec.loadBalancerClass !== zone.loadBalancerClass) {
        this.flag(
          scope,
          'P1-SERVICE',
          `Service of type LoadBalancer with class '${spec.loadBalancerClass ?? '(none)'}', not the NdB class '${zone.loadBalancerClass}'`,
        );
      }
      for (const ip of spec.externalIPs ?? []) {
        if (!this.insideNdb(zone, ip)) this.flag(scope, 'P1-SERVICE', `externalIPs ${ip} lies outside the NdB`);
      }
      for (const r of spec.loadBalancerSourceRanges ?? []) {
        if (!this.insideNdb(zone, r))
          this.flag(scope, 'P1-SERVICE', `loadBalancerSourceRanges ${r} reaches outside the NdB`);
      }
      // a requested load-balancer address: the field, and the annotations load-balancer implementations read
      // (metallb.universe.tf/loadBalancerIPs, metallb.io/loadBalancerIPs, kube-vip.io/loadbalancerIPs, ...)
      for (const field of ['loadBalancerIP', 'loadBalancerIp'] as const) {
        const ip = spec[field];
        if (ip !== undefined && ip !== null && ip !== '' && !this.insideNdb(zone, String(ip)))
          this.flag(scope, 'P1-SERVICE', `loadBalancerIP ${ip} lies outside the NdB`);
      }
      for (const [key, value] of Object.entries(obj.metadata.annotations ?? {})) {
        for (const ip of addressesIn(String(value)))
          if (!this.insideNdb(zone, ip))
            this.flag(scope, 'P1-SERVICE', `annotation ${key} requests ${ip}, outside the NdB`);
      }
      if (type === 'ExternalName' && !CLUSTER_LOCAL.test(spec.externalName ?? '')) {
        this.flag(scope, 'P1-SERVICE', `ExternalName ${spec.externalName} points outside the cluster`);
      }
    } else if (obj.kind === 'Ingress') {
      const cls = spec.ingressClassName ?? obj.metadata.annotations?.['kubernetes.io/ingress.class'];
      if (cls !== zone.ingressClass) {
        this.flag(
          scope,
          'P1-INGRESS',
          `Ingress with class '${cls ?? '(default class)'}', not the NdB class '${zone.ingressClass}'`,
        );
      }
    } else if (GATEWAY_KINDS.has(obj.kind)) {
      if (obj.kind !== 'Gateway' || spec.gatewayClassName !== zone.ingressClass) {
        this.flag(scope, 'P1-INGRESS', `Gateway API ${obj.kind} attaches to a gateway class outside the NdB zone`);
      }
    } else if (POD_KINDS.has(obj.kind)) {
      const podSpec =
        obj.kind === 'Pod'
          ? spec
          : obj.kind === 'CronJob'
            ? spec.jobTemplate?.spec?.template?.spec
            : spec.template?.spec;
      if (!hostNetworkAllowed) this.checkPodSpec(scope, podSpec ?? {});
    } else if (obj.kind === 'NetworkPolicy') {
      this.checkNetworkPolicy(scope, spec);
    }
  }

  /** Pods the project defines itself never use the host network; only the sftd and coturn releases may. */
  private checkPodSpec(scope: Scope, podSpec: Json): void {
    if (podSpec.hostNetwork === true)
      this.flag(
        scope,
        'P1-HOSTNET',
        'pod uses hostNetwork (only the sftd and coturn releases may, on the calling pool)',
      );
    const containers = [...(podSpec.containers ?? []), ...(podSpec.initContainers ?? [])];
    for (const c of containers) {
      for (const p of c.ports ?? []) {
        if (p.hostPort !== undefined)
          this.flag(scope, 'P1-HOSTNET', `container '${c.name}' uses hostPort ${p.hostPort}`);
      }
    }
  }

  private checkNetworkPolicy(scope: Scope, spec: Json): void {
    for (const rule of spec.ingress ?? []) {
      if (!rule.from || rule.from.length === 0) {
        this.flag(scope, 'P1-NETPOL', 'ingress rule without `from` admits traffic from anywhere');
      }
      for (const peer of rule.from ?? []) {
        const cidr = peer.ipBlock?.cidr;
        if (cidr && !this.insideNdb(scope.zone, cidr))
          this.flag(
            scope,
            'P1-NETPOL',
            `ingress from ipBlock ${cidr}${readingSuffix(String(cidr))}, not wholly inside the NdB`,
          );
      }
    }
    for (const rule of spec.egress ?? []) {
      if (!rule.to || rule.to.length === 0) {
        this.flag(scope, 'P1-NETPOL', 'egress rule without `to` lets data leave to anywhere');
      }
      for (const peer of rule.to ?? []) {
        const cidr = peer.ipBlock?.cidr;
        if (cidr && !this.insideNdb(scope.zone, cidr))
          this.flag(scope, 'P1-NETPOL', `egress to ipBlock ${cidr}${readingSuffix(String(cidr))}, outside the NdB`);
      }
    }
  }

  /** Every Säule-1 namespace needs the default-deny policy (podSelector {}, both policy types, no rules). */
  private checkDefaultDeny(): void {
    const denied = defaultDenyNamespaces(this.stacks);
    for (const s of this.stacks) {
      for (const [type, byName] of Object.entries(s.json.resource ?? {}) as Array<[string, Record<string, Json>]>) {
        if (type !== 'kubernetes_namespace_v1' && type !== 'kubernetes_manifest') continue;
        for (const [name, body] of Object.entries(byName)) {
          const obj = toKubernetesObject(type, body);
          if (obj?.kind !== 'Namespace') continue;
          const scope = this.scopeOf(s, `${type}.${name}`, body, obj.metadata.name, obj.metadata.labels ?? {});
          if (scope && !denied.has(`${providerAlias(body.provider)}/${obj.metadata.name}`)) {
            this.flag(scope, 'P1-NETPOL', `namespace '${obj.metadata.name}' has no default-deny NetworkPolicy`);
          }
        }
      }
    }
  }

  private checkRelease(stack: SynthesizedStack, address: string, body: Json): void {
    const namespace = lit(body.namespace);
    const scope = this.scopeOf(stack, address, body, namespace, {});
    if (!scope) return;
    const chart = chartName(body.chart);
    const known = KNOWN_CHARTS[chart];
    if (!known) {
      this.flag(scope, 'P1-HELM', `chart '${body.chart}' is not known to the guard and cannot be checked`);
      return;
    }
    // a local directory or archive (`chart: ./evil/wire-server`) or a chart URL would deploy what no one checked
    if (!/^[a-z0-9][a-z0-9-]*$/.test(terraformText(String(body.chart ?? '')))) {
      this.flag(
        scope,
        'P1-HELM',
        `chart '${body.chart}' is not a chart name from a repository (a local path or a URL deploys unchecked templates)`,
      );
    }
    if (!/^(https|oci):\/\/[^/\s]+/.test(terraformText(String(body.repository ?? '')))) {
      this.flag(
        scope,
        'P1-HELM',
        `chart '${chart}' comes from ${body.repository ?? '(no repository)'}, not from an https:// or oci:// chart repository`,
      );
    }
    const repositories = this.expected?.chartRepositories;
    if (repositories && !repositories.includes(String(body.repository))) {
      this.flag(
        scope,
        'P1-HELM',
        `chart '${chart}' comes from ${body.repository ?? '(no repository)'}, not from a repository the config names`,
      );
    }
    const alias = providerAlias(body.provider);
    if (!this.facts.namespaces.has(`${alias}/${namespace}`)) {
      this.flag(
        scope,
        'P1-HELM',
        `release into namespace '${namespace ?? '(default)'}', which is not a guarded namespace`,
      );
    }
    let values: Json;
    let sensitivePaths: readonly string[];
    try {
      ({ values, sensitivePaths } = releaseValues(body));
    } catch (e) {
      this.flag(
        scope,
        'P1-HELM',
        `values cannot be read as Helm reads them, so they cannot be checked: ${e instanceof Error ? e.message : String(e)}`,
      );
      return;
    }
    for (const p of sensitivePaths) {
      if (EXPOSURE_PATH.test(p))
        this.flag(scope, 'P1-HELM', `${chart}: ${p} is set through set_sensitive, so the guard cannot check it`);
    }
    const zone = scope.zone;
    if (known.ingressClassPath && getPath(values, known.ingressClassPath) !== zone.ingressClass) {
      this.flag(
        scope,
        'P1-HELM',
        `${chart}: ${known.ingressClassPath} is '${getPath(values, known.ingressClassPath) ?? '(chart default)'}', not the NdB class '${zone.ingressClass}'`,
      );
    }
    if (chart === 'wire-server' && goTruthy(getPath(values, 'cannon.service.nginz.enabled'))) {
      this.flag(scope, 'P1-HELM', 'wire-server: cannon.service.nginz.enabled creates a Service of type LoadBalancer');
    }
    if (chart === 'ingress-nginx-controller') {
      const svc = getPath(values, 'ingress-nginx.controller.service') ?? {};
      const type = svc.type ?? 'LoadBalancer';
      if (type !== 'ClusterIP' && !(type === 'LoadBalancer' && svc.loadBalancerClass === zone.loadBalancerClass)) {
        this.flag(
          scope,
          'P1-HELM',
          `ingress-nginx-controller: service type ${type} with class '${svc.loadBalancerClass ?? '(none)'}', not the NdB load balancer '${zone.loadBalancerClass}'`,
        );
      }
      // the chart renders a second Service for `internal`, of type LoadBalancer by default and without our class
      if (goTruthy(svc.internal?.enabled)) {
        this.flag(
          scope,
          'P1-HELM',
          `ingress-nginx-controller: ingress-nginx.controller.service.internal.enabled renders a second load-balancer Service without the NdB class '${zone.loadBalancerClass}'`,
        );
      }
    }
    if (chart.endsWith('-external')) {
      for (const key of ['IPs', 'RWIPs', 'ROIPs']) {
        for (const ip of values[key] ?? []) {
          if (!this.insideNdb(zone, String(ip)))
            this.flag(scope, 'P1-HELM', `${chart}: ${key} contains ${ip}, outside the NdB (data would leave the zone)`);
        }
      }
    }
    if (chart === 'bundesmessenger') {
      const wl = getPath(values, 'extraConfig.federation_domain_whitelist');
      if (!Array.isArray(wl))
        this.flag(
          scope,
          'P1-FEDERATION',
          'bundesmessenger: extraConfig.federation_domain_whitelist is unset, so the server federates with everyone',
        );
      if (goTruthy(getPath(values, 'networkpolicies.enabled'))) {
        const proxies: string[] = getPath(values, 'networkpolicies.fwProxyList') ?? [];
        if (proxies.length === 0)
          this.flag(
            scope,
            'P1-NETPOL',
            "bundesmessenger: the chart's NetworkPolicy opens egress to 0.0.0.0/0 when networkpolicies.fwProxyList is empty",
          );
        for (const entry of proxies) {
          const cidr = String(entry).split(':')[0];
          if (!this.insideNdb(zone, cidr))
            this.flag(
              scope,
              'P1-NETPOL',
              `bundesmessenger: networkpolicies.fwProxyList entry ${entry} lies outside the NdB`,
            );
        }
      }
    }
    if (known.calling) {
      const pool = scope.cluster?.nodePools.find((p) => p.purpose === 'calling');
      if (
        !pool ||
        !sameSelector(values.nodeSelector, pool.nodeSelector) ||
        scope.namespaceLabels['messenger.bund/service'] !== 'wire-calling'
      ) {
        this.flag(
          scope,
          'P1-HOSTNET',
          `${chart} runs with hostNetwork but is not placed on the calling pool in a calling namespace`,
        );
      }
    }
    // addresses sftd and coturn announce through their values (policy/guardrails.ts)
    for (const p of callingAddressProblems(chart, values, sensitivePaths, zone)) this.flag(scope, 'P1-CALLING-IP', p);
    this.walkValues(scope, chart, values, '', !!known.calling);
  }

  private walkValues(scope: Scope, chart: string, value: Json, path: string, callingChart: boolean): void {
    if (Array.isArray(value)) {
      value.forEach((v, i) => this.walkValues(scope, chart, v, `${path}[${i}]`, callingChart));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const zone = scope.zone;
    for (const [key, v] of Object.entries(value)) {
      const p = path ? `${path}.${key}` : key;
      // charts test switches with `{{ if }}`: any non-empty string (also "false") is true
      if (key === 'hostNetwork' && goTruthy(v) && !callingChart)
        this.flag(scope, 'P1-HELM', `${chart}: ${p} puts pods on the host network`);
      if (
        key === 'hostPort' &&
        (typeof v === 'number' ||
          (typeof v === 'string' && v !== '') ||
          (v && typeof v === 'object' && !Array.isArray(v) && goTruthy((v as Json).enabled)))
      ) {
        this.flag(scope, 'P1-HELM', `${chart}: ${p} opens a port on the node`);
      }
      if (key === 'type' && (v === 'NodePort' || v === 'LoadBalancer') && /service/i.test(path)) {
        if (v === 'NodePort' || value.loadBalancerClass !== zone.loadBalancerClass) {
          if (!(chart === 'ingress-nginx-controller' && p === 'ingress-nginx.controller.service.type')) {
            this.flag(
              scope,
              'P1-HELM',
              `${chart}: ${p} is ${v}${v === 'LoadBalancer' ? ` without the NdB class '${zone.loadBalancerClass}'` : ''}`,
            );
          }
        }
      }
      if (
        (key === 'ingressClass' ||
          key === 'ingressClassName' ||
          key === 'className' ||
          key === 'kubernetes.io/ingress.class') &&
        typeof v === 'string' &&
        v !== zone.ingressClass
      ) {
        this.flag(scope, 'P1-HELM', `${chart}: ${p} is '${v}', not the NdB class '${zone.ingressClass}'`);
      }
      if ((key === 'externalIPs' || key === 'loadBalancerSourceRanges') && Array.isArray(v)) {
        for (const ip of v)
          if (!this.insideNdb(zone, String(ip)))
            this.flag(scope, 'P1-HELM', `${chart}: ${p} contains ${ip}, outside the NdB`);
      }
      // a requested load-balancer address (`controller.service.loadBalancerIP`, `loadBalancerIPs`, ...)
      if (/^loadBalancerIPs?$/i.test(key) && v !== null && v !== undefined && v !== '') {
        const texts = Array.isArray(v) ? v.map(String) : typeof v === 'object' ? [JSON.stringify(v)] : [String(v)];
        for (const t of texts) {
          const ips = addressesIn(t);
          if (ips.length === 0 && t.trim() !== '')
            this.flag(scope, 'P1-HELM', `${chart}: ${p} is '${t}', not an address inside the NdB`);
          for (const ip of ips)
            if (!this.insideNdb(zone, ip))
              this.flag(scope, 'P1-HELM', `${chart}: ${p} requests ${ip}, outside the NdB`);
        }
      }
      // Service annotations in the values that request an address (metallb, kube-vip, cloud providers)
      if (key === 'annotations' && /service/i.test(path) && v && typeof v === 'object' && !Array.isArray(v)) {
        for (const [ak, av] of Object.entries(v as Record<string, unknown>))
          for (const ip of addressesIn(typeof av === 'string' ? av : (JSON.stringify(av) ?? '')))
            if (!this.insideNdb(zone, ip))
              this.flag(scope, 'P1-HELM', `${chart}: ${p}.${ak} requests ${ip}, outside the NdB`);
      }
      this.walkValues(scope, chart, v, p, callingChart);
    }
  }

  /**
   * Label and annotation patches of existing objects: on Säule 1 only the calling nodes' announced IP
   * (`wire.com/external-ip` on a Node, inside the NdB) is allowed; anything else could lift guardrails (Pod Security
   * and zone labels of a namespace) or expose a Service (load-balancer annotations).
   */
  private checkPatch(stack: SynthesizedStack, address: string, type: string, body: Json): void {
    const kind = lit(body.kind);
    const namespace = lit(body.metadata?.namespace ?? (kind === 'Namespace' ? body.metadata?.name : undefined));
    const scope = this.scopeOf(stack, address, body, namespace, {});
    if (!scope) return;
    const entries = Object.entries(literalJson((type === 'kubernetes_labels' ? body.labels : body.annotations) ?? {}));
    for (const [key, value] of entries) {
      if (type === 'kubernetes_annotations' && kind === 'Node' && key === 'wire.com/external-ip') {
        if (!this.insideNdb(scope.zone, String(value))) {
          this.flag(
            scope,
            'P1-CALLING-IP',
            `node '${body.metadata?.name}' announces ${value}, outside the NdB (${scope.zone.cidrs.join(', ')})`,
          );
        }
      } else {
        this.flag(
          scope,
          'P1-PATCH',
          `${type === 'kubernetes_labels' ? 'label' : 'annotation'} ${key} patched onto ${kind} '${lit(body.metadata?.name)}'`,
        );
      }
    }
  }

  /** Federation of Säule 1: only with declared instances in the NdB; wire-server releases never allowAll. */
  private checkFederation(stack: SynthesizedStack): void {
    const inst = stack.json.locals?.wire_instance;
    const ndbDomains = new Set<string>();
    if (inst && (inst.pillar === 1 || this.stackLooksPillar1(stack))) {
      for (const p of inst.partners ?? []) {
        if (p.zoneKind !== 'ndb') {
          this.flag(
            { stack, address: 'locals.wire_instance' },
            'P1-FEDERATION',
            `Säule-1 instance '${inst.id}' federates with '${p.domain}' in zone '${p.zone}' (${p.zoneKind})`,
          );
        } else {
          ndbDomains.add(p.domain);
        }
      }
    }
    for (const [name, body] of Object.entries(stack.json.resource?.helm_release ?? {}) as Array<[string, Json]>) {
      if (chartName(body.chart) !== 'wire-server') continue;
      const address = `helm_release.${name}`;
      const scope = this.scopeOf(stack, address, body, lit(body.namespace), {});
      if (!scope) continue;
      let values: Json;
      try {
        values = releaseValues(body).values;
      } catch {
        continue;
      }
      const opt = getPath(values, 'brig.config.optSettings') ?? {};
      if (opt.setFederationStrategy === 'allowAll') {
        this.flag(
          scope,
          'P1-FEDERATION',
          'setFederationStrategy allowAll federates with any backend, also outside the NdB',
        );
      }
      for (const d of opt.setFederationDomainConfigs ?? []) {
        if (!ndbDomains.has(d?.domain))
          this.flag(scope, 'P1-FEDERATION', `federation with '${d?.domain}', which is not a declared NdB instance`);
      }
    }
    const cluster = this.facts.clusters.get(stack.json.locals?.zone_cluster?.id ?? '');
    if (cluster?.zone.kind === 'ndb') {
      for (const entry of stack.json.output?.dns_entries?.value ?? []) {
        const m = /class (\S+)\)/.exec(String(entry));
        if (m && m[1] !== cluster.zone.loadBalancerClass) {
          this.flag(
            { stack, address: 'output.dns_entries' },
            'P1-FEDERATION',
            `DNS entry points to load balancer class ${m[1]}, outside the NdB`,
          );
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Terraform the guard does not evaluate

/** Meta-arguments and blocks of a resource or data source that change what (or whether) it deploys. */
const UNEVALUATED_META: Readonly<Record<string, string>> = {
  count: 'decides how many instances Terraform creates (0: none)',
  for_each: 'decides how many instances Terraform creates (empty: none)',
  provisioner: 'runs commands on the machine or a host (e.g. kubectl), beyond what the resource declares',
  connection: 'is the connection of a provisioner',
  lifecycle: 'changes how Terraform applies changes (ignore_changes keeps a weakened object as it is)',
};

/** The escaped-literal-safe reference form the guard follows: a Kubernetes resource's name or namespace. */
const NAME_REFERENCE = /^\$\{(kubernetes_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.metadata\[0\]\.(name|namespace)\}$/;

/** `set_sensitive` values: a Secret read through a data source of the stack, escaped for Helm's --set syntax. */
const SECRET_VALUE =
  /^\$\{replace\(replace\(data\.kubernetes_secret_v1\.([A-Za-z0-9_-]+)\.data\["[A-Za-z0-9._-]+"\], "\\\\", "\\\\\\\\"\), ",", "\\\\,"\)\}$/;

/** The CA file of a provider: `file(pathexpand("<path>"))`, read by Terraform at plan time. */
const CA_FILE = /^\$\{file\(pathexpand\("[^"\\$%{}]+"\)\)\}$/;

/** Resource and data source types this app writes; any other could deploy anything (e.g. `data.external`). */
const KNOWN_TYPE = (block: string, type: string) =>
  type.startsWith('kubernetes_') || (block === 'resource' && type === 'helm_release');

/** The literal value a name reference resolves to in its stack, or undefined when it does not resolve to a literal. */
function referencedName(stack: SynthesizedStack, text: string): string | undefined {
  const m = NAME_REFERENCE.exec(text);
  if (!m) return undefined;
  const target = stack.json.resource?.[m[1]]?.[m[2]];
  let metadata = target?.metadata;
  if (Array.isArray(metadata) && metadata.length === 1) metadata = metadata[0];
  const v = metadata?.[m[3]];
  return typeof v === 'string' && liveTemplates(v).length === 0 ? v : undefined;
}

/**
 * The stacks with every name reference the guard can follow (`${kubernetes_namespace_v1.x.metadata[0].name}`)
 * replaced by the literal it resolves to, so the checks see what Terraform deploys. Stacks without one are
 * returned as they are.
 */
export function resolveReferences(stacks: readonly SynthesizedStack[]): SynthesizedStack[] {
  return stacks.map((stack) => {
    let changed = false;
    const walk = (v: Json): Json => {
      if (typeof v === 'string') {
        const r = v.startsWith('${') ? referencedName(stack, v) : undefined;
        if (r === undefined) return v;
        changed = true;
        return r;
      }
      if (Array.isArray(v)) return v.map(walk);
      if (v === null || typeof v !== 'object') return v;
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    };
    const resource = walk(stack.json.resource ?? {});
    return changed ? { name: stack.name, json: { ...stack.json, resource } } : stack;
  });
}

const show = (v: unknown) => {
  const t = JSON.stringify(v) ?? String(v);
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
};

/**
 * What in a stack Terraform would evaluate beyond the literal values the guard reads: the meta-arguments and blocks
 * of {@link UNEVALUATED_META}, `dynamic` blocks at any depth, a Helm `postrender`, resource and data types this
 * app never writes, and live templates (`${...}`, `%{...}` not escaped as `$${`, `%%{`) except the forms the
 * synth writes: a Secret in a `set_sensitive` value, the CA file of a provider, and a name reference the guard
 * resolves ({@link resolveReferences}).
 */
export function terraformProblems(stack: SynthesizedStack): Array<{ address: string; message: string }> {
  const out: Array<{ address: string; message: string }> = [];
  const json = stack.json ?? {};
  const dataSecrets = json.data?.kubernetes_secret_v1 ?? {};
  const templates = (address: string, value: Json, at: string, allowed: (path: string, text: string) => boolean) => {
    const visit = (v: Json, path: string): void => {
      if (typeof v === 'string') {
        const live = liveTemplates(v);
        if (live.length > 0 && !allowed(path, v))
          out.push({
            address,
            message: `live Terraform template ${live.map((t) => show(t)).join(', ')} at ${path}: Terraform evaluates it, the guard reads only literal values (escape literal text as $\${ / %%{)`,
          });
      } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
      else if (v !== null && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k === '//') continue;
          const p = `${path}.${k}`;
          if (k === 'dynamic')
            out.push({
              address,
              message: `a dynamic block at ${p} generates blocks (${show(Object.keys(x ?? {}))}) the guard does not evaluate`,
            });
          if (liveTemplates(k).length > 0)
            out.push({ address, message: `live Terraform template in the key ${show(k)} at ${path}` });
          visit(x, p);
        }
    };
    visit(value, at);
  };
  for (const block of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries(json[block] ?? {}) as Array<[string, Record<string, Json>]>) {
      for (const [name, body] of Object.entries(byName ?? {})) {
        const address = `${block === 'data' ? 'data.' : ''}${type}.${name}`;
        if (!KNOWN_TYPE(block, type))
          out.push({
            address,
            message: `${block === 'data' ? 'data source' : 'resource'} type ${type} is not one this app writes; verify cannot tell what it does (it could run commands or deploy anything)`,
          });
        for (const [meta, what] of Object.entries(UNEVALUATED_META)) {
          if (body && meta in body)
            out.push({ address, message: `${meta} ${show(body[meta])} ${what}; the guard does not evaluate it` });
        }
        if (type === 'helm_release' && body && 'postrender' in body)
          out.push({
            address,
            message: `postrender ${show(body.postrender)} runs a program that can rewrite every object the chart renders; the guard does not see its output`,
          });
        const { depends_on: _d, provider: _p, ...rest } = body ?? {};
        templates(address, rest, address, (path, text) => {
          if (referencedName(stack, text) !== undefined) return true;
          const m = SECRET_VALUE.exec(text);
          return (
            !!m &&
            block === 'resource' &&
            type === 'helm_release' &&
            /^\.set_sensitive\[\d+\]\.value$/.test(path.slice(address.length)) &&
            Object.hasOwn(dataSecrets, m[1])
          );
        });
        for (const [k, v] of Object.entries({ depends_on: _d, provider: _p })) {
          if (v !== undefined && JSON.stringify(v).match(/[$%]\{/))
            out.push({ address, message: `${k} ${show(v)} is not a plain reference` });
        }
      }
    }
  }
  for (const [type, configs] of Object.entries(json.provider ?? {}) as Array<[string, Json]>) {
    (Array.isArray(configs) ? configs : [configs]).forEach((p: Json) => {
      const address = `provider.${type}.${p?.alias ?? '(default)'}`;
      for (const meta of ['count', 'for_each']) {
        if (p && meta in p)
          out.push({ address, message: `${meta} ${show(p[meta])} on a provider; the guard does not evaluate it` });
      }
      templates(
        address,
        p,
        address,
        (path, text) =>
          CA_FILE.test(text) && path === `${address}${type === 'helm' ? '.kubernetes' : ''}.cluster_ca_certificate`,
      );
    });
  }
  for (const block of ['locals', 'output', 'variable', 'terraform'] as const) {
    if (json[block] !== undefined) templates(block, json[block], block, () => false);
  }
  return out;
}

/** Runs every exposure rule over the synthesized stacks. */
export function checkExposure(stacks: readonly SynthesizedStack[], expected?: ExpectedFacts): Finding[] {
  return new ExposureGuard(stacks, expected).run();
}
