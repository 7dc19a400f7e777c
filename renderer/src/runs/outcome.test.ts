import { describe, expect, it } from 'vitest';
import { outcomeFromMessage } from './outcome';

// Lines as electron/backend/apply/summary.ts writes them.
describe('outcomeFromMessage', () => {
  it('reads converged and removed', () => {
    expect(outcomeFromMessage('in sync: nothing to do', true)).toEqual({ kind: 'converged', changed: 0, nothingToDo: true, pruned: [] });
    expect(outcomeFromMessage('converged: 21 step(s) run', true)).toMatchObject({ kind: 'converged', changed: 21, nothingToDo: false });
    expect(outcomeFromMessage('converged: 3 step(s) run, removed 2 object(s) no longer in the design', true)).toMatchObject({ changed: 3, pruned: ['object 1', 'object 2'] });
    expect(outcomeFromMessage('removed (7 undo step(s))', true)).toMatchObject({ kind: 'removed', undone: 7 });
    expect(outcomeFromMessage('nothing of this design on the host', true)).toMatchObject({ kind: 'removed', nothingToDo: true });
  });

  it('reads a rollback with its failing step and output', () => {
    const msg = 'FAILED and rolled back at step 5 link:app1:v-app1 (Create veth "app1 uplink" (v-app1 <-> eth0)):\n    RTNETLINK answers: File exists\n    second line';
    expect(outcomeFromMessage(msg, false)).toEqual({
      kind: 'rolled-back',
      failedStep: { index: 5, stepId: 'link:app1:v-app1', description: 'Create veth "app1 uplink" (v-app1 <-> eth0)' },
      output: 'RTNETLINK answers: File exists\nsecond line',
    });
    expect(outcomeFromMessage('FAILED and rolled back', false)).toEqual({ kind: 'rolled-back', output: '' });
  });

  it('reads partial, locked, refused, drifted and plain failures', () => {
    expect(outcomeFromMessage('FAILED, partial state kept (--keep-partial) at step 2 netns:root:app1:\n    boom', false)).toMatchObject({ kind: 'partial', failedStep: { index: 2, stepId: 'netns:root:app1' }, output: 'boom' });
    expect(outcomeFromMessage("LOCKED: another Wireplan run holds this design's lock on the host (pid 42 on lab since 12:00)", false)).toEqual({ kind: 'locked', holder: 'pid 42 on lab since 12:00' });
    expect(outcomeFromMessage('REFUSED, nothing changed:\n    a\n    b', false)).toEqual({ kind: 'refused', reasons: ['a', 'b'] });
    expect(outcomeFromMessage('applied, but the host still differs:\n    [3] Create bridge br0  (link::br0)\n    FOREIGN [4] Add address  (addr::br0:10.0.0.1/24)', false)).toMatchObject({
      kind: 'drifted',
      differences: [
        { index: 3, stepId: 'link::br0', state: 'missing' },
        { index: 4, stepId: 'addr::br0:10.0.0.1/24', state: 'foreign' },
      ],
    });
    expect(outcomeFromMessage('FAILED: ssh: connection refused', false)).toEqual({ kind: 'failed', error: 'ssh: connection refused' });
    expect(outcomeFromMessage('cannot reach the host: timeout', false)).toEqual({ kind: 'failed', error: 'cannot reach the host: timeout' });
    expect(outcomeFromMessage('something new', true)).toBeUndefined();
  });
});
