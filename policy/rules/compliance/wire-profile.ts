/**
 * WIRE-PROFILE: the team features of each Wire Bund pillar against the preset of its Säule
 * (config/wire-profile.ts). A Säule-1 pillar whose profile is weaker than its preset without a recorded reason
 * (`wire.pillars[].profile.reason`) is an error; a weakening with a reason is a note, one of another pillar without
 * a reason a warning. Each finding goes to the report of every agency that uses the pillar (one finding per agency),
 * and names the pillar's stack.
 */
import type { WirePillar } from '../../../config/model';
import { StackNames } from '../../../config/naming';
import { effectiveWireProfile } from '../../../config/wire-profile';
import type { RuleResult } from '../../engine';
import type { ComplianceUnit, ModelContext } from './context';

/** The finding of one pillar, before it is given to the agencies that use it. */
function pillarResult(pillar: WirePillar): RuleResult | undefined {
  const { weakened, reason } = effectiveWireProfile(pillar);
  if (weakened.length === 0) return undefined;
  const what = `Wire Bund Säule ${pillar.pillar} ('${pillar.id}'): Profil schwächer als die Voreinstellung der Säule: ${weakened.join('; ')}`;
  if (reason !== undefined) return { message: `${what}. Begründung: ${reason}`, variant: 'reasoned' };
  return pillar.pillar === 1
    ? {
        message: `${what}. Für Säule 1 (VS-NfD) ist das nur mit Begründung zulässig: wire.pillars[].profile.reason angeben oder die Abschwächung zurücknehmen`,
      }
    : { message: `${what}, ohne Begründung (wire.pillars[].profile.reason)`, variant: 'unreasoned' };
}

export const wireProfile: ComplianceUnit<ModelContext> = {
  id: 'WIRE-PROFILE',
  level: 'error',
  explanation: 'Wire-Profil der Säule (Gastlinks, App-Sperre, VS-NfD-Kennzeichnung, …) nur mit Begründung abgeschwächt',
  variants: { reasoned: 'info', unreasoned: 'warning' },
  unsuppressible: true,
  *check({ federation }) {
    for (const pillar of federation.pillars) {
      const f = pillarResult(pillar);
      if (!f) continue;
      const stack = StackNames.wirePillar(pillar.cluster.id, pillar.id);
      const tenants = federation.tenants.filter((t) => t.wire?.pillars.includes(pillar.id)).map((t) => t.id);
      for (const tenant of tenants.length > 0 ? tenants : [undefined])
        yield {
          message: f.message,
          ...(tenant ? { tenant } : {}),
          stack,
          ...(f.variant ? { variant: f.variant } : {}),
        };
    }
  },
};
