/**
 * P1-HOSTNET: no pod of Säule 1 uses the host network or a host port. Only the calling charts (sftd, coturn) may,
 * and only on the cluster's calling pool in a calling namespace; pods the project declares itself never may.
 */
import { Labels } from '../../../constructs/labels';
import { field, items, valueAt } from '../../synthesized-view';
import { knownChart } from './charts';
import { objectsOf, type ObjectSite } from './context';
import type { GuardRule } from './rule';
import { flag, sameSelector, type GuardResult, type ZonedScope } from './scope';

const POD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

const callingPool = (scope: ZonedScope) => scope.cluster?.nodePools.find((p) => p.purpose === 'calling');

/** A pod a calling chart rendered onto the calling pool of a calling namespace: it may use the host network. */
function onCallingPool({ scope, object, renderedBy }: ObjectSite): boolean {
  const pool = callingPool(scope);
  return (
    !!renderedBy &&
    !!knownChart(renderedBy.chart)?.calling &&
    !!pool &&
    scope.namespaceLabels[Labels.service] === 'wire-calling' &&
    sameSelector(valueAt(object, 'spec.template.spec.nodeSelector'), pool.nodeSelector)
  );
}

function* podSpecFindings(scope: ZonedScope, podSpec: unknown): Iterable<GuardResult> {
  if (field(podSpec, 'hostNetwork') === true)
    yield flag(scope, 'pod uses hostNetwork (only the sftd and coturn releases may, on the calling pool)', 1);
  for (const c of [...items(field(podSpec, 'containers')), ...items(field(podSpec, 'initContainers'))]) {
    for (const p of items(field(c, 'ports'))) {
      const hostPort = field(p, 'hostPort');
      if (hostPort !== undefined) yield flag(scope, `container '${field(c, 'name')}' uses hostPort ${hostPort}`, 1);
    }
  }
}

export const hostnetRule: GuardRule<'P1-HOSTNET'> = {
  id: 'P1-HOSTNET',
  level: 'error',
  unsuppressible: true,
  explanation: 'a pod on the host network or with a host port, outside the calling pool',
  *check(context) {
    for (const site of objectsOf(context, ...POD_KINDS)) {
      const { scope, object } = site;
      if (onCallingPool(site)) continue;
      const spec = field(object, 'spec') ?? {};
      const podSpec =
        object.kind === 'Pod'
          ? spec
          : object.kind === 'CronJob'
            ? valueAt(spec, 'jobTemplate.spec.template.spec')
            : valueAt(spec, 'template.spec');
      yield* podSpecFindings(scope, podSpec ?? {});
    }
    for (const { scope, chart, known, values } of context.releases) {
      if (!known?.calling || !('values' in values)) continue;
      const pool = callingPool(scope);
      if (
        !pool ||
        !sameSelector(field(values.values, 'nodeSelector'), pool.nodeSelector) ||
        scope.namespaceLabels[Labels.service] !== 'wire-calling'
      )
        yield flag(
          scope,
          `${chart} runs with hostNetwork but is not placed on the calling pool in a calling namespace`,
          4,
        );
    }
  },
};
