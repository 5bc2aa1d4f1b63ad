/**
 * WIRE-PROFILE: the team features of each Wire Bund pillar against the preset of its Säule
 * (config/wire-profile.ts). A Säule-1 pillar whose profile is weaker than its preset without a recorded reason
 * (`wire.pillars[].profile.reason`) is an error; a weakening with a reason is reported as a note, and so is one of
 * another pillar without a reason (a warning). Each finding goes to the report of every agency that uses the pillar
 * (one finding per agency), and names the pillar's stack.
 */
import type { Federation, WirePillar } from '../../config/model';
import { StackNames } from '../../config/naming';
import { effectiveWireProfile } from '../../config/wire-profile';
import type { ComplianceFinding } from '../compliance-rules';

export const WIRE_PROFILE_RULE = 'WIRE-PROFILE';

/** The findings of one pillar, before they are given to the agencies that use it. */
export function pillarProfileFinding(
  federation: Federation,
  pillar: WirePillar,
): Pick<ComplianceFinding, 'level' | 'message'> | undefined {
  const { weakened, reason } = effectiveWireProfile(federation, pillar);
  if (weakened.length === 0) return undefined;
  const what = `Wire Bund Säule ${pillar.pillar} ('${pillar.id}'): Profil schwächer als die Voreinstellung der Säule: ${weakened.join('; ')}`;
  if (reason !== undefined) return { level: 'info', message: `${what}. Begründung: ${reason}` };
  return pillar.pillar === 1
    ? {
        level: 'error',
        message: `${what}. Für Säule 1 (VS-NfD) ist das nur mit Begründung zulässig: wire.pillars[].profile.reason angeben oder die Abschwächung zurücknehmen`,
      }
    : { level: 'warning', message: `${what}, ohne Begründung (wire.pillars[].profile.reason)` };
}

/** WIRE-PROFILE over every pillar: one finding per agency that uses it, or one without agency when none does. */
export function wireProfileFindings(federation: Federation): ComplianceFinding[] {
  const out: ComplianceFinding[] = [];
  for (const pillar of federation.pillars) {
    const f = pillarProfileFinding(federation, pillar);
    if (!f) continue;
    const stack = StackNames.wirePillar(pillar.cluster.id, pillar.id);
    const tenants = federation.tenants.filter((t) => t.wire?.pillars.includes(pillar.id)).map((t) => t.id);
    for (const tenant of tenants.length > 0 ? tenants : [undefined])
      out.push({ rule: WIRE_PROFILE_RULE, ...f, ...(tenant ? { tenant } : {}), stack });
  }
  return out;
}
