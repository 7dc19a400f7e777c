// One line (plus details) per host outcome, for people: the CLI's summary and the
// app's final progress message say the same thing.
import type { HostOutcome, StepStatus } from './types';

export function describeOutcome(o: HostOutcome): { ok: boolean; text: string } {
  switch (o.kind) {
    case 'converged':
      return {
        ok: true,
        text: o.nothingToDo
          ? 'in sync: nothing to do'
          : `converged: ${o.changed} step(s) run${o.pruned.length ? `, removed ${o.pruned.length} object(s) no longer in the design` : ''}${o.confirmed ? ', confirmed over a fresh connection' : ''}`,
      };
    case 'rolled-back':
      return { ok: false, text: `FAILED and rolled back${o.failedStep ? ` at step ${o.failedStep.index} ${o.failedStep.id} (${o.failedStep.description})` : ''}${o.stderr ? `:\n    ${o.stderr.split('\n').join('\n    ')}` : ''}` };
    case 'partial':
      return { ok: false, text: `FAILED, partial state kept (--keep-partial)${o.failedStep ? ` at step ${o.failedStep.index} ${o.failedStep.id}` : ''}${o.stderr ? `:\n    ${o.stderr.split('\n').join('\n    ')}` : ''}` };
    case 'locked':
      return { ok: false, text: `LOCKED: another Wireplan run holds this design's lock on the host (${o.holder})` };
    case 'refused':
      return { ok: false, text: `REFUSED, nothing changed:\n    ${o.reasons.join('\n').split('\n').join('\n    ')}` };
    case 'reverted':
      return { ok: false, text: `REVERTED: ${o.reason}` };
    case 'drifted':
      return { ok: false, text: `applied, but the host still differs:\n${steps(o.differences)}` };
    case 'failed':
      return { ok: false, text: `FAILED: ${o.error}` };
    case 'planned':
      return {
        ok: true,
        text: o.missing.length + o.orphans.length === 0 ? 'in sync: nothing to do' : `would run ${o.missing.length} step(s)${o.orphans.length ? ` and remove ${o.orphans.length} object(s)` : ''}:\n${steps(o.missing)}${o.orphans.map((x) => `\n    remove ${x}`).join('')}`,
      };
    case 'removed':
      return { ok: true, text: o.nothingToDo ? 'nothing of this design on the host' : `removed (${o.undone} undo step(s)${o.pruned.length ? `, ${o.pruned.length} leftover object(s)` : ''})` };
  }
}

export function steps(list: readonly StepStatus[]): string {
  const how = (s: StepStatus) => (s.state === 'drifted' ? ` -- ${s.detail?.startsWith('replace') ? '' : 'fix: '}${s.detail ?? 'differs'}` : '');
  return list.map((s) => `    ${s.state === 'foreign' ? 'FOREIGN ' : ''}[${s.index}] ${s.description}${how(s)}  (${s.id})`).join('\n');
}
