/** VSNFD-DEVICES: an agency on Wire Bund Säule 1 (up to VS-NfD) declares that it uses VS-NfD approved devices. */
import { resolvedTenant } from '../../../config/resolve';
import type { ComplianceUnit, ModelContext } from './context';

export const vsnfdDevices: ComplianceUnit<ModelContext> = {
  id: 'VSNFD-DEVICES',
  level: 'error',
  explanation: 'Säule 1 nur mit VS-NfD-zugelassenen Endgeräten',
  unsuppressible: true,
  *check({ federation }) {
    for (const t of federation.tenants) {
      const onP1 = resolvedTenant(federation, t).wirePillars.some((p) => p.pillar === 1);
      if (onP1 && !t.dataProtection?.vsNfdApprovedDevices)
        yield {
          tenant: t.id,
          message: `${t.name}: nutzt Wire Bund Säule 1 (bis VS-NfD), erklärt aber nicht dataProtection.vsNfdApprovedDevices: true`,
        };
    }
  },
};
