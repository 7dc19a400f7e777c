// Programs in namespaces on a real kernel (docs/programs.md). The two-namespaces-nat
// example with app1 running `python3 -m http.server 8000` behind the host's port 8080:
// the check reaches the program through the forward, `status` says running, a kill by hand
// makes it say exited with the code, and `down` leaves no process of the design behind.
// A re-apply keeps an unchanged program (same pid); a changed command line restarts it.
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../electron/backend/check/run-check';
import { needsFor } from '../../electron/backend/live/needs';
import { snapshotHost } from '../../electron/backend/live/snapshot';
import { compile } from '../../shared/compile/compile';
import { evaluateStatus, prepareStatus } from '../../shared/observe/status';
import type { Design, Program } from '../../shared/model/schema';
import { hostScript } from '../../shared/export/script';
import { planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import { createSandbox, missingFeatures, tcpExchange, type Sandbox } from '../support/sandbox';
import { sandboxHostExecutor } from '../support/sandbox-host-executor';

const TAG = 'twons';

function withProgram(p: Partial<Program> = {}): Design {
  const d = loadExample('two-namespaces-nat.wireplan.json');
  d.portForwards[0]!.toPort = 8000;
  d.namespaces.find((n) => n.id === 'app1')!.programs = [
    { name: 'web', command: ['python3', '-m', 'http.server', '8000'], cwd: '/', env: { PYTHONUNBUFFERED: '1' }, restart: false, ports: [8000], ...p },
  ];
  return d;
}

const scriptOf = (d: Design) => {
  const plan = planOf(d);
  return hostScript(plan, plan.hosts[0]!);
};

/** Processes in the sandbox whose environment carries this design's program tag: "PID CMDLINE" lines. */
async function taggedProcesses(sb: Sandbox): Promise<string[]> {
  const out = await sb.execOk([
    'bash', '-c',
    'for d in /proc/[0-9]*; do if tr "\\0" "\\n" <"$d/environ" 2>/dev/null | grep -q "^WIREPLAN_PROGRAM=$1:"; then printf "%s %s\\n" "${d#/proc/}" "$(tr "\\0" " " <"$d/cmdline")"; fi; done',
    'scan', TAG,
  ]);
  return out.split('\n').filter(Boolean);
}

/** The live status of namespace app1 as the app's live state computes it (a full snapshot, programs included). */
async function liveApp1(sb: Sandbox, design: Design) {
  const c = compile(design);
  if (!c.ok) throw new Error('does not compile');
  const model = prepareStatus(design, c.plan, 'lab');
  const needs = needsFor(model, design);
  expect(needs.programs).toBe(TAG);
  const snap = await snapshotHost(sandboxHostExecutor(sb), {
    entry: (ns) => ({ ip: true, nft: needs.nft === 'all' || needs.nft.has(ns), sysctl: needs.sysctls.has(ns), iptables: ns === '' }),
    sysctlKeys: [...new Set([...needs.sysctls.values()].flat())],
    ...(needs.programs ? { programs: needs.programs } : {}),
  });
  return evaluateStatus(model, snap.host).elements.find((e) => e.elementId === 'app1')!;
}

const statusLine = (out: string) => out.split('\n').find((l) => l.includes('(program:app1:web)')) ?? `no program line in:\n${out}`;
const pidOf = (line: string) => Number(/: pid (\d+)/.exec(line)?.[1] ?? NaN);

/** Status until its program line satisfies `done` (bounded: the supervisor records the exit as soon as it reaps it). */
async function statusUntil(sb: Sandbox, script: string, done: (line: string) => boolean): Promise<{ code: number | null; line: string }> {
  for (let i = 0; ; i++) {
    const r = await sb.run(script, ['status']);
    const line = statusLine(r.stdout);
    if (done(line) || i >= 100) return { code: r.code, line };
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('programs in namespaces on a real kernel', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it('http.server behind a port forward: check reaches it, status running, killed by hand shows exited with its code, down leaves no process', async (ctx) => {
    const missing = await missingFeatures(['veth', 'bridge', 'nft']);
    if (missing) return ctx.skip(missing);
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const design = withProgram();
    const script = scriptOf(design);
    const up = await sb.run(script, ['up']);
    expect(up.code, up.stderr).toBe(0);

    // Through the forward from outside: the real program answers (an HTTP directory listing).
    const reply = await tcpExchange(sb, sb.uplink!.worldNs, sb.uplink!.ip, 8080, { send: 'GET / HTTP/1.0\r\n\r\n' });
    expect(reply).toMatch(/^HTTP\/1\.0 200 OK/);
    expect(reply).toContain('Directory listing for /');

    const checked = await runCheck(design, new Map([['lab', sandboxHostExecutor(sb)]]));
    if (!checked.ok) throw new Error(JSON.stringify(checked.diagnostics));
    expect(checked.report.rows.filter((r) => !r.ok).map((r) => r.problem)).toEqual([]);
    // The probes through the forward that land on app1:8000 are answered by the program itself.
    const forward = checked.report.rows.filter((r) => r.expectation.probe.origin?.kind === 'port-forward' && r.expectation.expect === 'reach');
    expect(forward.length).toBeGreaterThan(0);
    for (const row of forward) {
      expect(row.ok, row.problem).toBe(true);
      expect(row.outcome?.reached).toBe(true);
      expect(row.note).toMatch(/program "web"/);
    }
    expect(checked.report.hosts[0]!.listeners.some((l) => /program "web"/.test(l.detail))).toBe(true);

    const running = await sb.run(script, ['status']);
    expect(running.code, running.stdout).toBe(0);
    const line = statusLine(running.stdout);
    expect(line).toMatch(/^running +program web in app1: python3 -m http.server 8000: pid \d+/);
    const pid = pidOf(line);
    expect((await taggedProcesses(sb)).some((p) => p.startsWith(`${pid} python3 -m http.server 8000`))).toBe(true);
    // Live state: the namespace is present and says its program runs, with that pid.
    const live = await liveApp1(sb, design);
    expect(live.presence).toBe('present');
    expect(live.programs).toEqual([{ name: 'web', state: 'running', pid }]);

    // Killed by hand: the supervisor records the exit code (143 = 128 + SIGTERM).
    await sb.execOk(['kill', '-TERM', String(pid)]);
    const exited = await statusUntil(sb, script, (l) => l.startsWith('exited'));
    expect(exited.line).toMatch(/^exited +program web in app1: .*: exited with code 143 \(signal TERM\)/);
    expect(exited.code, 'status exits 3 while a program is not running').toBe(3);
    const liveExited = await liveApp1(sb, design);
    expect(liveExited.programs).toEqual([{ name: 'web', state: 'exited', exitCode: 143 }]);
    expect(liveExited.presence).toBe('drifted');
    expect(liveExited.drift).toContain('exited with code 143 (signal TERM)');

    // Up starts it again; down stops it and leaves nothing of the design running.
    expect((await sb.run(script, ['up'])).code).toBe(0);
    const again = statusLine((await sb.run(script, ['status'])).stdout);
    expect(again).toMatch(/^running /);
    expect(pidOf(again)).not.toBe(pid);
    const down = await sb.run(script, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(await taggedProcesses(sb)).toEqual([]);
    expect((await sb.exec(['test', '-e', `/run/wireplan/${TAG}/prog`])).code, 'no record left').not.toBe(0);
  });

  it('a re-apply keeps an unchanged program running; a changed command line restarts it; a failed start says why and rolls back', async (ctx) => {
    const missing = await missingFeatures(['veth', 'bridge', 'nft']);
    if (missing) return ctx.skip(missing);
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const first = scriptOf(withProgram());
    expect((await sb.run(first, ['up'])).code).toBe(0);
    const pid = pidOf(statusLine((await sb.run(first, ['status'])).stdout));

    const same = await sb.run(first, ['up']);
    expect(same.stdout).toMatch(/@wp result converged changed=0/);
    expect(pidOf(statusLine((await sb.run(first, ['status'])).stdout))).toBe(pid);

    const changed = scriptOf(withProgram({ command: ['python3', '-m', 'http.server', '8000', '--bind', '0.0.0.0'] }));
    const re = await sb.run(changed, ['up']);
    expect(re.code, re.stderr).toBe(0);
    expect(re.stdout).toMatch(/@wp step \d+\/\d+ run program:app1:web replace \(started from another command line/);
    const line = statusLine((await sb.run(changed, ['status'])).stdout);
    expect(line).toMatch(/^running +program web in app1: python3 -m http.server 8000 --bind 0\.0\.0\.0: pid \d+/);
    expect(pidOf(line)).not.toBe(pid);
    const pids = (await taggedProcesses(sb)).map((l) => l.split(' ')[0]);
    expect(pids).toContain(String(pidOf(line)));
    expect(pids, 'the old program was stopped').not.toContain(String(pid));

    // A program that cannot start fails the run with the reason, and the run rolls back to the plan before.
    const broken = scriptOf(withProgram({ command: ['no-such-program-wp', '--serve'] }));
    const bad = await sb.run(broken, ['up']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/program web in app1: no-such-program-wp is not in PATH/);
    expect(bad.stdout).toMatch(/@wp result rolled-back/);
    expect(statusLine((await sb.run(changed, ['status'])).stdout), 'the previous plan restored its program').toMatch(/^running /);

    // The design without the program, which meanwhile exited: the next up removes its record
    // (the saved plan prunes it).
    await sb.execOk(['kill', '-TERM', String(pidOf(statusLine((await sb.run(changed, ['status'])).stdout)))]);
    await statusUntil(sb, changed, (l) => l.startsWith('exited'));
    const without = withProgram();
    without.namespaces.find((n) => n.id === 'app1')!.programs = [];
    const pruned = await sb.run(scriptOf(without), ['up']);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/@wp prune \d+\/\d+ program:app1:web/);
    expect(await taggedProcesses(sb)).toEqual([]);
    expect((await sb.exec(['test', '-e', `/run/wireplan/${TAG}/prog/app1@web`])).code, 'its record went with it').not.toBe(0);
    expect((await sb.run(scriptOf(without), ['down'])).code).toBe(0);
  });
  it('restart on: a killed program is started again; down stops the loop, kills a program that ignores SIGTERM, and never signals a process that only looks like ours', async (ctx) => {
    const missing = await missingFeatures(['veth', 'bridge', 'nft']);
    if (missing) return ctx.skip(missing);
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const d = withProgram({ restart: true });
    d.namespaces.find((n) => n.id === 'app2')!.programs = [
      // Ignores SIGTERM: only SIGKILL ends it.
      { name: 'stubborn', command: ['bash', '-c', 'trap "" TERM; while :; do read -rt 1 <> <(:) || :; done'], env: {}, restart: false, ports: [] },
      // Ends at once with 0: its record stays, its supervisor is gone.
      { name: 'oneshot', command: ['true'], env: {}, restart: false, ports: [] },
    ];
    const script = scriptOf(d);
    const up = await sb.run(script, ['up']);
    expect(up.code, up.stderr).toBe(0);
    const first = pidOf(statusLine((await sb.run(script, ['status'])).stdout));

    await sb.execOk(['kill', '-KILL', String(first)]);
    const again = await statusUntil(sb, script, (l) => l.startsWith('running') && !Number.isNaN(pidOf(l)) && pidOf(l) !== first);
    expect(again.line).toMatch(/^running +program web in app1: .*: pid \d+, last exited with code 137 \(signal KILL\)/);
    const oneshot = await sb.run(script, ['status']);
    expect(oneshot.stdout).toMatch(/^exited +program oneshot in app2: true: exited with code 0 +\(program:app2:oneshot\)$/m);

    // A process of someone else's, named by a forged record with its real pid and start time
    // but without the tag in its environment: stop must leave it alone.
    const bpid = (await sb.execOk(['bash', '-c', 'sleep 300 </dev/null >/dev/null 2>&1 & echo $!'])).trim();
    const dir = `/run/wireplan/${TAG}/prog/app2@oneshot`;
    await sb.execOk(['bash', '-c', 'p=$1 d=$2; s=$(</proc/$p/stat); s=${s##*) }; set -- $s; printf "%s %s\\n" "$p" "${20}" | tee "$d/pid" > "$d/child"', 'forge', bpid, dir]);

    const down = await sb.run(script, ['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain('program stubborn did not stop within 5 s of SIGTERM: killing it');
    expect(await taggedProcesses(sb)).toEqual([]);
    expect((await sb.exec(['kill', '-0', bpid])).code, 'the bystander still runs').toBe(0);
    await sb.execOk(['kill', bpid]);
  });
});
