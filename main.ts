/**
 * Entry point: `npm run synth` (or `cdktf synth|deploy`, which runs this through cdktf.json).
 * FEDERATION_CONFIG=<path> selects another federation file; the default is config/federation.yaml.
 */
import * as path from 'node:path';
import { ConfigError } from './config/errors';
import { DEFAULT_CONFIG_FILE, loadFederation } from './config/load';
import { writeArchitecture } from './policy/architecture';
import { formatComplianceFinding } from './policy/compliance';
import { progressReporter } from './stacks/progress';
import { ComplianceError, GuardError, SynthError, synthFederation } from './stacks/synth';

process.env.CHECKPOINT_DISABLE ??= '1';

// cdktf captures a creation stack trace for every token (on a plain object, for debugging unresolvable tokens).
// Formatting those traces costs about a sixth of a large synth; real errors keep their traces. Set
// CDKTF_TOKEN_TRACES=1 to keep the token traces when debugging a token error.
if (!process.env.CDKTF_TOKEN_TRACES) {
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, frames) =>
    error instanceof Error ? (prepare ? prepare(error, frames) : `${error}\n    at ${frames.join('\n    at ')}`) : '';
}

async function main(): Promise<number> {
  const file = process.env.FEDERATION_CONFIG || DEFAULT_CONFIG_FILE;
  const outdir = process.env.CDKTF_OUTDIR || 'cdktf.out';
  try {
    const federation = loadFederation(file);
    const result = synthFederation(federation, outdir, { onProgress: progressReporter(process.stderr, process.env) });
    await writeArchitecture(federation, path.join(outdir, 'reports'));
    process.stdout.write(`Synthesized ${result.stacks.length} stacks of '${federation.name}' into ${outdir}:\n`);
    for (const s of result.stacks) process.stdout.write(`  ${s}\n`);
    for (const a of result.annotations.filter((x) => x.level === 'warning')) {
      process.stderr.write(`WARNING ${a.stack}: ${a.message}\n`);
    }
    for (const f of result.compliance.filter((x) => x.level === 'warning' && !x.suppressed)) {
      process.stderr.write(`WARNING ${formatComplianceFinding(f)}\n`);
    }
    process.stdout.write(`Reports: ${outdir}/reports/ (compliance per agency, architecture.svg)\n`);
    return 0;
  } catch (e) {
    if (
      e instanceof ConfigError ||
      e instanceof SynthError ||
      e instanceof GuardError ||
      e instanceof ComplianceError
    ) {
      process.stderr.write(`${e.message}\nNothing was written to ${outdir}.\n`);
      return 1;
    }
    throw e;
  }
}

main().then((code) => {
  process.exitCode = code;
});
