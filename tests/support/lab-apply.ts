// Lab hosts shaped for apply tests: the SSH interface is renamed to mgmt0 (so an example's
// own "eth0" can be a real uplink), uplink NICs are veth pairs into an inner "world"
// namespace (all inside the lab, nothing on this machine), and the sandbox helpers work
// on the lab through nsenter.
import type { HostTarget } from '../../electron/backend/apply';
import { execHost, type ExecHost } from './exec-host';
import type { LabHost } from './labhost';
import type { LabScope } from './lab-ssh';

export const MGMT_IF = 'mgmt0';
export const WORLD_NS = 'world';

export interface Uplink {
  name: string;
  /** Address on the lab's side, and the world's (also the gateway). */
  ip: string;
  gateway: string;
  worldNs: string;
}

const UPLINK_NETS: Record<string, string> = { eth0: '203.0.113', eth1: '198.51.100', eth2: '192.0.2' };

export function labExecHost(lab: LabHost): ExecHost {
  return execHost(['nsenter', '-t', String(lab.pid), '-a'], `lab ${lab.name}`);
}

async function mustExec(lab: LabHost, cmd: string): Promise<string> {
  const r = await lab.exec(cmd);
  if (r.code !== 0) throw new Error(`lab ${lab.name}: ${cmd}\n-> exit ${r.code ?? r.signal}: ${r.stderr}`);
  return r.stdout;
}

/** Renames the lab's SSH interface eth0 to mgmt0 (before any connection is opened). */
export async function renameManagement(lab: LabHost): Promise<void> {
  await mustExec(lab, `ip link set eth0 down && ip link set eth0 name ${MGMT_IF} && ip link set ${MGMT_IF} up`);
  // The connected route comes back with the link; wait for it (the kernel's own state).
  await mustExec(lab, `for i in $(seq 200); do ip route show dev ${MGMT_IF} | grep -q . && exit 0; sleep 0.01; done; exit 1`);
}

/** A veth `name` in the lab's root namespace whose peer sits in the lab's "world" namespace. */
export async function addUplink(run: (cmd: string) => Promise<string>, name: string): Promise<Uplink> {
  const net = UPLINK_NETS[name];
  if (!net) throw new Error(`no test subnet for uplink ${name}`);
  await run(
    [
      `ip netns list | grep -qw ${WORLD_NS} || ip netns add ${WORLD_NS}`,
      `ip -n ${WORLD_NS} link set lo up`,
      `ip link add ${name} type veth peer name w-${name} netns ${WORLD_NS}`,
      `ip addr add ${net}.2/24 dev ${name}`,
      `ip link set ${name} up`,
      `ip -n ${WORLD_NS} addr add ${net}.1/24 dev w-${name}`,
      `ip -n ${WORLD_NS} link set w-${name} up`,
    ].join(' && '),
  );
  return { name, ip: `${net}.2`, gateway: `${net}.1`, worldNs: WORLD_NS };
}

/** Prepares a started lab for an example: mgmt0 for SSH, the example's NICs as uplinks. */
export async function shapeLab(lab: LabHost, nics: readonly string[]): Promise<{ host: ExecHost; uplinks: Uplink[] }> {
  await renameManagement(lab);
  const uplinks: Uplink[] = [];
  for (const n of nics) uplinks.push(await addUplink((c) => mustExec(lab, c), n));
  return { host: labExecHost(lab), uplinks };
}

/** The engine's view of a lab: one SSH executor, and fresh ones for commit-confirmed. */
export function labTarget(scope: LabScope, lab: LabHost): HostTarget {
  return { executor: scope.executor(lab), fresh: async () => scope.executor(lab) };
}

/** Polls `check` (a read of the host's real state) until it is true or the deadline passes. */
export async function eventually(what: string, check: () => Promise<boolean>, deadlineMs: number, everyMs = 100): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`${what}: not true within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
