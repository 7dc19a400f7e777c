// Apply and destroy requests: the backend recompiles the design it is sent and never runs
// a plan it was given; a plan hash that differs from what the user previewed refuses the
// run (the preview was stale). Accepted runs go to the engine with their own id and abort
// signal; their progress is stamped and fanned out to every subscriber.
import { randomBytes } from 'node:crypto';
import type { ApplyRequest, DestroyRequest, RunProgressEvent, RunStart } from '../../../shared/api/contract';
import { compile } from '../../../shared/compile/compile';
import type { HostPlan, Plan } from '../../../shared/compile/plan';
import { parseDesign } from '../../../shared/model/parse';
import type { Design } from '../../../shared/model/schema';
import { describeLoadFailure } from '../designFile';
import type { HostExecutor } from '../executor';
import { NOT_AVAILABLE, type Engines, type RunEngine, type RunJob, type RunProgressDraft } from './engines';

type RunOptions = Pick<RunJob, 'keepPartial' | 'allowManagementChange' | 'confirmWithinS' | 'persist'>;

export interface RunManagerDeps {
  engines: Engines;
  executor(design: Design, hostId: string): Promise<HostExecutor>;
  freshExecutor(design: Design, hostId: string): Promise<HostExecutor>;
  emit(event: RunProgressEvent): void;
  now?: () => Date;
}

type Prepared = { ok: true; design: Design; plan: Plan; hosts: HostPlan[] } | { ok: false; error: string };

/** Run ids: time first (sortable), then randomness; matches the contract's cancelRun validation. */
export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
}

/** Parses and compiles the design; selects the hosts. Pure apart from the compiler. */
export function prepareRun(designText: string, hostIds: readonly string[] | undefined): Prepared {
  const loaded = parseDesign(designText);
  if (!loaded.ok) return { ok: false, error: describeLoadFailure('the design', loaded) };
  const compiled = compile(loaded.design);
  if (!compiled.ok) {
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
    const lines = errors.slice(0, 10).map((d) => `  ${d.message}`);
    if (errors.length > 10) lines.push(`  ... and ${errors.length - 10} more`);
    return { ok: false, error: ['the design has errors; fix them first:', ...lines].join('\n') };
  }
  const plan = compiled.plan;
  if (hostIds === undefined) return { ok: true, design: loaded.design, plan, hosts: plan.hosts };
  const unknown = hostIds.filter((id) => !plan.hosts.some((h) => h.host.id === id));
  if (unknown.length) return { ok: false, error: `the design has no host ${unknown.map((u) => `"${u}"`).join(', ')}` };
  if (hostIds.length === 0) return { ok: false, error: 'no hosts selected' };
  return { ok: true, design: loaded.design, plan, hosts: plan.hosts.filter((h) => hostIds.includes(h.host.id)) };
}

/** Every selected host's plan must be the one the user previewed. */
export function checkPlanHashes(hosts: readonly HostPlan[], previewed: Readonly<Record<string, string>>): string | undefined {
  for (const h of hosts) {
    const seen = previewed[h.host.id];
    if (seen === undefined) return `no previewed plan for host ${h.host.name}: review its plan before applying`;
    if (seen !== h.hash) return `the plan for host ${h.host.name} changed since it was previewed (the backend compiled ${h.hash.slice(0, 12)}, the preview showed ${seen.slice(0, 12)}): review the new plan and apply again`;
  }
  return undefined;
}

export class RunManager {
  private readonly active = new Map<string, AbortController>();
  private shuttingDown = false;

  constructor(private readonly deps: RunManagerDeps) {}

  apply(req: ApplyRequest): Promise<RunStart> {
    const prepared = prepareRun(req.designText, req.hostIds);
    if (!prepared.ok) return Promise.resolve(prepared);
    const stale = checkPlanHashes(prepared.hosts, req.planHashes);
    if (stale) return Promise.resolve({ ok: false, error: stale });
    const sandboxes = prepared.hosts.filter((h) => prepared.design.hosts.find((x) => x.id === h.host.id)?.target.kind === 'sandbox');
    if (req.persist && sandboxes.length) return Promise.resolve({ ok: false, error: `a lab that survives a reboot needs an SSH host: ${sandboxes.map((h) => h.host.name).join(', ')} is a local sandbox, which nothing rebuilds at boot` });
    return this.start('apply', this.deps.engines.apply, prepared, {
      keepPartial: req.keepPartial ?? false,
      ...(req.persist ? { persist: true } : {}),
      allowManagementChange: req.allowManagementChange ?? false,
      ...(req.confirmWithinS !== undefined ? { confirmWithinS: req.confirmWithinS } : {}),
    });
  }

  destroy(req: DestroyRequest): Promise<RunStart> {
    const prepared = prepareRun(req.designText, req.hostIds);
    if (!prepared.ok) return Promise.resolve(prepared);
    return this.start('destroy', this.deps.engines.destroy, prepared, { keepPartial: false, allowManagementChange: false });
  }

  cancel(runId: string): void {
    this.active.get(runId)?.abort(new Error('canceled by the user'));
  }

  /** Cancels every run and waits for nothing more: engines clean up on their abort signal. */
  shutdown(): void {
    this.shuttingDown = true;
    for (const ctl of this.active.values()) ctl.abort(new Error('the app is shutting down'));
  }

  get running(): number {
    return this.active.size;
  }

  private async start(kind: 'apply' | 'destroy', engine: RunEngine | undefined, p: Extract<Prepared, { ok: true }>, options: RunOptions): Promise<RunStart> {
    if (!engine) return { ok: false, error: NOT_AVAILABLE[kind] };
    if (this.shuttingDown) return { ok: false, error: 'the app is shutting down' };
    const runId = newRunId();
    const ctl = new AbortController();
    this.active.set(runId, ctl);
    const now = this.deps.now ?? (() => new Date());
    const finished = new Set<string>();
    const progress = (e: RunProgressDraft) => {
      if (e.phase === 'done' || e.phase === 'failed' || e.phase === 'canceled') finished.add(e.hostId);
      this.deps.emit({ ...e, runId, kind, at: now().toISOString() });
    };
    let began = false;
    // Every host gets a final event with a typed outcome, even when the engine forgot it or threw.
    const settleUnfinished = (message: string) => {
      for (const h of p.hosts) {
        if (finished.has(h.host.id)) continue;
        // Canceled once the engine had begun: something may have started on the host (say so).
        if (ctl.signal.aborted) progress({ hostId: h.host.id, phase: 'canceled', message, outcome: { kind: 'canceled', startedOnHost: began, detail: message } });
        else progress({ hostId: h.host.id, phase: 'failed', message, outcome: { kind: 'failed', error: message } });
      }
    };
    const job: RunJob = {
      runId,
      kind,
      design: p.design,
      plan: p.plan,
      hosts: p.hosts,
      ...options,
      signal: ctl.signal,
      executor: (hostId: string) => this.deps.executor(p.design, hostId),
      freshExecutor: (hostId: string) => this.deps.freshExecutor(p.design, hostId),
      progress,
    };
    // Started after the caller has its run id, so its listener sees every event.
    setImmediate(() => {
      Promise.resolve()
        .then(() => {
          ctl.signal.throwIfAborted(); // canceled before it began
          began = true;
          return engine.run(job);
        })
        .then(
          () => settleUnfinished('the engine ended without a result for this host'),
          (e: unknown) => settleUnfinished(e instanceof Error ? e.message : String(e)),
        )
        .finally(() => this.active.delete(runId))
        // Nothing above rejects (progress never throws); kept so a run can never become an
        // unhandled rejection of the backend process.
        .catch(() => undefined);
    });
    return { ok: true, runId };
  }
}
