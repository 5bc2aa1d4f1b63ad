/**
 * Entry point: `npm run synth` (or `cdktf synth|deploy`, which runs this through cdktf.json and
 * `scripts/launch.js`). FEDERATION_CONFIG=<path> selects another federation file; the default is
 * config/federation.yaml.
 *
 * When the inputs are unchanged since the last synth into the same directory and its files are as written, the
 * output is kept (`app/output-record.ts`); this check runs before cdktf, zod or the providers are loaded.
 */
import { DEFAULT_CONFIG_FILE, projectRoot } from './config/paths';
import { synthInputsKey, unchangedOutput, writeSynthRecord } from './app/output-record';

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
  const key =
    process.env.SYNTH_REUSE === 'off'
      ? undefined
      : synthInputsKey({ root: projectRoot(), configFile: file, outdir, env: process.env });
  const kept = key ? unchangedOutput(outdir, key) : undefined;
  if (kept) {
    process.stdout.write(kept.stdout);
    process.stderr.write(kept.stderr);
    process.stdout.write(
      `(inputs unchanged since the last synth: ${outdir} kept as it was; SYNTH_REUSE=off synthesizes anew)\n`,
    );
    return 0;
  }
  const { ConfigError } = await import('./config/errors');
  const { OutputDirError } = await import('./app/output-dir');
  const { progressReporter } = await import('./app/progress');
  const { ComplianceError, GuardError, SynthError, synthesize } = await import('./app/pipeline');
  const { synthSummary } = await import('./app/summary');
  try {
    let printed: { stdout: string; stderr: string } | undefined;
    await synthesize(file, outdir, {
      onProgress: progressReporter(process.stderr, process.env),
      // the record (with what this run prints) lands in the same step as the rest of the output
      finish: (scratch, result) => {
        printed = synthSummary(result.federation, result, outdir);
        if (key) writeSynthRecord(scratch, key, printed);
      },
    });
    if (printed) {
      process.stdout.write(printed.stdout);
      process.stderr.write(printed.stderr);
    }
    return 0;
  } catch (e) {
    if (
      e instanceof ConfigError ||
      e instanceof SynthError ||
      e instanceof GuardError ||
      e instanceof ComplianceError ||
      e instanceof OutputDirError
    ) {
      process.stderr.write(`${e.message}\nNothing was written to ${outdir}.\n`);
      return 1;
    }
    // Anything else is a defect of this app, not of the config: one line, the trace only on request.
    const detail = process.env.MESSENGER_DEBUG ? `\n${(e as Error).stack}` : ' (MESSENGER_DEBUG=1 shows the trace)';
    process.stderr.write(`internal error: ${(e as Error).message}${detail}\nNothing was written to ${outdir}.\n`);
    return 1;
  }
}

// Ctrl-C or a kill: synthesis is synchronous, so the signal is handled once the output is swapped in whole (or
// left as it was); a run that is killed harder leaves a scratch directory that the next run removes.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    process.stderr.write(
      `\n${signal}: stopped; ${process.env.CDKTF_OUTDIR || 'cdktf.out'} is complete or unchanged.\n`,
    );
    process.exit(130);
  });
}

main()
  // one turn of the event loop, so that a signal that arrived during the synchronous synthesis is handled (the
  // signal handle does not keep the loop alive: without this, the run would end as if nothing had happened)
  .then((code) => new Promise<number>((resolve) => setImmediate(() => resolve(code))))
  .then((code) => {
    process.exitCode = code;
  });
