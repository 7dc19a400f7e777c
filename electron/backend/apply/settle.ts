// How an apply run ends, once its log has a result: failure kinds straight from the log;
// on success the commit-confirmed handshake (if asked) and the verification with the
// script's own probes (the status the run printed first, then bounded re-checks).
import type { HostPlan } from '../../../shared/compile/plan';
import type { ApplyHostOptions, HostTarget } from './apply-host';
import { confirmOverFreshConnection, timerState, waitForTimer } from './confirm';
import { parseStatus } from './inspect';
import type { RemotePaths } from './paths';
import { withReconnect } from './remote';
import { missingResult, type OpRun } from './run-op';
import type { HostOutcome, StepStatus } from './types';
import { verify } from './verify';

export async function settle(
  run: OpRun,
  runId: string,
  target: HostTarget,
  p: RemotePaths,
  host: HostPlan,
  o: ApplyHostOptions,
  phase: (ph: 'verifying' | 'confirming', text: string) => void,
): Promise<HostOutcome> {
  const { fold } = run;
  const result = fold.result?.result;
  const stderr = fold.outputBeforeRollback.join('\n');
  const failedStep = fold.failed ? { failedStep: fold.failed } : {};
  switch (result) {
    case 'rolled-back':
      return { kind: 'rolled-back', ...failedStep, stderr, runId };
    case 'partial':
      return { kind: 'partial', ...failedStep, stderr, runId };
    case 'locked':
      return { kind: 'locked', holder: fold.lockHolder() };
    case 'converged':
      break;
    case undefined:
      return { kind: 'failed', error: missingResult(run) ?? 'no result', runId };
    default:
      return { kind: 'failed', error: `the run ended with "${result}": ${fold.output.slice(-5).join(' | ')}`, runId };
  }
  const changed = fold.result?.changed ?? fold.ran.length;
  let confirmed: boolean | undefined;
  if (o.confirmWithinS !== undefined) {
    phase('confirming', `confirming over a fresh connection (the host reverts by itself after ${o.confirmWithinS} s otherwise)`);
    const { answer, error } = await confirmOverFreshConnection(target.fresh!, run.handle.dir);
    if (answer === 'confirmed') confirmed = true;
    else {
      // Not confirmed: the host undoes the run by itself. Wait for it to say so.
      const reason = answer === 'unreachable' ? `a fresh connection failed (${error ?? 'unknown error'})` : `the confirm was not accepted (${answer})`;
      const waitMs = o.confirmWithinS * 1000 + 120_000;
      const state = await withReconnect(() => waitForTimer(target.executor, run.handle.dir, waitMs, o.signal), { deadlineMs: waitMs, ...(o.signal ? { signal: o.signal } : {}) }).catch(() => 'unknown' as const);
      if (state === 'reverted') {
        const t = await timerState(target.executor, run.handle.dir).catch(() => undefined);
        return { kind: 'reverted', reason: `not confirmed within ${o.confirmWithinS} s: ${reason}; the host undid this run by itself${t?.revertRc && t.revertRc !== '0' ? ` (revert exit ${t.revertRc}: ${t.revertLog ?? ''})` : ''}`, runId };
      }
      return { kind: 'failed', error: `not confirmed (${reason}), and the host's revert could not be observed (timer state ${state}); it reverts by itself ${o.confirmWithinS} s after the run ended`, runId };
    }
  }
  if (o.verify !== false) {
    phase('verifying', 'observing the host again');
    let first: StepStatus[] | undefined;
    try {
      if (fold.status.length) first = parseStatus(fold.status.join('\n'), host);
    } catch {
      first = undefined; // an unexpected listing: ask the host again
    }
    const diff = await verify(target.executor, p, host, { ...(o.signal ? { signal: o.signal } : {}), ...(first ? { firstStatus: first } : {}) });
    if (diff.length) return { kind: 'drifted', differences: diff, changed, runId };
  }
  return { kind: 'converged', changed, nothingToDo: false, pruned: fold.pruned, ...(confirmed !== undefined ? { confirmed } : {}), runId };
}
