// Several hosts at once: everything is checked first (a refusal anywhere stops the whole
// apply before any host changes), then the hosts run in parallel; if one fails, the
// others undo what THIS apply did on them (unless the caller keeps partial state).
import type { HostPlan, Plan } from '../../../shared/compile/plan';
import { executePrepared, prepareHost, type ApplyHostOptions, type HostApplyReport, type HostTarget, type PreparedHost } from './apply-host';
import { installPersistence } from './persist';
import { revertRun } from './revert-host';

export interface HostJob {
  host: HostPlan;
  target: HostTarget;
}

export interface MultiApplyResult {
  reports: HostApplyReport[];
  /** Every host converged (or had nothing to do). */
  ok: boolean;
}

const good = (r: HostApplyReport) => r.outcome.kind === 'converged';

export async function applyHosts(plan: Plan, jobs: readonly HostJob[], o: ApplyHostOptions = {}): Promise<MultiApplyResult> {
  const prepared = await Promise.all(jobs.map((j) => prepareHost(plan, j.host, j.target, o)));
  const early = prepared.filter((p): p is { report: HostApplyReport } => 'report' in p).map((p) => p.report);
  const blocked = early.filter((r) => !good(r) && r.outcome.kind !== 'planned');
  if (blocked.length || o.dryRun) {
    // Nothing has changed anywhere: say so for the hosts that were ready.
    const reports = prepared.map((p) => {
      if ('report' in p) return p.report;
      const r = p.ready.report;
      r.outcome = { kind: 'refused', reasons: [`not started: ${blocked.map((b) => `host ${b.host.name} ${b.outcome.kind}`).join(', ')}`] };
      return r;
    });
    return { reports, ok: blocked.length === 0 };
  }
  const ready = prepared.filter((p): p is { ready: PreparedHost } => 'ready' in p).map((p) => p.ready);
  const ran = await Promise.all(ready.map((r) => executePrepared(r, o)));
  const reports = [...early, ...ran];
  const failed = ran.filter((r) => !good(r));
  if (failed.length === 0 && o.persist) {
    // Only a lab that converged everywhere is worth rebuilding at boot.
    await Promise.all(jobs.map(async (j) => {
      const r = reports.find((x) => x.host.id === j.host.host.id)!;
      r.persist = await installPersistence(j.target.executor, plan, j.host);
      o.onEvent?.({ host: j.host.host.id, kind: 'output', text: r.persist.ok ? `persistent: ${r.persist.unit} enabled` : `NOT persistent: ${r.persist.error}` });
    }));
    return { reports: order(jobs, reports), ok: reports.every((r) => r.persist?.ok) };
  }
  if (failed.length === 0 || o.keepPartial) return { reports: order(jobs, reports), ok: failed.length === 0 };

  // Roll back what this apply did on the hosts that got there (drifted ones included).
  const reason = `rolled back because ${failed.map((f) => `host ${f.host.name} ${f.outcome.kind}`).join(', ')}`;
  await Promise.all(
    ran.map(async (r, i) => {
      const changedHere = (r.outcome.kind === 'converged' || r.outcome.kind === 'drifted') && r.changed > 0 && r.runId;
      if (!changedHere) return;
      const job = ready[i]!;
      r.outcome = await revertRun(plan, job.host, job.target, r.runId!, reason, { ...(o.onEvent ? { onEvent: o.onEvent } : {}), ...(o.signal ? { signal: o.signal } : {}) });
    }),
  );
  return { reports: order(jobs, reports), ok: false };
}

function order(jobs: readonly HostJob[], reports: HostApplyReport[]): HostApplyReport[] {
  return jobs.map((j) => reports.find((r) => r.host.id === j.host.host.id)!);
}
