// Apply and destroy of 50, 200 and 500 namespaces on bridges (starDesign) through the apply
// engine over SSH to a lab host, against the kernel floor inside the same lab host:
// (1) the very same exported script run locally (`bash plan.sh up|down` via nsenter), and
// (2) the fastest hand-written recipe (peers created in their namespaces, `ip -batch`).
// The SSH figure is the whole engine path: connect, preflight, upload + inspect, the
// detached run followed live, and verification; its phases are reported separately, and
// the same engine driven through nsenter (no SSH) shows what the transport itself costs.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { applyHost, destroyHost, type ApplyEvent, type HostTarget } from '../electron/backend/apply';
import type { HostExecutor, RunOptions, RunResult } from '../electron/backend/executor';
import { compile } from '../shared/compile/compile';
import { hostScript } from '../shared/export/script';
import { runProc } from '../tests/support/lab-proc';
import { LabScope } from '../tests/support/lab-ssh';
import type { LabHost } from '../tests/support/labhost';
import { starDesign } from './designs';
import { round, type Figure } from './measure';
import { recipeDown, recipeUp } from './recipe';

interface Timed {
  /** Wall seconds. */
  wall: number;
  /** CPU seconds of everything the command ran inside the lab (bash `times`, children). */
  cpu: number;
}

/** bash's `times`: the last `lines` lines ("0m1.234s 0m0.567s": user, system) summed, in seconds. */
export function timesCpu(text: string, lines = 1): number {
  const all = text.trim().split('\n');
  const m = all.slice(-lines).flatMap((l) => [...l.matchAll(/(\d+)m([\d.]+)s/g)]);
  return m.reduce((a, x) => a + Number(x[1]) * 60 + Number(x[2]), 0);
}

/** Runs a script inside the lab (nsenter: no SSH); returns wall and CPU seconds. */
async function local(lab: LabHost, script: string, args: string[] = []): Promise<Timed> {
  const put = await runProc(['nsenter', '-t', String(lab.pid), '-a', 'bash', '-c', 'cat > /tmp/bench-cmd.sh'], script);
  if (put.code !== 0) throw new Error(put.stderr);
  const t0 = performance.now();
  const r = await runProc(['nsenter', '-t', String(lab.pid), '-a', 'bash', '-c', 'bash /tmp/bench-cmd.sh "$@" >/dev/null; rc=$?; times >&2; exit $rc', 'bench', ...args]);
  const wall = (performance.now() - t0) / 1000;
  if (r.code !== 0) throw new Error(`local ${args.join(' ')} failed: ${r.stderr.slice(0, 500)}`);
  return { wall, cpu: timesCpu(r.stderr) };
}

/**
 * CPU seconds the engine's on-host apply run used up to the end of `up`, before the status
 * it prints after (recorded with bash `times`). (A destroy removes its run records.)
 */
async function runCpu(lab: LabHost, tag: string, runId: string | undefined): Promise<number> {
  if (!runId) return 0;
  const r = await lab.exec(`cat /run/wireplan/${tag}/runs/${runId}/times-up 2>/dev/null || true`);
  return timesCpu(r.stdout, 2);
}

interface Phases {
  /** Connect, preflight, upload + inspect, start. */
  before: number;
  /** The on-host run, from its start to its result line, followed live. */
  run: number;
  /** After the result: observing again (the status the run prints, retries if any). */
  after: number;
}

function phaseClock(): { onEvent: (e: ApplyEvent) => void; phases: (totalMs: number) => Phases } {
  const t0 = performance.now();
  const at: Record<string, number> = {};
  return {
    onEvent: (e) => {
      const key = e.kind === 'phase' ? `phase:${e.phase}` : e.kind;
      at[key] ??= performance.now() - t0;
    },
    phases: (total) => {
      const running = at['phase:running'] ?? 0;
      const result = at['result'] ?? total;
      return { before: running / 1000, run: (result - running) / 1000, after: (total - result) / 1000 };
    },
  };
}

/**
 * The engine's own floor: the same HostExecutor contract served by nsenter into the lab
 * (no SSH, no network), so engine-over-SSH minus this is what SSH itself costs.
 */
class NsenterExecutor implements HostExecutor {
  constructor(private readonly pid: number) {}
  describe(): string {
    return `nsenter ${this.pid}`;
  }
  async close(): Promise<void> {}
  run(command: string, opts: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('nsenter', ['-t', String(this.pid), '-a', 'bash', '-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
      const out = new StringDecoder('utf8');
      const err = new StringDecoder('utf8');
      let stdout = '';
      let stderr = '';
      const onAbort = () => child.kill('SIGKILL');
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (b: Buffer) => {
        const t = out.write(b);
        stdout += t;
        if (t) opts.onStdout?.(t);
      });
      child.stderr.on('data', (b: Buffer) => {
        const t = err.write(b);
        stderr += t;
        if (t) opts.onStderr?.(t);
      });
      child.on('error', reject);
      child.on('close', (code) => {
        opts.signal?.removeEventListener('abort', onAbort);
        if (opts.signal?.aborted) return reject(opts.signal.reason);
        resolve({ code, stdout, stderr });
      });
      child.stdin.on('error', () => {});
      child.stdin.end(opts.stdin ?? '');
    });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchApply(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const load0 = loadavg()[0]!.toFixed(2);
  const scope = new LabScope();
  try {
    // WIREPLAN_BENCH_APPLY_SIZES=50 for a quick smoke run of the harness.
    const sizes = (process.env['WIREPLAN_BENCH_APPLY_SIZES'] ?? '50,200,500').split(',').map(Number);
    for (const [n, runs] of ([[50, 3], [200, 2], [500, 2]] as const).filter(([k]) => sizes.includes(k))) {
      const r = compile(starDesign(n));
      if (!r.ok) throw new Error('bench design does not compile');
      const plan = r.plan;
      const hp = plan.hosts[0]!;
      const script = hostScript(plan, hp);
      const lab = await scope.lab();
      const rows: Record<string, number[]> = {};
      const cpu: Record<string, number[]> = {};
      const loads: number[] = [];
      const add = (k: string, v: number) => {
        (rows[k] ??= []).push(v);
        loads.push(loadavg()[0]!);
      };
      const addCpu = (k: string, v: number) => (cpu[k] ??= []).push(v);
      for (let i = 0; i < runs; i++) {
        for (const [k, sc, args] of [
          ['recipe up', recipeUp(n), []],
          ['recipe down', recipeDown(n), []],
          ['script up (local)', script, ['up']],
          ['script down (local)', script, ['down']],
        ] as const) {
          const t = await local(lab, sc, [...args]);
          add(k, t.wall);
          addCpu(k, t.cpu);
        }
        for (const via of ['nsenter', 'ssh'] as const) {
          // SSH: a new connection each time, the CLI's real cost, connect included.
          const target: HostTarget = { executor: via === 'ssh' ? scope.executor(lab) : new NsenterExecutor(lab.pid) };
          const clock = phaseClock();
          const t0 = performance.now();
          const a = await applyHost(plan, hp, target, { onEvent: clock.onEvent });
          const total = performance.now() - t0;
          if (a.outcome.kind !== 'converged') throw new Error(`apply ${n} via ${via}: ${JSON.stringify(a.outcome).slice(0, 500)}`);
          const ph = clock.phases(total);
          add(`${via} apply (engine, total)`, total / 1000);
          add(`${via} apply: connect+preflight+upload+inspect`, ph.before);
          add(`${via} apply: on-host run, followed`, ph.run);
          addCpu(`${via} apply: on-host run, followed`, await runCpu(lab, plan.design.tag, a.runId));
          add(`${via} apply: observe again (status after the run)`, ph.after);
          const t1 = performance.now();
          const again = await applyHost(plan, hp, target);
          if (again.outcome.kind !== 'converged' || !again.outcome.nothingToDo) throw new Error('re-apply was not a no-op');
          add(`${via} re-apply (nothing to do)`, (performance.now() - t1) / 1000);
          const dclock = phaseClock();
          const t2 = performance.now();
          const d = await destroyHost(plan, hp, target, { onEvent: dclock.onEvent });
          const dt = performance.now() - t2;
          if (d.outcome.kind !== 'removed') throw new Error(`destroy ${n} via ${via}: ${JSON.stringify(d.outcome).slice(0, 500)}`);
          const dph = dclock.phases(dt);
          add(`${via} destroy (engine, total)`, dt / 1000);
          add(`${via} destroy: upload+start (the run inspects on the host)`, dph.before);
          add(`${via} destroy: on-host run (down), followed`, dph.run);
          add(`${via} destroy: check nothing is left`, dph.after);
          await target.executor.close();
        }
      }
      await lab.stop();
      const m = (k: string) => median(rows[k]!);
      const ratio = (a: string, b: string) => round(m(a) / m(b));
      const notes: Record<string, string> = {
        'script up (local)': `${ratio('script up (local)', 'recipe up')}x the hand-written recipe`,
        'script down (local)': `${ratio('script down (local)', 'recipe down')}x the hand-written recipe`,
        'ssh apply (engine, total)': `${ratio('ssh apply (engine, total)', 'recipe up')}x the recipe (kernel floor); ${ratio('ssh apply (engine, total)', 'nsenter apply (engine, total)')}x the engine without SSH; ${ratio('ssh apply (engine, total)', 'script up (local)')}x the script run locally`,
        'ssh apply: on-host run, followed': `${ratio('ssh apply: on-host run, followed', 'recipe up')}x the recipe; ${ratio('ssh apply: on-host run, followed', 'script up (local)')}x the script's own up run locally (CPU ${round(median(cpu['ssh apply: on-host run, followed']!) / median(cpu['script up (local)']!))}x)`,
        'ssh re-apply (nothing to do)': `${ratio('ssh re-apply (nothing to do)', 'nsenter re-apply (nothing to do)')}x without SSH`,
        'ssh destroy (engine, total)': `${ratio('ssh destroy (engine, total)', 'recipe down')}x the recipe (kernel floor); ${ratio('ssh destroy (engine, total)', 'nsenter destroy (engine, total)')}x the engine without SSH; ${ratio('ssh destroy (engine, total)', 'script down (local)')}x the script's down locally`,
        'ssh destroy: on-host run (down), followed': `${ratio('ssh destroy: on-host run (down), followed', 'recipe down')}x the recipe; ${ratio('ssh destroy: on-host run (down), followed', 'script down (local)')}x the script's down run locally`,
      };
      for (const k of Object.keys(rows)) {
        const c = cpu[k];
        figures.push({
          name: `apply: ${k}, ${n} namespaces`,
          unit: 's',
          median: round(m(k)),
          p95: round(Math.max(...rows[k]!)),
          runs,
          load: round(median(loads)),
          ...(c ? { cpuMedian: round(median(c)), cpuP95: round(Math.max(...c)) } : {}),
          ...(notes[k] ? { notes: notes[k] } : {}),
        });
      }
    }
  } finally {
    await scope.cleanup();
  }
  const load1 = loadavg()[0]!.toFixed(2);
  figures.push({ name: 'apply: machine load average (1 min) at start / end', unit: '', median: Number(load0), p95: Number(load1), runs: 1, notes: `${load0} / ${load1}` });
  return figures;
}
