import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  cli,
  GITLAB_MAX_NEEDS,
  gitlabChildPipeline,
  ManifestError,
  PIPELINE_FILE,
  PipelineError,
} from '../scripts/pipeline';
import { synthFederation } from '../app/pipeline';
import { defaultFederation, replaceOnce, ROOT, tmpDir } from './helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** GitLab's `extends`: the parent's hashes deep-merged with the job's, everything else replaced by the job's. */
function merge(base: Json, own: Json): Json {
  const out = { ...base };
  for (const [k, v] of Object.entries(own)) out[k] = isObject(v) && isObject(base[k]) ? merge(base[k], v) : v;
  return out;
}

function resolved(ci: Json, name: string): Json {
  const { extends: parent, ...own } = ci[name];
  return parent ? merge(resolved(ci, parent), own) : own;
}

/** A manifest in cdktf's shape: stack name -> its dependencies. */
function manifestOf(deps: Record<string, string[]>): Json {
  return {
    stacks: Object.fromEntries(
      Object.entries(deps).map(([name, dependencies]) => [
        name,
        { workingDirectory: `stacks/${name}`, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, dependencies },
      ]),
    ),
  };
}

/** Every file under dir with its content, for "nothing else changed". */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

function outWithManifest(text: string): string {
  const dir = path.join(tmpDir(), 'out');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'manifest.json'), text);
  return dir;
}

describe('GitLab child pipeline (npm run pipeline)', () => {
  const out = path.join(tmpDir(), 'out');
  synthFederation(defaultFederation(), out);
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  const stacks = Object.keys(manifest.stacks).sort();
  const depsOf = (s: string): string[] => [...manifest.stacks[s].dependencies].sort();
  const ci = parse(gitlabChildPipeline(manifest));

  it('has one plan job and one manual apply job per stack, and no other jobs', () => {
    expect(stacks.length).toBeGreaterThanOrEqual(12);
    const jobs = Object.keys(ci).filter((k) => !k.startsWith('.') && k !== 'variables' && k !== 'stages');
    expect(jobs.sort()).toEqual(stacks.flatMap((s) => [`apply:${s}`, `plan:${s}`]).sort());
    expect(ci.stages).toEqual(['plan', 'apply']);
    for (const s of stacks) {
      const plan = resolved(ci, `plan:${s}`);
      const apply = resolved(ci, `apply:${s}`);
      expect([plan.stage, plan.when]).toEqual(['plan', undefined]);
      // manual, and blocking: the stacks that depend on it wait until it succeeded
      expect([apply.stage, apply.when, apply.allow_failure, apply.interruptible]).toEqual([
        'apply',
        'manual',
        false,
        false,
      ]);
    }
  });

  it("makes each apply job wait for its plan job and the apply jobs of the stack's dependencies", () => {
    for (const s of stacks) {
      expect(ci[`apply:${s}`].needs).toEqual([`plan:${s}`, ...depsOf(s).map((d) => `apply:${d}`)]);
    }
    expect(ci['apply:itzbund-gs-1--tenant-bmbsp'].needs).toEqual([
      'plan:itzbund-gs-1--tenant-bmbsp',
      'apply:itzbund-gs-1--platform',
      'apply:itzbund-gs-1--wire-s3',
    ]);
    expect(ci['apply:itzbund-gs-1--platform'].needs).toEqual(['plan:itzbund-gs-1--platform']);
    // plans start at once, with the synthesized output of the parent pipeline
    for (const s of stacks) {
      expect(resolved(ci, `plan:${s}`).needs).toEqual([{ pipeline: '$PARENT_PIPELINE_ID', job: 'synth' }]);
    }
  });

  it('follows the manifest: a changed dependency changes the needs', () => {
    const edited = structuredClone(manifest);
    edited.stacks['itzbund-ndb-1--wire-s1'].dependencies.push('itzbund-gs-1--wire-s3');
    edited.stacks['itzbund-gs-1--tenant-bmbsp'].dependencies = ['itzbund-gs-1--platform'];
    const changed = parse(gitlabChildPipeline(edited));
    expect(changed['apply:itzbund-ndb-1--wire-s1'].needs).toEqual([
      'plan:itzbund-ndb-1--wire-s1',
      'apply:itzbund-gs-1--wire-s3',
      'apply:itzbund-ndb-1--platform',
    ]);
    expect(changed['apply:itzbund-gs-1--tenant-bmbsp'].needs).toEqual([
      'plan:itzbund-gs-1--tenant-bmbsp',
      'apply:itzbund-gs-1--platform',
    ]);
    expect(ci['apply:itzbund-ndb-1--wire-s1'].needs).not.toContain('apply:itzbund-gs-1--wire-s3');
  });

  it('is deterministic: the order of the manifest does not matter, jobs come sorted by stack', () => {
    const reversed = { stacks: Object.fromEntries(Object.entries(manifest.stacks).reverse()) };
    expect(gitlabChildPipeline(reversed)).toBe(gitlabChildPipeline(manifest));
    const planJobs = Object.keys(ci).filter((k) => k.startsWith('plan:'));
    expect(planJobs).toEqual(stacks.map((s) => `plan:${s}`));
  });

  it('gives every stack its own resource group, shared by its plan and apply jobs', () => {
    const groups = stacks.map((s) => ci[`apply:${s}`].resource_group);
    expect(new Set(groups).size).toBe(stacks.length);
    for (const s of stacks) {
      expect(ci[`apply:${s}`].resource_group).toBe(`tfstate-${s}`);
      expect(ci[`plan:${s}`].resource_group).toBe(`tfstate-${s}`);
    }
  });

  it('runs in the stack directory and applies the plan that the plan job saved as an artifact', () => {
    for (const s of stacks) {
      const plan = resolved(ci, `plan:${s}`);
      const apply = resolved(ci, `apply:${s}`);
      const dir = `cdktf.out/${manifest.stacks[s].workingDirectory}`;
      expect(dir).toBe(`cdktf.out/stacks/${s}`);
      expect(plan.variables.STACK_DIR).toBe(dir);
      expect(apply.variables.STACK_DIR).toBe(dir);
      expect(plan.before_script).toEqual(['cd "$STACK_DIR"']);
      expect(apply.before_script).toEqual(['cd "$STACK_DIR"']);
      expect(plan.script).toEqual([
        '"$TF_BINARY" init -input=false',
        '"$TF_BINARY" plan -input=false -out=plan.tfplan',
      ]);
      expect(apply.script).toEqual([
        '"$TF_BINARY" init -input=false -lockfile=readonly',
        '"$TF_BINARY" apply -input=false plan.tfplan',
      ]);
      // the runner expands $STACK_DIR in artifact paths: the plan, the configuration and the provider lock
      const artifacts = (plan.artifacts.paths as string[]).map((p) =>
        p.replace('$STACK_DIR', plan.variables.STACK_DIR),
      );
      expect(artifacts).toEqual([`${dir}/plan.tfplan`, `${dir}/.terraform.lock.hcl`, `${dir}/cdk.tf.json`]);
      expect(plan.artifacts.expire_in).toBe('1 week');
      // needs by name take the needed job's artifacts: the apply job gets the plan
      expect(apply.needs[0]).toBe(`plan:${s}`);
      expect(apply.artifacts).toBeUndefined();
    }
  });

  it('runs terraform or tofu in an image that variables choose', () => {
    expect(ci.variables.TF_BINARY).toBe('terraform');
    expect(ci.variables.TF_IMAGE).toMatch(/^hashicorp\/terraform:\d+\.\d+\.\d+$/);
    expect(ci['.terraform'].image).toEqual({ name: '$TF_IMAGE', entrypoint: [''] });
    const commands = [...ci['.plan'].script, ...ci['.apply'].script];
    expect(commands.every((c: string) => c.startsWith('"$TF_BINARY" '))).toBe(true);
    expect(JSON.stringify(ci)).not.toMatch(/\bterraform (init|plan|apply)\b/);
  });

  it('reads the same as YAML 1.1 (GitLab parses with Psych) and keeps plain job names', () => {
    const text = gitlabChildPipeline(manifest);
    expect(parse(text, { version: '1.1' })).toEqual(ci);
    expect(text).toMatch(/^# Generated by `npm run pipeline` from cdktf\.out\/manifest\.json, 12 stacks\./);
    expect(text).not.toMatch(/[&*]\w+/); // no anchors or aliases
  });

  it('installs providers from the mirror in every job when synth wrote a CLI config (terraform.rc)', () => {
    expect(ci['.terraform'].variables).toBeUndefined();
    const withMirror = parse(gitlabChildPipeline(manifest, { providerMirror: true }));
    for (const s of stacks) {
      for (const job of [`plan:${s}`, `apply:${s}`]) {
        expect(resolved(withMirror, job).variables.TF_CLI_CONFIG_FILE).toBe('$CI_PROJECT_DIR/cdktf.out/terraform.rc');
      }
      // the apply job has no synth artifacts: the plan job hands the CLI config on with the plan
      expect(resolved(withMirror, `plan:${s}`).artifacts.paths).toContain('cdktf.out/terraform.rc');
    }
  });

  it("refers to the output by the path the jobs see it at, relative to the project's directory", () => {
    const other = parse(gitlabChildPipeline(manifest, { ciOutdir: 'build/out' }));
    expect(other['plan:itzbund-gs-1--platform'].variables.STACK_DIR).toBe('build/out/stacks/itzbund-gs-1--platform');
    expect(() => gitlabChildPipeline(manifest, { ciOutdir: '../out' })).toThrow(/not a plain relative path/);
  });

  describe("GitLab's limit of needs per job", () => {
    it('lists every dependency while they fit', () => {
      const deps = Array.from({ length: GITLAB_MAX_NEEDS - 1 }, (_, i) => `d${String(i).padStart(2, '0')}`);
      const ci49 = parse(
        gitlabChildPipeline(manifestOf({ hub: deps, ...Object.fromEntries(deps.map((d) => [d, []])) })),
      );
      expect(ci49['apply:hub'].needs).toEqual(['plan:hub', ...deps.map((d) => `apply:${d}`)]);
    });

    it('leaves out dependencies that another dependency waits for already', () => {
      // c00 <- c01 <- ... <- c59, and hub depends on all of them: waiting for c59 waits for the rest
      const chain = Array.from({ length: 60 }, (_, i) => `c${String(i).padStart(2, '0')}`);
      const deps = Object.fromEntries(chain.map((c, i) => [c, i === 0 ? [] : [chain[i - 1]]]));
      const reduced = parse(gitlabChildPipeline(manifestOf({ hub: chain, ...deps })));
      expect(reduced['apply:hub'].needs).toEqual(['plan:hub', 'apply:c59']);
      expect(reduced['apply:c01'].needs).toEqual(['plan:c01', 'apply:c00']);
    });

    it('fails naming the stack when its independent dependencies do not fit', () => {
      const deps = Array.from({ length: GITLAB_MAX_NEEDS }, (_, i) => `d${i}`);
      const over = manifestOf({ hub: deps, ...Object.fromEntries(deps.map((d) => [d, []])) });
      expect(() => gitlabChildPipeline(over)).toThrow(PipelineError);
      expect(() => gitlabChildPipeline(over)).toThrow(
        /^stack hub depends on 50 stacks that do not depend on each other; its apply job would need 51 jobs, GitLab allows 50/,
      );
      expect(() => gitlabChildPipeline(over, { maxNeeds: 51 })).not.toThrow();
    });
  });

  describe('refuses manifests that cannot be right', () => {
    const cases: Array<[string, Json, RegExp]> = [
      ['no stacks object', {}, /^no 'stacks' object$/],
      ['stacks as a list', { stacks: [] }, /^no 'stacks' object$/],
      ['no stacks', { stacks: {} }, /^no stacks$/],
      ['an unknown dependency', manifestOf({ a: ['nope'] }), /^stack a depends on 'nope', which is not a stack$/],
      ['a self-dependency', manifestOf({ a: ['a'] }), /^dependency cycle: a -> a$/],
      ['a cycle', manifestOf({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }), /^dependency cycle: a -> b -> c -> a$/],
      ['a name GitLab cannot take', manifestOf({ 'a:b': [] }), /^stack name 'a:b' cannot name a GitLab job/],
      [
        'a working directory outside the output',
        { stacks: { a: { workingDirectory: '../a', synthesizedStackPath: 'a.json', dependencies: [] } } },
        /^stack a: bad workingDirectory$/,
      ],
      [
        'no dependency list',
        { stacks: { a: { workingDirectory: 'stacks/a', synthesizedStackPath: 'stacks/a/cdk.tf.json' } } },
        /^stack a: dependencies is not a list of stack names$/,
      ],
    ];
    it.each(cases)('%s', (_, m, message) => {
      expect(() => gitlabChildPipeline(m)).toThrow(ManifestError);
      expect(() => gitlabChildPipeline(m)).toThrow(message);
    });
  });

  describe('command line', () => {
    it('prints its usage for --help and exits 0', () => {
      for (const flag of ['--help', '-h']) {
        const r = cli([flag]);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^usage: npm run pipeline -- /);
        expect(r.stderr).toBe('');
      }
    });

    it('exits 2 with the usage on stderr without a directory, with two, or with an unknown flag', () => {
      for (const args of [[], [out, out], ['--bogus', out], ['--max-needs', 'many', out]]) {
        const r = cli(args);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/usage: npm run pipeline -- /);
      }
    });

    it('exits 2 with one line naming the problem when the manifest is missing or wrong, and writes nothing', () => {
      const cases: Array<[string | undefined, RegExp]> = [
        [undefined, /^pipeline: cannot read .*manifest\.json: ENOENT$/],
        ['{not json', /^pipeline: .*manifest\.json is not JSON: /],
        ['{"stacks": 1}', /^pipeline: no 'stacks' object$/],
        [JSON.stringify(manifestOf({ a: ['b'] })), /^pipeline: stack a depends on 'b', which is not a stack$/],
        [JSON.stringify(manifestOf({ a: ['b'], b: ['a'] })), /^pipeline: dependency cycle: a -> b -> a$/],
      ];
      for (const [text, message] of cases) {
        const dir = text === undefined ? path.join(tmpDir(), 'nothing-here') : outWithManifest(text);
        const r = cli([dir]);
        expect([r.code, r.stdout]).toEqual([2, '']);
        expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(r.stderr.trimEnd()).toMatch(message);
        expect(fs.existsSync(path.join(dir, 'pipeline'))).toBe(false);
      }
    });

    it('exits 1 naming the stack when its apply job would exceed the needs limit', () => {
      const dir = outWithManifest(JSON.stringify(manifestOf({ hub: ['a', 'b', 'c'], a: [], b: [], c: [] })));
      const r = cli(['--max-needs', '3', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^pipeline: stack hub depends on 3 stacks that do not depend on each other/);
      expect(fs.existsSync(path.join(dir, 'pipeline'))).toBe(false);
      // within the limit, writing reads the stacks, which this manifest only names
      expect(cli(['--max-needs', '4', dir])).toEqual({
        code: 2,
        stdout: '',
        stderr: expect.stringMatching(/^pipeline: cannot read stack a: ENOENT/),
      });
      expect(fs.existsSync(path.join(dir, 'pipeline'))).toBe(false);
    });

    it('warns when stacks keep their state in local files, and with --require-remote-state exits 1', () => {
      const dir = path.join(tmpDir(), 'out');
      fs.cpSync(out, dir, { recursive: true });
      const strict = cli(['--require-remote-state', dir]);
      expect([strict.code, strict.stdout]).toEqual([1, '']);
      expect(strict.stderr).toBe(
        'pipeline: 12 of 12 stacks keep their Terraform state in local files, which CI jobs lose ' +
          '(bab-bum-1--platform, bab-bum-1--tenant-bab, bwi-bwm-1--platform, ...): set stateBackend to pg or s3\n',
      );
      expect(fs.existsSync(path.join(dir, 'pipeline'))).toBe(false);

      const r = cli([dir]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^pipeline: WARNING 12 of 12 stacks keep their Terraform state in local files/);
      expect(fs.readFileSync(path.join(dir, PIPELINE_FILE), 'utf8')).toBe(gitlabChildPipeline(manifest));
    });

    it('writes <out>/pipeline/gitlab-ci.yml for a remote state backend and changes nothing else', () => {
      const pg = path.join(tmpDir(), 'out');
      synthFederation(
        defaultFederation((y) => replaceOnce(y, 'stateBackend:\n  type: local\n', 'stateBackend:\n  type: pg\n')),
        pg,
      );
      const before = snapshot(pg);
      const r = cli(['--require-remote-state', pg]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^pipeline: 12 stacks, 24 jobs \(jobs read cdktf\.out\/\) -> .*gitlab-ci\.yml$/m);
      const after = snapshot(pg);
      expect(Object.keys(after).sort()).toEqual([...Object.keys(before), PIPELINE_FILE].sort());
      expect({ ...after, [PIPELINE_FILE]: undefined }).toEqual({ ...before, [PIPELINE_FILE]: undefined });
      expect(after[PIPELINE_FILE]).toBe(gitlabChildPipeline(JSON.parse(before['manifest.json'])));
      // again: replaced in place, no temporary files left
      expect(cli([pg]).code).toBe(0);
      expect(fs.readdirSync(path.join(pg, 'pipeline'))).toEqual(['gitlab-ci.yml']);
    });

    it('--max-needs: fewer needs where dependencies imply others', () => {
      const dir = path.join(tmpDir(), 'out');
      fs.cpSync(out, dir, { recursive: true });
      expect(cli(['--max-needs', '2', dir]).code).toBe(0);
      const written = parse(fs.readFileSync(path.join(dir, PIPELINE_FILE), 'utf8'));
      // the tenant's platform dependency is implied by wire-s3, which depends on the platform itself
      expect(written['apply:itzbund-gs-1--tenant-bmbsp'].needs).toEqual([
        'plan:itzbund-gs-1--tenant-bmbsp',
        'apply:itzbund-gs-1--wire-s3',
      ]);
    });

    it('the built script exits with these codes', () => {
      const run = (...args: string[]) =>
        spawnSync(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'pipeline.js'), ...args], {
          encoding: 'utf8',
        });
      expect(run('--help').status).toBe(0);
      expect(run().status).toBe(2);
      expect(run(path.join(tmpDir(), 'nothing-here')).status).toBe(2);
      expect(run('--require-remote-state', out).status).toBe(1);
    });
  });
});
