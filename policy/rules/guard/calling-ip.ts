/**
 * P1-CALLING-IP: the calling nodes and charts announce no address outside the NdB: the node annotation
 * `wire.com/external-ip` (the only patch Säule 1 may carry), and every address sftd, coturn and brig take through
 * their values (policy/guardrails.ts `callingAddressProblems`).
 */
import { AnnotationKeys } from '../../../constructs/facts';
import { callingAddressProblems } from '../../guardrails';
import { EXPOSURE_RULES } from './catalogue';
import type { PatchSite } from './context';
import { metadataField } from './json';
import type { GuardRule } from './rule';
import { flag } from './scope';

/** The patch entry is a calling node's announced address (any other patch is P1-PATCH). */
export const announcesAddress = (site: PatchSite, key: string): boolean =>
  site.type === 'kubernetes_annotations' && site.kind === 'Node' && key === AnnotationKeys.externalIp;

export const callingIpRule: GuardRule = {
  id: 'P1-CALLING-IP',
  level: 'error',
  unsuppressible: true,
  explanation: EXPOSURE_RULES['P1-CALLING-IP'],
  *check({ patches, releases, insideNdb }) {
    for (const site of patches) {
      const zone = site.scope.zone;
      for (const [i, [key, value]] of site.entries.entries()) {
        if (announcesAddress(site, key) && !insideNdb(zone, String(value)))
          yield flag(
            site.scope,
            `node '${metadataField(site.body, 'name')}' announces ${value}, outside the NdB (${zone.cidrs.join(', ')})`,
            1,
            i,
          );
      }
    }
    for (const { scope, chart, known, values } of releases) {
      if (!known || !('values' in values)) continue;
      for (const p of callingAddressProblems(chart, values.values, values.sensitivePaths, scope.zone))
        yield flag(scope, p, 5);
    }
  },
};
