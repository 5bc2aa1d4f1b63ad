/**
 * `npm run verify -- <dir>` fails closed: every malformed shape of a synthesized output is exit 2 with exactly one
 * line naming the file (and the JSON path inside it), never exit 0, never exit 1 (findings), never a stack trace.
 * Every stack directory on disk is checked, also one that manifest.json does not list.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as exposure from '../policy/exposure';
import * as stage from '../policy/render/stage';
import { duplicateKey, readSynthesized, SynthesizedShapeError } from '../policy/synthesized';
import { verifyCli } from '../app/verify';
import { synthFederation } from '../app/pipeline';
import { defaultFederation, ROOT, tmpDir } from './helpers';

/** The real command line (`npm run verify` is `node scripts/launch.js app/verify`). */
function verify(dir: string) {
  return spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'launch.js'), 'app/verify', dir], {
    encoding: 'utf8',
  });
}

/** {@link verifyCli} as the command line prints it: stdout for exit 0, stderr otherwise. */
async function verifyInProcess(dir: string) {
  const out = await verifyCli([dir], {});
  const text = out.lines.map((l) => `${l}\n`).join('');
  return { status: out.code, stdout: out.code === 0 ? text : '', stderr: out.code === 0 ? '' : text };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const WIRE_S1 = 'itzbund-ndb-1--wire-s1';
const PLATFORM = 'bab-bum-1--platform';
const stackFile = (dir: string, name = WIRE_S1) => path.join(dir, 'stacks', name, 'cdk.tf.json');
const manifestFile = (dir: string) => path.join(dir, 'manifest.json');

function editJson(file: string, edit: (json: Json) => Json): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const out = edit(json);
  fs.writeFileSync(file, JSON.stringify(out === undefined ? json : out));
}

const editStack =
  (edit: (json: Json) => Json, name = WIRE_S1) =>
  (dir: string) =>
    editJson(stackFile(dir, name), edit);
const writeStack =
  (text: string | Buffer, name = WIRE_S1) =>
  (dir: string) =>
    fs.writeFileSync(stackFile(dir, name), text);
const editManifest = (edit: (json: Json) => Json) => (dir: string) => editJson(manifestFile(dir), edit);

/** A Säule-1 NodePort Service: the exposure the guard must find. */
const NODE_PORT = {
  debug: {
    provider: 'kubernetes.itzbund-ndb-1',
    metadata: { name: 'debug', namespace: 'wire-s1' },
    spec: { type: 'NodePort' },
  },
};

describe('verify on malformed synthesized output', () => {
  const base = path.join(tmpDir(), 'out');
  synthFederation(defaultFederation(), base);

  /** A fresh copy of the synthesized default federation, edited. */
  function output(edit: (dir: string) => void = () => {}): string {
    const dir = path.join(tmpDir(), 'out');
    fs.cpSync(base, dir, { recursive: true });
    edit(dir);
    return dir;
  }

  it('the real command line: exit 2 with one line for a malformed stack file', () => {
    const r = verify(output(writeStack('[]')));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(/^verify: .*cdk\.tf\.json/);
  });

  it('exits 0 on the unmodified output', () => {
    const r = verify(output());
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('verify: 12 stacks, no way into Säule 1 from outside the NdB\n');
  });

  // [case, edit, what the one line must say (after "verify: ")]
  const cases: Array<[string, (dir: string) => void, RegExp]> = [
    // manifest.json
    ['no manifest.json', (d) => fs.rmSync(manifestFile(d)), /manifest\.json: the cdktf manifest: no such file$/],
    [
      'manifest.json not JSON',
      (d) => fs.writeFileSync(manifestFile(d), '{not json'),
      /manifest\.json: .*not valid JSON/,
    ],
    [
      'manifest.json empty',
      (d) => fs.writeFileSync(manifestFile(d), ''),
      /manifest\.json: the cdktf manifest: empty file$/,
    ],
    [
      'manifest.json not UTF-8',
      (d) => fs.writeFileSync(manifestFile(d), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
      /manifest\.json: the cdktf manifest: not UTF-8$/,
    ],
    ['manifest.json an array', editManifest(() => []), /manifest\.json: expected an object, found an array$/],
    [
      'manifest without stacks',
      editManifest((m) => ({ version: m.version })),
      /manifest\.json at stacks: expected an object, found nothing$/,
    ],
    [
      'manifest with no stacks',
      editManifest((m) => ({ ...m, stacks: {} })),
      /manifest\.json at stacks: lists no stacks$/,
    ],
    [
      'manifest with null stacks',
      editManifest((m) => ({ ...m, stacks: null })),
      /manifest\.json at stacks: expected an object, found null$/,
    ],
    [
      'manifest with stacks as an array',
      editManifest((m) => ({ ...m, stacks: Object.values(m.stacks) })),
      /manifest\.json at stacks: expected an object, found an array$/,
    ],
    [
      'a null stack entry',
      editManifest((m) => void (m.stacks[PLATFORM] = null)),
      /manifest\.json at stacks\.bab-bum-1--platform: expected an object, found null$/,
    ],
    [
      'a stack entry without its file',
      editManifest((m) => void delete m.stacks[PLATFORM].synthesizedStackPath),
      /manifest\.json at stacks\.bab-bum-1--platform\.synthesizedStackPath: expected "stacks\/bab-bum-1--platform\/cdk\.tf\.json", found nothing$/,
    ],
    [
      "a stack entry pointing at another stack's file",
      editManifest((m) => void (m.stacks[WIRE_S1].synthesizedStackPath = `stacks/${PLATFORM}/cdk.tf.json`)),
      /at stacks\.itzbund-ndb-1--wire-s1\.synthesizedStackPath: expected "stacks\/itzbund-ndb-1--wire-s1\/cdk\.tf\.json", found a string "stacks\/bab-bum-1--platform\/cdk\.tf\.json"$/,
    ],
    [
      'a stack entry pointing outside the output',
      editManifest((m) => void (m.stacks[WIRE_S1].synthesizedStackPath = '../../etc/passwd')),
      /at stacks\.itzbund-ndb-1--wire-s1\.synthesizedStackPath: expected "stacks\/itzbund-ndb-1--wire-s1\/cdk\.tf\.json"/,
    ],
    [
      'a stack entry whose file does not exist',
      (d) => fs.rmSync(stackFile(d)),
      /stacks\/itzbund-ndb-1--wire-s1\/cdk\.tf\.json: the Terraform JSON of stack itzbund-ndb-1--wire-s1: no such file$/,
    ],
    // the stack file
    ['a stack file that is []', writeStack('[]'), /wire-s1\/cdk\.tf\.json: expected an object .*, found an array$/],
    [
      'a stack file that is a string',
      writeStack('"resource"'),
      /wire-s1\/cdk\.tf\.json: expected an object .*, found a string "resource"$/,
    ],
    ['a stack file that is null', writeStack('null'), /wire-s1\/cdk\.tf\.json: expected an object .*, found null$/],
    [
      'a stack file that is a number',
      writeStack('42'),
      /wire-s1\/cdk\.tf\.json: expected an object .*, found a number \(42\)$/,
    ],
    ['an empty stack file', writeStack(''), /wire-s1\/cdk\.tf\.json: the Terraform JSON of stack .*: empty file$/],
    [
      'a stack file that is not UTF-8',
      writeStack(Buffer.from([0x7b, 0x7d, 0xc3, 0x28])),
      /wire-s1\/cdk\.tf\.json: the Terraform JSON of stack .*: not UTF-8$/,
    ],
    [
      'a stack file that is not JSON',
      writeStack('{"resource": {'),
      /wire-s1\/cdk\.tf\.json: the Terraform JSON of stack .*: not valid JSON/,
    ],
    [
      'resource as an array',
      editStack((j) => void (j.resource = [j.resource])),
      /wire-s1\/cdk\.tf\.json at resource: expected an object of resource types, found an array$/,
    ],
    [
      'resource as null',
      editStack((j) => void (j.resource = null)),
      /wire-s1\/cdk\.tf\.json at resource: expected an object of resource types, found null$/,
    ],
    [
      'a resource type that is not an object',
      editStack((j) => void (j.resource.kubernetes_service_v1 = [NODE_PORT.debug])),
      /wire-s1\/cdk\.tf\.json at resource\.kubernetes_service_v1: expected an object of resource names, found an array$/,
    ],
    [
      'a null resource body',
      editStack((j) => void (j.resource.kubernetes_service_v1 = { debug: null })),
      /wire-s1\/cdk\.tf\.json at resource\.kubernetes_service_v1\.debug: expected an object \(the resource body\), found null$/,
    ],
    [
      'a resource body that is a string',
      editStack((j) => void (j.resource.kubernetes_service_v1 = { debug: 'NodePort' })),
      /at resource\.kubernetes_service_v1\.debug: expected an object \(the resource body\), found a string "NodePort"$/,
    ],
    [
      'data as a string',
      editStack((j) => void (j.data = 'none')),
      /wire-s1\/cdk\.tf\.json at data: expected an object of resource types, found a string "none"$/,
    ],
    [
      'a null data source body',
      editStack((j) => void (j.data = { kubernetes_namespace_v1: { x: null } })),
      /at data\.kubernetes_namespace_v1\.x: expected an object \(the resource body\), found null$/,
    ],
    [
      'locals as an array',
      editStack((j) => void (j.locals = [j.locals])),
      /at locals: expected an object, found an array$/,
    ],
    ['output as null', editStack((j) => void (j.output = null)), /at output: expected an object, found null$/],
    [
      'an output that is not an object',
      editStack((j) => void (j.output.dns_entries = ['x'])),
      /at output\.dns_entries: expected an object, found an array$/,
    ],
    [
      'provider as an array',
      editStack((j) => void (j.provider = [j.provider])),
      /at provider: expected an object of providers, found an array$/,
    ],
    [
      'a provider given as one object',
      editStack((j) => void (j.provider.kubernetes = j.provider.kubernetes[0])),
      /at provider\.kubernetes: expected an array of provider configurations .*, found an object$/,
    ],
    [
      'a null provider configuration',
      editStack((j) => void j.provider.helm.push(null)),
      /at provider\.helm\[1\]: expected an object, found null$/,
    ],
    [
      'terraform as a string',
      editStack((j) => void (j.terraform = 'x')),
      /at terraform: expected an object, found a string "x"$/,
    ],
    [
      'a block verify does not check (module)',
      editStack((j) => void (j.module = { m: { source: './evil' } })),
      /wire-s1\/cdk\.tf\.json at module: is a block verify does not check/,
    ],
    [
      'a key twice in one object (JSON.parse would keep only the clean one)',
      writeStack(
        (() => {
          const j = JSON.parse(fs.readFileSync(stackFile(base), 'utf8'));
          const text = JSON.stringify(j);
          const exposed = JSON.stringify({ ...j.resource, kubernetes_service_v1: NODE_PORT });
          return text.replace('"resource":{', `"resource":${exposed},"resource":{`);
        })(),
      ),
      /wire-s1\/cdk\.tf\.json at resource: appears twice in its object/,
    ],
    // helm_release value inputs: the helm provider takes lists; any other shape would be read as no values
    [
      'helm_release values as a list of objects (would be silently ignored)',
      editStack((j) => void (j.resource.helm_release['wire-s1_wire-server'].values = [{ cannon: { service: {} } }])),
      /at resource\.helm_release\.wire-s1_wire-server\.values\[0\]: expected a string \(a YAML document\), found an object$/,
    ],
    [
      'helm_release values as one string',
      editStack((j) => void (j.resource.helm_release['wire-s1_wire-server'].values = 'a: b')),
      /at resource\.helm_release\.wire-s1_wire-server\.values: expected an array of YAML documents \(strings\), found a string "a: b"$/,
    ],
    [
      'helm_release set as an object',
      editStack(
        (j) =>
          void (j.resource.helm_release['wire-s1_wire-server'].set = {
            name: 'cannon.service.nginz.enabled',
            value: 'true',
          }),
      ),
      /at resource\.helm_release\.wire-s1_wire-server\.set: expected an array of objects with a string name, found an object$/,
    ],
    [
      'a helm_release set entry without a string name',
      editStack(
        (j) => void (j.resource.helm_release['wire-s1_wire-server'].set = [{ name: ['a', 'b'], value: 'NodePort' }]),
      ),
      /at resource\.helm_release\.wire-s1_wire-server\.set\[0\]\.name: expected a string, found an array$/,
    ],
    [
      'a helm_release set_list entry that is a string',
      editStack((j) => void (j.resource.helm_release['wire-s1_wire-server'].set_list = ['a={b}'])),
      /at resource\.helm_release\.wire-s1_wire-server\.set_list\[0\]: expected an object with a string name, found a string "a=\{b\}"$/,
    ],
    [
      'helm_release set_sensitive as null',
      editStack((j) => void (j.resource.helm_release['wire-s1_wire-server'].set_sensitive = null)),
      /at resource\.helm_release\.wire-s1_wire-server\.set_sensitive: expected an array of objects with a string name, found null$/,
    ],
    // files on disk
    [
      'a symlink stack file pointing outside the output',
      (d) => {
        const outside = path.join(tmpDir(), 'cdk.tf.json');
        fs.copyFileSync(stackFile(d), outside);
        fs.rmSync(stackFile(d));
        fs.symlinkSync(outside, stackFile(d));
      },
      /wire-s1\/cdk\.tf\.json: resolves to .*, outside the output directory/,
    ],
    [
      'a symlink stack directory pointing outside the output',
      (d) => {
        const outside = path.join(tmpDir(), 'stack');
        fs.cpSync(path.join(d, 'stacks', WIRE_S1), outside, { recursive: true });
        fs.rmSync(path.join(d, 'stacks', WIRE_S1), { recursive: true });
        fs.symlinkSync(outside, path.join(d, 'stacks', WIRE_S1));
      },
      /wire-s1\/cdk\.tf\.json: resolves to .*, outside the output directory/,
    ],
    [
      'another Terraform file beside a stack file',
      (d) => fs.writeFileSync(path.join(d, 'stacks', WIRE_S1, 'extra.tf.json'), JSON.stringify({ resource: {} })),
      /wire-s1\/extra\.tf\.json: Terraform would load this file with stack itzbund-ndb-1--wire-s1, but verify checks only cdk\.tf\.json/,
    ],
    [
      'a stack directory with Terraform files but no cdk.tf.json',
      (d) => {
        fs.mkdirSync(path.join(d, 'stacks', 'hidden'));
        fs.writeFileSync(path.join(d, 'stacks', 'hidden', 'main.tf'), 'resource "x" "y" {}\n');
      },
      /stacks\/hidden: holds Terraform files but no cdk\.tf\.json/,
    ],
    [
      'a malformed stack on disk that the manifest omits',
      (d) => {
        editManifest((m) => void delete m.stacks[WIRE_S1])(d);
        writeStack('[]')(d);
      },
      /wire-s1\/cdk\.tf\.json: expected an object .*, found an array$/,
    ],
    // well-typed, but odd data that the checks cannot handle
    [
      'DNS entries that are a number (the checks throw)',
      editStack((j) => void (j.output.dns_entries.value = 5)),
      /^internal error while checking .*, no verdict: TypeError: .*not iterable/,
    ],
    [
      'namespaces with null metadata (the checks throw)',
      editStack((j) => {
        for (const r of Object.values(j.resource.kubernetes_namespace_v1) as Json[]) r.metadata = null;
      }),
      /^internal error while checking .*, no verdict: TypeError: /,
    ],
  ];

  // In process, through the same entry the command line uses (verifyCli; a few cases below run the real CLI): one
  // spawned Node per case would cost a second each.
  it.each(cases)('exits 2 with one line for %s', async (_case, edit, line) => {
    const r = await verifyInProcess(output(edit));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    const lines = r.stderr.slice(0, -1).split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^verify: /);
    expect(lines[0].slice('verify: '.length).replace(/^cannot read synthesized output: /, '')).toMatch(line);
  });

  it('turns any exception in the checks or the render stage into exit 2 with one line, never 1', async () => {
    const dir = output();
    const check = jest.spyOn(exposure, 'checkExposure').mockImplementation(() => {
      throw new RangeError('odd data\n    at somewhere (exposure.ts:1:1)');
    });
    try {
      expect(await verifyCli([dir], {})).toEqual({
        code: 2,
        lines: [
          `verify: internal error while checking ${dir}, no verdict: RangeError: odd data at somewhere (exposure.ts:1:1)`,
        ],
      });
    } finally {
      check.mockRestore();
    }
    const render = jest.spyOn(stage, 'renderStage').mockRejectedValue(new Error('helm crashed'));
    try {
      expect(await verifyCli(['--render', '--mirror', tmpDir(), dir], {})).toEqual({
        code: 2,
        lines: [`verify: internal error while rendering ${dir}, no verdict: Error: helm crashed`],
      });
    } finally {
      render.mockRestore();
    }
  });

  it('checks a stack on disk that manifest.json omits, and names it', () => {
    const clean = verify(output(editManifest((m) => void delete m.stacks[WIRE_S1])));
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toBe(
      `verify: 12 stacks (1 not in manifest.json: ${WIRE_S1}), no way into Säule 1 from outside the NdB\n`,
    );
    expect(clean.status).toBe(0);
  });

  it('finds an exposure in a stack on disk that manifest.json omits (exit 1)', () => {
    const dir = output((d) => {
      editManifest((m) => void delete m.stacks[WIRE_S1])(d);
      editStack((j) => void (j.resource.kubernetes_service_v1 = NODE_PORT))(d);
    });
    const r = verify(dir);
    expect(r.stderr.split('\n')[0]).toBe(
      `${WIRE_S1} kubernetes_service_v1.debug [P1-SERVICE] Service of type NodePort opens a port on every node`,
    );
    expect(r.stderr).toContain(`verify: 1 finding(s) in 12 stacks (1 not in manifest.json: ${WIRE_S1})`);
    expect(r.status).toBe(1);
  });

  it('reads a stack file through a symlink that stays inside the output', () => {
    const dir = output((d) => {
      const inside = path.join(d, 'elsewhere.json');
      fs.renameSync(stackFile(d), inside);
      fs.symlinkSync(inside, stackFile(d));
    });
    expect(verify(dir).status).toBe(0);
  });
});

describe('readSynthesized (also used by synth, tenant:new, charts:pull)', () => {
  it('throws a SynthesizedShapeError naming the file, the JSON path and what was expected', () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'stacks', 's'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({ stacks: { s: { synthesizedStackPath: 'stacks/s/cdk.tf.json', workingDirectory: 'stacks/s' } } }),
    );
    fs.writeFileSync(path.join(dir, 'stacks', 's', 'cdk.tf.json'), JSON.stringify({ resource: { t: { n: null } } }));
    let error: unknown;
    try {
      readSynthesized(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthesizedShapeError);
    const e = error as SynthesizedShapeError;
    expect(e.file).toBe(path.join(dir, 'stacks', 's', 'cdk.tf.json'));
    expect(e.jsonPath).toBe('resource.t.n');
    expect(e.message).toBe(
      `${path.join(dir, 'stacks', 's', 'cdk.tf.json')} at resource.t.n: expected an object (the resource body), found null`,
    );
    fs.writeFileSync(path.join(dir, 'stacks', 's', 'cdk.tf.json'), JSON.stringify({ resource: { t: { n: {} } } }));
    expect(readSynthesized(dir)).toEqual([{ name: 's', json: { resource: { t: { n: {} } } } }]);
  });

  it.each([
    ['{"a":1,"a":2}', ['a']],
    ['{"x":"q\\"","a":[1,{"b":1},{"b":2,"b":3}]}', ['a', 2, 'b']],
    ['{"\\u0061":1,"a":2}', ['a']],
    ['{"a\\\\":1,"a\\\\":2}', ['a\\']],
    ['{"a\\\\":1,"a":2}', undefined],
    ['{"a":{"a":1},"b":{"a":1}}', undefined],
    ['[{"a":1},{"a":1}]', undefined],
    ['{"s":"{\\"a\\":1,\\"a\\":2}"}', undefined],
  ])('finds the first duplicate key in %s', (text, found) => {
    JSON.parse(text);
    expect(duplicateKey(text)).toEqual(found);
  });
});
