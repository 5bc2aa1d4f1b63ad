/**
 * Size profiles for a Wire Bund pillar, from Wire's own figures: the chart defaults of wire-server 5.32 (requests
 * and memory limits per service) and the production example's three replicas per service.
 * - small: one replica each (pilots), chart-default resources;
 * - medium: three replicas (Wire's production example), chart-default resources;
 * - large: six replicas, requests and limits doubled.
 * CPU limits are added (1 core, 2 for large) because BSI SYS.1.6.A15 asks for limits on every container.
 */
export type SizeProfile = 'small' | 'medium' | 'large';

export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Chart defaults (requests cpu in millicores, memory in Mi; memory limit in Mi). */
const BASE: Readonly<Record<string, readonly [number, number, number]>> = {
  brig: [100, 200, 512],
  cannon: [100, 256, 1024],
  galley: [100, 100, 500],
  gundeck: [100, 300, 1024],
  cargohold: [100, 80, 200],
  spar: [50, 100, 200],
  'background-worker': [100, 200, 512],
  nginz: [100, 850, 1200],
  federator: [200, 256, 512],
};

export type WireService = keyof typeof BASE;
export const WIRE_SERVICES = Object.keys(BASE);

const REPLICAS: Record<SizeProfile, number> = { small: 1, medium: 3, large: 6 };
const FACTOR: Record<SizeProfile, number> = { small: 1, medium: 1, large: 2 };

export function replicas(size: SizeProfile): number {
  return REPLICAS[size];
}

export function resourcesFor(service: string, size: SizeProfile): Resources {
  const base = BASE[service];
  if (!base) throw new Error(`no sizing for Wire service '${service}'; known: ${WIRE_SERVICES.join(', ')}`);
  const f = FACTOR[size];
  const [cpu, mem, memLimit] = base;
  return {
    requests: { cpu: `${cpu * f}m`, memory: `${mem * f}Mi` },
    limits: { cpu: `${1000 * f}m`, memory: `${memLimit * f}Mi` },
  };
}
