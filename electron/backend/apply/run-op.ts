// One detached op on one host, start to end: start it (idempotently, retrying the start
// across drops), follow its log into events, and fold the log into what happened.
import type { HostPlan } from '../../../shared/compile/plan';
import type { HostExecutor } from '../executor';
import { followRun, startRun, type FollowEnd, type RunHandle, type StartOptions } from './detached';
import { LineSplitter, RunFold } from './markers';
import type { RemotePaths } from './paths';
import { withReconnect } from './remote';
import type { EventSink } from './types';

export interface OpRun {
  handle: RunHandle;
  fold: RunFold;
  end: FollowEnd;
}

export interface OpOptions {
  hostId: string;
  onEvent?: EventSink;
  signal?: AbortSignal;
  reconnectDeadlineMs?: number;
}

export async function runOp(exec: HostExecutor, p: RemotePaths, host: HostPlan, start: StartOptions, o: OpOptions): Promise<OpRun> {
  const emit: EventSink = o.onEvent ?? (() => {});
  const deadline = o.reconnectDeadlineMs ?? 600_000;
  const onRetry = (attempt: number, e: unknown, delay: number) =>
    emit({ host: o.hostId, kind: 'phase', phase: 'reconnecting', text: `connection to the host lost (${(e as Error).message}); retry ${attempt} in ${delay} ms; the run goes on on the host` });
  const handle = await withReconnect(() => startRun(exec, p, start, o.signal), { deadlineMs: deadline, onRetry, ...(o.signal ? { signal: o.signal } : {}) });
  emit({ host: o.hostId, kind: 'phase', phase: 'running', text: `${start.op} run ${handle.runId} started (pid ${handle.pid})` });
  const fold = new RunFold(o.hostId, emit, (i) => host.steps[i - 1]?.description);
  const lines = new LineSplitter();
  const end = await followRun(exec, handle, {
    onText: (t) => lines.push(t).forEach((l) => fold.line(l)),
    resultSeen: () => fold.result !== undefined,
    reconnectDeadlineMs: deadline,
    onReconnect: onRetry,
    onAttached: (attempt) => {
      if (attempt > 0) emit({ host: o.hostId, kind: 'phase', phase: 'running', text: 'reconnected; resuming the run log' });
    },
    ...(o.signal ? { signal: o.signal } : {}),
  });
  lines.flush().forEach((l) => fold.line(l));
  return { handle, fold, end };
}

/** Why a run has no usable result, in words (undefined when it has one). */
export function missingResult(r: OpRun): string | undefined {
  if (r.fold.result) return undefined;
  const tail = r.fold.output.slice(-5).join(' | ');
  switch (r.end.kind) {
    case 'no-run':
      return `the run's record under /run is gone (host rebooted or cleaned?); its outcome is unknown`;
    case 'rebooted':
      return `the host rebooted during the run (boot id ${r.end.bootId}); the network it built is gone with the reboot`;
    case 'ended':
      return r.end.rc === null
        ? `the on-host run died without a result${tail ? `: ${tail}` : ''}`
        : `the on-host run exited ${r.end.rc} without a result${tail ? `: ${tail}` : ''}`;
    case 'result-seen':
      return 'the run gave no result';
  }
}
