// The same engine through the local sandbox target (SandboxExecutor: an unprivileged
// user+net+mount namespace, no SSH): every single-host example converges, matches the
// design, pings as designed, re-applies with no run, and destroy restores the snapshot.
import { afterEach, describe, expect, it } from 'vitest';
import { applyHost, destroyHost, sharedExecutor, type HostTarget } from '../../electron/backend/apply';
import { SandboxExecutor } from '../../electron/backend/executor';
import { CONNECTIVITY } from '../support/apply-connectivity';
import { designMismatches, featuresOf, planOf } from '../support/design-check';
import { exampleFiles, exampleName, loadExample } from '../support/examples';
import { execHost } from '../support/exec-host';
import { addUplink } from '../support/lab-apply';
import { diffSnapshots, missingFeatures, snapshot } from '../support/sandbox';

let sandbox: SandboxExecutor | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('apply to the local sandbox target', () => {
  for (const file of exampleFiles()) {
    const design = loadExample(file);
    if (design.hosts.length !== 1) continue;
    const name = exampleName(file);
    it(`${name}: converges, matches, pings, re-apply runs nothing, destroy restores the exact snapshot`, async (ctx) => {
      const reason = await missingFeatures(featuresOf(design));
      if (reason) {
        console.warn(`[skip] ${name}: ${reason}`);
        ctx.skip();
        return;
      }
      sandbox = await SandboxExecutor.start({ name });
      const sb = sandbox;
      const host = execHost(['nsenter', '-t', String(sb.pid), '--user', '--net', '--mount', '--pid', '--'], `sandbox ${name}`);
      const run = async (cmd: string) => {
        const r = await sb.run(cmd);
        if (r.code !== 0) throw new Error(`${cmd}: ${r.stderr}`);
        return r.stdout;
      };
      const uplinks = [];
      for (const nic of design.hosts[0]!.nics) uplinks.push(await addUplink(run, nic.name));
      const plan = planOf(design);
      const hp = plan.hosts[0]!;
      // A sandbox has no connection to lose: the "fresh connection" is the sandbox itself.
      const target: HostTarget = { executor: sb, fresh: async () => sharedExecutor(sb) };
      const before = await snapshot(host.sb);

      // With a confirm window too: the sandbox confirms itself and stays open afterwards.
      const r = await applyHost(plan, hp, target, { confirmWithinS: 30 });
      expect(r.outcome, JSON.stringify(r.outcome)).toMatchObject({ kind: 'converged', changed: hp.steps.length, confirmed: true });
      expect(r.preflight?.management, 'no SSH session to protect').toBeUndefined();
      expect(await designMismatches(host.sb, design, design.hosts[0]!.id)).toEqual([]);
      await CONNECTIVITY[name]?.(host.sb, uplinks[0]);

      const again = await applyHost(plan, hp, target);
      expect(again.outcome).toEqual({ kind: 'converged', changed: 0, nothingToDo: true, pruned: [] });

      const d = await destroyHost(plan, hp, target);
      expect(d.outcome, JSON.stringify(d.outcome)).toMatchObject({ kind: 'removed' });
      expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
      expect((await destroyHost(plan, hp, target)).outcome).toMatchObject({ kind: 'removed', nothingToDo: true });
    });
  }
});
