/** The validated federation model that stacks are built from. Plain data: no constructs, no I/O. */
import type { Cidr } from './cidr';
import type { ConfigPath } from './errors';
import type {
  Classification,
  ClusterConfig,
  FederationConfig,
  OperatorConfig,
  StateBackendConfig,
  TenantConfig,
  WirePillarConfig,
  ZoneConfig,
} from './schema';

export interface Zone extends ZoneConfig {
  readonly maxClassification: Classification;
  readonly networks: readonly Cidr[];
}

export interface Operator extends Omit<OperatorConfig, 'kind'> {
  /** `agency` when an agency of this federation operates the cluster itself (self-hosting). */
  readonly kind: OperatorConfig['kind'] | 'agency';
}

export interface Cluster extends Omit<ClusterConfig, 'zone' | 'operator'> {
  readonly zone: Zone;
  readonly operator: Operator;
}

export interface FederationPartner {
  readonly id: string;
  readonly domain: string;
  readonly searchPolicy: 'no_search' | 'exact_handle_search' | 'full_search';
  readonly zone: string;
}

export interface WirePillar extends Omit<WirePillarConfig, 'cluster' | 'operator' | 'federationDomain'> {
  readonly cluster: Cluster;
  readonly operator: Operator;
  readonly classification: Classification;
  readonly federationDomain: string;
  /** Declared federation links of this pillar, resolved to the remote instance. */
  readonly partners: readonly FederationPartner[];
}

export interface Federation {
  /** Absolute path of the config file the model came from. */
  readonly sourceFile: string;
  /** sha256 (hex) of the text the model was parsed from: the evidence the reports name. */
  readonly sourceSha256?: string;
  readonly name: string;
  readonly stateBackend: StateBackendConfig;
  readonly operators: readonly Operator[];
  readonly zones: readonly Zone[];
  readonly clusters: readonly Cluster[];
  readonly pillars: readonly WirePillar[];
  readonly chartRepositories: FederationConfig['wire']['chartRepositories'];
  readonly tenants: readonly TenantConfig[];
  /** The raw (defaulted) config, for reports. */
  readonly config: FederationConfig;
  /** Line and column of a path in the config file, for checks that run after loading (e.g. suppressions). */
  readonly locate?: (path: ConfigPath) => { readonly line?: number; readonly column?: number };
}

export function byId<T extends { readonly id: string }>(items: readonly T[], id: string): T {
  const found = items.find((i) => i.id === id);
  if (!found) throw new Error(`internal: unknown id '${id}' after validation`);
  return found;
}
