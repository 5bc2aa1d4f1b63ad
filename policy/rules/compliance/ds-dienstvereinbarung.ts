/** DS-DIENSTVEREINBARUNG: the supervisory authority for data protection recommends a service agreement. */
import { serviceAgreementMissing } from '../../../config/domain';
import { supervisor } from '../../report/german';
import type { ComplianceUnit, ModelContext } from './context';

export const dsDienstvereinbarung: ComplianceUnit<ModelContext> = {
  id: 'DS-DIENSTVEREINBARUNG',
  level: 'warning',
  explanation: 'Dienstvereinbarung empfohlen (Aufsichtsbehörde für den Datenschutz)',
  *check({ federation }) {
    for (const t of federation.tenants) {
      if (serviceAgreementMissing(t))
        yield {
          tenant: t.id,
          message: `${t.name}: keine Dienstvereinbarung erklärt; ${supervisor(t.kind).replace(/^D/, 'd')} empfiehlt eine (dataProtection.serviceAgreement)`,
        };
    }
  },
};
