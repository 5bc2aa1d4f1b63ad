/**
 * The library entry: what `npm run synth` and `npm run verify` do, for programs (a platform team's own tooling, an
 * agency's CI). `synthesize` runs the same pipeline as `npm run synth` (app/pipeline.ts) and writes the same output,
 * reports and diagram included; `verifyCli` is `npm run verify`. Built by `npm run build` to `dist/app/index.js`,
 * the package's `main`.
 */
export { loadFederation, parseFederation } from '../config/load';
export { ConfigError } from '../config/errors';
export type { Federation } from '../config/model';
export { ComplianceError, GuardError, SynthError, type SynthAnnotation } from './errors';
export { OutputDirError } from './output-dir';
export { synthesize, type SynthOptions, type SynthResult } from './pipeline';
export { synthSummary } from './summary';
export { verify, verifyCli, type VerifyOutput } from './verify';
