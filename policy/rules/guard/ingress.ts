/** P1-INGRESS: an Ingress of Säule 1 uses the NdB zone's ingress class; Gateway API objects only its own Gateway. */
import { field } from '../../synthesized-view';
import { metadataOf } from './json';
import { objectsOf } from './context';
import type { GuardRule } from './rule';
import { flag } from './scope';

const GATEWAY_KINDS = new Set(['Gateway', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'UDPRoute', 'TLSRoute']);

export const ingressRule: GuardRule<'P1-INGRESS'> = {
  id: 'P1-INGRESS',
  level: 'error',
  unsuppressible: true,
  explanation: "an Ingress or Gateway API object outside the NdB zone's ingress class",
  *check(context) {
    for (const { scope, object } of objectsOf(context, 'Ingress', ...GATEWAY_KINDS)) {
      const spec = field(object, 'spec') ?? {};
      const zone = scope.zone;
      if (object.kind === 'Ingress') {
        const cls =
          field(spec, 'ingressClassName') ??
          field(field(metadataOf(object, scope.address), 'annotations'), 'kubernetes.io/ingress.class');
        if (cls !== zone.ingressClass)
          yield flag(
            scope,
            `Ingress with class '${cls ?? '(default class)'}', not the NdB class '${zone.ingressClass}'`,
            1,
          );
      } else if (GATEWAY_KINDS.has(object.kind)) {
        if (object.kind !== 'Gateway' || field(spec, 'gatewayClassName') !== zone.ingressClass)
          yield flag(scope, `Gateway API ${object.kind} attaches to a gateway class outside the NdB zone`, 1);
      }
    }
  },
};
