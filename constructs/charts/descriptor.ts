/**
 * One descriptor per chart: everything the project knows about a pinned chart version in one place. Its version
 * and repository, its images (for the internal registry and digests), the value paths the Säule-1 guard reads,
 * what it must render for its services to start, the connections it needs and its secrets. Constructs, the guard,
 * the compliance pack, the render stage and the tests all read the chart's facts from here.
 */
import type { SecretValue } from '../helm-chart';
import type { ChartImages } from '../images';
import type { WirePillarSpec } from '../wire/pillar-spec';
import type { CallingPlacement } from '../wire/values';

/** Which configured repository a chart comes from (`wire.chartRepositories.*`, `matrix.chartRepository`). */
export type ChartRepository = 'stable' | 'webapp' | 'avs' | 'matrix';

/** A config file the chart renders into a ConfigMap, and the paths that must be set in it. */
export interface ConfigFileContract {
  readonly configMap: string;
  readonly file: string;
  /** Dotted paths that must not be null in the parsed file, with why. */
  readonly required: ReadonlyArray<readonly [path: string, why: string]>;
}

/** A config file line that must not occur. */
export interface TextContract {
  readonly configMap: string;
  readonly file: string;
  readonly forbidden: RegExp;
  readonly why: string;
}

/**
 * Values a config file must carry, derived from the facts the release's stack records (its Terraform `locals`, e.g.
 * `wire_instance`): dotted path, the value (lists compare as sets) and why. No expectations: nothing is checked.
 */
export interface ExpectedValuesContract {
  readonly configMap: string;
  readonly file: string;
  readonly expected: (
    locals: Readonly<Record<string, unknown>>,
  ) => ReadonlyArray<readonly [path: string, value: unknown, why: string]>;
}

export type RenderContract = ConfigFileContract | TextContract | ExpectedValuesContract;

/** One end of a connection, in terms of a pillar's facts. */
export type FlowEnd =
  /** Pods of the release's own namespace with this `app` label. */
  | { readonly pod: string }
  /** The zone's ingress controller. */
  | { readonly zoneIngress: true }
  /** A client address inside the zone. */
  | { readonly zoneClient: true }
  /** Every address the release of an `-external` chart of the same pillar names (its IPs values). */
  | { readonly endpointsOf: string }
  /** The calling nodes' addresses (sftd and coturn run on their host network). */
  | { readonly callingNodes: true };

export interface NeededFlow {
  readonly from: FlowEnd;
  readonly to: FlowEnd;
  readonly port: number;
  readonly what: string;
  /** Only needed when the pillar federates. @default always */
  readonly when?: 'federating';
}

export interface ChartDescriptor {
  readonly chart: string;
  readonly version: string;
  readonly repository: ChartRepository;
  /** Its images: which values hold registry, repository, tag and digest. */
  readonly images: ChartImages;
  /** What the Säule-1 guard reads from the values: the ingress class path; whether it runs on the calling pool. */
  readonly guard: { readonly ingressClassPath?: string; readonly calling?: boolean };
  /** What it must render for its services to start (verify --render). */
  readonly contracts?: readonly RenderContract[];
  /** The connections it needs (verify --render evaluates them against every NetworkPolicy). */
  readonly flows?: readonly NeededFlow[];
  /**
   * Value forms the chart's templates expect (they render something wrong, not an error, otherwise): problems of a
   * release's values, checked by verify --render whether or not the chart can be rendered.
   */
  readonly valueContracts?: (values: Readonly<Record<string, unknown>>) => string[];
  /** Values a release outside a pillar sets from its pre-created Secret (set_sensitive): path and Secret key. */
  readonly secrets?: readonly SecretValue[];
  /** How a Wire Bund pillar deploys it; absent for charts that are not part of a pillar. */
  readonly pillar?: {
    /** The pillar's namespace, or `<pillar>-calling` for the host-network calling charts. */
    readonly namespace: 'pillar' | 'calling';
    /** Its values for a pillar (`constructs/wire/values.ts`), or undefined when the pillar does not deploy it. */
    readonly values: (
      spec: WirePillarSpec,
      placement: CallingPlacement,
    ) => Readonly<Record<string, unknown>> | undefined;
    /** Values set from the pillar's Secret (set_sensitive): path and Secret key. */
    readonly secrets?: (spec: WirePillarSpec) => readonly SecretValue[];
  };
}
