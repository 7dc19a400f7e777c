// A host's final run message as data, for backends whose final event carries no
// `outcome` yet: the engine's summary lines (electron/backend/apply/summary.ts) have a
// fixed shape. Anything else is a plain failure (or success) with its message.
import type { RunFailedStep, RunOutcome } from '../../../shared/api/contract';

/** Removes the 4-space indent the summary puts before detail lines. */
function details(text: string | undefined): string {
  return (text ?? '')
    .split('\n')
    .map((l) => (l.startsWith('    ') ? l.slice(4) : l))
    .join('\n')
    .trim();
}

function failedStep(index: string | undefined, stepId: string | undefined, description: string | undefined): RunFailedStep | undefined {
  if (index === undefined || stepId === undefined) return undefined;
  return { index: Number(index), stepId, description: description ?? '' };
}

export function outcomeFromMessage(message: string, ok: boolean): RunOutcome | undefined {
  let m: RegExpExecArray | null;
  if (message === 'in sync: nothing to do') return { kind: 'converged', changed: 0, nothingToDo: true, pruned: [] };
  if ((m = /^converged: (\d+) step\(s\) run(?:, removed (\d+) object)?/.exec(message))) {
    return { kind: 'converged', changed: Number(m[1]), nothingToDo: false, pruned: Array.from({ length: Number(m[2] ?? 0) }, (_, i) => `object ${i + 1}`) };
  }
  if (message === 'nothing of this design on the host') return { kind: 'removed', undone: 0, nothingToDo: true, pruned: [] };
  if ((m = /^removed \((\d+) undo step\(s\)(?:, (\d+) leftover object\(s\))?\)/.exec(message))) {
    return { kind: 'removed', undone: Number(m[1]), nothingToDo: false, pruned: Array.from({ length: Number(m[2] ?? 0) }, (_, i) => `object ${i + 1}`) };
  }
  if ((m = /^FAILED and rolled back(?: at step (\d+) (\S+) \((.*)\))?(?::\n([\s\S]*))?$/.exec(message))) {
    const step = failedStep(m[1], m[2], m[3]);
    return { kind: 'rolled-back', ...(step ? { failedStep: step } : {}), output: details(m[4]) };
  }
  if ((m = /^FAILED, partial state kept \(--keep-partial\)(?: at step (\d+) (\S+))?(?::\n([\s\S]*))?$/.exec(message))) {
    const step = failedStep(m[1], m[2], '');
    return { kind: 'partial', ...(step ? { failedStep: step } : {}), output: details(m[3]) };
  }
  if ((m = /^LOCKED: .*\((.*)\)$/.exec(message))) return { kind: 'locked', holder: m[1]! };
  if ((m = /^REFUSED, nothing changed:\n([\s\S]*)$/.exec(message))) return { kind: 'refused', reasons: details(m[1]).split('\n').filter(Boolean) };
  if ((m = /^REVERTED: ([\s\S]*)$/.exec(message))) return { kind: 'reverted', reason: m[1]! };
  if ((m = /^applied, but the host still differs:\n([\s\S]*)$/.exec(message))) {
    const differences = m[1]!
      .split('\n')
      .map((l) => /^\s*(FOREIGN )?\[(\d+)\] (.*?) {2}\((\S+)\)$/.exec(l))
      .filter((x): x is RegExpExecArray => x !== null)
      .map((x) => ({ stepId: x[4]!, index: Number(x[2]), description: x[3]!, state: x[1] ? ('foreign' as const) : ('missing' as const) }));
    return { kind: 'drifted', changed: 0, differences };
  }
  if ((m = /^FAILED: ([\s\S]*)$/.exec(message))) return { kind: 'failed', error: m[1]! };
  return ok ? undefined : { kind: 'failed', error: message };
}
