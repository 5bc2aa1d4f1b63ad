/**
 * Cross-process file locking and atomic file replacement (Node built-ins only; used by `tenant:new` for the
 * federation config and usable for any file or directory that several processes may write).
 *
 * - `withFileLock(lockFile, fn)` runs `fn` while holding `lockFile`, an exclusively created file that records the
 *   holder's pid, host and start time. A lock held by a live process is waited for (synchronously) up to a
 *   timeout; a lock whose process is gone (on this host) is stale and taken over. The lock is released in
 *   `finally`, and only while it is still the caller's.
 * - `writeFileAtomic(file, data)` writes a temporary file next to `file`, fsyncs it and renames it over `file`, so
 *   readers see the old or the new content, never a part; on any error (a full disk) the original stays as it was.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The lock could not be taken (held by another process until the timeout, or not creatable). */
export class LockError extends Error {
  constructor(
    message: string,
    readonly lockFile: string,
    readonly holder?: LockHolder,
  ) {
    super(message);
    this.name = 'LockError';
  }
}

/** What a lock file records about its holder. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** ISO time the lock was taken. */
  readonly time: string;
  /** Unique per acquisition: a release removes the lock only while it still carries this token. */
  readonly token: string;
}

export interface LockOptions {
  /** How long to wait for a live holder before giving up with a LockError (default 60 s). */
  readonly timeoutMs?: number;
  /** Pause between attempts (default 50 ms, with some jitter). */
  readonly pollMs?: number;
  /** Called once when the lock is held by a live process and the caller starts to wait (to tell the user). */
  readonly onWait?: (holder: LockHolder | undefined, lockFile: string) => void;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_POLL_MS = 50;
/** A lock file without a readable holder is one being written; older than this, its creator died mid-write. */
const UNREADABLE_GRACE_MS = 10_000;
/** Breaking a stale lock takes microseconds; a break marker older than this belongs to a process that died. */
const BREAK_GRACE_MS = 10_000;

/** Locks this process holds (a second withFileLock on the same file would wait for itself). */
const held = new Set<string>();

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks the thread for `ms` (synchronous code such as synthesis cannot await). */
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, Math.max(0, ms));
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

function readHolder(lockFile: string): { holder?: LockHolder; raw: string; mtimeMs: number } | undefined {
  let raw: string;
  let mtimeMs: number;
  try {
    raw = fs.readFileSync(lockFile, 'utf8');
    mtimeMs = fs.statSync(lockFile).mtimeMs;
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const h = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof h.pid === 'number' && typeof h.hostname === 'string' && typeof h.token === 'string') {
      return { holder: { pid: h.pid, hostname: h.hostname, time: String(h.time ?? ''), token: h.token }, raw, mtimeMs };
    }
  } catch {
    // written right now, or not a lock of ours
  }
  return { raw, mtimeMs };
}

/** Whether process `pid` exists on this host (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errno(e) !== 'ESRCH';
  }
}

function isStale(info: { holder?: LockHolder; mtimeMs: number }): boolean {
  if (!info.holder) return Date.now() - info.mtimeMs > UNREADABLE_GRACE_MS;
  // a holder on another host (a shared file system) cannot be checked: it is waited for
  if (info.holder.hostname !== os.hostname()) return false;
  // our own pid in a lock we do not hold: left by an earlier process with the same pid (containers reuse pids)
  if (info.holder.pid === process.pid) return true;
  return !processAlive(info.holder.pid);
}

function tryCreate(lockFile: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockFile, 'wx');
  } catch (e) {
    if (errno(e) === 'EEXIST') return false;
    throw new LockError(`cannot create the lock file ${lockFile} (${errno(e) ?? String(e)})`, lockFile);
  }
  try {
    fs.writeSync(fd, JSON.stringify(holder));
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(lockFile, { force: true });
    throw new LockError(`cannot write the lock file ${lockFile} (${errno(e) ?? String(e)})`, lockFile);
  }
  fs.closeSync(fd);
  return true;
}

/**
 * Removes a stale lock, but only the one judged stale (`raw`): breakers exclude each other through a marker
 * file, and only a breaker (never a live holder's rival) removes a lock it does not hold, so the lock file cannot
 * be replaced between the check and the removal.
 */
function breakStale(lockFile: string, raw: string): void {
  const marker = `${lockFile}.break`;
  let fd: number;
  try {
    fd = fs.openSync(marker, 'wx');
  } catch (e) {
    if (errno(e) !== 'EEXIST') return;
    try {
      if (Date.now() - fs.statSync(marker).mtimeMs > BREAK_GRACE_MS) fs.rmSync(marker, { force: true });
    } catch {
      // gone meanwhile
    }
    return;
  }
  fs.closeSync(fd);
  try {
    const now = readHolder(lockFile);
    if (now && now.raw === raw && isStale(now)) fs.rmSync(lockFile, { force: true });
  } finally {
    fs.rmSync(marker, { force: true });
  }
}

function describe(holder: LockHolder | undefined): string {
  if (!holder) return 'an unknown process (the lock file has no readable holder)';
  const here = holder.hostname === os.hostname();
  return `pid ${holder.pid}${here ? '' : ` on host ${holder.hostname}`}${holder.time ? ` since ${holder.time}` : ''}`;
}

/**
 * Runs `fn` while holding `lockFile`. Waits for a live holder up to `timeoutMs`, then throws a LockError that names
 * the lock file and the holder; takes over a stale lock (its process is gone). Not re-entrant: taking a lock this
 * process already holds throws at once.
 */
export function withFileLock<T>(lockFile: string, fn: () => T, options: LockOptions = {}): T {
  const file = path.resolve(lockFile);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  if (held.has(file)) {
    throw new LockError(`the lock ${file} is already held by this process (pid ${process.pid})`, file);
  }
  const me: LockHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    time: new Date().toISOString(),
    token: crypto.randomBytes(12).toString('hex'),
  };
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  for (;;) {
    if (tryCreate(file, me)) break;
    const info = readHolder(file);
    if (!info) continue; // released between the attempt and the read
    if (isStale(info)) {
      breakStale(file, info.raw);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LockError(
        `cannot lock ${file}: it is held by ${describe(info.holder)} (waited ${Math.round(timeoutMs / 1000)} s); ` +
          `if that process is gone for good, delete ${file}`,
        file,
        info.holder,
      );
    }
    if (!waited) {
      waited = true;
      options.onWait?.(info.holder, file);
    }
    sleepSync(Math.min(pollMs + Math.random() * pollMs, Math.max(1, deadline - Date.now())));
  }
  held.add(file);
  try {
    return fn();
  } finally {
    held.delete(file);
    try {
      const now = readHolder(file);
      if (now?.holder?.token === me.token) fs.rmSync(file, { force: true });
    } catch {
      // the lock file is gone or unreadable: nothing of ours to remove
    }
  }
}

export interface AtomicWriteOptions {
  /**
   * Replace a symlink at `file` by the new file instead of writing through it to its target (for files inside an
   * output directory: a link there must never make the tool write outside it).
   * @default false: a symlink is followed and its target replaced (a user's linked config stays linked)
   */
  readonly replaceSymlink?: boolean;
}

/**
 * Replaces `file` with `data` atomically: a temporary file `.<name>.<pid>.tmp` in the same directory is written
 * and fsynced, takes over the mode of the original, and is renamed over it. On any error the temporary file is
 * removed and the original is untouched.
 */
export function writeFileAtomic(file: string, data: string | Buffer, options: AtomicWriteOptions = {}): void {
  let target = path.resolve(file);
  let mode: number | undefined;
  try {
    if (options.replaceSymlink) {
      const stat = fs.lstatSync(target);
      if (!stat.isSymbolicLink()) mode = stat.mode & 0o7777;
    } else {
      target = fs.realpathSync(target);
      mode = fs.statSync(target).mode & 0o7777;
    }
  } catch (e) {
    if (errno(e) !== 'ENOENT') throw e;
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'w', mode ?? 0o666);
    let written = 0;
    while (written < buffer.length) written += fs.writeSync(fd, buffer, written, buffer.length - written);
    if (mode !== undefined) fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing
      }
    }
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  // make the rename itself durable (not supported on every platform and file system)
  try {
    const dirFd = fs.openSync(path.dirname(target), 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // best effort
  }
}
