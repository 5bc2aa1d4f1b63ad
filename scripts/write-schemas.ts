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

if (require.main === module) {
  for (const [file, make] of SCHEMA_FILES) {
    fs.writeFileSync(path.join(projectRoot(), file), JSON.stringify(make(), null, 2) + '\n');
    process.stdout.write(`wrote ${file}\n`);
  }
}
