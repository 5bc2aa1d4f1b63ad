import { Annotations, Fn } from 'cdktf';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { Labels } from './labels';
import type { GuardedNamespace } from './guarded-namespace';
import { mergeHelmValues } from './helm-values-merge';
import { imageValues, type ChartImages, type ImageSettings } from './images';
import { DataKubernetesSecretV1, Release } from './providers';

export interface ChartRef {
  /** Chart name in its repository, e.g. `wire-server`. */
  readonly chart: string;
  /** Repository URL (`https://...` or `oci://...`); configurable for internal mirrors. */
  readonly repository: string;
  /** Exact chart version. */
  readonly version: string;
}

/** A secret value taken from a pre-created Kubernetes Secret and passed to Helm as a sensitive value. */
export interface SecretValue {
  /** Helm value path, e.g. `brig.secrets.turn.secret`. */
  readonly path: string;
  /** Key inside the Secret's data. */
  readonly key: string;
}

export interface HelmChartProps extends ChartRef {
  /** Release name. */
  readonly name: string;
  /** Where the release runs; its cluster's helm provider deploys it. */
  readonly namespace: GuardedNamespace;
  /** Typed values, rendered to one YAML document. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Secret values: never literals in the synthesized JSON, read from `secretName` at plan time. */
  readonly secrets?: readonly SecretValue[];
  /** Pre-created Secret (in the release namespace) that holds the keys of `secrets`. */
  readonly secretName?: string;
  /** @default 600 */
  readonly timeoutSeconds?: number;
  /**
   * The chart's images and the federation's image settings: the images are pointed at the internal registry and
   * pinned by digest through the chart's values (BSI SYS.1.6.A6).
   * @default the chart's own registries and tags
   */
  readonly images?: { readonly chart: ChartImages; readonly settings?: ImageSettings };
}

/**
 * One Helm release in a guarded namespace. Values are generated from typed inputs and passed as YAML; secrets are
 * read from a pre-created Kubernetes Secret and handed to Helm as `set_sensitive`, so no secret is a literal in
 * the synthesized JSON (they do end up in the Terraform state: keep state in an encrypted backend).
 */
export class HelmChart extends Construct {
  readonly release: Release;
  readonly chart: ChartRef;
  readonly values: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: HelmChartProps) {
    super(scope, id);
    const ns = props.namespace;
    if ((props.secrets?.length ?? 0) > 0 && !props.secretName) {
      throw new Error(`HelmChart '${props.name}': secrets given but no secretName to read them from`);
    }
    this.chart = { chart: props.chart, repository: props.repository, version: props.version };
    const images = props.images ? imageValues(props.chart, props.images.chart, props.images.settings) : undefined;
    // A digest that cannot be pinned must not pass silently: synthesis fails and names it.
    for (const problem of images?.problems ?? []) Annotations.of(this).addError(`images.digests: ${problem}`);
    this.values = images ? (mergeHelmValues(props.values, images.values) as Record<string, unknown>) : props.values;
    let setSensitive: Array<{ name: string; value: string; type: string }> | undefined;
    if (props.secrets && props.secrets.length > 0 && props.secretName) {
      const secret = new DataKubernetesSecretV1(this, 'secret', {
        provider: ns.cluster.kubernetes,
        metadata: { name: props.secretName, namespace: ns.name },
      });
      secret.overrideLogicalId(`${ns.name}_${props.name}_secret`);
      // The helm provider parses these like `helm --set`: escape backslashes and commas so a secret stays one value.
      setSensitive = props.secrets.map((s) => ({
        name: s.path,
        // in the emitted HCL: replace(replace(x, "\\", "\\\\"), ",", "\\,")
        value: Fn.replace(Fn.replace(secret.data.lookup(s.key), '\\\\', '\\\\\\\\'), ',', '\\\\,'),
        type: 'string',
      }));
    }
    this.release = new Release(this, 'release', {
      provider: ns.cluster.helm,
      dependsOn: [ns.namespace],
      name: props.name,
      namespace: ns.name,
      chart: props.chart,
      repository: props.repository,
      version: props.version,
      values: [stringify(this.values, { aliasDuplicateObjects: false, lineWidth: 0 })],
      setSensitive,
      createNamespace: false,
      atomic: true,
      cleanupOnFail: true,
      timeout: props.timeoutSeconds ?? 600,
      description: `${ns.labels[Labels.service]} in ${ns.name} (zone ${ns.cluster.zone.zoneId})`,
    });
    this.release.overrideLogicalId(`${ns.name}_${props.name}`);
  }
}
