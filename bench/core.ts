// validate + compile + export for designs of 10, 100 and 1,000 namespaces.
import { compile } from '../shared/compile/compile';
import { hostScript } from '../shared/export/script';
import { validate } from '../shared/validation/validate';
import { starDesign } from './designs';
import { measure, type Figure } from './measure';

export async function benchCore(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const n of [10, 100, 1000]) {
    const design = starDesign(n);
    let scriptBytes = 0;
    let steps = 0;
    figures.push(
      await measure(`core: validate ${n} namespaces`, () => void validate(design), { unit: 'ms' }),
      await measure(`core: compile ${n} namespaces`, () => void compile(design), { unit: 'ms' }),
      await measure(
        `core: validate + compile + export ${n} namespaces`,
        () => {
          const r = compile(design); // compile() validates first
          if (!r.ok) throw new Error(JSON.stringify(r.diagnostics.slice(0, 3)));
          const script = hostScript(r.plan, r.plan.hosts[0]!);
          scriptBytes = script.length;
          steps = r.plan.hosts[0]!.steps.length;
        },
        { unit: 'ms', target: n === 1000 ? 50 : undefined },
      ),
    );
    figures[figures.length - 1]!.notes = `${steps} steps, script ${(scriptBytes / 1024).toFixed(0)} KiB`;
  }
  return figures;
}
