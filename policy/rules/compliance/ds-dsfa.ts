/**
 * DS-DSFA: the agency declares the state of its data protection impact assessment (Art. 35 DSGVO): done, planned or
 * not required with a reason; a planned one due before the day of the check is overdue (config/domain openDsfa).
 */
import { openDsfa } from '../../../config/domain';
import { germanDate } from '../../report/german';
import type { ComplianceUnit, ModelContext } from './context';

export const dsDsfa: ComplianceUnit<ModelContext> = {
  id: 'DS-DSFA',
  level: 'warning',
  explanation: 'Datenschutz-Folgenabschätzung durchgeführt, geplant oder begründet nicht erforderlich (Art. 35 DSGVO)',
  *check({ federation, asOf }) {
    for (const t of federation.tenants) {
      const open = openDsfa(t, asOf);
      if (open?.state === 'undeclared')
        yield {
          tenant: t.id,
          message: `${t.name}: Stand der Datenschutz-Folgenabschätzung nicht erklärt; dataProtection.dsfa angeben: durchgeführt (done, mit reference und date), geplant (planned, mit due) oder nicht erforderlich (mit reason)`,
        };
      if (open?.state === 'planned' && open.overdue)
        yield {
          tenant: t.id,
          message: `${t.name}: die Datenschutz-Folgenabschätzung ist überfällig seit ${germanDate(open.overdue)} (geplant, nicht abgeschlossen); durchführen und mit Aktenzeichen und Datum erklären (dataProtection.dsfa) oder den Termin (due) begründet neu setzen`,
        };
    }
  },
};
