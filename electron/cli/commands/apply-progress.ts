// What the CLI prints while hosts run (a step counter line per host, throttled for big
// plans) and after (one summary block per host).
import type { ApplyEvent, HostOutcome, StepStatus } from '../../backend/apply';
import type { CliIo } from '../io';

/** Progress printer: every step for small plans, a counter every second for big ones. */
export function progressPrinter(io: CliIo, names: Map<string, string>): (e: ApplyEvent) => void {
  const last = new Map<string, number>();
  return (e) => {
    const name = names.get(e.host) ?? e.host;
    const counter = e.index !== undefined && e.total !== undefined ? `[${e.index}/${e.total}] ` : '';
    switch (e.kind) {
      case 'step-start':
      case 'undo': {
        const now = performance.now();
        const big = (e.total ?? 0) > 60;
        if (big && now - (last.get(e.host) ?? 0) < 1000 && e.index !== e.total) return;
        last.set(e.host, now);
        io.err(`  ${name}: ${counter}${e.kind === 'undo' ? 'undo ' : ''}${e.description || e.stepId}`);
        return;
      }
      case 'step-failed':
        io.err(`  ${name}: ${counter}FAILED ${e.description || e.stepId}`);
        return;
      case 'output':
        io.err(`  ${name}:   ${e.text}`);
        return;
      case 'phase':
        if (e.phase === 'done') return;
        io.err(`  ${name}: ${e.text ?? e.phase}`);
        return;
      default:
        return;
    }
  };
}

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
  return list.map((s) => `    ${s.state === 'foreign' ? 'FOREIGN ' : ''}[${s.index}] ${s.description}  (${s.id})`).join('\n');
}
