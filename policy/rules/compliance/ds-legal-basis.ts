/** DS-LEGAL-BASIS: an agency declares the public task and the employment relationship as its legal basis. */
import type { ComplianceUnit, ModelContext } from './context';

export const dsLegalBasis: ComplianceUnit<ModelContext> = {
  id: 'DS-LEGAL-BASIS',
  level: 'error',
  explanation: 'Rechtsgrundlage: öffentliche Aufgabe und Beschäftigungsverhältnis erklärt',
  *check({ federation }) {
    for (const t of federation.tenants) {
      const bases = new Set(t.dataProtection?.legalBasis ?? []);
      if (!bases.has('public-task') || !bases.has('employment-relationship'))
        yield {
          tenant: t.id,
          message: `${t.name}: dataProtection.legalBasis muss 'public-task' und 'employment-relationship' erklären (gefunden: ${[...bases].join(', ') || 'nichts'})`,
        };
    }
  },
};
