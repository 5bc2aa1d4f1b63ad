/** DS-PRESENCE: a Matrix server shows the online status only with a service agreement that allows it. */
import type { ComplianceUnit, ModelContext } from './context';
import { ownMatrixServers } from './matrix-servers';

export const dsPresence: ComplianceUnit<ModelContext> = {
  id: 'DS-PRESENCE',
  level: 'error',
  explanation: 'Anwesenheitsstatus nur mit Dienstvereinbarung, die ihn erlaubt',
  *check({ federation }) {
    for (const t of federation.tenants) {
      for (const { label, server } of ownMatrixServers(t)) {
        if (server.privacy.presence && !t.dataProtection?.serviceAgreement?.allowsPresence)
          yield {
            tenant: t.id,
            message: `${t.name}: ${label} zeigt den Online-Status (privacy.presence) ohne Dienstvereinbarung, die ihn erlaubt (er ermöglicht Leistungskontrollen); abschalten oder serviceAgreement.allowsPresence erklären`,
          };
      }
    }
  },
};
