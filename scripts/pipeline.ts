/**
 * `npm run pipeline -- <cdktf.out directory>`: writes `<dir>/pipeline/gitlab-ci.yml`, a GitLab child pipeline that
 * deploys every synthesized stack with one `plan:<stack>` job and one manual `apply:<stack>` job. An apply job waits
 * for the apply jobs of the stack's dependencies (`manifest.json`) and applies exactly the plan its plan job saved;
 * each stack has its own resource group, so no two jobs of one pipeline or of two pipelines run on one state at a
 * time. Exit 0 when written; 1 when the output cannot be deployed safely from CI (a stack that needs more jobs than
 * GitLab allows; with --require-remote-state, state in local files); 2 on a usage error or an unreadable output.
 * Nothing is written unless 0.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Document } from 'yaml';
import { TERRAFORM_CLI_CONFIG_FILE } from '../stacks/terraform-cli-config';

/** GitLab's default limit of `needs` entries per job (`ci_needs_size_limit`; self-managed instances can change it). */
export const GITLAB_MAX_NEEDS = 50;
/** The child pipeline, relative to the output directory. */
export const PIPELINE_FILE = 'pipeline/gitlab-ci.yml';
/** The image the jobs run in unless the variable TF_IMAGE says otherwise (its entrypoint is `terraform`). */
export const DEFAULT_TF_IMAGE = 'hashicorp/terraform:1.13.5';
/** How long a saved plan can be applied: later, plan again (run the pipeline again). */
export const PLAN_EXPIRE_IN = '1 week';

/** The manifest cannot be read or describes stacks that cannot exist (exit 2). */
export class ManifestError extends Error {}
/** The output is readable but a pipeline could not deploy it safely (exit 1). */
export class PipelineError extends Error {}

export interface PipelineStack {
  readonly name: string;
  /** Relative to the output directory, e.g. `stacks/<name>`. */
  readonly workingDirectory: string;
  readonly synthesizedStackPath: string;
  /** Sorted, without duplicates. */
  readonly dependencies: readonly string[];
}

export interface PipelineOptions {
  /** The output directory as the CI jobs see it, relative to the project directory (default `cdktf.out`). */
  readonly ciOutdir?: string;
  /** `needs` entries GitLab allows per job (default 50). */
  readonly maxNeeds?: number;
  /**
   * The synthesized Terraform CLI config (`terraform.rc`, written when the federation names a provider mirror):
   * every job then installs providers from the mirror only.
   * @default false
   */
  readonly providerMirror?: boolean;
}

// Stack names end up in job names, resource groups and paths: letters, digits, '.', '_', '-' only (GitLab also
// expands `$` in variables), and short enough for GitLab's 255 characters.
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const SAFE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** A relative path without `.`/`..` segments, written with `/`, of characters safe in YAML, shell and GitLab. */
function isSafeRelativePath(p: unknown): p is string {
  return typeof p === 'string' && SAFE_PATH.test(p) && p.split('/').every((s) => s !== '.' && s !== '..');
}

/**
 * The stacks of a cdktf manifest (`{ stacks: { <name>: { workingDirectory, dependencies, ... } } }`), sorted by
 * name, checked: every dependency names a stack of the manifest and there is no dependency cycle.
 */
export function manifestStacks(manifest: unknown): PipelineStack[] {
  const raw = (manifest as { stacks?: unknown } | null)?.stacks;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ManifestError("no 'stacks' object");
  const stacks = Object.entries(raw as Record<string, unknown>)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, s]): PipelineStack => {
      if (!STACK_NAME.test(name)) {
        throw new ManifestError(`stack name '${name}' cannot name a GitLab job (letters, digits, '.', '_', '-')`);
      }
      const { workingDirectory, synthesizedStackPath, dependencies } = (s ?? {}) as Record<string, unknown>;
      if (!isSafeRelativePath(workingDirectory)) throw new ManifestError(`stack ${name}: bad workingDirectory`);
      if (!isSafeRelativePath(synthesizedStackPath)) throw new ManifestError(`stack ${name}: bad synthesizedStackPath`);
      if (!Array.isArray(dependencies) || !dependencies.every((d) => typeof d === 'string')) {
        throw new ManifestError(`stack ${name}: dependencies is not a list of stack names`);
      }
      return { name, workingDirectory, synthesizedStackPath, dependencies: [...new Set(dependencies)].sort() };
    });
  if (stacks.length === 0) throw new ManifestError('no stacks');
  const byName = new Map(stacks.map((s) => [s.name, s.dependencies]));
  for (const s of stacks) {
    const unknown = s.dependencies.find((d) => !byName.has(d));
    if (unknown !== undefined) throw new ManifestError(`stack ${s.name} depends on '${unknown}', which is not a stack`);
  }
  const cycle = findCycle(byName);
  if (cycle) throw new ManifestError(`dependency cycle: ${cycle.join(' -> ')}`);
  return stacks;
}

/** A dependency cycle (`a -> b -> a`), found by depth-first search without recursion, or undefined. */
function findCycle(deps: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const done = new Set<string>();
  for (const start of deps.keys()) {
    if (done.has(start)) continue;
    const trail = [start];
    const next = [0];
    while (trail.length > 0) {
      const top = trail.length - 1;
      const dep = deps.get(trail[top])![next[top]++];
      if (dep === undefined) {
        done.add(trail.pop()!);
        next.pop();
      } else if (trail.includes(dep)) {
        return [...trail.slice(trail.indexOf(dep)), dep];
      } else if (!done.has(dep)) {
        trail.push(dep);
        next.push(0);
      }
    }
  }
  return undefined;
}

/**
 * The apply jobs an apply job waits for: the apply jobs of the stack's dependencies. When they do not fit into
 * GitLab's `needs` limit (one entry is the stack's own plan job), the dependencies that another dependency already
 * depends on, directly or not, are left out: waiting for that other apply job waits for them too. When even the
 * rest does not fit, there is no pipeline that keeps the order, and this fails.
 */
function applyNeeds(stack: PipelineStack, ancestors: (name: string) => ReadonlySet<string>, maxNeeds: number) {
  const room = maxNeeds - 1;
  if (stack.dependencies.length <= room) return stack.dependencies;
  const deps = stack.dependencies.filter((d) => !stack.dependencies.some((o) => o !== d && ancestors(o).has(d)));
  if (deps.length <= room) return deps;
  throw new PipelineError(
    `stack ${stack.name} depends on ${deps.length} stacks that do not depend on each other; its apply job would ` +
      `need ${deps.length + 1} jobs, GitLab allows ${maxNeeds} (ci_needs_size_limit): split the stack or raise ` +
      `the instance limit and pass --max-needs`,
  );
}

/** The child pipeline as an object (what the YAML file holds); see gitlabChildPipeline. */
export function childPipeline(manifest: unknown, options: PipelineOptions = {}): Record<string, unknown> {
  return pipelineOf(manifestStacks(manifest), options);
}

function pipelineOf(stacks: readonly PipelineStack[], options: PipelineOptions): Record<string, unknown> {
  const ciOutdir = options.ciOutdir ?? 'cdktf.out';
  const maxNeeds = options.maxNeeds ?? GITLAB_MAX_NEEDS;
  if (!isSafeRelativePath(ciOutdir)) throw new Error(`ciOutdir '${ciOutdir}' is not a plain relative path`);
  if (!Number.isInteger(maxNeeds) || maxNeeds < 2) throw new Error('maxNeeds must be an integer >= 2');
  const depsOf = new Map(stacks.map((s) => [s.name, s.dependencies]));
  const memo = new Map<string, ReadonlySet<string>>();
  // every stack a stack depends on, directly or not (computed only for stacks over the needs limit)
  const ancestors = (name: string): ReadonlySet<string> => {
    let set = memo.get(name);
    if (!set) {
      set = new Set(depsOf.get(name)!.flatMap((d) => [d, ...ancestors(d)]));
      memo.set(name, set);
    }
    return set;
  };
  const jobs: Record<string, unknown> = {};
  for (const s of stacks) {
    const common = {
      variables: { STACK_DIR: `${ciOutdir}/${s.workingDirectory}` },
      resource_group: `tfstate-${s.name}`,
    };
    jobs[`plan:${s.name}`] = { extends: '.plan', ...common };
    jobs[`apply:${s.name}`] = {
      extends: '.apply',
      ...common,
      // plain job names, the shortest form (GitLab limits the parsed size of a pipeline file): the plan job's
      // artifacts come along, apply jobs have none
      needs: [`plan:${s.name}`, ...applyNeeds(s, ancestors, maxNeeds).map((d) => `apply:${d}`)],
    };
  }
  return {
    variables: {
      // terraform or tofu; TF_IMAGE must have it and a shell. Project CI/CD variables override these defaults.
      TF_BINARY: 'terraform',
      TF_IMAGE: DEFAULT_TF_IMAGE,
      TF_IN_AUTOMATION: '1',
    },
    stages: ['plan', 'apply'],
    '.terraform': {
      image: { name: '$TF_IMAGE', entrypoint: [''] },
      ...(options.providerMirror
        ? { variables: { TF_CLI_CONFIG_FILE: `$CI_PROJECT_DIR/${ciOutdir}/${TERRAFORM_CLI_CONFIG_FILE}` } }
        : {}),
      before_script: ['cd "$STACK_DIR"'],
    },
    // Plans start at once, from the synthesized output of the parent pipeline's synth job. The saved plan goes to
    // the apply job with the configuration and the provider lock it was made with.
    '.plan': {
      extends: '.terraform',
      stage: 'plan',
      needs: [{ pipeline: '$PARENT_PIPELINE_ID', job: 'synth' }],
      script: ['"$TF_BINARY" init -input=false', '"$TF_BINARY" plan -input=false -out=plan.tfplan'],
      artifacts: {
        paths: [
          '$STACK_DIR/plan.tfplan',
          '$STACK_DIR/.terraform.lock.hcl',
          '$STACK_DIR/cdk.tf.json',
          // the apply job installs the providers from the same mirror
          ...(options.providerMirror ? [`${ciOutdir}/${TERRAFORM_CLI_CONFIG_FILE}`] : []),
        ],
        expire_in: PLAN_EXPIRE_IN,
        // plans hold the values Terraform passes to Helm: not for download by guests and reporters
        access: 'developer',
      },
    },
    // Someone starts each apply by hand after reading its plan. allow_failure: false makes the pipeline wait for it
    // and keeps the stacks that depend on it waiting until it succeeded; a running apply is never cancelled.
    '.apply': {
      extends: '.terraform',
      stage: 'apply',
      when: 'manual',
      allow_failure: false,
      interruptible: false,
      script: ['"$TF_BINARY" init -input=false -lockfile=readonly', '"$TF_BINARY" apply -input=false plan.tfplan'],
    },
    ...jobs,
  };
}

function pipelineYaml(stacks: readonly PipelineStack[], options: PipelineOptions): string {
  const doc = new Document(pipelineOf(stacks, options), { aliasDuplicateObjects: false });
  doc.commentBefore = [
    ` Generated by \`npm run pipeline\` from ${options.ciOutdir ?? 'cdktf.out'}/manifest.json, ${stacks.length} stacks.`,
    ' Do not edit: the parent pipeline (.gitlab-ci.yml) generates it and runs it as a child pipeline.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/**
 * The child pipeline for a cdktf manifest (the parsed `manifest.json`) as YAML. Throws ManifestError for a manifest
 * that cannot be right and PipelineError when a stack's apply job would exceed GitLab's `needs` limit.
 */
export function gitlabChildPipeline(manifest: unknown, options: PipelineOptions = {}): string {
  return pipelineYaml(manifestStacks(manifest), options);
}

/** Reads `<outdir>/manifest.json` (ManifestError when it is missing or not JSON). */
export function readManifest(outdir: string): unknown {
  const file = path.join(outdir, 'manifest.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ManifestError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`${file} is not JSON: ${(e as Error).message}`);
  }
}

/**
 * The stacks that keep their state in local files (cdktf's `local` backend, or none). A CI job loses such state when
 * it ends: the next pipeline would plan to create everything again. Reading every stack also checks that the
 * manifest's stacks exist (ManifestError).
 */
export function localStateStacks(outdir: string, stacks: readonly PipelineStack[]): string[] {
  return stacks
    .filter((s) => {
      let json: { terraform?: { backend?: Record<string, unknown>; cloud?: unknown } };
      try {
        json = JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8'));
      } catch (e) {
        throw new ManifestError(`cannot read stack ${s.name}: ${(e as Error).message.split('\n')[0]}`);
      }
      const backend = Object.keys(json.terraform?.backend ?? {})[0] ?? (json.terraform?.cloud ? 'cloud' : 'local');
      return backend === 'local';
    })
    .map((s) => s.name);
}

/** The output directory as the CI jobs see it: as given when it is a plain path inside the current directory. */
function ciOutdirOf(outdir: string): string {
  const rel = path.relative(process.cwd(), path.resolve(outdir)).split(path.sep).join('/');
  return isSafeRelativePath(rel) ? rel : 'cdktf.out';
}

export interface WriteOptions extends PipelineOptions {
  /** Refuse (PipelineError) when stacks keep their state in local files, which CI jobs lose (what CI wants). */
  readonly requireRemoteState?: boolean;
}

export interface WrittenPipeline {
  readonly file: string;
  readonly stacks: number;
  readonly jobs: number;
  readonly bytes: number;
  /** The output directory as the jobs see it. */
  readonly ciOutdir: string;
  /** The stacks that keep their state in local files: the pipeline is only good for trying things out. */
  readonly localState: readonly string[];
}

/**
 * Reads `<outdir>/manifest.json`, writes `<outdir>/pipeline/gitlab-ci.yml` atomically (a temporary file in the same
 * folder, renamed) and touches nothing else. Throws ManifestError or PipelineError without writing.
 */
export function writePipeline(outdir: string, options: WriteOptions = {}): WrittenPipeline {
  const stacks = manifestStacks(readManifest(outdir));
  const ciOutdir = options.ciOutdir ?? ciOutdirOf(outdir);
  const providerMirror = fs.existsSync(path.join(outdir, TERRAFORM_CLI_CONFIG_FILE));
  const yaml = pipelineYaml(stacks, { ...options, ciOutdir, providerMirror });
  const localState = localStateStacks(outdir, stacks);
  if (options.requireRemoteState && localState.length > 0) {
    throw new PipelineError(`${localStateMessage(localState, stacks.length)}: set stateBackend to pg or s3`);
  }
  const dir = path.join(outdir, path.dirname(PIPELINE_FILE));
  const file = path.join(outdir, PIPELINE_FILE);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, yaml, { flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return { file, stacks: stacks.length, jobs: 2 * stacks.length, bytes: Buffer.byteLength(yaml), ciOutdir, localState };
}

function localStateMessage(local: readonly string[], of: number): string {
  return (
    `${local.length} of ${of} stacks keep their Terraform state in local files, which CI jobs lose ` +
    `(${local.slice(0, 3).join(', ')}${local.length > 3 ? ', ...' : ''})`
  );
}

export const USAGE = `usage: npm run pipeline -- [--max-needs N] [--require-remote-state] <cdktf.out directory>

Writes <dir>/pipeline/gitlab-ci.yml, a GitLab child pipeline: per stack a plan job and a manual apply job that
waits for the apply jobs of the stack's dependencies (manifest.json) and applies the saved plan; one resource
group per stack. The parent pipeline (.gitlab-ci.yml) triggers it with PARENT_PIPELINE_ID set.

  --max-needs N           needs entries GitLab allows per job (ci_needs_size_limit, default ${GITLAB_MAX_NEEDS})
  --require-remote-state  exit 1 when stacks keep their state in local files, which CI jobs lose (without it:
                          a warning; such a pipeline is only good for trying things out)
  -h, --help              this text

Exit 0 written, 1 not deployable from CI (needs limit, local state), 2 usage error or unreadable output.
`;

export interface CliResult {
  readonly code: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(argv: readonly string[]): CliResult {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        help: { type: 'boolean', short: 'h' },
        'max-needs': { type: 'string' },
        'require-remote-state': { type: 'boolean' },
      },
      allowPositionals: true,
    });
  } catch (e) {
    return { code: 2, stdout: '', stderr: `pipeline: ${(e as Error).message}\n${USAGE}` };
  }
  const { values, positionals } = parsed;
  if (values.help) return { code: 0, stdout: USAGE, stderr: '' };
  if (positionals.length !== 1) return { code: 2, stdout: '', stderr: USAGE };
  const maxNeeds = values['max-needs'] === undefined ? GITLAB_MAX_NEEDS : Number(values['max-needs']);
  if (!Number.isInteger(maxNeeds) || maxNeeds < 2) {
    return { code: 2, stdout: '', stderr: `pipeline: --max-needs must be an integer >= 2\n${USAGE}` };
  }
  try {
    const w = writePipeline(positionals[0], { maxNeeds, requireRemoteState: values['require-remote-state'] });
    return {
      code: 0,
      stdout: `pipeline: ${w.stacks} stacks, ${w.jobs} jobs (jobs read ${w.ciOutdir}/) -> ${w.file}\n`,
      stderr:
        w.localState.length > 0
          ? `pipeline: WARNING ${localStateMessage(w.localState, w.stacks)}: only good for trying the pipeline ` +
            `out; deploy with stateBackend pg or s3\n`
          : '',
    };
  } catch (e) {
    if (e instanceof ManifestError) return { code: 2, stdout: '', stderr: `pipeline: ${e.message}\n` };
    if (e instanceof PipelineError) return { code: 1, stdout: '', stderr: `pipeline: ${e.message}\n` };
    return { code: 2, stdout: '', stderr: `pipeline: cannot write the pipeline: ${(e as Error).message}\n` };
  }
}

if (require.main === module) {
  const r = cli(process.argv.slice(2));
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
