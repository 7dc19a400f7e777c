// Destroy: one on-host run that inspects the host under its lock, prunes every object of
// this design the plan does not name (found by ext.sh's leftover finder, as for apply:
// see leftovers.ts), then runs the script's `down` (plan-derived undo, recorded sysctls
// restored). Only Wireplan-owned objects of this design are touched;
// nothing left is success ("already gone").
import { shellCommand } from '../../../shared/export/quote';
import { DESTROY_CLEANUP_SH } from './destroy-cleanup.generated';
import type { HostPlan, Plan } from '../../../shared/compile/plan';
import type { HostExecutor } from '../executor';
import type { HostTarget } from './apply-host';
import { firewallTable } from '../../../shared/compile/compile';
import { upload, uploadAndInspect } from './apply-host';
import { inspectCommand, parseInspect } from './inspect';
import { designObjectsOnHost } from './leftovers';
import { newRunId, remotePaths, type RemotePaths } from './paths';
import { removePersistence } from './persist';
import { missingResult, runOp } from './run-op';
import type { EventSink, HostReport } from './types';

export interface DestroyHostOptions {
  onEvent?: EventSink;
  signal?: AbortSignal;
  reconnectDeadlineMs?: number;
  /** Only report what would be removed. */
  dryRun?: boolean;
}

/** Removes the apply machinery's files when no confirm timer is pending (the lock file stays, as the script leaves it). */
function cleanupCommand(p: RemotePaths): string {
  return shellCommand(['bash', '-c', DESTROY_CLEANUP_SH, 'wp-cleanup', p.runs, p.script, p.ext]);
}

export async function destroyHost(plan: Plan, host: HostPlan, target: HostTarget, o: DestroyHostOptions = {}): Promise<HostReport & { runId?: string; unpersisted?: string[] }> {
  const t0 = performance.now();
  const exec: HostExecutor = target.executor;
  const p = remotePaths(plan.design.tag, host.hash);
  const emit: EventSink = o.onEvent ?? (() => {});
  let unpersisted: string[] | undefined;
  const report = (outcome: HostReport['outcome'], runId?: string) => {
    emit({ host: host.host.id, kind: 'phase', phase: 'done', text: outcome.kind });
    return { host: host.host, outcome, warnings: [], ms: performance.now() - t0, ...(runId ? { runId } : {}), ...(unpersisted ? { unpersisted } : {}) };
  };
  try {
    if (o.dryRun) {
      emit({ host: host.host.id, kind: 'phase', phase: 'inspect', text: 'uploading the plan and reading the host state' });
      const insp = await uploadAndInspect(exec, plan, host, p, 'quick', o);
      if (insp.lockedBy !== undefined) return report({ kind: 'locked', holder: insp.lockedBy });
      return report({ kind: 'planned', missing: [], orphans: designObjectsOnHost(host, insp) });
    }
    // The on-host run inspects the host itself, once, under its lock (orphans included):
    // listing every namespace here first would only be repeated there.
    emit({ host: host.host.id, kind: 'phase', phase: 'inspect', text: 'uploading the plan' });
    await upload(exec, plan, host, p, o);
    const runId = newRunId();
    const run = await runOp(exec, p, host, { runId, op: 'destroy', args: [firewallTable(plan.design.tag)], input: '' }, {
      hostId: host.host.id,
      ...(o.onEvent ? { onEvent: o.onEvent } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      reconnectDeadlineMs: o.reconnectDeadlineMs ?? 600_000,
    });
    const result = run.fold.result?.result;
    if (result === 'locked') return report({ kind: 'locked', holder: run.fold.lockHolder() }, runId);
    if (result !== 'removed') return report({ kind: 'failed', error: result ? `down ended with "${result}": ${run.fold.output.slice(-5).join(' | ')}` : (missingResult(run) ?? 'no result'), runId }, runId);
    if (run.end.kind === 'ended' && run.end.rc !== 0) return report({ kind: 'failed', error: `removing leftovers failed (exit ${run.end.rc}): ${run.fold.output.slice(-5).join(' | ')}`, runId }, runId);
    emit({ host: host.host.id, kind: 'phase', phase: 'verifying', text: 'checking that nothing of the design is left' });
    const after = await exec.run(inspectCommand(p, plan.design.tag, 'quick'));
    const check = parseInspect(after.stdout, host);
    if (check.lockedBy !== undefined) return report({ kind: 'failed', error: `down finished, but another run took the lock before the check (${check.lockedBy})`, runId }, runId);
    const left = designObjectsOnHost(host, check);
    if (left.length) return report({ kind: 'failed', error: `still on the host after destroy: ${left.join(', ')}`, runId }, runId);
    await exec.run(cleanupCommand(p)).catch(() => undefined);
    // A boot unit left behind would build the lab again at the next boot (apply --persist).
    unpersisted = await removePersistence(exec, plan.design.tag);
    const nothingToDo = run.fold.undone === 0 && run.fold.pruned.length === 0;
    return report({ kind: 'removed', undone: run.fold.undone, pruned: run.fold.pruned, nothingToDo, runId }, runId);
  } catch (e) {
    return report({ kind: 'failed', error: (e as Error).message });
  }
}

