/**
 * P1-PATCH: no label or annotation patch of an existing object of Säule 1 (`kubernetes_labels`,
 * `kubernetes_annotations`): it could lift guardrails (Pod Security and zone labels of a namespace) or expose a
 * Service (load-balancer annotations). The calling nodes' announced address is the one exception (P1-CALLING-IP).
 */
import { announcesAddress } from './calling-ip';
import { lit, metadataField } from './json';
import type { GuardRule } from './rule';
import { flag } from './scope';

export const patchRule: GuardRule<'P1-PATCH'> = {
  id: 'P1-PATCH',
  level: 'error',
  unsuppressible: true,
  explanation: 'a label or annotation patch that changes the guardrails or the exposure of an existing object',
  *check({ patches }) {
    for (const site of patches) {
      const what = site.type === 'kubernetes_labels' ? 'label' : 'annotation';
      const name = lit(metadataField(site.body, 'name'));
      for (const [i, [key]] of site.entries.entries()) {
        if (!announcesAddress(site, key))
          yield flag(site.scope, `${what} ${key} patched onto ${site.kind} '${name}'`, 1, i);
      }
    }
  },
};
