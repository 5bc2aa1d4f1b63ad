/**
 * What the compliance pack reads: the validated model (agency rules) and the synthesized stacks with the image
 * settings of the config (BSI rules). Each unit is typed on the part it reads; the pack runs over both.
 */
import type { Federation } from '../../../config/model';
import { resolvedFederation } from '../../../config/resolve';
import type { RuleUnit } from '../../engine';
import type { SynthesizedStack } from '../../k8s-objects';
import { agencyStackNames } from '../../report/record';

/** What the agency rules read: the model, and the day of the check (`YYYY-MM-DD`; a DSFA due before it is overdue). */
export interface ModelContext {
  readonly federation: Federation;
  readonly asOf?: string;
}

/** The image settings of the config (`images`): the internal registry and the pinned digests by image name. */
export interface ImageSettings {
  readonly registry?: string;
  readonly digests: Readonly<Record<string, string>>;
}

/** An agency and the names of its stacks (its own stacks and those of its Wire pillars). */
export interface AgencyStacks {
  readonly tenant: string;
  readonly stacks: ReadonlySet<string>;
}

/**
 * What the BSI rules read: the synthesized stacks and the image settings they are checked against; with the model,
 * which stacks are whose (a rule reports per agency only when it knows).
 */
export interface StackContext {
  readonly stacks: readonly SynthesizedStack[];
  readonly images: ImageSettings;
  readonly agencies?: readonly AgencyStacks[];
}

/** The context of the whole compliance pack. */
export type ComplianceContext = ModelContext & StackContext;

/**
 * The context for a federation and its synthesized stacks; the image settings come from the config, the stacks of
 * each agency from the model. The tenants of a
 * model built in code are resolved here, once (the units read `federation.tenants` as resolved).
 */
export function complianceContext(
  federation: Federation,
  stacks: readonly SynthesizedStack[],
  asOf?: string,
): ComplianceContext {
  const images = federation.config.images;
  const resolved = resolvedFederation(federation);
  return {
    federation: resolved,
    stacks,
    ...(asOf !== undefined ? { asOf } : {}),
    images: { ...(images?.registry ? { registry: images.registry } : {}), digests: images?.digests ?? {} },
    agencies: resolved.tenants.map((t) => ({ tenant: t.id, stacks: agencyStackNames(resolved, t) })),
  };
}

/** What the coverage texts are derived from: the image settings of the config and the agency's namespaces. */
export interface CoverageFacts {
  readonly registry?: string;
  readonly digests: number;
  /** Pod Security of the namespaces of the agency's stacks; absent when the stacks are not known. */
  readonly namespaces?: ReadonlyArray<{ readonly name: string; readonly level: string; readonly reason?: boolean }>;
}

/** How a rule covers a BSI requirement (the coverage table's "Umsetzung"): a text, or one derived from the facts. */
export type CoverageText = string | ((facts: CoverageFacts) => string);

/** A unit of the compliance pack: a rule unit that also says how it covers each BSI requirement it names. */
export interface ComplianceUnit<Context extends ModelContext | StackContext = ComplianceContext>
  extends RuleUnit<Context> {
  /** Requirement id -> how the rule covers it; its keys are the unit's `bsi` (set both with {@link covers}). */
  readonly coverage?: Readonly<Record<string, CoverageText>>;
}

/** `bsi` and `coverage` of a unit from one table: requirement id -> how the rule covers it. */
export function covers(coverage: Readonly<Record<string, CoverageText>>): {
  readonly bsi: readonly string[];
  readonly coverage: Readonly<Record<string, CoverageText>>;
} {
  return { bsi: Object.keys(coverage), coverage };
}
