// The on-host script speaks in `@wp ...` lines (shared/export/runtime.sh). This file turns
// a stream of log text into those lines and the lines into events, and folds a whole log
// into what the run did: which steps it ran, where it failed, how it ended.
import type { ApplyEvent, FailedStep } from './types';

/** Splits a byte stream (already decoded) into complete lines; keeps the unfinished tail. */
export class LineSplitter {
  private tail = '';

  push(chunk: string): string[] {
    const text = this.tail + chunk;
    const lines = text.split('\n');
    this.tail = lines.pop() ?? '';
    return lines;
  }

  /** The unfinished last line, if the stream ended without a newline. */
  flush(): string[] {
    const t = this.tail;
    this.tail = '';
    return t ? [t] : [];
  }
}

export type Marker =
  | { type: 'plan'; hash: string; total: number }
  | { type: 'step'; index: number; total: number; state: 'present' | 'run' | 'failed'; id: string; description: string }
  | { type: 'undo'; index: number; total: number; id: string }
  | { type: 'rollback-start' }
  /** The previous (saved) plan removed one of its steps this plan no longer has (index in that plan). */
  | { type: 'prune'; index: number; total: number; id: string }
  /** Rollback re-applies the previous converged plan (what this run pruned or fixed in place). */
  | { type: 'restore'; hash: string }
  | { type: 'result'; result: string; changed?: number }
  | { type: 'output'; text: string };

const STEP = /^@wp step (\d+)\/(\d+) (present|run|failed) (\S+)(?: (.*))?$/;
const UNDO = /^@wp undo (\d+)\/(\d+) (\S+)$/;
const PLAN = /^@wp plan (\S+) steps (\d+)$/;
const RESULT = /^@wp result (\S+)(?: changed=(\d+))?/;
const PRUNE = /^@wp prune (\d+)\/(\d+) (\S+)$/;
const RESTORE = /^@wp restore (\S+)$/;

export function parseMarker(line: string): Marker {
  let m = STEP.exec(line);
  if (m) return { type: 'step', index: Number(m[1]), total: Number(m[2]), state: m[3] as 'present' | 'run' | 'failed', id: m[4]!, description: m[5] ?? '' };
  m = UNDO.exec(line);
  if (m) return { type: 'undo', index: Number(m[1]), total: Number(m[2]), id: m[3]! };
  m = RESULT.exec(line);
  if (m) return { type: 'result', result: m[1]!, ...(m[2] !== undefined ? { changed: Number(m[2]) } : {}) };
  m = PLAN.exec(line);
  if (m) return { type: 'plan', hash: m[1]!, total: Number(m[2]) };
  m = PRUNE.exec(line);
  if (m) return { type: 'prune', index: Number(m[1]), total: Number(m[2]), id: m[3]! };
  m = RESTORE.exec(line);
  if (m) return { type: 'restore', hash: m[1]! };
  if (line === '@wp rollback-start') return { type: 'rollback-start' };
  return { type: 'output', text: line };
}

/** Everything a run's log says, folded as the lines arrive. */
export class RunFold {
  readonly ran: number[] = [];
  readonly output: string[] = [];
  /** Orphans the run removed ("netns NAME", "link NS IFNAME", ...). */
  readonly pruned: string[] = [];
  /** `status` lines the run printed after converging (its first verification). */
  readonly status: string[] = [];
  /** Output lines seen before rollback started: the failing command's stderr is there. */
  readonly outputBeforeRollback: string[] = [];
  failed?: FailedStep;
  result?: { result: string; changed?: number };
  rollingBack = false;
  /** Undo markers seen (rollback, revert or down). */
  undone = 0;
  total = 0;
  /** Descriptions by step index (from `run` markers). */
  private readonly descriptions = new Map<number, string>();
  /**
   * Steps the script announced (`run`) but has not reported done. The runtime prints the
   * markers of a batch before it runs the batch, so a later marker proves nothing: a step
   * is done only when the run converged, or when a later step is named as the failure
   * (steps run in plan order and stop at the first failure).
   */
  private pending: { index: number; id: string; description: string }[] = [];

  constructor(
    private readonly host: string,
    private readonly emit: (e: ApplyEvent) => void,
    private readonly describe: (index: number) => string | undefined = () => undefined,
  ) {}

  line(line: string): void {
    const m = parseMarker(line);
    switch (m.type) {
      case 'plan':
        this.total = m.total;
        return;
      case 'step': {
        this.total = m.total;
        const description = m.description || this.descriptions.get(m.index) || this.describe(m.index) || '';
        const base = { host: this.host, index: m.index, total: m.total, stepId: m.id, description };
        if (m.state === 'present') this.emit({ ...base, kind: 'step-present' });
        else if (m.state === 'run') {
          this.ran.push(m.index);
          this.descriptions.set(m.index, description);
          this.pending.push({ index: m.index, id: m.id, description });
          this.emit({ ...base, kind: 'step-start' });
        } else {
          this.finishPending(m.index);
          this.pending = [];
          this.failed = { index: m.index, id: m.id, description };
          this.emit({ ...base, kind: 'step-failed' });
        }
        return;
      }
      case 'undo':
        this.undone++;
        this.emit({ host: this.host, kind: 'undo', index: m.index, total: m.total, stepId: m.id, description: this.descriptions.get(m.index) ?? this.describe(m.index) ?? '' });
        return;
      case 'prune': {
        // The index counts in the previous plan, not in this one: name the step by its id.
        this.emit({ host: this.host, kind: 'output', text: `removed ${m.id} (no longer in the design)` });
        return;
      }
      case 'restore':
        this.emit({ host: this.host, kind: 'output', text: `rollback: restoring the previous converged plan ${m.hash.slice(0, 12)} (what this run removed or changed in place)` });
        return;
      case 'rollback-start':
        this.rollingBack = true;
        this.emit({ host: this.host, kind: 'phase', phase: 'reverting', text: 'rolling back what this run did' });
        return;
      case 'result':
        if (m.result === 'converged') this.finishPending();
        this.pending = [];
        this.result = { result: m.result, ...(m.changed !== undefined ? { changed: m.changed } : {}) };
        this.emit({ host: this.host, kind: 'result', text: line.slice('@wp result '.length) });
        return;
      case 'output':
        if (line.startsWith('@wpx ')) {
          if (line.startsWith('@wpx status ')) {
            this.status.push(line.slice('@wpx status '.length));
            return;
          }
          const pr = /^@wpx prune (.*)$/.exec(line);
          if (pr) {
            this.pruned.push(pr[1]!);
            this.emit({ host: this.host, kind: 'output', text: `removed ${pr[1]!} (no longer in the design)` });
          }
          return; // other backend bookkeeping lines
        }
        this.output.push(line);
        if (!this.rollingBack) this.outputBeforeRollback.push(line);
        this.emit({ host: this.host, kind: 'output', text: line });
        return;
    }
  }

  /** Reports done the announced steps before `before` (all of them without it), in plan order. */
  private finishPending(before = Infinity): void {
    const done = this.pending.filter((p) => p.index < before);
    this.pending = this.pending.filter((p) => p.index >= before);
    for (const p of done) this.emit({ host: this.host, kind: 'step-done', index: p.index, total: this.total, stepId: p.id, description: p.description });
  }

  /** The lock holder named on stderr by a refused run ("... holds the lock on design 'x': pid=..."). */
  lockHolder(): string {
    for (const l of this.output) {
      const m = /holds the lock on design '[^']*': (.*)$/.exec(l);
      if (m) return m[1]!;
    }
    return 'unknown';
  }
}
