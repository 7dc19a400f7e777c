// npm run gen:schema: writes resources/schema/wireplan.schema.json from the zod schema
// (shared/model/jsonSchema.ts). scripts/gen-schema.test.ts fails when it is stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { designJsonSchemaText } from '../shared/model/jsonSchema';

export const SCHEMA_FILE = join(fileURLToPath(new URL('..', import.meta.url)), 'resources/schema/wireplan.schema.json');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(dirname(SCHEMA_FILE), { recursive: true });
  writeFileSync(SCHEMA_FILE, designJsonSchemaText());
  console.log(`wrote ${SCHEMA_FILE}`);
}
