import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../../shared/api/contract';
import type { HostResult, Run } from '../store/runStore';
import { parseConfirmWindow, refusedForManagementPath } from './confirmWindow';
import { followStopped, resultTitle } from './ResultSummary';

function run(kind: 'apply' | 'destroy', outcome: RunOutcome | undefined, phase: HostResult['phase'] = 'failed'): Run {
  const result: HostResult = { ok: phase === 'done', phase, message: 'm', ...(outcome ? { outcome } : {}) };
  return { runId: `r${Math.random()}`, kind, startedAt: '', hostOrder: ['h'], hosts: { h: { hostId: 'h', hostName: 'h', phase, steps: [], result } }, log: [], dropped: 0, cancelRequested: false };
}

describe('the confirm-window offer', () => {
  const mgmt: RunOutcome = { kind: 'refused', reasons: ['touches the management path'], managementPath: true };
  it('is made only when the last apply on the host was refused for the management path', () => {
    expect(refusedForManagementPath([run('apply', mgmt)], 'h')).toBe(true);
    expect(refusedForManagementPath([run('apply', mgmt)], 'other')).toBe(false);
    expect(refusedForManagementPath([run('apply', { kind: 'refused', reasons: ['missing tools'] })], 'h')).toBe(false);
    // A later apply that converged (or any later apply) is what counts; a destroy is not an apply.
    expect(refusedForManagementPath([run('apply', mgmt), run('apply', { kind: 'converged', changed: 1, nothingToDo: false, pruned: [] }, 'done')], 'h')).toBe(false);
    expect(refusedForManagementPath([run('apply', mgmt), run('destroy', { kind: 'removed', undone: 0, nothingToDo: true, pruned: [] }, 'done')], 'h')).toBe(true);
  });
  it('takes whole seconds within the backend bounds', () => {
    expect(parseConfirmWindow(' 60 ')).toEqual({ ok: true, seconds: 60 });
    for (const bad of ['', '0', '3601', '1.5', '-3', 'abc']) expect(parseConfirmWindow(bad).ok).toBe(false);
  });
});

describe('result titles', () => {
  const title = (o: RunOutcome | undefined, phase: HostResult['phase'] = 'failed') => resultTitle({ ok: phase === 'done', phase, message: 'm', ...(o ? { outcome: o } : {}) }, 'apply');
  it('says each typed outcome plainly', () => {
    expect(title({ kind: 'converged', changed: 3, nothingToDo: false, pruned: [], confirmed: true }, 'done')).toEqual({ cls: 'ok', title: 'Converged: 3 steps ran, confirmed over a new connection' });
    expect(title({ kind: 'reverted-by-timer', reason: 'x', confirmWithinS: 30 })).toEqual({ cls: 'warn', title: 'Reverted by the host itself: not confirmed within 30 s' });
    expect(title({ kind: 'reverted', reason: 'x' }).title).toBe('Undone: another host of this run failed');
    expect(title({ kind: 'refused', reasons: [], managementPath: true }).title).toBe('Refused: the plan touches the management path');
    expect(title({ kind: 'drifted', changed: 1, differences: [] }).cls).toBe('warn');
  });
  it('a cancel is its own result: before the run started nothing changed, after it the host goes on', () => {
    expect(title({ kind: 'canceled', startedOnHost: false, detail: 'canceled by the user' }, 'canceled')).toEqual({ cls: 'warn', title: 'Canceled before anything changed' });
    const after = { ok: false, phase: 'canceled' as const, message: 'x', outcome: { kind: 'canceled' as const, startedOnHost: true, detail: 'run r goes on' } };
    expect(followStopped(after)).toBe(true);
    expect(resultTitle(after, 'apply').title).toBe('Canceled: stopped following; the run goes on on the host');
  });
});
