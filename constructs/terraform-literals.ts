/**
 * The one escaping rule for text that reaches Terraform JSON. In Terraform's JSON syntax every string is a template:
 * `${...}` is an expression and `%{...}` a directive, evaluated by `terraform plan/apply`. A tenant name, a URL or a
 * Helm value taken from the config must stay the text it is, so every literal string (and every object key) of every
 * Terraform element is escaped here, in one place, rather than field by field: `${` becomes `$${`, `%{` becomes
 * `%%{`.
 *
 * cdktf's own references (`${TfToken[TOKEN.n]}`, resolved later into `${resource.attr}`) are left alone; the config
 * loader refuses the token marker in input, so user text cannot pose as one.
 */
import { Aspects, TerraformElement, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';

/** The marker cdktf puts into strings for tokens (string and list tokens). */
export const TOKEN_MARKER = 'TfToken[';

/** Escapes one literal string for Terraform: the text reads back exactly as given. */
export function terraformLiteral(text: string): string {
  // (a replacer function: in a replacement string `$$` would collapse to `$`)
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** Like {@link terraformLiteral}, but keeps cdktf's token markers so references still resolve. */
function escapeAroundTokens(text: string): string {
  if (!text.includes('{')) return text;
  return text.replace(/\$\{(?!TfToken\[)/g, () => '$${').replace(/%\{/g, () => '%%{');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Escapes every string and object key in a (not yet resolved) Terraform fragment. Returns the very same value when
 * nothing needed escaping (most fragments), a copy otherwise.
 */
export function escapeLiterals(value: unknown): unknown {
  if (typeof value === 'string') return escapeAroundTokens(value);
  if (Array.isArray(value)) {
    const items = value.map(escapeLiterals);
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (isPlainObject(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = escapeAroundTokens(k);
      const escaped = escapeLiterals(v);
      changed ||= key !== k || escaped !== v;
      out[key] = escaped;
    }
    return changed ? out : value;
  }
  return value;
}

const ESCAPED = Symbol.for('messenger.bund/terraform-literals');

/**
 * Escapes the literal strings of every Terraform element (resources, data sources, providers, outputs, locals,
 * variables, backends) of the stack it is added to, when the element is turned into Terraform JSON.
 */
export class TerraformLiterals implements IAspect {
  /** Adds the aspect to a stack (aspects apply per stack). */
  static applyTo(stack: IConstruct): void {
    Aspects.of(stack).add(new TerraformLiterals());
  }

  visit(node: IConstruct): void {
    if (!TerraformElement.isTerraformElement(node)) return;
    const element = node as TerraformElement & { [ESCAPED]?: true };
    if (element[ESCAPED]) return;
    element[ESCAPED] = true;
    const toTerraform = element.toTerraform.bind(element);
    element.toTerraform = () => escapeLiterals(toTerraform()) as ReturnType<typeof toTerraform>;
  }
}
