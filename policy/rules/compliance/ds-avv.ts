/** DS-AVV: a data processing agreement (Art. 28 DSGVO) with every operator that processes data for the agency. */
import { distinctProcessors, missingAgreements } from '../../../config/domain';
import type { ComplianceUnit, ModelContext } from './context';

export const dsAvv: ComplianceUnit<ModelContext> = {
  id: 'DS-AVV',
  level: 'error',
  explanation: 'Auftragsverarbeitungsvertrag (AVV) mit jedem Betreiber, der nicht die Behörde selbst ist',
  *check({ federation }) {
    for (const t of federation.tenants) {
      for (const p of distinctProcessors(missingAgreements(t)))
        yield {
          tenant: t.id,
          message: `${t.name}: kein Auftragsverarbeitungsvertrag (AVV) mit ${p.name} für ${p.service}; dataProtection.agreements[] mit processor '${p.operator}', Aktenzeichen (reference) und Datum (date) ergänzen`,
        };
    }
  },
};
