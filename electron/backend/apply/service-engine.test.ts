import { describe, expect, it } from 'vitest';
import { finalEvent, toRunOutcome, type OutcomeContext } from './service-engine';

const ctx = (o: Partial<OutcomeContext> = {}): OutcomeContext => ({ warnings: [], canceled: false, revertedByTimer: false, managementPath: false, ...o });

// Every host's final event carries a typed outcome; its phase follows from it.
describe('final events of the service engine', () => {
  it('converged (confirmed) and removed end in done', () => {
    expect(finalEvent('h', { kind: 'converged', changed: 3, nothingToDo: false, pruned: [], confirmed: true }, ctx({ warnings: ['w'] }))).toEqual({
      hostId: 'h',
      phase: 'done',
      message: 'converged: 3 step(s) run, confirmed over a fresh connection',
      outcome: { kind: 'converged', changed: 3, nothingToDo: false, pruned: [], confirmed: true, warnings: ['w'] },
    });
    expect(finalEvent('h', { kind: 'removed', undone: 2, pruned: [], nothingToDo: false }, ctx()).phase).toBe('done');
  });

  it('a host reverted by its own confirm timer is told apart from one undone because another host failed', () => {
    const o = { kind: 'reverted' as const, reason: 'not confirmed within 3 s', runId: 'r1' };
    expect(finalEvent('h', o, ctx({ revertedByTimer: true, confirmWithinS: 3 }))).toMatchObject({ phase: 'failed', outcome: { kind: 'reverted-by-timer', reason: o.reason, confirmWithinS: 3 } });
    expect(toRunOutcome(o, ctx())).toEqual({ kind: 'reverted', reason: o.reason });
  });

  it('a failure while canceled is a cancel: before the run started nothing changed, after it the host goes on', () => {
    expect(finalEvent('h', { kind: 'failed', error: 'aborted' }, ctx({ canceled: true }))).toEqual({
      hostId: 'h',
      phase: 'canceled',
      message: 'canceled: aborted',
      outcome: { kind: 'canceled', startedOnHost: false, detail: 'aborted' },
    });
    expect(toRunOutcome({ kind: 'failed', error: 'stopped following', runId: 'r2' }, ctx({ canceled: true }))).toMatchObject({ kind: 'canceled', startedOnHost: true });
    // Not canceled: a plain failure.
    expect(finalEvent('h', { kind: 'failed', error: 'boom' }, ctx())).toMatchObject({ phase: 'failed', outcome: { kind: 'failed', error: 'boom' } });
    // Converged just as the cancel landed: the truth wins.
    expect(finalEvent('h', { kind: 'converged', changed: 1, nothingToDo: false, pruned: [] }, ctx({ canceled: true })).phase).toBe('done');
  });

  it('rolled-back, partial, drifted, refused (management path) and locked keep their details', () => {
    const step = { index: 4, id: 'link::br0', description: 'Create bridge br0' };
    expect(toRunOutcome({ kind: 'rolled-back', failedStep: step, stderr: 'RTNETLINK', runId: 'r' }, ctx())).toEqual({
      kind: 'rolled-back',
      failedStep: { index: 4, stepId: 'link::br0', description: 'Create bridge br0' },
      output: 'RTNETLINK',
    });
    expect(toRunOutcome({ kind: 'partial', stderr: '', runId: 'r' }, ctx()).kind).toBe('partial');
    expect(toRunOutcome({ kind: 'drifted', changed: 2, differences: [{ ...step, state: 'missing' }] }, ctx())).toEqual({
      kind: 'drifted',
      changed: 2,
      differences: [{ stepId: 'link::br0', index: 4, description: 'Create bridge br0', state: 'missing' }],
    });
    expect(toRunOutcome({ kind: 'refused', reasons: ['touches the management path'] }, ctx({ managementPath: true }))).toEqual({ kind: 'refused', reasons: ['touches the management path'], managementPath: true });
    expect(finalEvent('h', { kind: 'locked', holder: 'pid 1' }, ctx())).toMatchObject({ phase: 'failed', outcome: { kind: 'locked', holder: 'pid 1' } });
  });
});
