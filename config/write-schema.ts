/** Writes config/federation.schema.json from the zod schema (`npm run schema`). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from './load';
import { federationJsonSchema } from './schema';

const file = path.join(projectRoot(), 'config', 'federation.schema.json');
fs.writeFileSync(file, JSON.stringify(federationJsonSchema(), null, 2) + '\n');
process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
