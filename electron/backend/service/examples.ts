// Example designs shipped with the app (resources/examples/*.wireplan.json).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExampleInfo, ReadExampleResult } from '../../../shared/api/contract';

const SUFFIX = '.wireplan.json';
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export async function listExamples(dir: string): Promise<ExampleInfo[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: ExampleInfo[] = [];
  for (const name of names) {
    if (!name.endsWith(SUFFIX)) continue;
    const id = name.slice(0, -SUFFIX.length);
    if (!ID.test(id)) continue;
    let title = id;
    let description: string | undefined;
    try {
      const doc = JSON.parse(await readFile(join(dir, name), 'utf8')) as { name?: unknown; description?: unknown };
      if (typeof doc.name === 'string' && doc.name.trim()) title = doc.name;
      if (typeof doc.description === 'string' && doc.description.trim()) description = doc.description;
    } catch {
      // listed anyway: opening it shows the parse error
    }
    out.push(description === undefined ? { id, title } : { id, title, description });
  }
  return out.sort((a, b) => a.title.localeCompare(b.title));
}

export async function readExample(dir: string, id: string): Promise<ReadExampleResult> {
  if (!ID.test(id)) return { ok: false, error: `no example named ${JSON.stringify(id)}` };
  try {
    return { ok: true, text: await readFile(join(dir, `${id}${SUFFIX}`), 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, error: code === 'ENOENT' ? `no example named ${id}` : `cannot read example ${id}: ${(e as Error).message}` };
  }
}
