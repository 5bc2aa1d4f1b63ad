import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { LockError, withFileLock, writeFileAtomic } from '../app/file-lock';
import { ROOT, tmpDir } from './helpers';

/** file-lock.ts compiled on its own, for child processes (no build of the project needed). */
function compiledModule(): string {
  const dir = tmpDir('file-lock-js-');
  const source = fs.readFileSync(path.join(ROOT, 'app', 'file-lock.ts'), 'utf8');
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const file = path.join(dir, 'file-lock.js');
  fs.writeFileSync(file, out.outputText);
  return file;
}

/** A pid that is certainly gone: a child that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function holder(pid: number, hostname = os.hostname()): string {
  return JSON.stringify({ pid, hostname, time: '2026-01-01T00:00:00.000Z', token: 'someone-else' });
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('withFileLock', () => {
  it('holds the lock file (pid, host, time) while fn runs, returns its value and removes the lock', () => {
    const lock = path.join(tmpDir(), 'x.lock');
    const seen = withFileLock(lock, () => JSON.parse(fs.readFileSync(lock, 'utf8')));
    expect(seen).toMatchObject({ pid: process.pid, hostname: os.hostname() });
    expect(Date.parse(seen.time)).not.toBeNaN();
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('releases the lock when fn throws, and passes the error on', () => {
    const lock = path.join(tmpDir(), 'x.lock');
    expect(() =>
      withFileLock(lock, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(fs.existsSync(lock)).toBe(false);
    expect(withFileLock(lock, () => 42)).toBe(42);
  });

  it('waits for a live holder and then gives up with a LockError naming the lock file and the pid', () => {
    const lock = path.join(tmpDir(), 'x.lock');
    fs.writeFileSync(lock, holder(process.ppid));
    const fn = jest.fn();
    const start = Date.now();
    let error: unknown;
    try {
      withFileLock(lock, fn, { timeoutMs: 400 });
    } catch (e) {
      error = e;
    }
    expect(Date.now() - start).toBeGreaterThanOrEqual(380);
    expect(error).toBeInstanceOf(LockError);
    expect((error as Error).message).toContain(lock);
    expect((error as Error).message).toContain(`pid ${process.ppid}`);
    expect(fn).not.toHaveBeenCalled();
    // the holder's lock is left alone
    expect(fs.readFileSync(lock, 'utf8')).toBe(holder(process.ppid));
  });

  it('tells the caller once that it waits, naming the holder', () => {
    const lock = path.join(tmpDir(), 'x.lock');
    fs.writeFileSync(lock, holder(process.ppid));
    const onWait = jest.fn();
    expect(() => withFileLock(lock, () => undefined, { timeoutMs: 200, onWait })).toThrow(LockError);
    expect(onWait).toHaveBeenCalledTimes(1);
    expect(onWait.mock.calls[0][0]).toEqual(expect.objectContaining({ pid: process.ppid }));
    expect(onWait.mock.calls[0][1]).toBe(path.resolve(lock));
    // a free lock is taken without a word
    const free = jest.fn();
    withFileLock(path.join(tmpDir(), 'y.lock'), () => undefined, { onWait: free });
    expect(free).not.toHaveBeenCalled();
  });

  it('waits for a holder on another host (its pid cannot be checked) and names the host', () => {
    const lock = path.join(tmpDir(), 'x.lock');
    fs.writeFileSync(lock, holder(deadPid(), 'some-other-host.example'));
    expect(() => withFileLock(lock, () => 1, { timeoutMs: 150 })).toThrow(/on host some-other-host\.example/);
  });

  it('takes over a stale lock whose process is gone', () => {
    const lock = path.join(tmpDir(), 'x.lock');
    fs.writeFileSync(lock, holder(deadPid()));
    const start = Date.now();
    const inside = withFileLock(lock, () => JSON.parse(fs.readFileSync(lock, 'utf8')).pid, { timeoutMs: 5000 });
    expect(inside).toBe(process.pid);
    expect(Date.now() - start).toBeLessThan(2000);
    expect(fs.existsSync(lock)).toBe(false);
    expect(fs.readdirSync(path.dirname(lock))).toEqual([]);
  });

  it('takes over a lock left with its own pid by an earlier process (pids are reused in containers)', () => {
    const lock = path.join(tmpDir(), 'x.lock');
    fs.writeFileSync(lock, holder(process.pid));
    expect(withFileLock(lock, () => 'ok', { timeoutMs: 200 })).toBe('ok');
  });

  it('treats a lock without a readable holder as being written, and as stale once it is old', () => {
    const lock = path.join(tmpDir(), 'x.lock');
    fs.writeFileSync(lock, '');
    expect(() => withFileLock(lock, () => 1, { timeoutMs: 150 })).toThrow(/unknown process/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    expect(withFileLock(lock, () => 2, { timeoutMs: 150 })).toBe(2);
  });

  it('is not re-entrant: a nested lock on the same file fails at once instead of waiting for itself', () => {
    const lock = path.join(tmpDir(), 'x.lock');
    const start = Date.now();
    expect(() => withFileLock(lock, () => withFileLock(lock, () => 1, { timeoutMs: 5000 }))).toThrow(
      /already held by this process/,
    );
    expect(Date.now() - start).toBeLessThan(2000);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('does not remove a lock that is no longer its own', () => {
    const lock = path.join(tmpDir(), 'x.lock');
    withFileLock(lock, () => fs.writeFileSync(lock, holder(process.ppid)));
    expect(fs.readFileSync(lock, 'utf8')).toBe(holder(process.ppid));
  });

  it('fails with a LockError when the lock file cannot be created', () => {
    const lock = path.join(tmpDir(), 'no-such-dir', 'x.lock');
    expect(() => withFileLock(lock, () => 1)).toThrow(LockError);
    expect(() => withFileLock(lock, () => 1)).toThrow(/cannot create the lock file .*ENOENT/);
  });

  it('serializes two processes: every read-modify-write of both survives', async () => {
    const module = compiledModule();
    const dir = tmpDir();
    const lock = path.join(dir, 'counter.lock');
    const data = path.join(dir, 'counter.json');
    const busy = path.join(dir, 'busy');
    fs.writeFileSync(data, '[]');
    const child = (tag: string) => `
      const fs = require('node:fs');
      const { withFileLock, sleepSync } = require(${JSON.stringify(module)});
      for (let i = 0; i < 15; i++) {
        withFileLock(${JSON.stringify(lock)}, () => {
          // a second holder at the same time would find the marker
          fs.writeFileSync(${JSON.stringify(busy)}, ${JSON.stringify(tag)}, { flag: 'wx' });
          const list = JSON.parse(fs.readFileSync(${JSON.stringify(data)}, 'utf8'));
          sleepSync(5);
          list.push(${JSON.stringify(tag)} + i);
          fs.writeFileSync(${JSON.stringify(data)}, JSON.stringify(list));
          fs.rmSync(${JSON.stringify(busy)});
        }, { timeoutMs: 20000, pollMs: 2 });
      }`;
    const [a, b] = await Promise.all([run(['-e', child('a')]), run(['-e', child('b')])]);
    expect(a).toMatchObject({ code: 0, stderr: '' });
    expect(b).toMatchObject({ code: 0, stderr: '' });
    const list = JSON.parse(fs.readFileSync(data, 'utf8')) as string[];
    expect(list).toHaveLength(30);
    for (let i = 0; i < 15; i++) expect(list).toEqual(expect.arrayContaining([`a${i}`, `b${i}`]));
    expect(fs.readdirSync(dir).sort()).toEqual(['counter.json']);
  });

  it('waits for a process that holds the lock and goes on when it releases it', async () => {
    const module = compiledModule();
    const dir = tmpDir();
    const lock = path.join(dir, 'x.lock');
    const holding = run([
      '-e',
      `const { withFileLock, sleepSync } = require(${JSON.stringify(module)});
       withFileLock(${JSON.stringify(lock)}, () => { console.log('holding'); sleepSync(800); });`,
    ]);
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const start = Date.now();
    const holderPid = JSON.parse(fs.readFileSync(lock, 'utf8')).pid;
    expect(holderPid).not.toBe(process.pid);
    const inside = withFileLock(lock, () => JSON.parse(fs.readFileSync(lock, 'utf8')).pid, { timeoutMs: 10_000 });
    expect(inside).toBe(process.pid);
    expect(Date.now() - start).toBeGreaterThan(200);
    expect((await holding).code).toBe(0);
  });

  it('takes over the lock of a process that was killed while holding it', () => {
    const module = compiledModule();
    const lock = path.join(tmpDir(), 'x.lock');
    const killed = spawnSync(
      process.execPath,
      [
        '-e',
        `const { withFileLock } = require(${JSON.stringify(module)});
         withFileLock(${JSON.stringify(lock)}, () => process.kill(process.pid, 'SIGKILL'));`,
      ],
      { encoding: 'utf8' },
    );
    expect(killed.signal).toBe('SIGKILL');
    expect(fs.existsSync(lock)).toBe(true);
    expect(withFileLock(lock, () => 'taken over', { timeoutMs: 2000 })).toBe('taken over');
    expect(fs.existsSync(lock)).toBe(false);
  });
});

describe('writeFileAtomic', () => {
  afterEach(() => jest.restoreAllMocks());

  it('replaces the content, keeps the mode, follows a symlink and leaves no temporary file', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'config.yaml');
    fs.writeFileSync(file, 'old\n', { mode: 0o640 });
    fs.chmodSync(file, 0o640);
    fs.symlinkSync(file, path.join(dir, 'link.yaml'));
    writeFileAtomic(path.join(dir, 'link.yaml'), 'new\r\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('new\r\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.lstatSync(path.join(dir, 'link.yaml')).isSymbolicLink()).toBe(true);
    writeFileAtomic(path.join(dir, 'fresh.txt'), Buffer.from([0, 1, 2]));
    expect([...fs.readFileSync(path.join(dir, 'fresh.txt'))]).toEqual([0, 1, 2]);
    expect(fs.readdirSync(dir).sort()).toEqual(['config.yaml', 'fresh.txt', 'link.yaml']);
  });

  it('leaves the original byte-identical when the disk fills up half way through the write', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'config.yaml');
    const original = Buffer.from('tenants:\r\n  - id: a\r\n');
    fs.writeFileSync(file, original);
    const realWrite = fs.writeSync;
    const spy = jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, buffer: Buffer, offset: number) => {
      // half of it lands in the temporary file, then the disk is full
      realWrite(fd, buffer, offset, 4);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writeSync);
    expect(() => writeFileAtomic(file, 'tenants:\r\n  - id: a\r\n  - id: b\r\n')).toThrow(/ENOSPC/);
    expect(spy).toHaveBeenCalled();
    expect(fs.readFileSync(file).equals(original)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['config.yaml']);
  });

  it('leaves the original untouched when fsync or the rename fail', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'config.yaml');
    fs.writeFileSync(file, 'keep');
    jest.spyOn(fs, 'fsyncSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('EIO'), { code: 'EIO' });
    });
    expect(() => writeFileAtomic(file, 'new')).toThrow('EIO');
    jest.spyOn(fs, 'renameSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('EXDEV'), { code: 'EXDEV' });
    });
    expect(() => writeFileAtomic(file, 'new')).toThrow('EXDEV');
    expect(fs.readFileSync(file, 'utf8')).toBe('keep');
    expect(fs.readdirSync(dir)).toEqual(['config.yaml']);
  });
});
