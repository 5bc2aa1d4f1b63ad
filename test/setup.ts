import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { removeTmpDirs } from './tmp-dirs';

process.env.CHECKPOINT_DISABLE = '1';
setupJest();

// cdktf records a creation stack trace for every token by capturing it on a plain object. Under jest, stack
// traces go through source-map translation, which makes synthesis several times slower. Real errors keep their
// translated traces; only the plain-object captures skip the translation.
const prepare = Error.prepareStackTrace;
if (prepare) {
  Error.prepareStackTrace = (error, frames) => (error instanceof Error ? prepare(error, frames) : '');
}

// every temporary directory a test file made goes with it
afterAll(removeTmpDirs);
