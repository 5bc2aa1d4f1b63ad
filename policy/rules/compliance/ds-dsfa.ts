/**
 * DS-DSFA: the agency declares the state of its data protection impact assessment (Art. 35 DSGVO): done, planned or
 * not required with a reason; a planned one due before the day of the check is overdue.
 */
import type { TenantConfig } from '../../../config/schema';
import { germanDate } from '../../report/german';
import type { ComplianceUnit, ModelContext } from './context';

/** Whether a planned DSFA is overdue on a day (`YYYY-MM-DD`): its due date lies before that day. */
export function dsfaOverdue(
  dsfa: NonNullable<TenantConfig['dataProtection']>['dsfa'],
  asOf: string | undefined,
): string | undefined {
  return asOf && dsfa?.status === 'planned' && dsfa.due && dsfa.due < asOf ? dsfa.due : undefined;
}

export const dsDsfa: ComplianceUnit<ModelContext> = {
  id: 'DS-DSFA',
  level: 'warning',
  explanation: 'Datenschutz-Folgenabschätzung durchgeführt, geplant oder begründet nicht erforderlich (Art. 35 DSGVO)',
  *check({ federation, asOf }) {
    for (const t of federation.tenants) {
      const dsfa = t.dataProtection?.dsfa;
      if (!dsfa)
        yield {
          tenant: t.id,
          message: `${t.name}: Stand der Datenschutz-Folgenabschätzung nicht erklärt; dataProtection.dsfa angeben: durchgeführt (done, mit reference und date), geplant (planned, mit due) oder nicht erforderlich (mit reason)`,
        };
      const overdue = dsfaOverdue(dsfa, asOf);
      if (overdue)
        yield {
          tenant: t.id,
          message: `${t.name}: die Datenschutz-Folgenabschätzung ist überfällig seit ${germanDate(overdue)} (geplant, nicht abgeschlossen); durchführen und mit Aktenzeichen und Datum erklären (dataProtection.dsfa) oder den Termin (due) begründet neu setzen`,
        };
    }
  },
};
