// The JSON Schema of the design file (NAME.wireplan.json), generated from the zod schema so
// the two never disagree. Draft-07: the draft editors (VS Code's JSON service and others)
// support best. scripts/gen-schema.ts writes it to resources/schema/wireplan.schema.json
// (npm run gen:schema); scripts/gen-schema.test.ts fails when that file is stale.
import { z } from 'zod';
import { DESIGN_SCHEMA_URL } from './parse';
import { CURRENT_VERSION, DesignFileSchema } from './schema';

export function designJsonSchema(): Record<string, unknown> {
  // io 'input': what a file may contain (fields with defaults may be left out).
  const generated = z.toJSONSchema(DesignFileSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: DESIGN_SCHEMA_URL,
    title: 'Wireplan design',
    description: `A Wireplan design file (NAME.wireplan.json), file format ${CURRENT_VERSION}: hosts, namespaces, bridges, links, NAT, port forwards, policies and the canvas layout.`,
    ...rest,
  };
}

/** The schema file's text: two-space indent, trailing newline. */
export function designJsonSchemaText(): string {
  return `${JSON.stringify(designJsonSchema(), null, 2)}\n`;
}
