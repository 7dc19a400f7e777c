// Undoing one earlier run on a host (a multi-host apply where another host failed): the
// host replays that run's own log backwards with the script's rollback, touching only
// the steps that run executed. Detached and followed like any run.
import type { HostPlan, Plan } from '../../../shared/compile/plan';
import type { HostTarget } from './apply-host';
import { newRunId, remotePaths, runDir } from './paths';
import { missingResult, runOp } from './run-op';
import type { EventSink, HostOutcome } from './types';

export interface RevertOptions {
  onEvent?: EventSink;
  signal?: AbortSignal;
  reconnectDeadlineMs?: number;
}

export async function revertRun(plan: Plan, host: HostPlan, target: HostTarget, runId: string, reason: string, o: RevertOptions = {}): Promise<HostOutcome> {
  const p = remotePaths(plan.design.tag, host.hash);
  try {
    const run = await runOp(
      target.executor,
      p,
      host,
      { runId: newRunId(), op: 'revert', args: [`${runDir(p, runId)}/log`], input: '' },
      { hostId: host.host.id, ...(o.onEvent ? { onEvent: o.onEvent } : {}), ...(o.signal ? { signal: o.signal } : {}), reconnectDeadlineMs: o.reconnectDeadlineMs ?? 600_000 },
    );
    const result = run.fold.result?.result;
    if (result === 'rolled-back' || result === 'nothing-to-revert') return { kind: 'reverted', reason, runId };
    return { kind: 'failed', error: `revert of run ${runId} did not complete: ${result ?? missingResult(run)}; ${run.fold.output.slice(-5).join(' | ')}`, runId };
  } catch (e) {
    return { kind: 'failed', error: `revert of run ${runId} failed: ${(e as Error).message}`, runId };
  }
}
