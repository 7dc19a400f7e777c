// Apply and destroy of 50, 200 and 500 namespaces on bridges (starDesign) through the apply
// engine over SSH to a lab host, against the kernel floor inside the same lab host:
// (1) the very same exported script run locally (`bash plan.sh up|down` via nsenter), and
// (2) the fastest hand-written recipe (peers created in their namespaces, `ip -batch`).
// The SSH figure is the whole engine path: connect, preflight, upload + inspect, the
// detached run followed live, and verification; its phases are reported separately.
import { loadavg } from 'node:os';
import { applyHost, destroyHost, type ApplyEvent, type HostTarget } from '../electron/backend/apply';
import { compile } from '../shared/compile/compile';
import { hostScript } from '../shared/export/script';
import { runProc } from '../tests/support/lab-proc';
import { LabScope } from '../tests/support/lab-ssh';
import type { LabHost } from '../tests/support/labhost';
import { starDesign } from './designs';
import { round, type Figure } from './measure';

function recipeUp(n: number, bridges = 10): string {
  const root: string[] = [];
  for (let b = 0; b < bridges; b++) root.push(`link add br${b} type bridge`, `addr add 10.${b}.0.1/16 dev br${b}`, `link set br${b} up`);
  for (let i = 0; i < n; i++) root.push(`netns add n${i}`);
  for (let i = 0; i < n; i++) root.push(`link add vb${i} type veth peer name eth0 netns n${i}`, `link set vb${i} master br${i % bridges} up`);
  const lines = ['set -e', `ip -batch - <<'EOF'\n${root.join('\n')}\nEOF`];
  for (let i = 0; i < n; i++) {
    const b = i % bridges;
    const k = Math.floor(i / bridges) + 2;
    lines.push(`ip -n n${i} -batch - <<'EOF'\nlink set lo up\naddr add 10.${b}.${k >> 8}.${k & 255}/16 dev eth0\nlink set eth0 up\nroute add default via 10.${b}.0.1\nEOF`);
  }
  lines.push('sysctl -qw net.ipv4.ip_forward=1');
  return lines.join('\n');
}

function recipeDown(n: number, bridges = 10): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`netns del n${i}`);
  for (let b = 0; b < bridges; b++) lines.push(`link del br${b}`);
  // Wait for the kernel to finish removing the root-side veth ends (the lab's own
  // interfaces are veths too, so match the bench's names only).
  return `ip -batch - <<'EOF'\n${lines.join('\n')}\nEOF\nsysctl -qw net.ipv4.ip_forward=0\nwhile ip -o link show | grep -q ': vb[0-9]'; do sleep 0.02; done`;
}

/** Runs `bash -s` inside the lab (nsenter: no SSH), script on stdin; returns seconds. */
async function local(lab: LabHost, script: string, args: string[] = []): Promise<number> {
  const t0 = performance.now();
  const r = await runProc(['nsenter', '-t', String(lab.pid), '-a', 'bash', '-s', '--', ...args], script);
  if (r.code !== 0) throw new Error(`local ${args.join(' ')} failed: ${r.stderr.slice(0, 500)}`);
  return (performance.now() - t0) / 1000;
}

/** Copies the script into the lab (on stdin), then times `bash FILE op` there. */
async function localScript(lab: LabHost, script: string, op: 'up' | 'down'): Promise<number> {
  const put = await runProc(['nsenter', '-t', String(lab.pid), '-a', 'bash', '-c', 'cat > /tmp/bench-plan.sh'], script);
  if (put.code !== 0) throw new Error(put.stderr);
  const t0 = performance.now();
  const r = await runProc(['nsenter', '-t', String(lab.pid), '-a', 'bash', '/tmp/bench-plan.sh', op]);
  if (r.code !== 0) throw new Error(`script ${op} failed: ${r.stderr.slice(0, 500)}`);
  return (performance.now() - t0) / 1000;
}

interface Phases {
  total: number;
  run: number;
  verify: number;
  before: number;
}

function phaseClock(): { onEvent: (e: ApplyEvent) => void; phases: (total: number) => Phases } {
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
      return { total, before: running / 1000, run: (result - running) / 1000, verify: (at['phase:verifying'] !== undefined ? total - at['phase:verifying'] : 0) / 1000 };
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchApply(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const load0 = loadavg()[0]!.toFixed(2);
  const scope = new LabScope();
  try {
    // WIREPLAN_BENCH_APPLY_SIZES=50 for a quick smoke run of the harness.
    const sizes = (process.env['WIREPLAN_BENCH_APPLY_SIZES'] ?? '50,200,500').split(',').map(Number);
    for (const [n, runs] of ([[50, 3], [200, 2], [500, 1]] as const).filter(([k]) => sizes.includes(k))) {
      const r = compile(starDesign(n));
      if (!r.ok) throw new Error('bench design does not compile');
      const plan = r.plan;
      const hp = plan.hosts[0]!;
      const script = hostScript(plan, hp);
      const lab = await scope.lab();
      const rows: Record<string, number[]> = {};
      const add = (k: string, v: number) => (rows[k] ??= []).push(v);
      for (let i = 0; i < runs; i++) {
        add('recipe up', await local(lab, recipeUp(n)));
        add('recipe down', await local(lab, recipeDown(n)));
        add('script up (local)', await localScript(lab, script, 'up'));
        add('script down (local)', await localScript(lab, script, 'down'));
        // A new connection each time: the CLI's real cost, connect included.
        const target: HostTarget = { executor: scope.executor(lab) };
        const clock = phaseClock();
        const t0 = performance.now();
        const a = await applyHost(plan, hp, target, { onEvent: clock.onEvent });
        const total = performance.now() - t0;
        if (a.outcome.kind !== 'converged') throw new Error(`apply ${n}: ${JSON.stringify(a.outcome).slice(0, 500)}`);
        const ph = clock.phases(total);
        add('ssh apply (engine, total)', total / 1000);
        add('ssh apply: connect+preflight+upload+inspect', ph.before);
        add('ssh apply: on-host run, followed', ph.run);
        add('ssh apply: verify', ph.verify);
        const t1 = performance.now();
        const again = await applyHost(plan, hp, target);
        if (again.outcome.kind !== 'converged' || !again.outcome.nothingToDo) throw new Error('re-apply was not a no-op');
        add('ssh re-apply (nothing to do)', (performance.now() - t1) / 1000);
        const t2 = performance.now();
        const d = await destroyHost(plan, hp, target);
        if (d.outcome.kind !== 'removed') throw new Error(`destroy ${n}: ${JSON.stringify(d.outcome).slice(0, 500)}`);
        add('ssh destroy (engine, total)', (performance.now() - t2) / 1000);
        await target.executor.close();
      }
      await lab.stop();
      const m = (k: string) => median(rows[k]!);
      for (const k of Object.keys(rows)) {
        const floor = k.startsWith('ssh apply (') ? m('script up (local)') : k.startsWith('ssh destroy') ? m('script down (local)') : k === 'script up (local)' ? m('recipe up') : k === 'script down (local)' ? m('recipe down') : undefined;
        const notes = [
          ...(floor ? [`${round(m(k) / floor)}x ${k.startsWith('ssh') ? 'the same script run locally' : 'the hand-written recipe'}`] : []),
          ...(k === 'ssh apply (engine, total)' ? [`${round(m(k) / m('recipe up'))}x the recipe`, `run alone ${round(m('ssh apply: on-host run, followed') / m('script up (local)'))}x local`] : []),
          ...(k === 'ssh destroy (engine, total)' ? [`${round(m(k) / m('recipe down'))}x the recipe`] : []),
        ];
        figures.push({ name: `apply: ${k}, ${n} namespaces`, unit: 's', median: round(m(k)), p95: round(Math.max(...rows[k]!)), runs, ...(notes.length ? { notes: notes.join('; ') } : {}) });
      }
    }
  } finally {
    await scope.cleanup();
  }
  const load1 = loadavg()[0]!.toFixed(2);
  figures.push({ name: 'apply: machine load average (1 min) at start / end', unit: '', median: Number(load0), p95: Number(load1), runs: 1, notes: `${load0} / ${load1}` });
  return figures;
}
