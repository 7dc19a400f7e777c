// The one generator for the on-host programs. Every program file under shared/ and
// electron/ (bash .sh, and the check's perl/python listeners) is embedded into a
// <name>.generated.ts beside it as `export const <NAME>_<EXT>`: the code that ships it
// needs no file next to it at run time (shared/ is pure; bundlers, packaged apps), yet
// each program stays a real file that can be read, linted (scripts/check-sh.sh) and
// diffed as what it is. `npm run gen` after editing one; scripts/gen-sh.test.ts fails
// when a generated file is stale, missing, or left over from a removed program.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIRS = ['shared', 'electron'];
const EXTS = new Set(['.sh', '.pl', '.py']);
const SKIP = new Set(['node_modules', 'dist', 'out']);
const MARK = 'by scripts/gen-sh.ts (npm run gen). Do not edit.';

export interface Program {
  /** Source and generated file, relative to the repository root. */
  source: string;
  generated: string;
  /** The exported constant: runtime.sh -> RUNTIME_SH. */
  name: string;
}

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const rel = join(dir, e.name);
    if (e.isDirectory()) walk(rel, out);
    else if (e.isFile()) out.push(rel);
  }
}

function allFiles(): string[] {
  const out: string[] = [];
  for (const d of DIRS) walk(d, out);
  return out.sort();
}

export function programs(): Program[] {
  const seen = new Map<string, string>();
  const out: Program[] = [];
  for (const source of allFiles()) {
    const ext = extname(source);
    if (!EXTS.has(ext)) continue;
    const base = basename(source, ext);
    const generated = join(dirname(source), `${base}.generated.ts`);
    const other = seen.get(generated);
    if (other) throw new Error(`${source} and ${other} would both generate ${generated}: rename one`);
    seen.set(generated, source);
    out.push({ source, generated, name: `${base}_${ext.slice(1)}`.toUpperCase().replace(/[^A-Z0-9]/g, '_') });
  }
  return out;
}

export function generatedText(p: Program): string {
  const text = readFileSync(join(ROOT, p.source), 'utf8');
  return `// Generated from ${basename(p.source)} ${MARK}\nexport const ${p.name} = ${JSON.stringify(text)};\n`;
}

/** Generated files this generator wrote whose program is gone. */
export function leftoverGenerated(): string[] {
  const wanted = new Set(programs().map((p) => p.generated));
  return allFiles().filter((f) => f.endsWith('.generated.ts') && !wanted.has(f) && readFileSync(join(ROOT, f), 'utf8').split('\n', 1)[0]!.endsWith(MARK));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const p of programs()) {
    const path = join(ROOT, p.generated);
    const text = generatedText(p);
    let old: string | undefined;
    try {
      old = readFileSync(path, 'utf8');
    } catch {
      old = undefined;
    }
    if (old !== text) {
      writeFileSync(path, text);
      console.log(`wrote ${relative(ROOT, path)}`);
    }
  }
  for (const f of leftoverGenerated()) {
    rmSync(join(ROOT, f));
    console.log(`removed ${f} (its program is gone)`);
  }
}
