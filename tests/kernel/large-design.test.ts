// A design with 150 namespaces (the bench's star shape): the exported script is large
// enough to cross every internal chunk and batch boundary of the exporter and the runtime.
import { afterEach, describe, expect, it } from 'vitest';
import { hostScript } from '../../shared/export/script';
import { starDesign } from '../../bench/designs';
import { designMismatches, planOf } from '../support/design-check';
import { createSandbox, diffSnapshots, ping, snapshot, type Sandbox } from '../support/sandbox';

describe('a large design on a real kernel', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it('150 namespaces: up builds all of it, up again changes nothing, down restores the exact prior state', { timeout: 600_000 }, async () => {
    const design = starDesign(150);
    const plan = planOf(design);
    const script = hostScript(plan, plan.hosts[0]!);
    sb = await createSandbox();
    const before = await snapshot(sb);
    let t = Date.now();
    const up = await sb.run(script, ['up'], { timeoutMs: 300_000 });
    console.log(`[large] up ${Date.now() - t} ms`);
    t = Date.now();
    expect(up.code, up.stderr.slice(0, 2000)).toBe(0);
    expect(up.stdout).toContain(`@wp result converged changed=${plan.hosts[0]!.steps.length}`);
    expect(await designMismatches(sb, design, 'h')).toEqual([]);
    expect(await ping(sb, 'n0', '10.0.0.1')).toBe(true);
    expect(await ping(sb, 'n149', '10.9.0.1')).toBe(true);
    console.log(`[large] checks ${Date.now() - t} ms`);
    t = Date.now();
    const again = await sb.run(script, ['up'], { timeoutMs: 300_000 });
    console.log(`[large] re-up ${Date.now() - t} ms`);
    expect(again.stdout).toContain('@wp result converged changed=0');
    const down = await sb.run(script, ['down'], { timeoutMs: 300_000 });
    expect(down.code, down.stderr.slice(0, 2000)).toBe(0);
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
  });
});
