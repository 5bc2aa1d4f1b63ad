/**
 * BSI-SYS.1.6.A17: no privileged containers: every namespace enforces Pod Security `restricted`, or runs below it
 * as an exception with a recorded reason (a note).
 */
import { Labels } from '../../../constructs/labels';
import { germanText } from '../../report/german';
import { covers, type ComplianceUnit, type CoverageFacts, type StackContext } from './context';
import { POD_SECURITY_ENFORCE_LABEL } from '../../../constructs/labels';
import { stackNamespaces } from './stack-objects';

/** The coverage text of Pod Security: the levels of the agency's namespaces, when its stacks are known. */
function podSecurityCoverage({ namespaces: ns }: CoverageFacts): string {
  if (!ns)
    return 'Pod Security je Namespace geprüft: restricted oder begründete Ausnahme (siehe Befunde BSI-SYS.1.6.A17)';
  if (ns.length === 0) return 'keine eigenen Namespaces der Behörde';
  const others = ns.filter((n) => n.level !== 'restricted');
  if (others.length === 0) return `Pod Security restricted in allen ${ns.length} Namespaces der Dienste der Behörde`;
  return `Pod Security restricted in ${ns.length - others.length} von ${ns.length} Namespaces; Ausnahmen: ${others
    .map((n) => `${n.name} (${n.level}${n.reason ? ', begründet' : ', ohne Begründung'})`)
    .join(', ')}`;
}

export const bsiPodSecurity: ComplianceUnit<StackContext> = {
  id: 'BSI-SYS.1.6.A17',
  level: 'error',
  explanation: 'Keine privilegierten Container ohne begründete Ausnahme (Pod Security restricted)',
  variants: { reasoned: 'info' },
  ...covers({ 'SYS.1.6.A17': podSecurityCoverage, 'APP.4.4.A4': podSecurityCoverage }),
  *check({ stacks }) {
    for (const ns of stackNamespaces(stacks)) {
      const level = ns.labels[POD_SECURITY_ENFORCE_LABEL];
      if (level === 'restricted') continue;
      const place = { tenant: ns.labels[Labels.tenant] };
      const where = { stack: ns.stack, resource: ns.address };
      yield ns.podSecurityReason
        ? {
            ...place,
            message: `Namespace '${ns.name}' läuft als begründete Ausnahme mit Pod Security '${level}': ${germanText(ns.podSecurityReason)}`,
            ...where,
            variant: 'reasoned',
          }
        : {
            ...place,
            message: `Namespace '${ns.name}' ist nicht Pod Security 'restricted' (gefunden: '${level ?? 'keine'}') und nennt keine Begründung`,
            ...where,
          };
    }
  },
};
