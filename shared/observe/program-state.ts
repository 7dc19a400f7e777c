// Programs of a design as the host reports them (docs/programs.md): the runtime keeps a
// record per program under /run/wireplan/TAG/prog/NS@NAME/, and `wp_prog_report` prints one
// line per record: "prog NS NAME DIGEST running PID" or "... exited CODE" or "... gone".
// Live state reads those lines; a program probe is judged from them like status judges it.
import type { ProgramStatus } from '../api/contract';
import type { Probe, Step } from '../compile/plan';
import type { ObservedHost, ObservedProgram } from './types';
import type { ProbeResult } from './probe';

const NAME = /^[A-Za-z0-9_.@-]*$/;

/** The report's lines (anything else is ignored: a line the runtime did not write cannot name a program). */
export function parseProgramReport(text: string): ObservedProgram[] {
  const out: ObservedProgram[] = [];
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (w[0] !== 'prog' || w.length < 5) continue;
    const [, rawNs, name, digest, state, arg] = w as [string, string, string, string, string, string | undefined];
    const ns = rawNs === '-' ? '' : rawNs;
    if (!NAME.test(ns) || !NAME.test(name) || !/^[0-9a-f]+$/.test(digest)) continue;
    const num = arg !== undefined && /^\d+$/.test(arg) ? Number(arg) : undefined;
    if (state === 'running' && num !== undefined) out.push({ ns, name, digest, state, pid: num });
    else if (state === 'exited' && num !== undefined) out.push({ ns, name, digest, state, exitCode: num });
    else if (state === 'gone') out.push({ ns, name, digest, state });
  }
  return out;
}

/** "exited with code 143 (signal TERM)": how status and the canvas say it. */
export function describeExit(code: number): string {
  const sig = code > 128 && code < 128 + 65 ? SIGNALS[code - 128] : undefined;
  return `exited with code ${code}${sig ? ` (signal ${sig})` : ''}`;
}
const SIGNALS: Record<number, string> = { 1: 'HUP', 2: 'INT', 3: 'QUIT', 6: 'ABRT', 9: 'KILL', 11: 'SEGV', 13: 'PIPE', 15: 'TERM' };

export function programProbe(probe: Extract<Probe, { type: 'program' }>, host: ObservedHost): ProbeResult {
  if (!host.programs) return { state: 'absent', detail: `programs were not observed`, unobserved: true };
  const p = host.programs.find((x) => x.ns === probe.ns && x.name === probe.name);
  if (!p) return { state: 'absent', detail: `program ${JSON.stringify(probe.name)} is not running` };
  if (p.digest !== probe.digest) return { state: 'drifted', detail: 'started from another command line (apply restarts it)' };
  if (p.state === 'running') return { state: 'present', detail: `running, pid ${p.pid}` };
  if (p.state === 'exited') return { state: 'drifted', detail: describeExit(p.exitCode) };
  return { state: 'drifted', detail: 'not running (its supervisor is gone)' };
}

/** Each program step's state, for a namespace's live status (undefined: programs not observed). */
export function programStatuses(steps: readonly Step[], host: ObservedHost): ProgramStatus[] | undefined {
  const probes = steps.flatMap((s) => (s.probe.type === 'program' ? [s.probe] : []));
  if (probes.length === 0 || !host.programs) return undefined;
  return probes.map((probe) => {
    const p = host.programs!.find((x) => x.ns === probe.ns && x.name === probe.name);
    if (!p) return { name: probe.name, state: 'absent' };
    const stale = p.digest !== probe.digest ? { stale: true as const } : {};
    if (p.state === 'running') return { name: p.name, state: 'running', pid: p.pid, ...stale };
    if (p.state === 'exited') return { name: p.name, state: 'exited', exitCode: p.exitCode, ...stale };
    return { name: p.name, state: 'gone', ...stale };
  });
}

/** "web: running (pid 4242)", "web: exited with code 143 (signal TERM)": one line per program for the CLI and the canvas. */
export function describeProgram(p: ProgramStatus): string {
  const how =
    p.state === 'running' ? `running (pid ${p.pid})` : p.state === 'exited' ? describeExit(p.exitCode ?? 0) : p.state === 'gone' ? 'not running (its supervisor is gone)' : 'not started';
  return `${p.name}: ${how}${p.stale ? ' (from another command line: apply restarts it)' : ''}`;
}
