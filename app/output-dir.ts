/**
 * The output directory of a synth, replaced as a whole and only when that is safe.
 *
 * - Replaced only when it is a previous output of this app (it holds {@link OUTPUT_MARKER}, or the synth record
 *   of an earlier version) or empty or absent. Never a filesystem root, the home directory, a directory that
 *   contains the config file or the repository, or a path that is not a directory.
 * - Built in a scratch directory beside it (`<out>.tmp-<pid>`), then swapped in with two renames, under a lock
 *   (`<out>.lock`): two synths into one directory run one after the other, and the output is always one run's.
 * - Scratch directories of runs that died (Ctrl-C, a kill) are removed by the next run, and only when they carry
 *   the marker.
 * - Terraform's working files (`.terraform/`, the lock file, local state) move from the old output to the new one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LockError, processAlive, withFileLock, type LockOptions } from './file-lock';

/** The file every output of this app carries: proof that the directory may be replaced. */
export const OUTPUT_MARKER = '.messenger-bund-output';
/**
 * Marks a directory a synth is building or throwing away (`<out>.tmp-<pid>`, `<out>.old-<pid>`). Only a directory
 * with this file and a dead pid is removed by a later run: a user's copy of an output (`cdktf.out.old-2025`) never
 * carries it.
 */
const SCRATCH_MARKER = '.messenger-bund-scratch';
/** The synth record of earlier versions (app/output-record.ts): also proof of an output of this app. */
const LEGACY_MARKER = '.synth-record.json';

/** The output directory cannot or must not be written; nothing was changed. */
export class OutputDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirError';
  }
}

export interface OutputGuard {
  /** Files and directories the output must never contain or be (the config file, the repository). */
  readonly protect: readonly string[];
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest. */
function realish(p: string): string {
  let head = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...rest);
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return path.join(head, ...rest);
      rest.unshift(path.basename(head));
      head = parent;
    }
  }
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** True when `inner` is `outer` or lies inside it. */
const within = (outer: string, inner: string) => {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** Whether a directory may be replaced by a new output; throws an OutputDirError that says why not. */
export function checkOutputDir(outdir: string, guard: OutputGuard): void {
  const target = realish(outdir);
  const refuse = (why: string) =>
    new OutputDirError(`refusing to write the output to ${outdir}: ${why}; choose another directory (CDKTF_OUTDIR)`);
  if (path.parse(target).root === target) throw refuse('it is a filesystem root');
  const home = realish(os.homedir());
  if (within(target, home)) throw refuse(`it is the home directory or contains it (${home})`);
  for (const p of guard.protect) {
    const protectedPath = realish(p);
    if (within(target, protectedPath)) throw refuse(`it contains ${protectedPath}`);
  }
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return; // absent: created fresh
  }
  if (!stat.isDirectory()) throw refuse('it exists and is not a directory');
  const entries = fs.readdirSync(target);
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER) && !isLegacyOutput(target, entries)) {
    throw refuse(
      `it is not empty and is not an output of this app (no ${OUTPUT_MARKER}; found ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''})`,
    );
  }
}

/**
 * An output of an earlier version (before the marker): its synth record must be a real one (a sha256 key and the
 * files it wrote, the manifest among them) and the manifest must be there. A file that merely has the name proves
 * nothing.
 */
function isLegacyOutput(target: string, entries: readonly string[]): boolean {
  if (!entries.includes(LEGACY_MARKER) || !entries.includes('manifest.json')) return false;
  try {
    const record = JSON.parse(fs.readFileSync(path.join(target, LEGACY_MARKER), 'utf8')) as {
      key?: unknown;
      files?: Record<string, unknown>;
    };
    return (
      typeof record.key === 'string' &&
      /^[0-9a-f]{64}$/.test(record.key) &&
      typeof record.files === 'object' &&
      record.files !== null &&
      typeof record.files['manifest.json'] === 'string'
    );
  } catch {
    return false;
  }
}

/** Removes scratch directories of earlier runs into `target` whose process is gone (and that carry the marker). */
function removeDeadScratch(target: string): void {
  const dir = path.dirname(target);
  const prefix = `${path.basename(target)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^(?:tmp|old)-(\d+)$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : '');
    if (!m || processAlive(Number(m[1]))) continue;
    const p = path.join(dir, name);
    let owner: string;
    try {
      owner = fs.readFileSync(path.join(p, SCRATCH_MARKER), 'utf8').trim();
    } catch {
      continue; // not one of ours
    }
    if (owner === m[1]) fs.rmSync(p, { recursive: true, force: true });
  }
}

/**
 * Carries Terraform's working files (`.terraform/`, the lock file, any state a stack keeps beside it) from the
 * previous output into the new one, so that a new synth does not throw away provider caches or state.
 */
function keepTerraformWorkdirs(previous: string, next: string): void {
  const stacksDir = path.join(previous, 'stacks');
  if (!fs.existsSync(stacksDir)) return;
  for (const stack of fs.readdirSync(stacksDir)) {
    const target = path.join(next, 'stacks', stack);
    if (!fs.existsSync(target)) continue;
    for (const entry of fs.readdirSync(path.join(stacksDir, stack))) {
      if (entry === '.terraform' || entry === '.terraform.lock.hcl' || /\.tfstate(\.backup)?$/.test(entry)) {
        fs.renameSync(path.join(stacksDir, stack, entry), path.join(target, entry));
      }
    }
  }
}

const FS_CODES = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
  'ENOTDIR',
  'EEXIST',
  'EISDIR',
  'EDQUOT',
  'ENAMETOOLONG',
]);

/**
 * Builds a new output with `build(scratch)` and swaps it in for `outdir`, under the output's lock. `build` throwing
 * leaves `outdir` as it was. File-system errors (no permission, a full disk) become an OutputDirError.
 */
export function replaceOutput<T>(
  outdir: string,
  guard: OutputGuard,
  build: (scratch: string) => T,
  onWait: LockOptions['onWait'] = (holder, lockFile) =>
    process.stderr.write(
      `waiting for ${lockFile}: another synth (pid ${holder?.pid ?? '?'}) is writing this output (up to 60 s)\n`,
    ),
): T {
  // A symlinked output directory stays a symlink: its target is replaced (the scratch directory is built beside
  // the target, on the same file system).
  const target = isSymlink(outdir) ? fs.realpathSync(outdir) : path.resolve(outdir);
  checkOutputDir(target, guard);
  const scratch = `${target}.tmp-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    return withFileLock(
      `${target}.lock`,
      () => {
        checkOutputDir(target, guard); // again, now that no other run can change it
        removeDeadScratch(target);
        fs.mkdirSync(scratch);
        fs.writeFileSync(path.join(scratch, SCRATCH_MARKER), `${process.pid}\n`);
        try {
          fs.writeFileSync(
            path.join(scratch, OUTPUT_MARKER),
            'Output of the messenger federation synth; replaced as a whole by the next synth.\n',
          );
          const result = build(scratch);
          fs.writeFileSync(
            path.join(scratch, OUTPUT_MARKER),
            'Output of the messenger federation synth; replaced as a whole by the next synth.\n',
          );
          fs.rmSync(path.join(scratch, SCRATCH_MARKER));
          if (fs.existsSync(target)) {
            keepTerraformWorkdirs(target, scratch);
            fs.renameSync(target, old);
            fs.writeFileSync(path.join(old, SCRATCH_MARKER), `${process.pid}\n`);
          }
          fs.renameSync(scratch, target);
          fs.rmSync(old, { recursive: true, force: true });
          return result;
        } finally {
          fs.rmSync(scratch, { recursive: true, force: true });
        }
      },
      { onWait },
    );
  } catch (e) {
    if (e instanceof LockError) throw new OutputDirError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code && FS_CODES.has(code)) {
      throw new OutputDirError(`cannot write the output ${outdir}: ${code} (${(e as Error).message})`);
    }
    throw e;
  }
}
