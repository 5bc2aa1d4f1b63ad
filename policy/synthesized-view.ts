/**
 * A typed view of one synthesized stack: the Terraform JSON blocks the checks read (`resource`, `data`, `locals`,
 * `provider`, `terraform`, `output`, `variable`) and accessors that hand out their entries with address and body,
 * so that a check never indexes an untyped value. The shapes are those {@link readSynthesized} enforces (fail
 * closed) before any check runs; the bodies stay `unknown`-valued: a check narrows what it reads.
 */

/** The arguments of one resource, data source, provider configuration, output or variable, as written. */
export type TerraformBody = Readonly<Record<string, unknown>>;

/** `resource` or `data`: type -> name -> body. */
export type TerraformBlocks = Readonly<Record<string, Readonly<Record<string, TerraformBody>>>>;

/** The top-level blocks of a Terraform JSON configuration as cdktf writes them (and readSynthesized accepts). */
export interface TerraformJson {
  readonly '//'?: TerraformBody;
  readonly terraform?: TerraformBody;
  /** Provider type -> its configurations (cdktf writes a list, aliased ones included). */
  readonly provider?: Readonly<Record<string, readonly TerraformBody[]>>;
  readonly resource?: TerraformBlocks;
  readonly data?: TerraformBlocks;
  /** Output name -> `{ value, sensitive?, ... }`. */
  readonly output?: Readonly<Record<string, TerraformBody>>;
  /** Local name -> value; the facts constructs record for the checks live here (constructs/facts.ts). */
  readonly locals?: Readonly<Record<string, unknown>>;
  readonly variable?: Readonly<Record<string, TerraformBody>>;
}

/** A stack as the typed view reads it: its name and its Terraform JSON. */
export interface TypedStack {
  readonly name: string;
  readonly json: TerraformJson;
}

/** One entry of `resource` or `data`: its type, name, Terraform address and body. */
export interface TerraformEntry {
  readonly type: string;
  readonly name: string;
  /** `type.name` for a resource, `data.type.name` for a data source. */
  readonly address: string;
  readonly body: TerraformBody;
}

function entries(blocks: TerraformBlocks | undefined, prefix: string, type?: string): TerraformEntry[] {
  const out: TerraformEntry[] = [];
  const types = type === undefined ? Object.keys(blocks ?? {}) : [type];
  for (const t of types) {
    for (const [name, body] of Object.entries(blocks?.[t] ?? {}))
      out.push({ type: t, name, address: `${prefix}${t}.${name}`, body });
  }
  return out;
}

/** The resources of a stack (of one type, or all in the order of the JSON), each with its address `type.name`. */
export function resources(stack: TypedStack, type?: string): TerraformEntry[] {
  return entries(stack.json.resource, '', type);
}

/** The resource types a stack declares, in the order of the JSON. */
export function resourceTypes(stack: TypedStack): string[] {
  return Object.keys(stack.json.resource ?? {});
}

/** One resource by type and name, or undefined. */
export function resource(stack: TypedStack, type: string, name: string): TerraformBody | undefined {
  const byName = stack.json.resource?.[type];
  return byName && Object.hasOwn(byName, name) ? byName[name] : undefined;
}

/** The data sources of a stack (of one type, or all), each with its address `data.type.name`. */
export function dataSources(stack: TypedStack, type?: string): TerraformEntry[] {
  return entries(stack.json.data, 'data.', type);
}

/** The value of a `locals` entry (unknown: parse it with the schema of the fact, constructs/facts.ts). */
export function local(stack: TypedStack, name: string): unknown {
  const locals = stack.json.locals;
  return locals && Object.hasOwn(locals, name) ? locals[name] : undefined;
}

/** The configurations of one provider type (`kubernetes`, `helm`, ...), empty if there are none. */
export function providerConfigs(stack: TypedStack, type: string): readonly TerraformBody[] {
  return stack.json.provider?.[type] ?? [];
}

/** The `value` of an output, or undefined. */
export function outputValue(stack: TypedStack, name: string): unknown {
  const outputs = stack.json.output;
  return outputs && Object.hasOwn(outputs, name) ? outputs[name].value : undefined;
}

/** A plain JSON object (not null, not an array), to narrow an `unknown` body field. */
export const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `value[key]` of an object or a list, undefined for anything else (what `value?.[key]` read). */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Readonly<Record<string, unknown>>)[key] : undefined;
}

/** The value at a dotted path (`cannon.service.nginz.enabled`), undefined where the path breaks off. */
export function valueAt(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => field(v, key), value);
}

/**
 * The items of a list a check walks; nothing for an absent value. A string yields its characters and any other
 * value throws, as a loop over it would: a shape a check cannot read is never taken as an empty list.
 */
export function items(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  throw new TypeError(`${JSON.stringify(value) ?? String(value)} is not iterable`);
}

/** The `length` of a string, list or object field (what `value?.length` read), undefined for anything else. */
export const lengthOf = (value: unknown): unknown =>
  typeof value === 'string' ? value.length : field(value, 'length');

/** A string field of a body, or undefined when it is absent or not a string. */
export function stringField(body: TerraformBody | undefined, key: string): string | undefined {
  const v = body?.[key];
  return typeof v === 'string' ? v : undefined;
}
