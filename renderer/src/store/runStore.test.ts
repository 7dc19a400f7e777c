import { beforeEach, describe, expect, it } from 'vitest';
import type { RunProgressEvent } from '../../../shared/api/contract';
import { useRuns } from './runStore';

const at = '2026-01-01T00:00:00.000Z';
const ev = (e: Partial<RunProgressEvent>): RunProgressEvent => ({ runId: 'r1', hostId: 'lab', kind: 'apply', phase: 'running', at, ...e });
const steps = ['netns:root:app1', 'netns:root:app2', 'link:root:br0', 'link:root:v-app1', 'link:root:v-app2', 'addr:root:br0'].map((id) => ({ id, description: id }));

function states(): string[] {
  return useRuns.getState().runs[0]!.hosts['lab']!.steps.map((s) => s.state);
}

describe('run store', () => {
  beforeEach(() => useRuns.getState().clear());

  it('keeps events that overtake the start call, and folds steps and the result', () => {
    useRuns.getState().events([ev({ phase: 'preflight', message: 'checking tools' })]);
    expect(useRuns.getState().runs).toEqual([]);
    useRuns.getState().started('r1', 'apply', [{ hostId: 'lab', hostName: 'lab', steps }]);
    useRuns.getState().events([ev({ stepId: steps[0]!.id, stepIndex: 1, stepCount: 6, status: 'started' }), ev({ stepId: steps[0]!.id, stepIndex: 1, stepCount: 6, status: 'ok' })]);
    useRuns.getState().events([ev({ stepId: steps[1]!.id, stepIndex: 2, status: 'skipped' })]);
    expect(states()).toEqual(['ok', 'skipped', 'pending', 'pending', 'pending', 'pending']);
    useRuns.getState().events([ev({ phase: 'done', message: 'converged: 1 step(s) run' })]);
    const host = useRuns.getState().runs[0]!.hosts['lab']!;
    expect(host.result).toMatchObject({ ok: true, outcome: { kind: 'converged', changed: 1 } });
    // Steps without an event were already on the host.
    expect(states()).toEqual(['ok', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    const log = useRuns.getState().runs[0]!.log.map((l) => l.text);
    expect(log[0]).toBe('[preflight] checking tools');
    expect(log).toContain('✔ converged: 1 step(s) run');
  });

  it('a batched failure: only steps the host reported done are done; the rest did not run; a rollback marks what the run did as undone', () => {
    useRuns.getState().started('r1', 'apply', [{ hostId: 'lab', hostName: 'lab', steps }]);
    const list: RunProgressEvent[] = [];
    // The host announces steps 1-6 (one batch), then reports 1-4 done and 5 failed.
    steps.forEach((s, i) => list.push(ev({ stepId: s.id, stepIndex: i + 1, status: 'started' })));
    useRuns.getState().events(list);
    expect(states()).toEqual(['running', 'running', 'running', 'running', 'running', 'running']);
    useRuns.getState().events([
      ...steps.slice(0, 4).map((s, i) => ev({ stepId: s.id, stepIndex: i + 1, status: 'ok' })),
      ev({ stepId: steps[4]!.id, stepIndex: 5, status: 'failed' }),
      ev({ phase: 'rolling-back', stepId: steps[2]!.id, stepIndex: 3, status: 'rolled-back' }),
    ]);
    expect(states()).toEqual(['ok', 'ok', 'rolled-back', 'ok', 'failed', 'not-run']);
    useRuns.getState().events([
      ev({ phase: 'failed', message: 'FAILED and rolled back at step 5 link:root:v-app2 (veth v-app2 <-> eth0 (app2)):\n    RTNETLINK answers: File exists' }),
    ]);
    expect(states()).toEqual(['covered', 'covered', 'rolled-back', 'covered', 'failed', 'not-run']);
    expect(useRuns.getState().runs[0]!.hosts['lab']!.result).toMatchObject({
      ok: false,
      outcome: { kind: 'rolled-back', failedStep: { index: 5, stepId: 'link:root:v-app2' }, output: 'RTNETLINK answers: File exists' },
    });
    const log = useRuns.getState().runs[0]!.log.map((l) => l.text);
    expect(log.filter((l) => l.startsWith('✓')).map((l) => l.split(' ')[1])).toEqual(['1', '2', '3', '4']);
    expect(log).toContain('⟲ rollback: undid 3 link:root:br0');
    expect(log).toContain('– not run: step 6');
  });

  it('a run that fails without naming a step leaves nothing it announced shown as done', () => {
    useRuns.getState().started('r1', 'apply', [{ hostId: 'lab', hostName: 'lab', steps }]);
    useRuns.getState().events([ev({ stepId: steps[0]!.id, stepIndex: 1, status: 'started' }), ev({ stepId: steps[1]!.id, stepIndex: 2, status: 'started' })]);
    useRuns.getState().events([ev({ phase: 'failed', message: 'connection lost' })]);
    expect(states()).toEqual(['not-run', 'not-run', 'not-run', 'not-run', 'not-run', 'not-run']);
  });

  it('destroy lists the steps in reverse; a refused start is kept for the console', () => {
    useRuns.getState().started('r2', 'destroy', [{ hostId: 'lab', hostName: 'lab', steps }]);
    expect(useRuns.getState().runs[0]!.hosts['lab']!.steps.map((s) => s.index)).toEqual([6, 5, 4, 3, 2, 1]);
    useRuns.getState().refused('apply', ['lab'], 'the plan for host lab changed since it was previewed');
    expect(useRuns.getState().refusal).toMatchObject({ kind: 'apply', error: /changed since/ });
  });
});
