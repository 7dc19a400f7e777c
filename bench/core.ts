// validate + compile + export for designs of 10, 100 and 1,000 namespaces, in CPU time as
// well as wall time (see measure.ts). Plans are hashed with node:crypto, as the backend and
// the CLI do; the renderer's preview (portable SHA-256) is measured at 1,000 too.
import { compile } from '../shared/compile/compile';
import { hostScript } from '../shared/export/script';
import { validate } from '../shared/validation/validate';
import { portableSha256Hex, useNativeSha256 } from '../shared/util/sha256';
import { installNativeSha256 } from '../electron/backend/native-sha256';
import { starDesign } from './designs';
import { measure, type Figure } from './measure';

/** Enough warm-up for the JIT to settle (its compile threads count as CPU time too). */
const RUNS = { runs: 25, warmup: 10 };

function pipeline(design: ReturnType<typeof starDesign>): { steps: number; scriptBytes: number } {
  const r = compile(design); // compile() validates first
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics.slice(0, 3)));
  return { steps: r.plan.hosts[0]!.steps.length, scriptBytes: hostScript(r.plan, r.plan.hosts[0]!).length };
}

export async function benchCore(): Promise<Figure[]> {
  installNativeSha256();
  const figures: Figure[] = [];
  for (const n of [10, 100, 1000]) {
    const design = starDesign(n);
    let scriptBytes = 0;
    let steps = 0;
    figures.push(
      await measure(`core: validate ${n} namespaces`, () => void validate(design), { unit: 'ms', cpu: true, ...RUNS }),
      await measure(`core: compile ${n} namespaces`, () => void compile(design), { unit: 'ms', cpu: true, ...RUNS }),
      await measure(
        `core: validate + compile + export ${n} namespaces`,
        () => void ({ steps, scriptBytes } = pipeline(design)),
        { unit: 'ms', cpu: true, ...RUNS, target: n === 1000 ? 50 : undefined },
      ),
    );
    figures[figures.length - 1]!.notes = `${steps} steps, script ${(scriptBytes / 1024).toFixed(0)} KiB`;
  }
  useNativeSha256(portableSha256Hex);
  const big = starDesign(1000);
  figures.push(await measure('core: the same in the renderer (portable SHA-256) 1000 namespaces', () => void pipeline(big), { unit: 'ms', cpu: true, ...RUNS }));
  installNativeSha256();
  return figures;
}
