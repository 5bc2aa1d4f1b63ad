/**
 * Family 2 of the fail-closed issue: config text must never become a live Terraform template. Every string field
 * of the default config is fed `${...}` and `%{...}`; the fields that accept it are synthesized together and no
 * live template in the output may carry the injected text. The Terraform on the machine shows an escaped string
 * reads back as the literal text.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isScalar, parseDocument, visit } from 'yaml';
import { ConfigError } from '../config/errors';
import { parseFederation } from '../config/load';
import { TerraformLiterals, terraformLiteral } from '../constructs/terraform-literals';
import { DEFAULT_CONFIG_FILE } from '../config/paths';
import { field } from '../policy/synthesized-view';
import { DEFAULT_YAML, synthesizeInMemory, tmpDir } from './helpers';

const payload = (n: number) => `\${file("/INJ${n}")}%{ if true }INJ${n}%{ endif }`;

/** The contents of every live template (`${...}` or `%{...}` not escaped as `$${` / `%%{`) in a string. */
function liveTemplates(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if ((text.startsWith('$${', i) || text.startsWith('%%{', i)) && text[i + 1] === text[i]) {
      i += 2;
      continue;
    }
    if ((text[i] === '$' || text[i] === '%') && text[i + 1] === '{') {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      out.push(text.slice(i, j + 1));
      i = j;
    }
  }
  return out;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  return out;
}

/** Each string scalar of the default YAML (by its position), with the text it holds. */
function stringScalars(): Array<{ start: number; end: number; value: string }> {
  const doc = parseDocument(DEFAULT_YAML);
  const found: Array<{ start: number; end: number; value: string }> = [];
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.value) && typeof pair.value.value === 'string' && pair.value.range)
        found.push({ start: pair.value.range[0], end: pair.value.range[1], value: pair.value.value });
    },
    Seq(_, seq) {
      for (const item of seq.items)
        if (isScalar(item) && typeof item.value === 'string' && item.range)
          found.push({ start: item.range[0], end: item.range[1], value: item.value });
    },
  });
  return found.sort((a, b) => b.start - a.start);
}

/** The default YAML with the given scalars replaced by their value plus an injected payload. */
function inject(scalars: ReadonlyArray<{ start: number; end: number; value: string; n: number }>): string {
  let yaml = DEFAULT_YAML;
  for (const s of [...scalars].sort((a, b) => b.start - a.start)) {
    yaml = yaml.slice(0, s.start) + JSON.stringify(`${s.value}${payload(s.n)}`) + yaml.slice(s.end);
  }
  return yaml;
}

const accepts = (yaml: string) => {
  try {
    parseFederation(yaml, DEFAULT_CONFIG_FILE);
    return true;
  } catch (e) {
    if (e instanceof ConfigError) return false;
    throw e;
  }
};

describe('config text never becomes a Terraform template', () => {
  const scalars = stringScalars().map((s, n) => ({ ...s, n }));
  // The free-text fields: those whose validation accepts template syntax.
  const free = scalars.filter((s) => accepts(inject([s])));
  const injectedYaml = inject(free);
  let output: string[] = [];
  beforeAll(() => {
    output = synthesizeInMemory(parseFederation(injectedYaml, DEFAULT_CONFIG_FILE)).flatMap((s) => strings(s.json));
  });

  it('finds free-text fields that reach the synthesized output', () => {
    // Names, reasons, URLs with paths: the property below is only meaningful when some injected text arrives.
    expect(free.length).toBeGreaterThanOrEqual(5);
    const arrived = free.filter((s) => output.some((o) => o.includes(`INJ${s.n}`)));
    expect(arrived.length).toBeGreaterThanOrEqual(3);
    process.stdout.write(
      `${free.length} of ${scalars.length} string fields take template text; ${arrived.length} reach the output\n`,
    );
  });

  it('no live template in any stack carries injected text', () => {
    const live = output.flatMap(liveTemplates).filter((t) => t.includes('INJ'));
    expect(live).toEqual([]);
  });

  it('the same check finds the injection when the escaping aspect is off (the guard can fail)', () => {
    const visit = jest.spyOn(TerraformLiterals.prototype, 'visit').mockImplementation(() => undefined);
    try {
      const raw = synthesizeInMemory(parseFederation(injectedYaml, DEFAULT_CONFIG_FILE)).flatMap((s) =>
        strings(s.json),
      );
      expect(raw.flatMap(liveTemplates).filter((t) => t.includes('INJ')).length).toBeGreaterThan(0);
    } finally {
      visit.mockRestore();
    }
  });

  it('state backend settings stay literal too (s3 key prefix, region)', () => {
    const yaml = DEFAULT_YAML.replace(
      'stateBackend:\n  type: local\n',
      'stateBackend:\n  type: s3\n  bucket: tf-state\n  endpoint: https://minio.example\n' +
        `  keyPrefix: '${payload(900)}'\n  region: 'eu-${payload(901)}'\n`,
    );
    expect(yaml).not.toBe(DEFAULT_YAML);
    const backends = synthesizeInMemory(parseFederation(yaml, DEFAULT_CONFIG_FILE)).flatMap((s) =>
      strings(field(s.json.terraform, 'backend')),
    );
    expect(backends.some((b) => b.includes('INJ900'))).toBe(true);
    expect(backends.some((b) => b.includes('INJ901'))).toBe(true);
    expect(backends.flatMap(liveTemplates).filter((t) => t.includes('INJ'))).toEqual([]);
  });

  it('refuses the cdktf token marker in config text (it would pose as a reference)', () => {
    const yaml = DEFAULT_YAML.replace(/^( {2}name: ).*$/m, '$1"x ${TfToken[TOKEN.1]}"');
    expect(yaml).not.toBe(DEFAULT_YAML);
    expect(() => parseFederation(yaml, DEFAULT_CONFIG_FILE)).toThrow(/marker of a cdktf reference/);
  });

  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  const withTerraform = terraform.status === 0 ? it : it.skip;
  if (terraform.status !== 0) process.stdout.write('skipped: no terraform on PATH for the literal read-back test\n');

  withTerraform('Terraform reads an escaped string from the output back as the literal text', () => {
    const sample = output.find((o) => o.includes('INJ') && o.includes('file('))!;
    expect(sample).toBeDefined();
    const dir = tmpDir();
    try {
      const literal = `tenant \${file("${path.join(dir, 'secret')}")} %{ if true }yes%{ endif }`;
      fs.writeFileSync(path.join(dir, 'secret'), 'SECRET-CONTENT');
      const tf = {
        output: {
          synthesized: { value: sample },
          escaped: { value: terraformLiteral(literal) },
          // Unescaped, Terraform evaluates the text: what an injection would do.
          unescaped: { value: literal },
        },
      };
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(tf));
      const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
      const run = (...args: string[]) =>
        spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
      expect(run('init', '-input=false', '-no-color').status).toBe(0);
      const apply = run('apply', '-auto-approve', '-input=false', '-no-color');
      expect(apply.status).toBe(0);
      const values = JSON.parse(run('output', '-json').stdout) as Record<string, { value: string }>;
      expect(values.escaped.value).toBe(literal);
      expect(values.escaped.value).not.toContain('SECRET-CONTENT');
      expect(values.unescaped.value).toBe('tenant SECRET-CONTENT yes');
      expect(values.synthesized.value).toBe(sample.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'));
      expect(values.synthesized.value).toMatch(/\$\{file\("\/INJ\d+"\)\}/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
