/**
 * Entry point: `npm run synth` (or `cdktf synth|deploy`, which runs this through cdktf.json and
 * `scripts/launch.js`). FEDERATION_CONFIG=<path> selects another federation file; the default is
 * config/federation.yaml.
 *
 * When the inputs are unchanged since the last synth into the same directory and its files are as written, the
 * output is kept (`stacks/output-record.ts`); this check runs before cdktf, zod or the providers are loaded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG_FILE, projectRoot } from './config/paths';
import { synthInputsKey, unchangedOutput, writeSynthRecord } from './stacks/output-record';
import { TERRAFORM_CLI_CONFIG_FILE } from './stacks/terraform-cli-config';

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
  const { loadFederation } = await import('./config/load');
  const { architectureFiles, readPreviousDiagram } = await import('./policy/architecture');
  const { formatComplianceFinding } = await import('./policy/compliance');
  const { OutputDirError } = await import('./stacks/output-dir');
  const { progressReporter } = await import('./stacks/progress');
  const { ComplianceError, GuardError, SynthError, synthFederation } = await import('./stacks/synth');
  const printed = { stdout: '', stderr: '' };
  const out = (t: string) => ((printed.stdout += t), process.stdout.write(t));
  const err = (t: string) => ((printed.stderr += t), process.stderr.write(t));
  try {
    const federation = loadFederation(file);
    const diagram = await architectureFiles(federation, readPreviousDiagram(path.join(outdir, 'reports')));
    // Everything, the diagram and the record included, is written into the scratch output and swapped in at once.
    synthFederation(federation, outdir, {
      onProgress: progressReporter(process.stderr, process.env),
      finish: (scratch, result) => {
        for (const [name, text] of Object.entries(diagram)) {
          fs.writeFileSync(path.join(scratch, 'reports', name), text);
        }
        out(`Synthesized ${result.stacks.length} stacks of '${federation.name}' into ${outdir}:\n`);
        for (const s of result.stacks) out(`  ${s}\n`);
        for (const a of result.annotations.filter((x) => x.level === 'warning')) {
          err(`WARNING ${a.stack}: ${a.message}\n`);
        }
        for (const f of result.compliance.filter((x) => x.level === 'warning' && !x.suppressed)) {
          err(`WARNING ${formatComplianceFinding(f, federation)}\n`);
        }
        out(`Reports: ${outdir}/reports/ (compliance per agency, architecture.svg)\n`);
        if (federation.config.terraform.providerMirror) {
          out(
            `Providers from the mirror only: export TF_CLI_CONFIG_FILE="${path.resolve(outdir, TERRAFORM_CLI_CONFIG_FILE)}"\n`,
          );
        }
        if (key) writeSynthRecord(scratch, key, printed);
      },
    });
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
