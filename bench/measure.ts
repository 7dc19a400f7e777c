// Repeated timing with warm-up; reports median and p95 so one GC pause does not decide.
// With { cpu: true } it also reports this process's CPU time per run (all threads, so GC
// and JIT work count): other engineers' test runs load this 2-core machine, which inflates
// wall time but not CPU time. The load average is recorded with every figure.
import { loadavg } from 'node:os';

export interface Figure {
  name: string;
  unit: string;
  median: number;
  p95: number;
  runs: number;
  target?: number | undefined;
  notes?: string;
  /** CPU time per run (process.cpuUsage, user + system), when measured with { cpu: true }. */
  cpuMedian?: number;
  cpuP95?: number;
  /** 1-minute load average when the figure was taken. */
  load?: number;
}

export async function measure(
  name: string,
  fn: () => unknown,
  opts: { unit?: string; runs?: number; warmup?: number; target?: number | undefined; cpu?: boolean } = {},
): Promise<Figure> {
  const runs = opts.runs ?? 15;
  for (let i = 0; i < (opts.warmup ?? 3); i++) await fn();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1000);
  }
  const figure: Figure = { name, unit: opts.unit ?? 'ms', median: quantile(times, 0.5), p95: quantile(times, 0.95), runs, target: opts.target, load: round(loadavg()[0]!) };
  if (opts.cpu) {
    figure.cpuMedian = quantile(cpuTimes, 0.5);
    figure.cpuP95 = quantile(cpuTimes, 0.95);
  }
  return figure;
}

function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A target is judged on CPU time when the figure has it (see above), else on wall p95. */
function verdict(f: Figure): string {
  if (f.target === undefined) return '';
  const [value, what] = f.cpuMedian !== undefined ? [f.cpuMedian, 'CPU median'] : [f.p95, 'p95'];
  return `${value <= f.target ? 'met' : 'MISSED'} (${what} <= ${f.target} ${f.unit})`;
}

export function table(figures: Figure[]): string {
  const cpu = (f: Figure, x: number | undefined) => (x === undefined ? '' : `${x} ${f.unit}`);
  const rows = figures.map(
    (f) =>
      `| ${f.name} | ${f.median} ${f.unit} | ${f.p95} ${f.unit} | ${cpu(f, f.cpuMedian)} | ${cpu(f, f.cpuP95)} | ${f.runs} | ${f.load ?? ''} | ${verdict(f)} | ${f.notes ?? ''} |`,
  );
  return ['| benchmark | median | p95 | CPU median | CPU p95 | runs | load avg | target | notes |', '|---|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}
