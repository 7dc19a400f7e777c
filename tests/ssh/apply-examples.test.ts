// Every single-host example applied over SSH to a real lab host by the apply engine: the
// host holds what the design says (read back independently), traffic flows as designed,
// applying again starts no run at all, and destroy returns the lab to its exact
// pre-apply snapshot (and succeeds again when everything is already gone).
import { afterEach, describe, expect, it } from 'vitest';
import { applyHost, destroyHost, diffHost, type ApplyEvent } from '../../electron/backend/apply';
import { CONNECTIVITY } from '../support/apply-connectivity';
import { designMismatches, featuresOf, planOf } from '../support/design-check';
import { exampleFiles, exampleName, loadExample } from '../support/examples';
import { labTarget, shapeLab } from '../support/lab-apply';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { diffSnapshots, missingFeatures, snapshot } from '../support/sandbox';

const skip = sshLabSkip('apply-examples');
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

describe.skipIf(skip)('apply over SSH: every single-host example', () => {
  for (const file of exampleFiles()) {
    const design = loadExample(file);
    if (design.hosts.length !== 1) continue;
    const name = exampleName(file);
    it(`${name}: converges, matches the design, pings as designed, re-apply runs nothing, destroy restores the exact snapshot`, async (ctx) => {
      const reason = await missingFeatures(featuresOf(design));
      if (reason) {
        console.warn(`[skip] ${name}: ${reason}`);
        ctx.skip();
        return;
      }
      scope = new LabScope();
      const lab = await scope.lab();
      const hostDesign = design.hosts[0]!;
      const { host, uplinks } = await shapeLab(lab, hostDesign.nics.map((n) => n.name));
      const plan = planOf(design);
      const hp = plan.hosts[0]!;
      const target = labTarget(scope, lab);
      const before = await snapshot(host.sb);

      const events: ApplyEvent[] = [];
      const r = await applyHost(plan, hp, target, { onEvent: (e) => events.push(e) });
      expect(r.outcome, JSON.stringify(r.outcome)).toMatchObject({ kind: 'converged', changed: hp.steps.length, nothingToDo: false });
      expect(r.warnings).toEqual([]);
      // Live progress: one start per step, in order, then the result.
      expect(events.filter((e) => e.kind === 'step-start').map((e) => e.index)).toEqual(hp.steps.map((_, i) => i + 1));
      expect(events.filter((e) => e.kind === 'result').map((e) => e.text)).toEqual([`converged changed=${hp.steps.length}`]);
      expect(await designMismatches(host.sb, design, hostDesign.id)).toEqual([]);
      await CONNECTIVITY[name]?.(host.sb, uplinks[0]);

      const afterUp = await snapshot(host.sb);
      const again = await applyHost(plan, hp, target);
      expect(again.outcome).toEqual({ kind: 'converged', changed: 0, nothingToDo: true, pruned: [] });
      expect(again.runId, 're-apply starts no run').toBeUndefined();
      expect(diffSnapshots(afterUp, await snapshot(host.sb))).toEqual([]);
      expect((await diffHost(plan, hp, target)).inSync).toBe(true);

      const d = await destroyHost(plan, hp, target);
      expect(d.outcome, JSON.stringify(d.outcome)).toMatchObject({ kind: 'removed', nothingToDo: false });
      expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
      const d2 = await destroyHost(plan, hp, target);
      expect(d2.outcome).toMatchObject({ kind: 'removed', nothingToDo: true });
      console.log(`[apply-examples] ${name}: apply ${r.ms.toFixed(0)} ms, re-apply ${again.ms.toFixed(0)} ms, destroy ${d.ms.toFixed(0)} ms`);
    });
  }
});
