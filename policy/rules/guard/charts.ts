/** The charts the guard knows how to read, from the chart descriptors (`constructs/charts/`). */
import { CHARTS } from '../../../constructs/charts';

/** What the guard knows of a chart: the values path that must carry the zone's ingress class, whether it is a calling chart. */
export interface GuardedChart {
  readonly ingressClassPath?: string;
  readonly calling?: boolean;
}

/**
 * Charts the guard knows how to read, and the values path that must carry the zone's ingress class: from the chart
 * descriptors (`constructs/charts/`).
 */
const KNOWN_CHARTS: Readonly<Record<string, GuardedChart>> = Object.fromEntries(
  Object.values(CHARTS).map((d) => [d.chart, d.guard]),
);

/** The guard's knowledge of a chart by its base name, undefined for a chart it does not know. */
export const knownChart = (chart: string): GuardedChart | undefined =>
  Object.hasOwn(KNOWN_CHARTS, chart) ? KNOWN_CHARTS[chart] : undefined;
