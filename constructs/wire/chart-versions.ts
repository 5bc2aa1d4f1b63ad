/**
 * The chart versions of Wire release 5.32, as their descriptors (`constructs/charts/`) pin them. Repositories come
 * from the config (`wire.chartRepositories`) so an air-gapped install can mirror them.
 */
import { WIRE_CHART_DESCRIPTORS, type WireChartName } from '../charts';

export type { WireChartName } from '../charts';

export type WireRepository = 'stable' | 'webapp' | 'avs';

export const WIRE_RELEASE = '5.32';

export const WIRE_CHARTS = Object.fromEntries(
  Object.entries(WIRE_CHART_DESCRIPTORS).map(([name, d]) => [
    name,
    { version: d.version, repository: d.repository as WireRepository },
  ]),
) as Readonly<Record<WireChartName, { readonly version: string; readonly repository: WireRepository }>>;
