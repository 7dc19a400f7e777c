// The apply engine behind the backend service's RunEngine seam (service/engines.ts): the
// service validates, recompiles and hands over the hosts; this runs them and reports in
// the contract's terms. Registering it is one line in loadEngines():
//   return { apply: applyEngine, destroy: destroyEngine };
// (Commit-confirmed is not offered there yet: RunJob has no confirm window nor a way to
// open a fresh connection, so a plan touching the management path is refused.)
import type { RunEngine, RunJob, RunProgressDraft } from '../service/engines';
import type { HostTarget } from './apply-host';
import { destroyHost } from './destroy-host';
import { applyHosts } from './multi-host';
import { describeOutcome } from './summary';
import type { ApplyEvent, HostOutcome } from './types';

export function toProgress(e: ApplyEvent): RunProgressDraft | undefined {
  const step = { ...(e.stepId ? { stepId: e.stepId } : {}), ...(e.index !== undefined ? { stepIndex: e.index } : {}), ...(e.total !== undefined ? { stepCount: e.total } : {}) };
  const msg = e.description || e.text;
  const base = { hostId: e.host, ...step, ...(msg ? { message: msg } : {}) };
  switch (e.kind) {
    case 'step-start':
      return { ...base, phase: 'running', status: 'started' };
    case 'step-done':
      return { ...base, phase: 'running', status: 'ok' };
    case 'step-present':
      return { ...base, phase: 'running', status: 'skipped' };
    case 'step-failed':
      return { ...base, phase: 'running', status: 'failed' };
    case 'undo':
      return { ...base, phase: 'rolling-back', status: 'rolled-back' };
    case 'output':
      return { ...base, phase: 'running', ...(e.text ? { output: e.text } : {}) };
    case 'result':
      return undefined; // the final done/failed event carries the outcome
    case 'phase':
      if (e.phase === 'done') return undefined;
      return { ...base, phase: e.phase === 'preflight' || e.phase === 'inspect' ? 'preflight' : e.phase === 'verifying' ? 'verifying' : e.phase === 'reverting' ? 'rolling-back' : 'running' };
  }
}

function final(hostId: string, o: HostOutcome): RunProgressDraft {
  const d = describeOutcome(o);
  return { hostId, phase: d.ok ? 'done' : 'failed', message: d.text };
}

async function targets(job: RunJob): Promise<Map<string, HostTarget>> {
  const out = new Map<string, HostTarget>();
  for (const h of job.hosts) out.set(h.host.id, { executor: await job.executor(h.host.id) });
  return out;
}

export const applyEngine: RunEngine = {
  async run(job) {
    const t = await targets(job);
    const onEvent = (e: ApplyEvent) => {
      const p = toProgress(e);
      if (p) job.progress(p);
    };
    const r = await applyHosts(
      job.plan,
      job.hosts.map((h) => ({ host: h, target: t.get(h.host.id)! })),
      { keepPartial: job.keepPartial, allowManagementChange: job.allowManagementChange, signal: job.signal, onEvent },
    );
    for (const rep of r.reports) job.progress(final(rep.host.id, rep.outcome));
  },
};

export const destroyEngine: RunEngine = {
  async run(job) {
    const t = await targets(job);
    const onEvent = (e: ApplyEvent) => {
      const p = toProgress(e);
      if (p) job.progress(p);
    };
    await Promise.all(
      job.hosts.map(async (h) => {
        const rep = await destroyHost(job.plan, h, t.get(h.host.id)!, { signal: job.signal, onEvent });
        job.progress(final(h.host.id, rep.outcome));
      }),
    );
  },
};
