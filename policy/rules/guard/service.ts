/**
 * P1-SERVICE: no Service of Säule 1 is reachable from outside the NdB: no NodePort, a load balancer only of the
 * NdB class, external IPs, source ranges and requested load-balancer addresses (field or annotation) inside the
 * NdB, ExternalName only to a cluster-local name.
 */
import { field, items } from '../../synthesized-view';
import { addressesOrCidrsIn } from './addresses';
import { entriesOf, metadataOf } from './json';
import { objectsOf } from './context';
import type { GuardRule } from './rule';
import { flag } from './scope';

const CLUSTER_LOCAL = /\.svc\.cluster\.local\.?$/;

export const serviceRule: GuardRule<'P1-SERVICE'> = {
  id: 'P1-SERVICE',
  level: 'error',
  unsuppressible: true,
  explanation: 'a Service reachable from outside the NdB (NodePort, foreign load balancer, external IPs, ExternalName)',
  *check(context) {
    const insideNdb = context.insideNdb;
    for (const { scope, object } of objectsOf(context, 'Service')) {
      const zone = scope.zone;
      const spec = field(object, 'spec') ?? {};
      const at = (message: string) => flag(scope, message, 1);
      const type = field(spec, 'type') ?? 'ClusterIP';
      const loadBalancerClass = field(spec, 'loadBalancerClass');
      if (type === 'NodePort') yield at('Service of type NodePort opens a port on every node');
      if (type === 'LoadBalancer' && loadBalancerClass !== zone.loadBalancerClass)
        yield at(
          `Service of type LoadBalancer with class '${loadBalancerClass ?? '(none)'}', not the NdB class '${zone.loadBalancerClass}'`,
        );
      for (const ip of items(field(spec, 'externalIPs')))
        if (!insideNdb(zone, ip)) yield at(`externalIPs ${ip} lies outside the NdB`);
      for (const r of items(field(spec, 'loadBalancerSourceRanges')))
        if (!insideNdb(zone, r)) yield at(`loadBalancerSourceRanges ${r} reaches outside the NdB`);
      // a requested load-balancer address: the field, and the annotations load-balancer implementations read
      // (metallb.universe.tf/loadBalancerIPs, metallb.io/loadBalancerIPs, kube-vip.io/loadbalancerIPs, ...)
      for (const name of ['loadBalancerIP', 'loadBalancerIp']) {
        const ip = field(spec, name);
        if (ip !== undefined && ip !== null && ip !== '' && !insideNdb(zone, ip))
          yield at(`loadBalancerIP ${ip} lies outside the NdB`);
      }
      for (const [key, value] of entriesOf(field(metadataOf(object, scope.address), 'annotations')))
        for (const ip of addressesOrCidrsIn(String(value)))
          if (!insideNdb(zone, ip)) yield at(`annotation ${key} requests ${ip}, outside the NdB`);
      const externalName = field(spec, 'externalName');
      if (type === 'ExternalName' && !CLUSTER_LOCAL.test(String(externalName ?? '')))
        yield at(`ExternalName ${externalName} points outside the cluster`);
    }
  },
};
