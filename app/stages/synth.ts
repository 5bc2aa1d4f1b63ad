/** Stage 2 of the pipeline: the federation's cdktf app, synthesized into a directory, with its annotations. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TerraformStack, type App, type IStackSynthesizer, type ISynthesisSession } from 'cdktf';
import type { Federation } from '../../config/model';
import { buildFederationApp } from '../../stacks/app';
import { SynthError, type SynthAnnotation } from '../errors';

export interface SynthStageOptions {
  /** The day of the check (`YYYY-MM-DD`) for the agencies' to-do lists (the pipeline passes its one day). */
  readonly asOf?: string;
  /** May change the app before synthesis (escape hatches); the guard sees the result. */
  readonly customize?: (app: App) => void;
  /** Called after each stack is synthesized. */
  readonly onProgress?: (done: number, total: number, stack: string) => void;
}

export interface SynthStageResult {
  /** The stack names, in the order of manifest.json. */
  readonly stacks: readonly string[];
  /** Warnings and notes the constructs attached (errors stop the stage). */
  readonly annotations: readonly SynthAnnotation[];
}

const LEVELS: Record<string, SynthAnnotation['level']> = {
  '@cdktf/warn': 'warning',
  '@cdktf/error': 'error',
  '@cdktf/info': 'info',
};

/** Synthesizes every stack into `dir`; a construct's error annotation is a SynthError before anything is written. */
export function synthStage(federation: Federation, dir: string, options: SynthStageOptions = {}): SynthStageResult {
  const app = buildFederationApp(federation, { outdir: dir, asOf: options.asOf });
  options.customize?.(app);
  // Error annotations of the constructs stop synthesis here, as one SynthError that names each (cdktf itself
  // would throw a generic error in app.synth()).
  const constructErrors = errorAnnotations(app);
  if (constructErrors.length > 0) throw new SynthError(constructErrors);
  if (options.onProgress) reportProgress(app, options.onProgress);
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { annotations: Array<{ level: string; message: string }> }>;
  };
  const annotations = Object.entries(manifest.stacks).flatMap(([stack, s]) =>
    s.annotations.map((a) => ({ stack, level: LEVELS[a.level] ?? 'info', message: a.message })),
  );
  // errors added after construction (by an aspect or an escape hatch) arrive through the manifest
  const errors = annotations.filter((a) => a.level === 'error');
  if (errors.length > 0) throw new SynthError(errors);
  return { stacks: Object.keys(manifest.stacks), annotations };
}

/** The error annotations the constructs attached, with the stack of each. */
function errorAnnotations(app: App): SynthAnnotation[] {
  return app.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === '@cdktf/error')
        .map((m) => ({ stack: TerraformStack.of(c).node.id, level: 'error' as const, message: String(m.data) })),
    );
}

/** Wraps each stack's synthesizer so that progress is reported stack by stack. */
function reportProgress(app: App, onProgress: (done: number, total: number, stack: string) => void): void {
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  let done = 0;
  for (const stack of stacks) {
    const inner: IStackSynthesizer = stack.synthesizer;
    stack.synthesizer = {
      synthesize(session: ISynthesisSession) {
        inner.synthesize(session);
        onProgress(++done, stacks.length, stack.node.id);
      },
    };
  }
}
