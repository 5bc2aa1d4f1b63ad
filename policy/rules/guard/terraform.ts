/**
 * P1-TERRAFORM: every stack is Terraform the guard can read as plain values. Meta-arguments and blocks that change
 * what (or whether) a resource deploys, `dynamic` blocks, a Helm `postrender`, resource types this app never
 * writes, and live templates outside the forms the synth writes would make the guard judge something other than
 * what Terraform deploys. Judged on the stacks as synthesized, in every stack (any of them can reach the NdB).
 */
import { liveTemplates, type SynthesizedStack } from '../../k8s-objects';
import { field, isRecord } from '../../synthesized-view';
import { entriesOf } from './json';
import { referencedName } from './references';
import type { GuardRule } from './rule';

/** Meta-arguments and blocks of a resource or data source that change what (or whether) it deploys. */
const UNEVALUATED_META: Readonly<Record<string, string>> = {
  count: 'decides how many instances Terraform creates (0: none)',
  for_each: 'decides how many instances Terraform creates (empty: none)',
  provisioner: 'runs commands on the machine or a host (e.g. kubectl), beyond what the resource declares',
  connection: 'is the connection of a provisioner',
  lifecycle: 'changes how Terraform applies changes (ignore_changes keeps a weakened object as it is)',
};

/** `set_sensitive` values: a Secret read through a data source of the stack, escaped for Helm's --set syntax. */
const SECRET_VALUE =
  /^\$\{replace\(replace\(data\.kubernetes_secret_v1\.([A-Za-z0-9_-]+)\.data\["[A-Za-z0-9._-]+"\], "\\\\", "\\\\\\\\"\), ",", "\\\\,"\)\}$/;

/** The CA file of a provider: `file(pathexpand("<path>"))`, read by Terraform at plan time. */
const CA_FILE = /^\$\{file\(pathexpand\("[^"\\$%{}]+"\)\)\}$/;

/** Resource and data source types this app writes; any other could deploy anything (e.g. `data.external`). */
const KNOWN_TYPE = (block: string, type: string) =>
  type.startsWith('kubernetes_') || (block === 'resource' && type === 'helm_release');

const show = (v: unknown) => {
  const t = JSON.stringify(v) ?? String(v);
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
};

/** `key in value` for an object or list (a key is never in anything else). */
const hasKey = (value: unknown, key: string): boolean => typeof value === 'object' && value !== null && key in value;

/**
 * What in a stack Terraform would evaluate beyond the literal values the guard reads: the meta-arguments and blocks
 * of {@link UNEVALUATED_META}, `dynamic` blocks at any depth, a Helm `postrender`, resource and data types this
 * app never writes, and live templates (`${...}`, `%{...}` not escaped as `$${`, `%%{`) except the forms the
 * synth writes: a Secret in a `set_sensitive` value, the CA file of a provider, and a name reference the guard
 * resolves (resolveReferences).
 */
function terraformProblems(stack: SynthesizedStack): Array<{ address: string; message: string }> {
  const out: Array<{ address: string; message: string }> = [];
  const json: unknown = stack.json ?? {};
  const dataSecrets = field(field(json, 'data'), 'kubernetes_secret_v1') ?? {};
  const templates = (address: string, value: unknown, at: string, allowed: (path: string, text: string) => boolean) => {
    const visit = (v: unknown, path: string): void => {
      if (typeof v === 'string') {
        const live = liveTemplates(v);
        if (live.length > 0 && !allowed(path, v))
          out.push({
            address,
            message: `live Terraform template ${live.map((t) => show(t)).join(', ')} at ${path}: Terraform evaluates it, the guard reads only literal values (escape literal text as $\${ / %%{)`,
          });
      } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
      else if (v !== null && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k === '//') continue;
          const p = `${path}.${k}`;
          if (k === 'dynamic')
            out.push({
              address,
              message: `a dynamic block at ${p} generates blocks (${show(Object.keys((x ?? {}) as object))}) the guard does not evaluate`,
            });
          if (liveTemplates(k).length > 0)
            out.push({ address, message: `live Terraform template in the key ${show(k)} at ${path}` });
          visit(x, p);
        }
    };
    visit(value, at);
  };
  for (const block of ['resource', 'data'] as const) {
    for (const [type, byName] of entriesOf(field(json, block))) {
      for (const [name, body] of entriesOf(byName)) {
        const address = `${block === 'data' ? 'data.' : ''}${type}.${name}`;
        if (!KNOWN_TYPE(block, type))
          out.push({
            address,
            message: `${block === 'data' ? 'data source' : 'resource'} type ${type} is not one this app writes; verify cannot tell what it does (it could run commands or deploy anything)`,
          });
        for (const [meta, what] of Object.entries(UNEVALUATED_META)) {
          if (body && hasKey(body, meta))
            out.push({
              address,
              message: `${meta} ${show(field(body, meta))} ${what}; the guard does not evaluate it`,
            });
        }
        if (type === 'helm_release' && body && hasKey(body, 'postrender'))
          out.push({
            address,
            message: `postrender ${show(field(body, 'postrender'))} runs a program that can rewrite every object the chart renders; the guard does not see its output`,
          });
        const { depends_on: dependsOn, provider, ...rest } = isRecord(body) ? body : {};
        templates(address, rest, address, (path, text) => {
          if (referencedName(stack, text) !== undefined) return true;
          const m = SECRET_VALUE.exec(text);
          return (
            !!m &&
            block === 'resource' &&
            type === 'helm_release' &&
            /^\.set_sensitive\[\d+\]\.value$/.test(path.slice(address.length)) &&
            Object.hasOwn(dataSecrets as object, m[1])
          );
        });
        for (const [k, v] of Object.entries({ depends_on: dependsOn, provider })) {
          if (v !== undefined && JSON.stringify(v).match(/[$%]\{/))
            out.push({ address, message: `${k} ${show(v)} is not a plain reference` });
        }
      }
    }
  }
  for (const [type, configs] of entriesOf(field(json, 'provider'))) {
    (Array.isArray(configs) ? configs : [configs]).forEach((p: unknown) => {
      const address = `provider.${type}.${field(p, 'alias') ?? '(default)'}`;
      for (const meta of ['count', 'for_each']) {
        if (p && hasKey(p, meta))
          out.push({
            address,
            message: `${meta} ${show(field(p, meta))} on a provider; the guard does not evaluate it`,
          });
      }
      templates(
        address,
        p,
        address,
        (path, text) =>
          CA_FILE.test(text) && path === `${address}${type === 'helm' ? '.kubernetes' : ''}.cluster_ca_certificate`,
      );
    });
  }
  for (const block of ['locals', 'output', 'variable', 'terraform'] as const) {
    const value = field(json, block);
    if (value !== undefined) templates(block, value, block, () => false);
  }
  return out;
}

export const terraformRule: GuardRule<'P1-TERRAFORM'> = {
  id: 'P1-TERRAFORM',
  level: 'error',
  unsuppressible: true,
  explanation:
    'Terraform the guard does not evaluate: count, for_each, dynamic, provisioners, lifecycle, a Helm postrender, a resource type this app never writes, or a live template outside the known forms',
  *check({ synthesized }) {
    let i = 0;
    for (const stack of synthesized)
      for (const t of terraformProblems(stack))
        yield { stack: stack.name, resource: t.address, message: t.message, position: [0, i++] };
  },
};
