/**
 * Reading the synthesized Terraform JSON and Helm values, which the guard takes as `unknown`: small accessors that
 * read what the checks used to read with optional chaining, and fail where a loop over a non-list used to fail.
 */
import { terraformText } from '../../helm-values';

/** A JSON object (not null, not a list). */
export type JsonRecord = Readonly<Record<string, unknown>>;

export const isRecord = (value: unknown): value is JsonRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value[key]` of an object or a list, undefined for anything else. */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as JsonRecord)[key] : undefined;
}

/** The value at a dotted path (`cannon.service.nginz.enabled`), undefined where the path breaks off. */
export function valueAt(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => field(v, key), value);
}

/**
 * The items of a list the guard walks; nothing for an absent value. A string yields its characters and any other
 * value throws, as a loop over it always did: a shape the guard cannot read is never taken as an empty list.
 */
export function items(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  throw new TypeError(`${JSON.stringify(value) ?? String(value)} is not iterable`);
}

/** The entries of an object (`Object.entries`), none for an absent value. */
export function entriesOf(value: unknown): Array<[string, unknown]> {
  return value === undefined || value === null ? [] : Object.entries(value as object);
}

/** A string of the Terraform JSON as the literal text Terraform hands over (`$${` is `${`); other values as they are. */
export const lit = (value: unknown): unknown => (typeof value === 'string' ? terraformText(value) : value);

/** The `length` of a string, list or object field (what `value?.length` read), undefined for anything else. */
export const lengthOf = (value: unknown): unknown =>
  typeof value === 'string' ? value.length : field(value, 'length');

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
