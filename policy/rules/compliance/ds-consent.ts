/** DS-CONSENT: consent is never a legal basis for employees. */
import type { ComplianceUnit, ModelContext } from './context';

export const dsConsent: ComplianceUnit<ModelContext> = {
  id: 'DS-CONSENT',
  level: 'error',
  explanation: 'Einwilligung ist für Beschäftigte keine Rechtsgrundlage',
  *check({ federation }) {
    for (const t of federation.tenants) {
      if (t.dataProtection?.legalBasis.includes('consent'))
        yield {
          tenant: t.id,
          message: `${t.name}: die Einwilligung (legalBasis 'consent') ist für Beschäftigte keine Rechtsgrundlage; stattdessen 'public-task' und 'employment-relationship' erklären`,
        };
    }
  },
};
