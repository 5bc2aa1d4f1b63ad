/**
 * Reads a cdktf output directory: `manifest.json` and one Terraform JSON per stack (`stacks/<name>/cdk.tf.json`).
 * It fails closed: every shape the checks could misread (or silently skip) is a {@link SynthesizedShapeError} that
 * names the file, the JSON path inside it and what was expected. Every stack directory on disk is read, also one
 * that `manifest.json` does not list.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SynthesizedStack } from './k8s-objects';
import type { TerraformJson } from './synthesized-view';

/** The synthesized output has a shape the checks cannot rely on. `file` is the path as given (outdir joined). */
export class SynthesizedShapeError extends Error {
  constructor(
    readonly file: string,
    readonly jsonPath: string | undefined,
    readonly problem: string,
  ) {
    super(`${file}${jsonPath ? ` at ${jsonPath}` : ''}: ${problem}`);
    this.name = 'SynthesizedShapeError';
  }
}

export interface SynthesizedOutput {
  /** Every stack: those of the manifest (in its order), then those found only on disk. */
  readonly stacks: SynthesizedStack[];
  /** Stack directories on disk (`stacks/<name>/cdk.tf.json`) that `manifest.json` does not list; read all the same. */
  readonly unlisted: string[];
}

/** The file of a stack, as cdktf lays it out (relative to the output directory). */
const STACK_FILE = 'cdk.tf.json';
const stackFile = (name: string): string => `stacks/${name}/${STACK_FILE}`;

/**
 * Files Terraform or OpenTofu load from a working directory beside `cdk.tf.json`: `*.tf`, `*.tf.json`, and for
 * OpenTofu also `*.tofu`, `*.tofu.json` (a `.tofu.json` even replaces the `.tf.json` of the same name), overrides
 * (`override.tf`, `*_override.tofu.json`, ...) included.
 */
const CONFIG_FILE = /\.(tf|tofu)(\.json)?$/;

/** The top-level blocks a stack may have; any other (module, import, moved, ...) is refused: the checks would not see it. */
const BLOCKS = ['//', 'terraform', 'provider', 'resource', 'data', 'output', 'locals', 'variable'] as const;

export interface ReadOptions {
  /**
   * The output was written by this process's own cdktf synth a moment ago (JSON.stringify writes no duplicate
   * keys): skips the duplicate-key scan, which only matters for an output from elsewhere. Shapes are still checked.
   */
  readonly ownOutput?: boolean;
}

/** Reads every stack of a cdktf output directory (`manifest.json` + `stacks/<name>/cdk.tf.json`). */
export function readSynthesized(outdir: string, options: ReadOptions = {}): SynthesizedStack[] {
  return readSynthesizedOutput(outdir, options).stacks;
}

/** {@link readSynthesized}, and which stacks were found on disk only. */
export function readSynthesizedOutput(outdir: string, options: ReadOptions = {}): SynthesizedOutput {
  const root = realDir(outdir);
  const manifestFile = path.join(outdir, 'manifest.json');
  const manifest = readJsonFile(root, manifestFile, 'the cdktf manifest', options);
  if (!isObject(manifest)) throw new SynthesizedShapeError(manifestFile, undefined, expected('an object', manifest));
  const listed = manifest.stacks;
  if (!isObject(listed)) throw new SynthesizedShapeError(manifestFile, 'stacks', expected('an object', listed));
  const names = Object.keys(listed);
  if (names.length === 0) throw new SynthesizedShapeError(manifestFile, 'stacks', 'lists no stacks');
  for (const name of names) checkManifestEntry(manifestFile, name, listed[name]);

  const stacks = names.map((name) => readStack(root, outdir, name, options));
  const unlisted = stackDirsOnDisk(root, outdir).filter((name) => !Object.hasOwn(listed, name));
  for (const name of unlisted) stacks.push(readStack(root, outdir, name, options));
  return { stacks, unlisted };
}

function checkManifestEntry(manifestFile: string, name: string, entry: unknown): void {
  const at = jsonPath(['stacks', name]);
  if (!isObject(entry)) throw new SynthesizedShapeError(manifestFile, at, expected('an object', entry));
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes('..'))
    throw new SynthesizedShapeError(manifestFile, at, 'is not a stack name cdktf writes (letters, digits, . _ -)');
  const file = entry.synthesizedStackPath;
  if (file !== stackFile(name))
    throw new SynthesizedShapeError(
      manifestFile,
      jsonPath(['stacks', name, 'synthesizedStackPath']),
      expected(JSON.stringify(stackFile(name)), file),
    );
  const dir = entry.workingDirectory;
  if (dir !== undefined && dir !== `stacks/${name}`)
    throw new SynthesizedShapeError(
      manifestFile,
      jsonPath(['stacks', name, 'workingDirectory']),
      expected(JSON.stringify(`stacks/${name}`), dir),
    );
}

function readStack(root: string, outdir: string, name: string, options: ReadOptions): SynthesizedStack {
  const file = path.join(outdir, stackFile(name));
  const json = readJsonFile(root, file, `the Terraform JSON of stack ${name}`, options);
  checkStackShape(file, json);
  const stackDir = path.dirname(file);
  // Terraform loads every *.tf and *.tf.json of a stack's working directory, OpenTofu also *.tofu and *.tofu.json;
  // only cdk.tf.json is checked.
  for (const entry of readDir(stackDir)) {
    if (entry !== STACK_FILE && CONFIG_FILE.test(entry))
      throw new SynthesizedShapeError(
        path.join(stackDir, entry),
        undefined,
        `${/\.tofu(\.json)?$/.test(entry) ? 'OpenTofu' : 'Terraform'} would load this file with stack ${name}${entry === 'cdk.tofu.json' ? ` instead of ${STACK_FILE}` : ''}, but verify checks only ${STACK_FILE}; remove it`,
      );
  }
  return { name, json };
}

/** Asserts the shape of a stack's Terraform JSON that the checks rely on ({@link TerraformJson}). */
function checkStackShape(file: string, json: unknown): asserts json is TerraformJson {
  const fail = (at: Array<string | number>, problem: string): never => {
    throw new SynthesizedShapeError(file, at.length > 0 ? jsonPath(at) : undefined, problem);
  };
  if (!isObject(json)) return fail([], expected('an object (a Terraform JSON configuration)', json));
  for (const key of Object.keys(json)) {
    if (!(BLOCKS as readonly string[]).includes(key))
      fail([key], `is a block verify does not check (it reads only ${BLOCKS.filter((b) => b !== '//').join(', ')})`);
  }
  for (const key of ['terraform', 'locals', '//'] as const) {
    if (key in json && !isObject(json[key])) fail([key], expected('an object', json[key]));
  }
  for (const key of ['resource', 'data'] as const) {
    if (!(key in json)) continue;
    const byType = json[key];
    if (!isObject(byType)) return fail([key], expected('an object of resource types', byType));
    for (const [type, byName] of Object.entries(byType)) {
      if (!isObject(byName)) return fail([key, type], expected('an object of resource names', byName));
      for (const [name, body] of Object.entries(byName)) {
        if (!isObject(body)) return fail([key, type, name], expected('an object (the resource body)', body));
        if (key === 'resource' && type === 'helm_release') checkReleaseShape(fail, [key, type, name], body);
      }
    }
  }
  for (const key of ['output', 'variable'] as const) {
    if (!(key in json)) continue;
    const block = json[key];
    if (!isObject(block)) return fail([key], expected('an object', block));
    for (const [name, body] of Object.entries(block)) {
      if (!isObject(body)) fail([key, name], expected('an object', body));
    }
  }
  if ('provider' in json) {
    const providers = json.provider;
    if (!isObject(providers)) return fail(['provider'], expected('an object of providers', providers));
    for (const [type, configs] of Object.entries(providers)) {
      if (!Array.isArray(configs))
        return fail(
          ['provider', type],
          expected('an array of provider configurations (as cdktf writes them)', configs),
        );
      configs.forEach((c: unknown, i) => {
        if (!isObject(c)) fail(['provider', type, i], expected('an object', c));
      });
    }
  }
}

/**
 * The value inputs of a helm_release as the helm provider takes them: `values` a list of YAML documents (strings),
 * `set`, `set_list` and `set_sensitive` lists of objects with a string `name`. Any other shape would be read as no
 * values (or fail inside the checks) while Terraform might still deploy something.
 */
function checkReleaseShape(
  fail: (at: Array<string | number>, problem: string) => never,
  at: Array<string | number>,
  body: Readonly<Record<string, unknown>>,
): void {
  if ('values' in body) {
    const values = body.values;
    if (!Array.isArray(values))
      return fail([...at, 'values'], expected('an array of YAML documents (strings)', values));
    values.forEach((doc: unknown, i) => {
      if (typeof doc !== 'string') fail([...at, 'values', i], expected('a string (a YAML document)', doc));
    });
  }
  for (const key of ['set', 'set_list', 'set_sensitive'] as const) {
    if (!(key in body)) continue;
    const list = body[key];
    if (!Array.isArray(list)) return fail([...at, key], expected('an array of objects with a string name', list));
    list.forEach((entry: unknown, i) => {
      if (!isObject(entry)) return fail([...at, key, i], expected('an object with a string name', entry));
      if (typeof entry.name !== 'string') fail([...at, key, i, 'name'], expected('a string', entry.name));
      if (key === 'set_list') {
        if (!Array.isArray(entry.value) || entry.value.some((v: unknown) => typeof v !== 'string'))
          fail([...at, key, i, 'value'], expected('an array of strings', entry.value));
      } else if ('value' in entry && !['string', 'number', 'boolean'].includes(typeof entry.value))
        fail([...at, key, i, 'value'], expected('a string', entry.value));
    });
  }
}

/** The stack directories on disk: `stacks/<name>/` holding a `cdk.tf.json`. */
function stackDirsOnDisk(root: string, outdir: string): string[] {
  const stacksDir = path.join(outdir, 'stacks');
  if (!fs.existsSync(stacksDir)) return [];
  const names: string[] = [];
  for (const name of readDir(stacksDir).sort()) {
    const dir = path.join(stacksDir, name);
    let isDir: boolean;
    try {
      isDir = fs.statSync(dir).isDirectory();
    } catch (e) {
      throw new SynthesizedShapeError(dir, undefined, `cannot be read: ${errorText(e)}`);
    }
    if (!isDir) continue;
    const entries = readDir(dir);
    if (entries.includes(STACK_FILE)) {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes('..'))
        throw new SynthesizedShapeError(dir, undefined, 'is not a stack name cdktf writes (letters, digits, . _ -)');
      assertInside(root, dir);
      names.push(name);
    } else if (entries.some((e) => CONFIG_FILE.test(e)))
      throw new SynthesizedShapeError(
        dir,
        undefined,
        `holds Terraform files but no ${STACK_FILE}; verify cannot check it; remove it`,
      );
  }
  return names;
}

function realDir(outdir: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(outdir);
  } catch (e) {
    throw new SynthesizedShapeError(outdir, undefined, `cannot be read: ${errorText(e)}`);
  }
  if (!st.isDirectory()) throw new SynthesizedShapeError(outdir, undefined, 'is not a directory');
  return fs.realpathSync(outdir);
}

function readDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (e) {
    throw new SynthesizedShapeError(dir, undefined, `cannot be read: ${errorText(e)}`);
  }
}

/** A file (or directory) that resolves, through symbolic links, to somewhere outside the output directory. */
function assertInside(root: string, file: string): void {
  const real = fs.realpathSync(file);
  if (real !== root && !real.startsWith(root + path.sep))
    throw new SynthesizedShapeError(file, undefined, `resolves to ${real}, outside the output directory ${root}`);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Reads and parses one JSON file of the output: inside it, UTF-8, not empty, valid JSON without duplicate keys. */
function readJsonFile(root: string, file: string, what: string, options: ReadOptions): unknown {
  let bytes: Buffer;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new SynthesizedShapeError(file, undefined, `${what}: not a regular file`);
    assertInside(root, file);
    bytes = fs.readFileSync(file);
  } catch (e) {
    if (e instanceof SynthesizedShapeError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new SynthesizedShapeError(
      file,
      undefined,
      code === 'ENOENT' ? `${what}: no such file` : `${what}: cannot be read: ${errorText(e)}`,
    );
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new SynthesizedShapeError(file, undefined, `${what}: not UTF-8`);
  }
  if (text.trim() === '') throw new SynthesizedShapeError(file, undefined, `${what}: empty file`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SynthesizedShapeError(file, undefined, `${what}: not valid JSON (${errorText(e)})`);
  }
  const duplicate = options.ownOutput ? undefined : duplicateKey(text);
  if (duplicate)
    throw new SynthesizedShapeError(
      file,
      jsonPath(duplicate),
      'appears twice in its object; JSON.parse keeps one, Terraform may read the other',
    );
  return json;
}

/**
 * The path of the first key that appears twice in one object of a valid JSON text, or undefined. JSON.parse keeps
 * only the last value, so a duplicate could hide what Terraform deploys from the checks.
 */
export function duplicateKey(text: string): Array<string | number> | undefined {
  // one frame per open object or array; `key` is the key (or index) of the value being read in it
  const frames: Array<{ keys?: Set<string>; expectKey: boolean; key: string | number }> = [];
  let top: (typeof frames)[number] | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      let j = text.indexOf('"', i + 1);
      for (;;) {
        let backslashes = 0;
        while (text.charCodeAt(j - 1 - backslashes) === 0x5c /* \ */) backslashes++;
        if (backslashes % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (top?.keys && top.expectKey) {
        const raw = text.slice(i + 1, j);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) return [...frames.slice(0, -1).map((f) => f.key), key];
        top.keys.add(key);
        top.expectKey = false;
        top.key = key;
      }
      i = j;
    } else if (ch === 0x7b /* { */) frames.push((top = { keys: new Set(), expectKey: true, key: '' }));
    else if (ch === 0x5b /* [ */) frames.push((top = { expectKey: false, key: 0 }));
    else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      frames.pop();
      top = frames[frames.length - 1];
    } else if (ch === 0x2c /* , */ && top) {
      if (top.keys) top.expectKey = true;
      else top.key = (top.key as number) + 1;
    }
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') {
    const s = JSON.stringify(v);
    return `a string ${s.length > 40 ? `${s.slice(0, 37)}..."` : s}`;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return `a ${typeof v} (${v})`;
  return `an ${typeof v}`;
}

const expected = (what: string, found: unknown): string => `expected ${what}, found ${describe(found)}`;

function jsonPath(segments: ReadonlyArray<string | number>): string {
  return segments
    .map((s, i) =>
      typeof s === 'number'
        ? `[${s}]`
        : /^[A-Za-z_][\w-]*$/.test(s)
          ? i === 0
            ? s
            : `.${s}`
          : `[${JSON.stringify(s)}]`,
    )
    .join('');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
