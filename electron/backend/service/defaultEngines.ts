// The app's engines behind the service's seam: apply and destroy from
// electron/backend/apply/service-engine.ts (the apply engine's own adapter), and the live
// monitor from electron/backend/live, adapted here (it needs the service's executors for
// the design it watches, so the sandbox it observes is the one apply configured).
import type { Design } from '../../../shared/model/schema';
import { applyEngine, destroyEngine } from '../apply/service-engine';
import { LiveMonitor } from '../live/live-monitor';
import type { EngineContext, Engines, LiveEngine } from './engines';

export function liveEngine(ctx: EngineContext): LiveEngine {
  let watched: Design | undefined;
  const monitor = new LiveMonitor({
    executorFor: (host) => (watched ? ctx.executor(watched, host) : Promise.reject(new Error('no design is being watched'))),
    log: ctx.log,
  });
  return {
    watch: async (design, hostIds) => {
      watched = design;
      await monitor.watch(design, hostIds);
    },
    unwatch: async () => {
      await monitor.unwatch();
      watched = undefined;
    },
    status: (hostIds) => monitor.status(hostIds),
    subscribe: (sink) => monitor.subscribe(sink),
    close: () => monitor.close(),
  };
}

/** The engines of the desktop app and `wireplan serve`. */
export function defaultEngines(ctx: EngineContext): Engines {
  return { apply: applyEngine, destroy: destroyEngine, live: liveEngine(ctx) };
}
