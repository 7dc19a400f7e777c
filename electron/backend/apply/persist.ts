// Labs that survive a reboot (apply --persist): the exported script and its systemd unit
// (shared/export/systemd.ts, the same files `wireplan export --systemd` writes) are
// installed on the host by persist.sh and the unit is enabled; destroy removes them;
// live state asks whether they are in place. The script travels on stdin, the unit (a
// few hundred bytes of our own text) as one quoted argument.
import type { HostPlan, Plan } from '../../../shared/compile/plan';
import { shellCommand } from '../../../shared/export/quote';
import { hostScript } from '../../../shared/export/script';
import { systemdUnit } from '../../../shared/export/systemd';
import type { HostExecutor } from '../executor';
import { PERSIST_SH } from './persist.generated';

/** What apply --persist installed on a host, or why it could not. */
export type PersistReport =
  | { ok: true; script: string; unit: string; wants: string; /** systemd is the running init (daemon-reload was done). */ booted: boolean }
  | { ok: false; error: string };

/** Whether a host's design will come back after a reboot (all three files in place). */
export interface PersistState {
  script: boolean;
  unit: boolean;
  wants: boolean;
}

const TAG = /^[a-z][a-z0-9]{0,31}$/;

export function persistCommand(op: 'install' | 'remove' | 'state', tag: string, unitText?: string): string {
  if (!TAG.test(tag)) throw new Error(`bad design tag ${JSON.stringify(tag)}`);
  return shellCommand(['bash', '-c', PERSIST_SH, 'wp-persist', op, tag, ...(unitText === undefined ? [] : [unitText])]);
}

/** The "@wp persist KEY VALUE" lines of persist.sh, as a map (removed: every value). */
export function parsePersistLines(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const m = /^@wp persist (\S+) (.*)$/.exec(line);
    if (!m) continue;
    out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

const lastLines = (s: string) => s.trim().split('\n').slice(-3).join(' | ');

export async function installPersistence(exec: HostExecutor, plan: Plan, host: HostPlan): Promise<PersistReport> {
  try {
    const r = await exec.run(persistCommand('install', plan.design.tag, systemdUnit(plan.design, host.host)), { stdin: hostScript(plan, host) });
    if (r.code !== 0) return { ok: false, error: `installing the boot unit failed (exit ${r.code ?? r.signal}): ${lastLines(r.stderr) || 'no message'}` };
    const f = parsePersistLines(r.stdout);
    const one = (k: string) => f.get(k)?.[0];
    const script = one('script');
    const unit = one('unit');
    const wants = one('wants');
    if (!script || !unit || !wants) return { ok: false, error: `installing the boot unit gave no report: ${lastLines(r.stdout + r.stderr)}` };
    return { ok: true, script, unit, wants, booted: one('booted') === '1' };
  } catch (e) {
    return { ok: false, error: `installing the boot unit failed: ${(e as Error).message}` };
  }
}

/** Removes the script, unit and wants link of this design; returns the paths that were there. */
export async function removePersistence(exec: HostExecutor, tag: string): Promise<string[]> {
  const r = await exec.run(persistCommand('remove', tag));
  if (r.code !== 0) throw new Error(`removing the boot unit failed (exit ${r.code ?? r.signal}): ${lastLines(r.stderr) || 'no message'}`);
  return parsePersistLines(r.stdout).get('removed') ?? [];
}

export function parsePersistState(stdout: string): PersistState | undefined {
  const line = parsePersistLines(stdout).get('state')?.[0];
  const m = line && /^script=([01]) unit=([01]) wants=([01])$/.exec(line);
  return m ? { script: m[1] === '1', unit: m[2] === '1', wants: m[3] === '1' } : undefined;
}

export async function persistState(exec: HostExecutor, tag: string): Promise<PersistState> {
  const r = await exec.run(persistCommand('state', tag));
  const s = r.code === 0 ? parsePersistState(r.stdout) : undefined;
  if (!s) throw new Error(`reading the boot unit's state failed (exit ${r.code ?? r.signal}): ${lastLines(r.stderr) || 'no message'}`);
  return s;
}

/** Persistent means the host will rebuild the design at boot: every piece is there. */
export const isPersistent = (s: PersistState): boolean => s.script && s.unit && s.wants;
