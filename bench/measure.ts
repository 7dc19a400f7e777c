// Repeated timing with warm-up; reports median and p95 so one GC pause does not decide.
export interface Figure {
  name: string;
  unit: string;
  median: number;
  p95: number;
  runs: number;
  target?: number | undefined;
  notes?: string;
}

export async function measure(
  name: string,
  fn: () => unknown,
  opts: { unit?: string; runs?: number; warmup?: number; target?: number | undefined } = {},
): Promise<Figure> {
  const runs = opts.runs ?? 15;
  for (let i = 0; i < (opts.warmup ?? 3); i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { name, unit: opts.unit ?? 'ms', median: round(at(0.5)), p95: round(at(0.95)), runs, target: opts.target };
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export function table(figures: Figure[]): string {
  const rows = figures.map(
    (f) =>
      `| ${f.name} | ${f.median} ${f.unit} | ${f.p95} ${f.unit} | ${f.runs} | ${f.target === undefined ? '' : `${f.p95 <= f.target ? 'met' : 'MISSED'} (<= ${f.target} ${f.unit})`} | ${f.notes ?? ''} |`,
  );
  return ['| benchmark | median | p95 | runs | target | notes |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
