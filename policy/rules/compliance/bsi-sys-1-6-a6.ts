/**
 * BSI-SYS.1.6.A6: secure images: the images the project sets (deployments) and those of every Helm release come
 * from the internal registry and carry the configured digests; without an internal registry, the releases pull the
 * charts' default images from public registries (a warning about the federation, and one per agency counted on its
 * own stacks).
 */
import { CHARTS } from '../../../constructs/charts';
import { DIGEST, TAG_AT_DIGEST, type ChartImages } from '../../../constructs/images';
import { chartName, releaseValues } from '../../helm-values';
import { germanText } from '../../report/german';
import { resources, valueAt } from '../../synthesized-view';
import { covers, type ComplianceUnit, type CoverageFacts, type StackContext } from './context';
import { deploymentContainers, resourceCount } from './stack-objects';

/** The image table of every chart the project deploys, by chart name. */
const CHART_IMAGES: Readonly<Record<string, ChartImages>> = Object.fromEntries(
  Object.values(CHARTS).map((d) => [d.chart, d.images]),
);

/**
 * What keeps a release's images from coming from the internal registry, pinned by the configured digests: read from
 * the values the release hands to Helm (so a values override that points an image elsewhere is seen), against the
 * chart's image table.
 */
export function releaseImageProblems(
  chart: string,
  body: unknown,
  registry: string | undefined,
  digests: Readonly<Record<string, string>>,
): string[] {
  const table = CHART_IMAGES[chart];
  if (!table) return [`${chart}: Chart ohne Image-Tabelle; seine Images werden nicht geprüft`];
  let values: unknown;
  try {
    values = releaseValues(body).values;
  } catch {
    return [`${chart}: die Werte des Release sind nicht lesbar; seine Images werden nicht geprüft`];
  }
  const at = (p: string) => valueAt(values, p);
  const out: string[] = [];
  if (registry) {
    const elsewhere = table.images.filter((i) =>
      i.registry.kind === 'own-value'
        ? at(i.registry.registryPath) !== registry
        : !String(at(i.registry.repositoryPath) ?? '').startsWith(`${registry}/`),
    );
    if (elsewhere.length > 0) {
      out.push(
        `${chart}: ${elsewhere.map((i) => (i.registry.kind === 'own-value' ? i.registry.registryPath : i.registry.repositoryPath)).join(', ')} nicht auf ${registry} umgestellt`,
      );
    }
    for (const f of table.fixed ?? []) {
      out.push(
        `${chart}: über Werte nicht umlenkbar: ${germanText(f)}; unter eigenem Namen in der Container-Laufzeit spiegeln`,
      );
    }
  }
  for (const image of table.images) {
    const pin = digests[image.name];
    if (!pin) continue;
    const digest = pin.slice(pin.indexOf('sha256:'));
    const tag = image.tagPath ? String(at(image.tagPath) ?? '') : '';
    const pinned =
      (image.digestPath && at(image.digestPath) === digest) ||
      (TAG_AT_DIGEST.test(tag) && tag.endsWith(`@${digest}`) && DIGEST.test(digest));
    if (!pinned) out.push(`${chart}: Image '${image.name}' ist nicht auf den konfigurierten Digest ${digest} fixiert`);
  }
  return out;
}

/** What of an agency pulls public images, e.g. `2 Helm-Releases und 1 Deployment`; empty when nothing does. */
const publicImageUsers = (releases: number, deployments: number): string =>
  [
    releases > 0 && `${releases} Helm-Release${releases === 1 ? '' : 's'}`,
    deployments > 0 && `${deployments} Deployment${deployments === 1 ? '' : 's'}`,
  ]
    .filter(Boolean)
    .join(' und ');

/** The coverage text of the images: the internal registry and the digests the config names. */
function imageCoverage({ registry, digests }: CoverageFacts): string {
  const pinned = digests > 0 ? `${digests} Digests konfiguriert` : 'keine Digests konfiguriert (images.digests)';
  return registry
    ? `interne Registry ${registry}; ${pinned}`
    : `keine interne Registry konfiguriert (images.registry): Standard-Images der Charts aus öffentlichen Registries; ${pinned}`;
}

/** The coverage text of the distribution of images: mirrored through the internal registry or not. */
const distributionCoverage = ({ registry }: CoverageFacts): string =>
  registry
    ? `Images über die interne Registry ${registry}; Charts aus den konfigurierten Chart-Repositories`
    : 'Charts aus den konfigurierten Chart-Repositories; Images nicht gespiegelt (keine interne Registry)';

export const bsiImages: ComplianceUnit<StackContext> = {
  id: 'BSI-SYS.1.6.A6',
  level: 'warning',
  explanation: 'Images aus der internen Registry, per Digest fixiert',
  ...covers({ 'SYS.1.6.A6': imageCoverage, 'SYS.1.6.A12': distributionCoverage }),
  *check({ stacks, images: { registry, digests }, agencies = [] }) {
    // Images the project sets itself must come from the internal registry and carry the configured digest.
    for (const c of deploymentContainers(stacks)) {
      const where = { stack: c.stack, resource: c.address };
      if (registry && !c.image.startsWith(`${registry}/`))
        yield {
          tenant: undefined,
          message: `Image '${c.image}' stammt nicht aus der internen Registry ${registry}`,
          ...where,
        };
      const repo = c.image.split('@')[0].split(':')[0].split('/').pop() ?? '';
      const pin = Object.hasOwn(digests, repo) ? digests[repo] : undefined;
      const digest = pin?.slice(pin.indexOf('sha256:'));
      if (digest && !c.image.endsWith(`@${digest}`))
        yield {
          tenant: undefined,
          message: `Image '${c.image}' ist nicht auf den konfigurierten Digest ${digest} fixiert`,
          ...where,
        };
    }
    if (registry || Object.keys(digests).length > 0) {
      for (const s of stacks) {
        for (const { address, body } of resources(s, 'helm_release')) {
          for (const problem of releaseImageProblems(chartName(body.chart), body, registry, digests))
            yield { tenant: undefined, message: problem, stack: s.name, resource: address };
        }
      }
    }
    const releases = resourceCount(stacks, 'helm_release');
    if (registry || releases === 0) return;
    yield {
      tenant: undefined,
      message: `keine interne Image-Registry konfiguriert (images.registry): ${releases} Helm-Releases beziehen die Standard-Images ihrer Charts aus öffentlichen Registries; diese spiegeln`,
    };
    // the same for each agency, counted on its own stacks (its report lists it among the agency's findings)
    for (const { tenant, stacks: names } of agencies) {
      const own = stacks.filter((s) => names.has(s.name));
      const what = publicImageUsers(resourceCount(own, 'helm_release'), resourceCount(own, 'kubernetes_deployment_v1'));
      if (what)
        yield {
          tenant,
          message: `keine interne Image-Registry konfiguriert (images.registry): Dienste der Behörde (${what}) beziehen die Standard-Images aus öffentlichen Registries; diese spiegeln`,
        };
    }
  },
};
