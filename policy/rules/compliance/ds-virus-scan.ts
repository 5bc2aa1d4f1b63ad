/**
 * DS-VIRUS-SCAN: scanning attachments hands the scanner the key of every file, which weakens the end-to-end
 * encryption of files: a note when the agency acknowledged it, an error when it did not.
 */
import type { ComplianceUnit, ModelContext } from './context';
import { ownMatrixServers } from './matrix-servers';

export const dsVirusScan: ComplianceUnit<ModelContext> = {
  id: 'DS-VIRUS-SCAN',
  level: 'info',
  explanation: 'Virenscan von Anhängen schwächt die Ende-zu-Ende-Verschlüsselung für Dateien (bestätigt)',
  variants: { unacknowledged: 'error' },
  *check({ federation }) {
    for (const t of federation.tenants) {
      for (const { label, server } of ownMatrixServers(t)) {
        if (!server.virusScanning.enabled) continue;
        yield server.virusScanning.acknowledgeKeyDisclosure === true
          ? {
              tenant: t.id,
              message: `${t.name}: ${label} prüft Anhänge auf Schadsoftware; der Scanner erhält dazu den Schlüssel jeder Datei, das schwächt die Ende-zu-Ende-Verschlüsselung von Dateien (bestätigt)`,
            }
          : {
              tenant: t.id,
              message: `${t.name}: ${label} prüft Anhänge, ohne zu bestätigen, dass dies die Ende-zu-Ende-Verschlüsselung von Dateien schwächt; acknowledgeKeyDisclosure: true setzen`,
              variant: 'unacknowledged',
            };
      }
    }
  },
};
