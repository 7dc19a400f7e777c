// Cold start of the `wireplan` command: CPU time (user + system of the child, as bash's
// `time` reports it) and wall time of one fresh `node` process per run. The installed CLI
// is the bundle of `npm run build:cli` (built here first); the checkout's bin/wireplan.mjs,
// which compiles TypeScript through tsx on every start, is measured beside it for scale.
// Target: <= 400 ms CPU for `wireplan --version` from the bundle (issue 15).
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { buildCli, CLI_PACKAGE, ROOT } from '../scripts/build-cli';
import { round, type Figure } from './measure';

const RUNS = Number(process.env['CLI_BENCH_RUNS'] ?? 9);

/** One cold run of `node SCRIPT ARGS...`: [wall ms, CPU ms]. */
function coldRun(script: string, args: string[]): [number, number] {
  const cmd = `TIMEFORMAT='%R %U %S'; time ${[process.execPath, script, ...args].map((a) => `'${a}'`).join(' ')} >/dev/null`;
  const out = execFileSync('bash', ['-c', `{ ${cmd} ; } 2>&1`], { cwd: ROOT, encoding: 'utf8' });
  const [real, user, sys] = out.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number];
  return [real * 1000, (user + sys) * 1000];
}

function figure(name: string, script: string, args: string[], target?: number): Figure {
  coldRun(script, args); // warm the page cache, not the process
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [w, c] = coldRun(script, args);
    wall.push(w);
    cpu.push(c);
  }
  const q = (xs: number[], p: number) => round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!);
  return { name, unit: 'ms', median: q(wall, 0.5), p95: q(wall, 0.95), cpuMedian: q(cpu, 0.5), cpuP95: q(cpu, 0.95), runs: RUNS, target, load: round(loadavg()[0]!) };
}

export async function benchCli(): Promise<Figure[]> {
  await buildCli();
  const bundle = join(CLI_PACKAGE, 'wireplan.mjs');
  const example = join(ROOT, 'resources/examples/two-namespaces-nat.wireplan.json');
  return [
    figure('wireplan --version (bundle, cold start)', bundle, ['--version'], 400),
    figure('wireplan validate EXAMPLE (bundle, cold start)', bundle, ['validate', example]),
    figure('wireplan plan EXAMPLE (bundle, cold start)', bundle, ['plan', example]),
    figure('wireplan --version (checkout, tsx)', join(ROOT, 'bin/wireplan.mjs'), ['--version']),
  ];
}
