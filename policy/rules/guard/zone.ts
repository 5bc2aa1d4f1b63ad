/**
 * P1-ZONE: Säule 1 is deployed only through the providers of an NdB cluster, and the facts that say which cluster
 * and zone that is (the stacks' `network_zone` and `zone_cluster` locals, provider connections) hold together.
 */
import type { GuardRule } from './rule';
import { flag } from './scope';

export const zoneRule: GuardRule<'P1-ZONE'> = {
  id: 'P1-ZONE',
  level: 'error',
  unsuppressible: true,
  explanation: 'deployed through the providers of a cluster whose zone is not the NdB (or of an unknown cluster)',
  *check(context) {
    // contradictions in the facts themselves, reported before the resources
    for (const [i, p] of context.factProblems.entries())
      yield { stack: p.stack, resource: p.address, message: p.message, position: [1, i] };
    for (const scope of context.scopes) {
      const cluster = scope.cluster;
      if (cluster?.zone.kind === 'ndb') continue;
      yield flag(
        scope,
        cluster
          ? `Säule-1 resource deployed through the providers of cluster '${cluster.id}' in zone '${cluster.zone.id}' (${cluster.zone.kind})`
          : `Säule-1 resource deployed through provider '${scope.provider ?? '(default)'}', which belongs to no known NdB cluster`,
        0,
      );
    }
  },
};
