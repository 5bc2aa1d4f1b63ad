/**
 * P1-NETPOL: no NetworkPolicy of Säule 1 admits traffic from outside the NdB or lets it leave the NdB (every rule
 * names its peers; every ipBlock lies wholly inside the NdB), and every Säule-1 namespace has its default deny. A
 * namespace a chart creates has none; BundesMessenger's own NetworkPolicy opens egress unless its proxies are set.
 */
import { readingSuffix } from '../../../config/cidr';
import { providerAlias } from '../../facts';
import { goTruthy } from '../../helm-values';
import { field, items, lengthOf, valueAt } from '../../synthesized-view';
import { objectsOf, type GuardContext } from './context';
import { metadataField } from './json';
import type { GuardRule } from './rule';
import { flag, type GuardResult, type ZonedScope } from './scope';

/** The two directions of a NetworkPolicy: the field of its rules, of their peers, and the findings they can give. */
const DIRECTIONS = [
  {
    rules: 'ingress',
    peers: 'from',
    open: 'ingress rule without `from` admits traffic from anywhere',
    outside: (block: string) => `ingress from ipBlock ${block}, not wholly inside the NdB`,
  },
  {
    rules: 'egress',
    peers: 'to',
    open: 'egress rule without `to` lets data leave to anywhere',
    outside: (block: string) => `egress to ipBlock ${block}, outside the NdB`,
  },
] as const;

function* policyFindings(scope: ZonedScope, spec: unknown, { insideNdb }: GuardContext): Iterable<GuardResult> {
  for (const direction of DIRECTIONS) {
    for (const rule of items(field(spec, direction.rules))) {
      const peers = field(rule, direction.peers);
      if (!peers || lengthOf(peers) === 0) yield flag(scope, direction.open, 1);
      for (const peer of items(peers)) {
        const cidr = field(field(peer, 'ipBlock'), 'cidr');
        if (cidr && !insideNdb(scope.zone, cidr))
          yield flag(scope, direction.outside(`${cidr}${readingSuffix(String(cidr))}`), 1);
      }
    }
  }
}

export const netpolRule: GuardRule<'P1-NETPOL'> = {
  id: 'P1-NETPOL',
  level: 'error',
  unsuppressible: true,
  explanation:
    'a NetworkPolicy that admits traffic from or sends it to outside the NdB, or a namespace without default deny',
  *check(context) {
    const { releases, defaultDeny, insideNdb } = context;
    for (const { scope, object } of objectsOf(context, 'NetworkPolicy'))
      yield* policyFindings(scope, field(object, 'spec') ?? {}, context);
    for (const { scope, object, renderedBy } of objectsOf(context, 'Namespace')) {
      const name = metadataField(object, 'name');
      if (renderedBy)
        yield flag(scope, `the chart creates namespace '${name ?? ''}', which gets no default-deny NetworkPolicy`, 3);
      // default deny of the namespaces the stacks declare: reported after every stack's resources
      else if (!defaultDeny.has(`${providerAlias(scope.provider)}/${name}`))
        yield {
          ...flag(scope, `namespace '${name}' has no default-deny NetworkPolicy`),
          position: [3, ...scope.position],
        };
    }
    for (const { scope, chart, values } of releases) {
      if (chart !== 'bundesmessenger' || !('values' in values)) continue;
      if (!goTruthy(valueAt(values.values, 'networkpolicies.enabled'))) continue;
      const proxies = items(valueAt(values.values, 'networkpolicies.fwProxyList'));
      if (proxies.length === 0)
        yield flag(
          scope,
          "bundesmessenger: the chart's NetworkPolicy opens egress to 0.0.0.0/0 when networkpolicies.fwProxyList is empty",
          3,
        );
      for (const entry of proxies) {
        const cidr = String(entry).split(':')[0];
        if (!insideNdb(scope.zone, cidr))
          yield flag(scope, `bundesmessenger: networkpolicies.fwProxyList entry ${entry} lies outside the NdB`, 3);
      }
    }
  },
};
