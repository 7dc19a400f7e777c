// Test helper: the example designs in resources/examples, parsed. Test-only (node:fs).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDesign } from '../../shared/model/parse';
import type { Design } from '../../shared/model/schema';

export const EXAMPLES_DIR = join(__dirname, '../../resources/examples');

export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.wireplan.json')).sort();
}

export function loadExample(file: string): Design {
  const r = parseDesign(readFileSync(join(EXAMPLES_DIR, file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.errors)}`);
  return r.design;
}

export function exampleName(file: string): string {
  return file.replace(/\.wireplan\.json$/, '');
}
