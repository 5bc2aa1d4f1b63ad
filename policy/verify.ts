/**
 * `npm run verify -- <cdktf.out directory>`: checks any synthesized output for ways into Säule 1 from outside the
 * NdB. Exit 0 when clean, 1 when it finds exposures, 2 when the input is unreadable. Writes
 * `<dir>/reports/reachability.md` and `.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkExposure, formatFinding } from './exposure';
import type { SynthesizedStack } from './k8s-objects';
import { reachability, reachabilityMarkdown } from './reachability';
import { readSynthesized } from './synthesized';

export interface VerifyOutput {
  readonly code: 0 | 1 | 2;
  readonly lines: readonly string[];
}

export const VERIFY_USAGE = `usage: npm run verify -- <cdktf.out directory>

Checks a synthesized output for any way into Säule 1 from outside the NdB and writes
<dir>/reports/reachability.md and .json.
Exit 0: clean; 1: findings (one line each); 2: unreadable input or a usage error.

  --help   this text`;

export function verify(dir: string | undefined): VerifyOutput {
  if (!dir) return { code: 2, lines: [VERIFY_USAGE] };
  let stacks: SynthesizedStack[];
  try {
    stacks = readSynthesized(dir);
  } catch (e) {
    return { code: 2, lines: [`cannot read synthesized output in ${dir}: ${(e as Error).message}`] };
  }
  const findings = checkExposure(stacks);
  const rows = reachability(stacks);
  const reports = path.join(dir, 'reports');
  fs.mkdirSync(reports, { recursive: true });
  fs.writeFileSync(
    path.join(reports, 'reachability.json'),
    JSON.stringify({ findings, reachability: rows }, null, 2) + '\n',
  );
  fs.writeFileSync(path.join(reports, 'reachability.md'), reachabilityMarkdown(rows));
  const lines = findings.map(formatFinding);
  lines.push(
    findings.length === 0
      ? `verify: ${stacks.length} stacks, no way into Säule 1 from outside the NdB`
      : `verify: ${findings.length} finding(s) in ${stacks.length} stacks`,
  );
  return { code: findings.length === 0 ? 0 : 1, lines };
}

/** The command line: `--help`, or one output directory. */
export function verifyCli(args: readonly string[]): VerifyOutput {
  if (args.includes('--help')) return { code: 0, lines: [VERIFY_USAGE] };
  const flag = args.find((a) => a.startsWith('-'));
  if (flag) return { code: 2, lines: [`verify: unknown option ${flag}`, VERIFY_USAGE] };
  if (args.length > 1)
    return { code: 2, lines: [`verify: one output directory expected, got ${args.length}`, VERIFY_USAGE] };
  return verify(args[0]);
}

if (require.main === module) {
  const out = verifyCli(process.argv.slice(2));
  for (const l of out.lines) (out.code === 0 ? process.stdout : process.stderr).write(`${l}\n`);
  process.exitCode = out.code;
}
