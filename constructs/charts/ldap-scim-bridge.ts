/** The ldap-scim-bridge chart: syncs an agency's LDAP directory into its Wire team (one release per pillar). */
import { LDAP_SCIM_BRIDGE_SECRETS } from '../wire/values';
import type { ChartDescriptor } from './descriptor';
import { WIRE_RELEASE_VERSION, wireImage } from './wire-images';

export const LDAP_SCIM_BRIDGE: ChartDescriptor = {
  chart: 'ldap-scim-bridge',
  version: WIRE_RELEASE_VERSION,
  repository: 'stable',
  images: { images: [wireImage('ldap-scim-bridge', 'image', '0.10.4')] },
  guard: {},
  secrets: LDAP_SCIM_BRIDGE_SECRETS,
};
