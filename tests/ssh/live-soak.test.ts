// Soak: the live monitor against a busy lab host (namespaces with veths on the design's
// bridge added and removed continuously by a bounded loop) for LIVE_SOAK_SECONDS (60 in
// CI; `npm run soak` runs ten minutes). The heap is sampled after a forced GC and must not
// grow; the collector's caches stay bounded by the host's size; batches stay at most ~10
// a second; after stop no channel, no poll and no remote process is left.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshExecutor } from '../../electron/backend/executor';
import { LiveMonitor } from '../../electron/backend/live/live-monitor';
import type { Design } from '../../shared/model/schema';
import { loadExample } from '../support/examples';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { clearMemos, MEMO_LIMIT, memoEntries } from '../../shared/observe/canon';
import { heapTrend } from '../support/heap-trend';
import { LiveRecorder, allPresent, runExported } from '../support/live';

const SECONDS = Number(process.env['LIVE_SOAK_SECONDS'] ?? 60);
const skip = sshLabSkip('live-soak');
const scope = new LabScope();
let lab: LabHost;
let ex: SshExecutor;
let design: Design;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Our remote processes: anything a poll or the monitor channel started. */
async function remoteLeftovers(): Promise<string[]> {
  const r = await lab.exec('ps -eo pid=,args=');
  return r.stdout.split('\n').filter((l) => /wp-monitor|wp-poll|ip -ts monitor|nft monitor|ip -n .* -batch|sleep 1$/.test(l));
}

beforeAll(async () => {
  if (skip) return;
  lab = await scope.lab();
  ex = scope.executor(lab);
  design = loadExample('two-namespaces-nat.wireplan.json');
  await runExported(ex, design, 'lab');
});

afterAll(() => scope.cleanup());

describe('the soak\'s leak check', () => {
  const run = (f: (t: number) => number) => Array.from({ length: 40 }, (_, i) => ({ t: i * 1.5, heap: f(i * 1.5) }));
  const noise = (t: number) => ((t * 7919) % 13) * 20_000; // up to ~250 KB of GC noise
  it('passes a heap that grows while warming up and then stays flat', () => {
    expect(heapTrend(run((t) => 21.5e6 + Math.min(t, 15) * 250_000 + noise(t))).growth).toBeLessThan(2 ** 20);
  });
  it('fails a steady leak of 30 KiB/s that the old early-vs-late median check let through', () => {
    const leak = run((t) => 21.5e6 + t * 30 * 1024 + noise(t));
    expect(heapTrend(leak).growth).toBeGreaterThan(2 ** 20);
  });
  it('needs enough samples to judge', () => {
    expect(() => heapTrend(run(() => 1).slice(0, 6))).toThrow(/too few heap samples/);
  });
});

describe.skipIf(skip)(`live monitor soak (${SECONDS} s, busy host)`, () => {
  it(
    'keeps memory flat, caches bounded, batches coalesced, and leaves nothing behind',
    async () => {
      const rec = new LiveRecorder(200);
      let batches = 0;
      let maxPerSecond = 0;
      const window: number[] = [];
      const mon = new LiveMonitor({ executorFor: async () => ex, collector: { fullPollMs: 2000, ratesPollMs: 1000 } });
      mon.onLiveStatus((u) => {
        rec.live(u);
        batches++;
        const now = performance.now();
        window.push(now);
        while (window.length && window[0]! < now - 1000) window.shift();
        maxPerSecond = Math.max(maxPerSecond, window.length);
      });
      mon.onHostStatus(rec.host);
      await mon.watch(design);
      const ids = mon.elements('lab').map((e) => e.elementId);
      await rec.waitFor('all present', (r) => allPresent(r, ids), 30_000); // a hang guard
      const collector = mon.host('lab')!.collector;

      // The busy host: 8 namespace slots recycled as fast as the kernel allows (paced 20 ms).
      const churn = lab.exec(
        [
          `end=$((SECONDS + ${SECONDS})); i=0`,
          // Its output goes nowhere: the harness would keep it in this process's memory.
          'exec 3>&1 >/dev/null 2>&1',
          'while (( SECONDS < end )); do',
          '  k=$((i % 8)); ns=churn$k',
          '  ip netns del $ns 2>/dev/null',
          '  ip netns add $ns && ip link add c$k type veth peer name eth0 netns $ns && ip link set c$k master br0 up',
          '  ip -n $ns link set eth0 up; ip -n $ns addr add 10.0.0.$((100 + k))/24 dev eth0',
          '  i=$((i + 1)); sleep 0.02',
          'done',
          'for k in 0 1 2 3 4 5 6 7; do ip netns del churn$k 2>/dev/null; done',
          'echo $i >&3',
        ].join('\n'),
      );
      const samples: { t: number; heap: number; cached: number; rates: number; channels: number }[] = [];
      const t0 = performance.now();
      let maxMemo = 0;
      const sample = () => {
        // The address memo caches fill up to their bound by design here (every new veth
        // brings new link-local addresses): bounded is checked below; the heap is judged without them.
        maxMemo = Math.max(maxMemo, memoEntries());
        clearMemos();
        gc();
        const d = collector.diagnostics;
        samples.push({ t: (performance.now() - t0) / 1000, heap: process.memoryUsage().heapUsed, cached: d.cachedNamespaces, rates: d.rateEntries, channels: d.monitorChannels });
      };
      const timer = setInterval(sample, Math.max(1000, (SECONDS * 1000) / 40));
      const done = await churn;
      clearInterval(timer);
      sample();
      const iterations = Number(done.stdout.trim());
      const diag = collector.diagnostics;
      await mon.close();

      const trend = heapTrend(samples);
      const mib = (b: number) => (b / 2 ** 20).toFixed(2);
      const perCycle = (trend.growth / Math.max(1, iterations)) * (SECONDS / Math.max(1, trend.window));
      console.log(
        `[live-soak] ${SECONDS} s, ${iterations} namespace add/remove cycles, ${batches} batches (max ${maxPerSecond}/s), monitor ${JSON.stringify(diag.monitor)}; heap ${mib(samples[0]!.heap)} -> ${mib(samples.at(-1)!.heap)} MiB, after warm-up ${(trend.slope / 1024).toFixed(2)} KiB/s (${mib(trend.growth)} MiB over ${trend.window.toFixed(0)} s, ~${perCycle.toFixed(0)} B per cycle); max cached namespaces ${Math.max(...samples.map((s) => s.cached))}, max rate entries ${Math.max(...samples.map((s) => s.rates))}, max channels ${Math.max(...samples.map((s) => s.channels))}, max memo entries ${maxMemo}`,
      );
      console.log(`[live-soak] heap after GC (MiB) every ${(samples[1]!.t - samples[0]!.t).toFixed(1)} s: ${samples.map((x) => mib(x.heap)).join(' ')}`);
      expect(iterations).toBeGreaterThan(SECONDS); // the host really was busy
      // After the warm-up the heap must be flat: less than 1 MiB gained over the judged
      // window (60 s run: a leak of ~25 KiB/s, ~1.5 KiB per churn cycle, fails; the
      // ten-minute soak is ten times as sensitive).
      expect(trend.growth, `heap keeps growing after warm-up: ${(trend.slope / 1024).toFixed(2)} KiB/s`).toBeLessThan(2 ** 20);
      expect(maxMemo).toBeLessThanOrEqual(3 * MEMO_LIMIT);
      expect(Math.max(...samples.map((s) => s.cached))).toBeLessThanOrEqual(3 + 8);
      expect(Math.max(...samples.map((s) => s.channels))).toBeLessThanOrEqual(2);
      expect(maxPerSecond).toBeLessThanOrEqual(11);
      expect(collector.diagnostics.monitorChannels).toBe(0);
      expect(collector.diagnostics.inflightPolls).toBe(0);
      // Remote processes end with their channel (the monitor's heartbeat notices within ~1 s).
      const deadline = performance.now() + 5000;
      let left = await remoteLeftovers();
      while (left.length > 0 && performance.now() < deadline) left = await remoteLeftovers();
      expect(left).toEqual([]);
    },
    (SECONDS + 120) * 1000,
  );
});
