// wireplan import --clab FILE.clab.yml -o OUT: a design from a containerlab topology (the
// subset that maps back: shared/export/containerlab-import.ts). FILE may be `-` (stdin).
import yaml from 'js-yaml';
import { readFile } from 'node:fs/promises';
import { containerlabToDesign } from '../../../shared/export/containerlab-import';
import { loadDesign, serializeDesign } from '../../../shared/model/parse';
import { validate } from '../../../shared/validation/validate';
import { writeFileAtomic } from '../../backend/atomicWrite';
import { EXIT, fileLabel, readAll, STDIN_FILE, type CliIo } from '../io';
import { formatDiagnostic } from './validate';

export interface ClabImportArgs {
  file: string;
  output: string;
  json: boolean;
  tag?: string;
  name?: string;
}

export async function importClab(a: ClabImportArgs, io: CliIo): Promise<number> {
  const fail = (error: string) => {
    if (a.json) io.out(JSON.stringify({ type: 'import', ok: false, exit: EXIT.usage, source: fileLabel(a.file), error }));
    else io.err(error);
    return EXIT.usage;
  };
  let text: string;
  try {
    text = (a.file === STDIN_FILE ? await (io.readStdin ? io.readStdin() : readAll(process.stdin)) : await readFile(a.file)).toString('utf8');
  } catch (e) {
    return fail(`cannot read ${fileLabel(a.file)}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (e) {
    return fail(`${fileLabel(a.file)} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  let imported;
  try {
    imported = containerlabToDesign(doc, text, { ...(a.tag !== undefined ? { tag: a.tag } : {}), ...(a.name !== undefined ? { name: a.name } : {}) });
  } catch (e) {
    return fail(`${fileLabel(a.file)}: ${(e as Error).message}`);
  }
  const loaded = loadDesign(imported.design);
  if (!loaded.ok) {
    const why = loaded.errors.map((e) => `${e.path || 'design'}: ${e.message}`).join('; ');
    return fail(`${fileLabel(a.file)}: the topology maps to a design that does not load (${why})`);
  }
  const design = loaded.design;
  await writeFileAtomic(a.output, serializeDesign(design), 0o644);
  const diagnostics = validate(design);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const exit = errors.length ? EXIT.findings : EXIT.ok;
  const counts = { namespaces: design.namespaces.length, bridges: design.bridges.length, veths: design.veths.length, routes: design.namespaces.reduce((n, x) => n + x.routes.length, 0) };
  if (a.json) {
    io.out(JSON.stringify({ type: 'import', ok: exit === EXIT.ok, exit, output: a.output, source: fileLabel(a.file), counts, notes: imported.notes.map((message) => ({ level: 'note', message })), diagnostics }));
    return exit;
  }
  io.out(`wrote ${a.output}: ${counts.namespaces} namespaces, ${counts.bridges} bridges, ${counts.veths} veth pairs, ${counts.routes} routes`);
  if (imported.notes.length) {
    io.out(`not imported or changed (${imported.notes.length}):`);
    for (const n of imported.notes) io.out(`  note: ${n}`);
  }
  if (errors.length) {
    for (const d of errors) io.err(formatDiagnostic(d));
    io.err('the imported design has errors: edit it before applying it (wireplan validate FILE)');
  }
  return exit;
}
