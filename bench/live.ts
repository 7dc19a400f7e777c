// Live state of a lab host (real sshd in its own namespaces) with 500 namespaces, built
// by the exported script of a 500-namespace design: a full poll over SSH (wall time,
// bytes, parse time; cold and warm parse cache; 1 and 2 channels), the 1 Hz counters
// poll for rates, status evaluation against the design, and the latency from a kernel
// change to the status batch reaching the API. The machine's load average is recorded
// with the figures (the machine is shared; figures move with it).
import { loadavg } from 'node:os';
import { HostCollector, type ObservationInfo } from '../electron/backend/live/collector';
import { LiveMonitor } from '../electron/backend/live/live-monitor';
import { needsFor } from '../electron/backend/live/needs';
import { compile } from '../shared/compile/compile';
import { hostScript } from '../shared/export/script';
import { evaluateStatus, prepareStatus } from '../shared/observe/status';
import { LabScope } from '../tests/support/lab-ssh';
import { labHostSkipReason } from '../tests/support/labhost';
import { starDesign } from './designs';
import { round, type Figure } from './measure';

const N = Number(process.env['LIVE_BENCH_NAMESPACES'] ?? 500);

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: round(at(0.5)), p95: round(at(0.95)) };
}

function load(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
}

function fig(name: string, unit: string, xs: number[], target?: number, notes?: string, cpu?: number[]): Figure {
  const f: Figure = { name, unit, ...stats(xs), runs: xs.length, target, ...(notes ? { notes } : {}) };
  if (cpu) {
    // Judged on CPU time when given: on a shared, loaded machine the wall time mostly says how long we waited for a core.
    const c = stats(cpu);
    f.cpuMedian = c.median;
    f.cpuP95 = c.p95;
  }
  return f;
}

export async function benchLive(): Promise<Figure[]> {
  const skip = labHostSkipReason();
  if (skip) return [{ name: 'live: skipped', unit: '', median: 0, p95: 0, runs: 0, notes: skip }];
  const figures: Figure[] = [];
  const scope = new LabScope();
  try {
    const lab = await scope.lab();
    const ex = scope.executor(lab);
    const design = starDesign(N);
    const c = compile(design);
    if (!c.ok) throw new Error('bench design does not compile');
    const hostId = design.hosts[0]!.id;
    const t0 = performance.now();
    const up = await ex.run('bash -s -- up', { stdin: hostScript(c.plan, c.plan.hosts[0]!), timeoutMs: 900_000 });
    if (up.code !== 0) throw new Error(`script up failed: ${up.stderr.slice(-500)}`);
    console.log(`  lab host with ${N} namespaces built in ${((performance.now() - t0) / 1000).toFixed(1)} s; load ${load()}`);
    const model = prepareStatus(design, c.plan, hostId);
    const needs = needsFor(model, design);
    const loadBefore = load();

    // Full polls: cold (fresh collector, empty parse cache) and warm (same collector).
    for (const maxParallel of [1, 2]) {
      const cold: ObservationInfo[] = [];
      for (let i = 0; i < 4; i++) {
        const col = new HostCollector({ executor: ex, needs, monitor: false, ratesPollMs: 0, fullPollMs: 3_600_000, maxParallel });
        const off = col.onObservation(({ info }) => cold.push(info));
        col.start();
        await col.pollNow();
        off();
        await col.stop();
      }
      const col = new HostCollector({ executor: ex, needs, monitor: false, ratesPollMs: 0, fullPollMs: 3_600_000, maxParallel });
      const warm: ObservationInfo[] = [];
      col.onObservation(({ info }) => warm.push(info));
      col.start();
      for (let i = 0; i < 6; i++) await col.pollNow();
      const host = col.observed!;
      await col.stop();
      const w = warm.slice(1);
      const ch = cold[0]!.channels - 1;
      figures.push(
        fig(`live: full poll wall time, ${N} ns, ${ch} channel${ch > 1 ? 's' : ''} (ssh)`, 'ms', cold.map((x) => x.wallMs).concat(w.map((x) => x.wallMs)), 1500, `${cold[0]!.namespaces.length} namespaces read, one ip process each; load ${loadBefore}`),
      );
      if (maxParallel === 2) {
        const cpu = [...cold, ...w].map((x) => x.hostCpuMs ?? 0);
        figures.push(
          fig(`live: full poll CPU time on the host, ${N} ns`, 'ms', cpu, undefined, `all processes of the poll (shell, ip x${cold[0]!.namespaces.length}, nft); on an idle 2-core host the wall time floor is about half of this`),
        );
        figures.push(fig(`live: full poll bytes transferred, ${N} ns`, 'KiB', cold.map((x) => x.bytes / 1024), undefined, 'stdout of the poll programs (uncompressed)'));
        figures.push(fig(`live: full poll parse, cold cache, ${N} ns`, 'ms', cold.map((x) => x.parseMs), 50, `${cold[0]!.cacheMisses} namespaces parsed; CPU = this process's CPU time for the parse`, cold.map((x) => x.parseCpuMs)));
        figures.push(fig(`live: full poll parse, warm cache, ${N} ns`, 'ms', w.map((x) => x.parseMs), 50, `unchanged namespaces reused; median ${stats(w.map((x) => x.cacheMisses)).median} re-parsed`, w.map((x) => x.parseCpuMs)));
        const evals: number[] = [];
        for (let i = 0; i < 7; i++) {
          const s = performance.now();
          const st = evaluateStatus(model, host);
          evals.push(performance.now() - s);
          if (i === 0 && st.elements.some((e) => e.presence !== 'present')) console.log(`  note: ${st.elements.filter((e) => e.presence !== 'present').length} elements not present`);
        }
        figures.push(fig(`live: status evaluation against the design, ${N} ns`, 'ms', evals, undefined, `${model.targets.length + model.veths.size} elements`));
      }
    }

    // The 1 Hz counters poll (rates for every link).
    {
      const col = new HostCollector({ executor: ex, needs, monitor: false, ratesPollMs: 1000, fullPollMs: 3_600_000 });
      const rates: ObservationInfo[] = [];
      await new Promise<void>((resolve) => {
        col.onObservation(({ info }) => {
          if (info.kind === 'rates') rates.push(info);
          if (rates.length >= 8) resolve();
        });
        col.start();
      });
      await col.stop();
      figures.push(fig(`live: rates poll (counters of every link), ${N} ns`, 'ms', rates.map((x) => x.wallMs + x.parseMs), 100, `${stats(rates.map((x) => x.bytes / 1024)).median} KiB per poll; root-side veth counters mirror the namespace ends`));
    }

    // Change -> status batch at the API.
    {
      const mon = new LiveMonitor({ executorFor: async () => ex, collector: { fullPollMs: 3_600_000, ratesPollMs: 1000 } });
      const waiters = new Set<(u: { elements: { elementId: string; operState?: string }[] }) => void>();
      mon.onLiveStatus((u) => {
        for (const w of [...waiters]) w(u);
      });
      const ready = new Promise<void>((resolve) => {
        const off = mon.onLiveStatus((u) => {
          if (u.replace && u.elements.length > 0) {
            off();
            resolve();
          }
        });
      });
      await mon.watch(design);
      await ready;
      const fromStart: number[] = [];
      const fromEnd: number[] = [];
      const monitorToApi: number[] = [];
      const reread: number[] = [];
      const evaluation: number[] = [];
      let watchNs = '';
      const live = mon.host(hostId)!;
      live.collector.onObservation(({ info }) => {
        if (info.kind !== 'partial' || !info.namespaces.includes(watchNs)) return;
        reread.push(info.wallMs + info.parseMs);
        if (live.lastEvaluation?.info === info) evaluation.push(live.lastEvaluation.ms);
      });
      for (let i = 0; i < 12; i++) {
        const k = (i * 37) % N;
        watchNs = `n${k}`;
        for (const state of ['down', 'up'] as const) {
          const want = state === 'down' ? 'down' : 'up';
          const seen = new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no status for l${k}.a ${want} within 5 s`)), 5000);
            const w = (u: { elements: { elementId: string; operState?: string }[] }) => {
              if (u.elements.some((e) => e.elementId === `l${k}.a` && e.operState === want)) {
                clearTimeout(timer);
                waiters.delete(w);
                resolve(performance.now());
              }
            };
            waiters.add(w);
          });
          let firstEvent: number | undefined;
          const offMon = mon.host(hostId)!.collector.onMonitor((line) => {
            firstEvent ??= performance.now();
            void line;
          });
          const s = performance.now();
          await lab.exec(`ip -n n${k} link set eth0 ${state}${state === 'up' ? ` && ip -n n${k} route replace default via 10.${k % 10}.0.1` : ''}`);
          const e = performance.now();
          const at = await seen;
          offMon();
          if (state === 'down') {
            fromStart.push(at - s);
            fromEnd.push(at - e);
            if (firstEvent !== undefined) monitorToApi.push(at - firstEvent);
          }
        }
      }
      await mon.close();
      figures.push(fig(`live: kernel change -> status batch at the API, ${N} ns (upper bound)`, 'ms', fromStart, 200, 'from the start of the `ip link set down` (incl. nsenter + ip startup) to the batch'));
      figures.push(fig(`live: kernel change -> status batch at the API, ${N} ns (lower bound)`, 'ms', fromEnd, 200, 'from the end of that command'));
      figures.push(fig(`live: first monitor line -> status batch, ${N} ns`, 'ms', monitorToApi, undefined, 're-read of the namespace + status evaluation + coalescing'));
      figures.push(fig(`live: event-triggered re-read of one namespace (ssh exec + ip + parse), ${N} ns`, 'ms', reread));
      figures.push(fig(`live: incremental status evaluation after it, ${N} ns`, 'ms', evaluation));
    }
    for (const f of figures) f.notes = `${f.notes ? `${f.notes}; ` : ''}load avg now ${load()}`;
  } finally {
    await scope.cleanup();
  }
  return figures;
}
