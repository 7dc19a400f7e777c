// Convergence through the app's apply engine over SSH (issue 10), for 10 fixed pairs of
// the random designs the kernel property uses (tests/kernel/converge.property.test.ts):
// on a lab host, apply(D1) then apply(D2) leaves what apply(D2) leaves on the same host
// made clean again, a further apply(D2) has nothing to do, and destroy returns the host
// to its snapshot from before.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { applyHost, destroyHost } from '../../electron/backend/apply';
import type { Design } from '../../shared/model/schema';
import { applyEdits, buildDesign, comparable, describeDesign, designSpec, edit, HOST_NIC, snapshotAfterUp, unusable } from '../support/converge-designs';
import { planOf } from '../support/design-check';
import { labTarget, shapeLab } from '../support/lab-apply';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { diffSnapshots, snapshot } from '../support/sandbox';

const skip = sshLabSkip('converge-apply');
const PAIRS = 10;
const SEED = 20261207;

/** The first PAIRS usable (D1, D2) pairs of a fixed seed: the same ones on every run. */
function fixedPairs(): [Design, Design][] {
  const out: [Design, Design][] = [];
  for (const [spec, edits] of fc.sample(fc.tuple(designSpec, fc.array(edit, { minLength: 1, maxLength: 3 })), { seed: SEED, numRuns: 200 })) {
    const d1 = buildDesign(spec);
    const d2 = buildDesign(applyEdits(spec, edits));
    if (unusable(d1) === null && unusable(d2) === null && d1.namespaces.length + d2.namespaces.length > 0) out.push([d1, d2]);
    if (out.length === PAIRS) break;
  }
  return out;
}

let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

describe.skipIf(skip)('convergence through the apply engine over SSH', () => {
  const pairs = fixedPairs();

  it('the fixed seed gives the pairs this test promises', () => {
    expect(pairs).toHaveLength(PAIRS);
  });

  pairs.forEach(([d1, d2], i) => {
    it(`pair ${i + 1}: apply(D1), apply(D2) = fresh apply(D2); apply(D2) again does nothing; destroy restores`, async () => {
      scope = new LabScope();
      const lab = await scope.lab();
      const { host } = await shapeLab(lab, [HOST_NIC]);
      const target = labTarget(scope, lab);
      const p1 = planOf(d1);
      const p2 = planOf(d2);
      const why = `D1:\n${describeDesign(d1)}\nD2:\n${describeDesign(d2)}`;
      const before = await snapshot(host.sb, { iptables: false });

      const a1 = await applyHost(p1, p1.hosts[0]!, target);
      expect(a1.outcome.kind, `${JSON.stringify(a1.outcome)}\n${why}`).toBe('converged');
      const a2 = await applyHost(p2, p2.hosts[0]!, target);
      expect(a2.outcome.kind, `${JSON.stringify(a2.outcome)}\n${why}`).toBe('converged');
      const edited = await snapshotAfterUp(host.sb);
      const again = await applyHost(p2, p2.hosts[0]!, target);
      expect(again.outcome, `${JSON.stringify(again.outcome)}\n${why}`).toMatchObject({ kind: 'converged', nothingToDo: true });
      expect((await destroyHost(p2, p2.hosts[0]!, target)).outcome.kind, why).toBe('removed');
      expect(diffSnapshots(before, await snapshot(host.sb, { iptables: false })), why).toEqual([]);

      // The same host, clean again: D2 on its own.
      expect((await applyHost(p2, p2.hosts[0]!, target)).outcome.kind, why).toBe('converged');
      const fresh = await snapshotAfterUp(host.sb);
      expect(diffSnapshots(comparable(fresh), comparable(edited)), why).toEqual([]);
      expect((await destroyHost(p2, p2.hosts[0]!, target)).outcome.kind, why).toBe('removed');
    });
  });
});
