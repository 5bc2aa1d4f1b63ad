/** Writes the JSON Schemas the repository checks in (`npm run schema`): the federation config and the report. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../config/load';
import { federationJsonSchema } from '../config/schema';
import { complianceReportSchema } from '../policy/compliance';

export function complianceReportJsonSchema(): object {
  return z.toJSONSchema(complianceReportSchema, { target: 'draft-2020-12' });
}

export const SCHEMA_FILES: ReadonlyArray<[string, () => object]> = [
  ['config/federation.schema.json', federationJsonSchema],
  ['policy/compliance-report.schema.json', complianceReportJsonSchema],
];

const USAGE = `usage: npm run schema [-- --check]

Writes the JSON Schemas the repository checks in: ${SCHEMA_FILES.map(([f]) => f).join(', ')}.
  --check   write nothing; exit 1 when a checked-in schema differs from the generated one
  --help    this text`;

function cli(args: readonly string[]): number {
  if (args.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = args.find((a) => a !== '--check');
  if (unknown) {
    process.stderr.write(`schema: unknown argument ${unknown}\n${USAGE}\n`);
    return 2;
  }
  let stale = 0;
  for (const [file, make] of SCHEMA_FILES) {
    const text = JSON.stringify(make(), null, 2) + '\n';
    const target = path.join(projectRoot(), file);
    if (args.includes('--check')) {
      const same = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text;
      if (!same) process.stderr.write(`stale: ${file} (run npm run schema)\n`);
      stale += same ? 0 : 1;
    } else {
      fs.writeFileSync(target, text);
      process.stdout.write(`wrote ${file}\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = cli(process.argv.slice(2));
}
