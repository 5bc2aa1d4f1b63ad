/** DS-DPO: the agency names its data protection officer (Art. 37 DSGVO). */
import { dataProtectionOfficerMissing } from '../../../config/domain';
import type { ComplianceUnit, ModelContext } from './context';

export const dsDpo: ComplianceUnit<ModelContext> = {
  id: 'DS-DPO',
  level: 'warning',
  explanation: 'Datenschutzbeauftragte oder Datenschutzbeauftragter benannt (Art. 37 DSGVO)',
  *check({ federation }) {
    for (const t of federation.tenants) {
      if (dataProtectionOfficerMissing(t))
        yield {
          tenant: t.id,
          message: `${t.name}: keine Datenschutzbeauftragte und kein Datenschutzbeauftragter benannt (dataProtection.dataProtectionOfficer mit name, email, phone)`,
        };
    }
  },
};
