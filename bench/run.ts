// npm run bench [-- NAME...]: runs the benchmarks and writes bench/results/<name>.md and
// .json (machine, date, figures). Names: cli, core, kernel, apply, live, ssh.
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchApply } from './apply';
import { benchCli } from './cli';
import { benchCore } from './core';
import { benchKernel } from './kernel';
import { benchLive } from './live';
import { benchSsh } from './ssh';
import { table, type Figure } from './measure';

const SUITES: Record<string, () => Promise<Figure[]>> = { cli: benchCli, core: benchCore, kernel: benchKernel, apply: benchApply, live: benchLive, ssh: benchSsh };

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = wanted.length ? wanted : Object.keys(SUITES);
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
  for (const name of names) {
    const suite = SUITES[name];
    if (!suite) throw new Error(`unknown benchmark ${name} (have: ${Object.keys(SUITES).join(', ')})`);
    console.log(`bench ${name} ...`);
    const figures = await suite();
    const when = new Date().toISOString();
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ suite: name, when, machine, figures }, null, 2)}\n`);
    const md = `# bench: ${name}\n\n${when} on ${machine}\n\n${table(figures)}\n`;
    writeFileSync(join(dir, `${name}.md`), md);
    console.log(md);
  }
}

await main();
