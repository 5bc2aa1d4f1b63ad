/**
 * Container images of a chart and how to point them at an internal registry and pin them by digest (BSI
 * SYS.1.6.A6). Each chart keeps a table of its images (facts of the pinned chart version: which value holds the
 * repository or registry, which the tag, and the default tag); `imageValues` turns the federation's `images`
 * settings into the values that do it.
 */

export interface ImageSettings {
  /** Internal registry that mirrors every image (`images.registry`). */
  readonly registry?: string;
  /**
   * Pins by image name (the last segment of its repository, e.g. `brig`): `sha256:<hex>`, or `<tag>@sha256:<hex>`
   * where the project does not know the chart's default tag.
   */
  readonly digests?: Readonly<Record<string, string>>;
}

/** One image a chart renders. */
export interface ChartImage {
  /** The image's name: the last segment of its repository; the key in `images.digests`. */
  readonly name: string;
  /** How the chart names the image's registry: inside the repository value, or in a value of its own. */
  readonly registry:
    | { readonly kind: 'in-repository'; readonly repositoryPath: string; readonly repository: string }
    | { readonly kind: 'own-value'; readonly registryPath: string };
  /** The tag value and its default in the pinned chart version (undefined: not known to this project). */
  readonly tagPath?: string;
  readonly tag?: string;
  /** A value that pins a digest on its own (the chart then renders `repository@digest`). */
  readonly digestPath?: string;
  /** Why a digest cannot be pinned through values (e.g. a tag shared by several images). */
  readonly unpinnable?: string;
}

/** The images of one chart version. */
export interface ChartImages {
  readonly images: readonly ChartImage[];
  /** Images the chart hard-codes or the project cannot address (redirect them at the container runtime). */
  readonly fixed?: readonly string[];
}

export const DIGEST = /^sha256:[0-9a-f]{64}$/;
export const TAG_AT_DIGEST = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@sha256:[0-9a-f]{64}$/;

/** `quay.io/wire/brig` -> `wire/brig`: the path an image keeps in a mirror (its registry host dropped). */
export function pathInRegistry(repository: string): string {
  const [first, ...rest] = repository.split('/');
  return rest.length > 0 && /[.:]|^localhost$/.test(first) ? rest.join('/') : repository;
}

function setPath(values: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = values;
  for (const k of keys.slice(0, -1)) {
    if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/**
 * A full image reference for an image the project defines itself: `repository:tag`, moved to the registry and
 * pinned when the settings say so.
 */
export function imageReference(repository: string, tag: string, settings: ImageSettings | undefined): string {
  const repo = settings?.registry ? `${settings.registry}/${pathInRegistry(repository)}` : repository;
  const pin = settings?.digests?.[repository.split('/').pop()!];
  if (pin && TAG_AT_DIGEST.test(pin)) return `${repo}:${pin}`;
  return pin && DIGEST.test(pin) ? `${repo}:${tag}@${pin}` : `${repo}:${tag}`;
}

export interface ImageValues {
  /** Values to merge over the chart's generated values. */
  readonly values: Record<string, unknown>;
  /** Configured digests that cannot be pinned in this chart, with why (the compliance report lists them). */
  readonly problems: readonly string[];
}

/** The values that redirect a chart's images to the registry and pin the configured digests. */
export function imageValues(chart: string, images: ChartImages, settings: ImageSettings | undefined): ImageValues {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  if (!settings) return { values, problems };
  for (const image of images.images) {
    if (settings.registry) {
      if (image.registry.kind === 'in-repository') {
        setPath(
          values,
          image.registry.repositoryPath,
          `${settings.registry}/${pathInRegistry(image.registry.repository)}`,
        );
      } else {
        setPath(values, image.registry.registryPath, settings.registry);
      }
    }
    const pin = settings.digests?.[image.name];
    if (!pin) continue;
    if (image.unpinnable) {
      problems.push(`${chart}: image '${image.name}' cannot be pinned by digest: ${image.unpinnable}`);
    } else if (image.digestPath && DIGEST.test(pin)) {
      setPath(values, image.digestPath, pin);
    } else if (image.tagPath && TAG_AT_DIGEST.test(pin)) {
      setPath(values, image.tagPath, pin);
    } else if (image.tagPath && image.tag !== undefined && DIGEST.test(pin)) {
      setPath(values, image.tagPath, `${image.tag}@${pin}`);
    } else {
      problems.push(
        `${chart}: image '${image.name}': the default tag of the pinned chart version is not known to this project; ` +
          `give images.digests.${image.name} as '<tag>@sha256:<hex>'`,
      );
    }
  }
  return { values, problems };
}
