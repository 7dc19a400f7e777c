// The engine behind the backend service's RunEngine seam: progress in the contract's
// terms (step started/ok, a final done per host) for apply and destroy, on the local
// sandbox target.
import { afterEach, describe, expect, it } from 'vitest';
import { applyEngine, destroyEngine } from '../../electron/backend/apply';
import { SandboxExecutor } from '../../electron/backend/executor';
import type { RunJob, RunProgressDraft } from '../../electron/backend/service/engines';
import { planOf } from '../support/design-check';
import { loadExample } from '../support/examples';

let sb: SandboxExecutor | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('apply engine as the service RunEngine', () => {
  it('applies and destroys, reporting steps and a final done per host', async () => {
    sb = await SandboxExecutor.start({ name: 'service' });
    const design = loadExample('two-namespaces-nat.wireplan.json');
    const plan = planOf(design);
    const events: RunProgressDraft[] = [];
    const job = (kind: 'apply' | 'destroy'): RunJob => ({
      runId: `r-${kind}`,
      kind,
      design,
      plan,
      hosts: plan.hosts,
      keepPartial: false,
      allowManagementChange: false,
      signal: new AbortController().signal,
      executor: async () => sb!,
      progress: (e) => events.push(e),
    });
    await applyEngine.run(job('apply'));
    const n = plan.hosts[0]!.steps.length;
    expect(events.filter((e) => e.status === 'started').map((e) => e.stepIndex)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(events.at(-1)).toEqual({ hostId: 'lab', phase: 'done', message: `converged: ${n} step(s) run`, outcome: { kind: 'converged', changed: n, nothingToDo: false, pruned: [] } });
    events.length = 0;
    await destroyEngine.run(job('destroy'));
    expect(events.some((e) => e.phase === 'rolling-back' && e.status === 'rolled-back')).toBe(true);
    expect(events.at(-1)).toMatchObject({ hostId: 'lab', phase: 'done', outcome: { kind: 'removed', nothingToDo: false } });
  });
});
