/** The validated federation model that stacks are built from. Plain data: no constructs, no I/O. */
import type { Cidr } from './cidr';
import type { MatrixProduct } from './domain/products';
import type { ConfigPath } from './errors';
import type {
  Classification,
  ClusterConfig,
  FederationConfig,
  MatrixServerConfig,
  OperatorConfig,
  StateBackendConfig,
  TenantConfig,
  WirePillarConfig,
  ZoneConfig,
  ZoneKind,
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
  /** The kind of the partner's zone. */
  readonly zoneKind: ZoneKind;
  /** The classification the partner carries: its pillar's, or as declared for an external backend. */
  readonly classification: Classification;
  /** Who runs the partner: the operator of a pillar of this federation, or as declared for an external backend. */
  readonly operator?: string;
}

export interface WirePillar extends Omit<WirePillarConfig, 'cluster' | 'operator' | 'federationDomain'> {
  readonly cluster: Cluster;
  readonly operator: Operator;
  readonly classification: Classification;
  readonly federationDomain: string;
  /** Declared federation links of this pillar, resolved to the remote instance. */
  readonly partners: readonly FederationPartner[];
}

/** A Matrix server an agency runs on a cluster of the federation (self-hosted BundesMessenger, BwMessenger). */
export interface HostedMatrixServer {
  readonly mode: 'self-hosted';
  readonly product: MatrixProduct;
  /** The server's config: the very object of the tenant's `bundesMessenger` or `bwMessenger`. */
  readonly config: MatrixServerConfig;
  readonly cluster: Cluster;
  /** The zone the server is in (config/domain matrixServerZone): its cluster's zone. */
  readonly zone: Zone;
}

/** BundesMessenger as SaaS: the provider runs the server on the internet. */
export interface SaasBundesMessenger {
  readonly mode: 'saas';
  readonly product: 'bundesmessenger';
  /** The config: the very object of the tenant's `bundesMessenger`. */
  readonly config: Extract<NonNullable<TenantConfig['bundesMessenger']>, { mode: 'saas' }>;
  /** The SaaS provider (undefined only in a model built in code that names an unknown one). */
  readonly provider?: Operator;
  /** The cluster of the federation that serves the agency's `.well-known/matrix` delegation, if any. */
  readonly wellKnownCluster?: Cluster;
  /** The zone the server is in (config/domain matrixServerZone): the federation's internet zone, if declared. */
  readonly zone?: Zone;
}

/**
 * An agency with its references resolved to objects. It is a TenantConfig (every config key as written, the nested
 * objects shared with `federation.config`), and carries its Wire pillars and Matrix servers besides.
 */
export interface Tenant extends TenantConfig {
  /** The Wire Bund pillars the agency uses (`wire.pillars`), in config order. */
  readonly wirePillars: readonly WirePillar[];
  /** Its BundesMessenger: self-hosted on its cluster, or SaaS with provider and delegation cluster. */
  readonly bundesMessengerService?: HostedMatrixServer | SaasBundesMessenger;
  /** Its BwMessenger on its (BWI) cluster. */
  readonly bwMessengerService?: HostedMatrixServer;
  /** The Matrix servers it runs on clusters of the federation: self-hosted BundesMessenger, then BwMessenger. */
  readonly matrixServers: readonly HostedMatrixServer[];
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
  /** The agencies, references resolved (each also a TenantConfig). */
  readonly tenants: readonly Tenant[];
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
