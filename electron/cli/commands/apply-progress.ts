// What the CLI prints while hosts run: a step counter line per host, throttled for big
// plans. The per-host summary text comes from the backend (describeOutcome).
import type { ApplyEvent } from '../../backend/apply';
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

export { describeOutcome, steps } from '../../backend/apply';
