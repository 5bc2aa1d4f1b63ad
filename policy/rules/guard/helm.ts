/**
 * P1-HELM: a Helm release of Säule 1 deploys a chart the guard knows, by name from an https:// or oci:// chart
 * repository the config names, into a guarded namespace, with values the guard can read (not hidden through
 * `set_sensitive` where they decide exposure) that keep it inside the NdB: the zone's ingress class, no NodePort,
 * no load balancer of another class, no host network, no address outside the NdB. A `kubernetes_*` resource of a
 * type the guard cannot translate is flagged here too.
 */
import { providerAlias } from '../../facts';
import { goTruthy, terraformText } from '../../helm-values';
import { field, items, valueAt } from '../../synthesized-view';
import { addressesOrCidrsIn } from './addresses';
import type { GuardContext, ReleaseSite } from './context';
import { entriesOf, lit } from './json';
import type { GuardRule } from './rule';
import { flag, type GuardResult, type ZonedScope } from './scope';

/** Value paths that decide exposure; set through set_sensitive they cannot be checked. */
const EXPOSURE_PATH =
  /(^|\.)(service|hostNetwork|hostPort|ingress|ingressClass|ingressClassName|className|loadBalancer\w*|externalIPs|setFederation\w*|federation_domain_whitelist|networkpolicies)(\.|\[|$)/;

/** Keys that name an ingress class, wherever they appear in the values. */
const INGRESS_CLASS_KEYS = new Set(['ingressClass', 'ingressClassName', 'className', 'kubernetes.io/ingress.class']);

/** The release as a whole: chart, repository, namespace, readable values, and what its chart's known paths say. */
function* releaseFindings(site: ReleaseSite, context: GuardContext): Iterable<GuardResult> {
  const { scope, body, chart, known, values } = site;
  const at = (message: string) => flag(scope, message, 1);
  const declaredChart = field(body, 'chart');
  const repository = field(body, 'repository');
  if (!known) {
    yield at(`chart '${declaredChart}' is not known to the guard and cannot be checked`);
    return;
  }
  // a local directory or archive (`chart: ./evil/wire-server`) or a chart URL would deploy what no one checked
  if (!/^[a-z0-9][a-z0-9-]*$/.test(terraformText(String(declaredChart ?? ''))))
    yield at(
      `chart '${declaredChart}' is not a chart name from a repository (a local path or a URL deploys unchecked templates)`,
    );
  if (!/^(https|oci):\/\/[^/\s]+/.test(terraformText(String(repository ?? ''))))
    yield at(
      `chart '${chart}' comes from ${repository ?? '(no repository)'}, not from an https:// or oci:// chart repository`,
    );
  const repositories = context.expected?.chartRepositories;
  if (repositories && !repositories.includes(String(repository)))
    yield at(`chart '${chart}' comes from ${repository ?? '(no repository)'}, not from a repository the config names`);
  const namespace = lit(field(body, 'namespace'));
  if (!context.facts.namespaces.has(`${providerAlias(field(body, 'provider'))}/${namespace}`))
    yield at(`release into namespace '${namespace ?? '(default)'}', which is not a guarded namespace`);
  if (!('values' in values)) {
    yield at(`values cannot be read as Helm reads them, so they cannot be checked: ${values.error}`);
    return;
  }
  for (const p of values.sensitivePaths)
    if (EXPOSURE_PATH.test(p)) yield at(`${chart}: ${p} is set through set_sensitive, so the guard cannot check it`);
  const zone = scope.zone;
  const v = values.values;
  if (known.ingressClassPath && valueAt(v, known.ingressClassPath) !== zone.ingressClass)
    yield at(
      `${chart}: ${known.ingressClassPath} is '${valueAt(v, known.ingressClassPath) ?? '(chart default)'}', not the NdB class '${zone.ingressClass}'`,
    );
  if (chart === 'wire-server' && goTruthy(valueAt(v, 'cannon.service.nginz.enabled')))
    yield at('wire-server: cannon.service.nginz.enabled creates a Service of type LoadBalancer');
  if (chart === 'ingress-nginx-controller') {
    const svc = valueAt(v, 'ingress-nginx.controller.service') ?? {};
    const type = field(svc, 'type') ?? 'LoadBalancer';
    const loadBalancerClass = field(svc, 'loadBalancerClass');
    if (type !== 'ClusterIP' && !(type === 'LoadBalancer' && loadBalancerClass === zone.loadBalancerClass))
      yield at(
        `ingress-nginx-controller: service type ${type} with class '${loadBalancerClass ?? '(none)'}', not the NdB load balancer '${zone.loadBalancerClass}'`,
      );
    // the chart renders a second Service for `internal`, of type LoadBalancer by default and without our class
    if (goTruthy(valueAt(svc, 'internal.enabled')))
      yield at(
        `ingress-nginx-controller: ingress-nginx.controller.service.internal.enabled renders a second load-balancer Service without the NdB class '${zone.loadBalancerClass}'`,
      );
  }
  if (chart.endsWith('-external')) {
    for (const key of ['IPs', 'RWIPs', 'ROIPs'])
      for (const ip of items(field(v, key)))
        if (!context.insideNdb(zone, String(ip)))
          yield at(`${chart}: ${key} contains ${ip}, outside the NdB (data would leave the zone)`);
  }
}

/** Where the value walk is: the release's scope and chart, and where its findings go. */
interface ValueWalk {
  readonly scope: ZonedScope;
  readonly chart: string;
  /** The calling charts (sftd, coturn) run on the host network by design (P1-HOSTNET places them). */
  readonly callingChart: boolean;
  readonly context: GuardContext;
  readonly out: GuardResult[];
}

/**
 * Every value of the release, wherever a chart may read it: switches and fields that expose what it renders. A
 * plain recursion that collects into `out` (release values are large trees; the walk runs for every release).
 */
function walkValues(walk: ValueWalk, value: unknown, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkValues(walk, v, `${path}[${i}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const { scope, chart, callingChart, context } = walk;
  const zone = scope.zone;
  const at = (message: string) => walk.out.push(flag(scope, message, 6));
  for (const [key, v] of Object.entries(value)) {
    const p = path ? `${path}.${key}` : key;
    // charts test switches with `{{ if }}`: any non-empty string (also "false") is true
    if (key === 'hostNetwork' && goTruthy(v) && !callingChart) at(`${chart}: ${p} puts pods on the host network`);
    if (
      key === 'hostPort' &&
      (typeof v === 'number' ||
        (typeof v === 'string' && v !== '') ||
        (v && typeof v === 'object' && !Array.isArray(v) && goTruthy(field(v, 'enabled'))))
    )
      at(`${chart}: ${p} opens a port on the node`);
    if (key === 'type' && (v === 'NodePort' || v === 'LoadBalancer') && /service/i.test(path)) {
      if (v === 'NodePort' || field(value, 'loadBalancerClass') !== zone.loadBalancerClass) {
        if (!(chart === 'ingress-nginx-controller' && p === 'ingress-nginx.controller.service.type'))
          at(
            `${chart}: ${p} is ${v}${v === 'LoadBalancer' ? ` without the NdB class '${zone.loadBalancerClass}'` : ''}`,
          );
      }
    }
    if (INGRESS_CLASS_KEYS.has(key) && typeof v === 'string' && v !== zone.ingressClass)
      at(`${chart}: ${p} is '${v}', not the NdB class '${zone.ingressClass}'`);
    if ((key === 'externalIPs' || key === 'loadBalancerSourceRanges') && Array.isArray(v)) {
      for (const ip of v)
        if (!context.insideNdb(zone, String(ip))) at(`${chart}: ${p} contains ${ip}, outside the NdB`);
    }
    // a requested load-balancer address (`controller.service.loadBalancerIP`, `loadBalancerIPs`, ...)
    if (/^loadBalancerIPs?$/i.test(key) && v !== null && v !== undefined && v !== '') {
      const texts = Array.isArray(v) ? v.map(String) : typeof v === 'object' ? [JSON.stringify(v)] : [String(v)];
      for (const t of texts) {
        const ips = addressesOrCidrsIn(t);
        if (ips.length === 0 && t.trim() !== '') at(`${chart}: ${p} is '${t}', not an address inside the NdB`);
        for (const ip of ips) if (!context.insideNdb(zone, ip)) at(`${chart}: ${p} requests ${ip}, outside the NdB`);
      }
    }
    // Service annotations in the values that request an address (metallb, kube-vip, cloud providers)
    if (key === 'annotations' && /service/i.test(path) && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [ak, av] of entriesOf(v))
        for (const ip of addressesOrCidrsIn(typeof av === 'string' ? av : (JSON.stringify(av) ?? '')))
          if (!context.insideNdb(zone, ip)) at(`${chart}: ${p}.${ak} requests ${ip}, outside the NdB`);
    }
    walkValues(walk, v, p);
  }
}

export const helmRule: GuardRule<'P1-HELM'> = {
  id: 'P1-HELM',
  level: 'error',
  unsuppressible: true,
  explanation: 'a Helm release whose values expose it, or a chart the guard does not know',
  *check(context) {
    for (const { scope, type } of context.unknownResources)
      yield flag(scope, `resource type ${type} is not known to the guard`, 1);
    for (const site of context.releases) {
      yield* releaseFindings(site, context);
      if (!site.known || !('values' in site.values)) continue;
      const out: GuardResult[] = [];
      walkValues(
        { scope: site.scope, chart: site.chart, callingChart: !!site.known.calling, context, out },
        site.values.values,
        '',
      );
      yield* out;
    }
  },
};
