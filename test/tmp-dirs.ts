/** Temporary directories of a test file: made fresh, removed after the file's tests (test/setup.ts). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];

/** A fresh temporary directory, removed after the test file's tests ({@link removeTmpDirs}). */
export function tmpDir(prefix = 'bmi-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes the temporary directories this test file made. */
export function removeTmpDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
