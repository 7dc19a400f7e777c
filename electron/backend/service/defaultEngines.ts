// The app's engines behind the service's seam: apply and destroy from
// electron/backend/apply/service-engine.ts (the apply engine's own adapter), and the live
// monitor from electron/backend/live, adapted here (it needs the service's executors for
// the design it watches, so the sandbox it observes is the one apply configured).
import { applyEngine, destroyEngine } from '../apply/service-engine';
import { LiveMonitor } from '../live/live-monitor';
import { runCheck } from '../check/run-check';
import type { HostExecutor } from '../executor';
import type { CheckEngine, EngineContext, Engines, LiveEngine } from './engines';

export function liveEngine(ctx: EngineContext): LiveEngine {
  const monitor = new LiveMonitor({
    // The executor of the design each watch is for (its sandbox is per design tag), even
    // when the page has asked to watch another design meanwhile.
    executorFor: (host, design) => ctx.executor(design, host),
    log: ctx.log,
  });
  return {
    watch: (design, hostIds) => monitor.watch(design, hostIds),
    unwatch: () => monitor.unwatch(),
    status: (hostIds) => monitor.status(hostIds),
    subscribe: (sink) => monitor.subscribe(sink),
    close: () => monitor.close(),
  };
}

/**
 * The connectivity check (electron/backend/check) on the service's shared executors: the
 * sandbox it probes is the one apply configured. Every design host gets an executor
 * (probes from one host may need listeners on another); one that cannot be reached is
 * named in the report's notes and its probes are reported as not checked.
 */
export const checkEngine: CheckEngine = {
  async run(job) {
    const executors = new Map<string, HostExecutor>();
    const unreachable: string[] = [];
    await Promise.all(
      job.design.hosts.map(async (h) => {
        try {
          executors.set(h.id, await job.executor(h.id));
        } catch (e) {
          unreachable.push(`host "${h.name}" could not be reached: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
    const r = await runCheck(job.design, executors, {
      signal: job.signal,
      ...(job.hostIds ? { hosts: job.hostIds } : {}),
      ...(job.maxProbes !== undefined ? { maxProbes: job.maxProbes } : {}),
    });
    if (!r.ok) {
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      return { ok: false, error: ['the check cannot model this design:', ...(errors.length ? errors : r.diagnostics).slice(0, 10).map((d) => `  ${d.message}`)].join('\n') };
    }
    r.report.notes.push(...unreachable);
    return { ok: true, report: r.report };
  },
};

/** The engines of the desktop app and `wireplan serve`. */
export function defaultEngines(ctx: EngineContext): Engines {
  return { apply: applyEngine, destroy: destroyEngine, live: liveEngine(ctx), check: checkEngine };
}
