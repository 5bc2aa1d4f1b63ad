/** VSNFD-DEVICES: an agency on Wire Bund Säule 1 (up to VS-NfD) declares that it uses VS-NfD approved devices. */
import { vsNfdDevicesUndeclared } from '../../../config/domain';
import type { ComplianceUnit, ModelContext } from './context';

export const vsnfdDevices: ComplianceUnit<ModelContext> = {
  id: 'VSNFD-DEVICES',
  level: 'error',
  explanation: 'Säule 1 nur mit VS-NfD-zugelassenen Endgeräten',
  unsuppressible: true,
  *check({ federation }) {
    for (const t of federation.tenants) {
      if (vsNfdDevicesUndeclared(t))
        yield {
          tenant: t.id,
          message: `${t.name}: nutzt Wire Bund Säule 1 (bis VS-NfD), erklärt aber nicht dataProtection.vsNfdApprovedDevices: true`,
        };
    }
  },
};
