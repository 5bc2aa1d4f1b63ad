/**
 * The record a synth leaves in its output directory (`<outdir>/.synth-record.json`): a key over everything the
 * output depends on (the compiled app, the locked dependencies, the config file, the output path, the cdktf
 * environment) and the hash of every file synth wrote. When a new synth has the same key and every recorded file is
 * still as written, the output is already what synthesis would produce: it is kept as it is and the summary of the
 * run that made it is shown again. `cdktf deploy` and `cdktf diff` synthesize before every run; unchanged inputs then
 * cost a few milliseconds instead of a full synthesis with guard and compliance checks (they passed on these very
 * files). `SYNTH_REUSE=off` always synthesizes.
 *
 * Light on purpose (Node built-ins and the reports' provenance helpers only): it runs before the app loads cdktf,
 * zod or the providers.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitCommit, issueDate } from '../policy/report/provenance';
import { writeFileAtomic } from './file-lock';

export const RECORD_FILE = '.synth-record.json';

export interface SynthInputs {
  /** The repository root (compiled app under `dist/`, `package-lock.json`). */
  readonly root: string;
  readonly configFile: string;
  readonly outdir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface SynthRecord {
  readonly key: string;
  /** Output files (relative, `/`-separated) and the sha256 of their content. */
  readonly files: Readonly<Record<string, string>>;
  /** What the run printed, shown again when the output is reused. */
  readonly stdout: string;
  readonly stderr: string;
}

/** Directories of the compiled app whose code decides the output (scripts and tests do not). */
const APP_DIRS = ['app', 'config', 'constructs', 'stacks', 'policy'];

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function compiledAppFiles(dist: string): string[] {
  const out = [path.join(dist, 'main.js')];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js') || e.name.endsWith('.json')) out.push(p);
    }
  };
  for (const d of APP_DIRS) walk(path.join(dist, d));
  return out.sort();
}

/** The key over all inputs of a synth; undefined when one cannot be read (then there is no reuse). */
export function synthInputsKey(inputs: SynthInputs): string | undefined {
  try {
    const h = createHash('sha256');
    const part = (name: string, data: string | Buffer) => h.update(`${name}\0${sha256(data)}\0`);
    for (const f of compiledAppFiles(path.join(inputs.root, 'dist')))
      part(path.relative(inputs.root, f), fs.readFileSync(f));
    part('package-lock.json', fs.readFileSync(path.join(inputs.root, 'package-lock.json')));
    part('config', fs.readFileSync(inputs.configFile));
    part('config path', path.resolve(inputs.configFile));
    part('outdir', path.resolve(inputs.outdir));
    part('node', process.version);
    // the reports name their date of issue (SOURCE_DATE_EPOCH or the day) and the commit of the project
    part('report issue', `${issueDate(inputs.env, new Date()).date} ${gitCommit(inputs.root) ?? ''}`);
    // cdktf reads its context, HCL output and error-annotation switches from the environment.
    for (const k of Object.keys(inputs.env).sort()) {
      if (/^(CDKTF_|SYNTH_HCL)/.test(k) && k !== 'CDKTF_OUTDIR') part(`env ${k}`, inputs.env[k] ?? '');
    }
    return h.digest('hex');
  } catch {
    return undefined;
  }
}

/** Terraform's working files that a synth carries over: not part of what synth writes. */
const isTerraformWorkFile = (rel: string) =>
  /(^|\/)\.terraform(\/|$)/.test(rel) || /\.terraform\.lock\.hcl$/.test(rel) || /\.tfstate(\.backup)?$/.test(rel);

function outputFiles(outdir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(outdir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      // the scratch marker of a synth in progress is removed before the output is swapped in
      if (isTerraformWorkFile(r) || r === RECORD_FILE || r === '.messenger-bund-scratch') continue;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** Writes the record of a finished synth (atomically); call it after every file of the output is written. */
export function writeSynthRecord(outdir: string, key: string, printed: { stdout: string; stderr: string }): void {
  const files = Object.fromEntries(outputFiles(outdir).map((f) => [f, sha256(fs.readFileSync(path.join(outdir, f)))]));
  const record: SynthRecord = { key, files, ...printed };
  const file = path.join(outdir, RECORD_FILE);
  writeFileAtomic(file, JSON.stringify(record) + '\n', { replaceSymlink: true });
}

/** The record of `outdir` when it was made from exactly these inputs and no recorded file has changed since. */
export function unchangedOutput(outdir: string, key: string): SynthRecord | undefined {
  let record: SynthRecord;
  try {
    record = JSON.parse(fs.readFileSync(path.join(outdir, RECORD_FILE), 'utf8')) as SynthRecord;
  } catch {
    return undefined;
  }
  if (record?.key !== key || !record.files || Object.keys(record.files).length === 0) return undefined;
  for (const [f, hash] of Object.entries(record.files)) {
    try {
      if (sha256(fs.readFileSync(path.join(outdir, f))) !== hash) return undefined;
    } catch {
      return undefined;
    }
  }
  return record;
}
