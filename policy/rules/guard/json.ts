/**
 * Reading the synthesized Terraform JSON and Helm values, which the guard takes as `unknown`: the accessors only the
 * guard needs (entries, Terraform literals, metadata). The general JSON readers (`isRecord`, `field`, `valueAt`,
 * `items`, `lengthOf`) live in policy/synthesized-view.ts.
 */
import { terraformText } from '../../helm-values';
import { field } from '../../synthesized-view';

/** The entries of an object (`Object.entries`), none for an absent value. */
export function entriesOf(value: unknown): Array<[string, unknown]> {
  return value === undefined || value === null ? [] : Object.entries(value as object);
}

/** A string of the Terraform JSON as the literal text Terraform hands over (`$${` is `${`); other values as they are. */
export const lit = (value: unknown): unknown => (typeof value === 'string' ? terraformText(value) : value);

/** A field of an object's metadata (`metadata.name`, `metadata.labels`, ...). */
export const metadataField = (object: unknown, key: string): unknown => field(field(object, 'metadata'), key);

/** A labels map as the checks read it: anything but an object reads as no labels. */
export const labelsOf = (value: unknown): Readonly<Record<string, string>> =>
  typeof value === 'object' && value !== null ? (value as Readonly<Record<string, string>>) : {};

/**
 * The metadata of an object whose name, namespace or annotations the guard must read. An object without any cannot
 * be judged: that is an error of the input (no verdict), not an object without labels.
 */
export function metadataOf(object: unknown, what: string): unknown {
  const metadata = field(object, 'metadata');
  if (metadata === undefined || metadata === null)
    throw new TypeError(`${what} has no metadata: the guard cannot tell its name, namespace or labels`);
  return metadata;
}
