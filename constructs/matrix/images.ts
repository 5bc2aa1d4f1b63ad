/**
 * The images of the BundesMessenger chart 1.16.0 (its values.yaml at the release commit): every image has
 * `registry`, `repository` and `tag` values, and the templates render `<registry>/<repository>:<tag>`, so the
 * registry value redirects an image and `<tag>@<digest>` pins it.
 */
import type { ChartImage, ChartImages } from '../images';

const BUM = 'bwi/bundesmessenger/backend/container-images';

/** [values path of the image block, repository, default tag] */
const IMAGES: ReadonlyArray<readonly [string, string, string]> = [
  ['image', `${BUM}/synapse`, '1.139.2-jammy-production'],
  ['kubectlImage', `${BUM}/kubectl`, '1.34.1-jammy-production'],
  ['signingkey.job.generateImage', `${BUM}/synapse`, '1.139.2-jammy-production'],
  ['volumePermissions.image', `${BUM}/ubuntu`, 'latest-jammy-production'],
  ['sygnal.image', `${BUM}/sygnal`, '0.16.0-jammy-production'],
  ['wellknown.image', `${BUM}/nginx`, '1.18.0-6ubuntu14.7-jammy-production'],
  ['confighub.image', `${BUM}/nginx`, '1.18.0-6ubuntu14.7-jammy-production'],
  ['postgresql.image', 'bitnamilegacy/postgresql', '16'],
  ['redis.image', `${BUM}/redis`, '5_6.0.16-1ubuntu1-jammy-production'],
  ['mas.image', 'element-hq/matrix-authentication-service', '1.3.0-debug'],
  ['contentscanner.image', `${BUM}/matrix-content-scanner`, '1.2.1-jammy-production'],
  ['schadcodescanner.clamavImage', `${BUM}/clamav`, '1.4.3_dfsg-0ubuntu0.22.04.1-jammy-production'],
  ['schadcodescanner.icapImage', `${BUM}/icap`, '1_0.5.6-2build1-jammy-production'],
  ['synapse_admin.image', `${BUM}/synapse-admin`, '0.11.1-jammy-production'],
  ['adminPortal.coreImage', `${BUM}/bumap-core`, '1.1.0-jammy-production'],
  ['adminPortal.uiImage', `${BUM}/bumap-ui`, '1.1.0-jammy-production'],
  ['webclient.image', `${BUM}/bundesmessenger-web`, '2.23.1-jammy-production'],
  ['call.client.image', `${BUM}/bundesmessenger-call`, '0.4.0-jammy-production'],
  ['call.jwtService.image', 'element-hq/lk-jwt-service', '0.3.0'],
  ['tests.image', `${BUM}/wget`, '1.21.2-jammy-production'],
];

export const BUNDESMESSENGER_IMAGES: ChartImages = {
  images: IMAGES.map(
    ([prefix, repository, tag]): ChartImage => ({
      name: repository.split('/').pop()!,
      registry: { kind: 'own-value', registryPath: `${prefix}.registry` },
      tagPath: `${prefix}.tag`,
      tag,
    }),
  ),
  fixed: ['the images of the Bitnami subcharts that the chart does not set (redis and postgresql helpers)'],
};
