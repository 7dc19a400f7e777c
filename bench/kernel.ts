// Exported-script `up`/`down` for 50, 200 and 500 namespaces inside a throwaway sandbox,
// against the kernel floor: the fastest hand-written recipe (peers created in their
// namespaces, one `ip -batch` for the root namespace and one per namespace).
import { compile } from '../shared/compile/compile';
import { hostScript } from '../shared/export/script';
import { createSandbox } from '../tests/support/sandbox';
import { starDesign } from './designs';
import { round, type Figure } from './measure';
import { recipeDown, recipeUp } from './recipe';

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return round((performance.now() - t0) / 1000);
}

export async function benchKernel(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const n of [50, 200, 500]) {
    const r = compile(starDesign(n));
    if (!r.ok) throw new Error('bench design does not compile');
    const script = hostScript(r.plan, r.plan.hosts[0]!);
    const results: Record<string, number> = {};
    for (const [label, up, down] of [
      ['floor', recipeUp(n), recipeDown(n)],
      ['script', script, script],
    ] as const) {
      const sb = await createSandbox();
      try {
        const isScript = label === 'script';
        results[`${label} up`] = await timed(async () => {
          const res = await sb.run(up, isScript ? ['up'] : [], { timeoutMs: 600_000 });
          if (res.code !== 0) throw new Error(`${label} up failed: ${res.stderr.slice(0, 500)}`);
        });
        if (isScript) {
          results['script re-up (no changes)'] = await timed(async () => {
            const res = await sb.run(script, ['up'], { timeoutMs: 600_000 });
            if (!res.stdout.includes('changed=0')) throw new Error('re-up changed something');
          });
        }
        results[`${label} down`] = await timed(async () => {
          const res = await sb.run(down, isScript ? ['down'] : [], { timeoutMs: 600_000 });
          if (res.code !== 0) throw new Error(`${label} down failed: ${res.stderr.slice(0, 500)}`);
        });
      } finally {
        await sb.close();
      }
    }
    for (const [k, v] of Object.entries(results)) {
      const floor = k.startsWith('script up') ? results['floor up'] : k.startsWith('script down') ? results['floor down'] : undefined;
      figures.push({
        name: `kernel: ${k}, ${n} namespaces`,
        unit: 's',
        median: v,
        p95: v,
        runs: 1,
        ...(floor ? { notes: `${round(v / floor)}x the floor` } : {}),
      });
    }
  }
  return figures;
}
