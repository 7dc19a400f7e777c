// resources/schema/wireplan.schema.json: up to date with the zod schema, accepted by a
// JSON Schema validator (ajv, draft-07), validates every example and every file Save
// writes (with its $schema), and rejects what the loader rejects.
import Ajv from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { designJsonSchemaText } from '../shared/model/jsonSchema';
import { DESIGN_SCHEMA_URL, parseDesign, serializeDesign } from '../shared/model/parse';
import { SCHEMA_FILE } from './gen-schema';

const examplesDir = join(__dirname, '../resources/examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.wireplan.json'));
const base = JSON.parse(readFileSync(join(examplesDir, 'two-namespaces-nat.wireplan.json'), 'utf8')) as Record<string, unknown>;
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true }).compile(schema);

describe('the design JSON Schema', () => {
  it('is up to date (npm run gen:schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(designJsonSchemaText());
    expect(schema['$id']).toBe(DESIGN_SCHEMA_URL);
  });

  it.each(examples)('validates example %s, and the same file as Save writes it (with $schema)', (file) => {
    const raw = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as unknown;
    expect(validate(raw), JSON.stringify(validate.errors)).toBe(true);
    const loaded = parseDesign(JSON.stringify(raw));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const saved = serializeDesign(loaded.design);
    expect(JSON.parse(saved)).toMatchObject({ $schema: DESIGN_SCHEMA_URL });
    expect(validate(JSON.parse(saved)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(examples)('example %s names the schema by a relative path that resolves where examples ship', (file) => {
    const ref = (JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as { $schema: string }).$schema;
    expect(ref).toBe('../schema/wireplan.schema.json');
    // The checkout, the CLI package (resources/examples, resources/schema) and the installers
    // (resources/examples -> examples, resources/schema -> schema) keep the two side by side.
    expect(resolve(examplesDir, ref)).toBe(SCHEMA_FILE);
  });

  it('a saved file loads back without $schema in the design (old files without it load too)', () => {
    const loaded = parseDesign(JSON.stringify(base));
    if (!loaded.ok) throw new Error('example must load');
    expect('$schema' in loaded.design).toBe(false);
    const again = parseDesign(serializeDesign(loaded.design));
    if (!again.ok) throw new Error(JSON.stringify(again.errors));
    expect(again.design).toEqual(loaded.design);
    expect(serializeDesign(again.design).startsWith(`{\n  "$schema": "${DESIGN_SCHEMA_URL}",\n  "wireplan": `)).toBe(true);
  });

  const malformed: [string, (d: Record<string, unknown>) => void][] = [
    ['an unknown top-level field', (d) => (d['extra'] = 1)],
    ['no hosts', (d) => delete d['hosts']],
    ['a newer file format', (d) => (d['wireplan'] = 99)],
    ['a name that is not a string', (d) => (d['name'] = 42)],
    ['an unknown host target kind', (d) => ((d['hosts'] as { target: unknown }[])[0]!.target = { kind: 'teleport' })],
    ['an unknown field in a namespace', (d) => ((d['namespaces'] as Record<string, unknown>[])[0]!['color'] = 'red')],
    ['a $schema that is not a string', (d) => (d['$schema'] = 7)],
  ];
  it.each(malformed)('rejects %s, as the loader does', (_what, spoil) => {
    const d = structuredClone(base);
    spoil(d);
    expect(validate(d)).toBe(false);
    expect(parseDesign(JSON.stringify(d)).ok).toBe(false);
  });
});
