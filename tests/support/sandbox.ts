// A throwaway real-kernel sandbox for tests: new network + mount + pid namespaces
// (plus a user namespace when not root), a private tmpfs on /run so `ip netns add`
// stays inside, fresh /proc and /sys, loopback up and an optional fake uplink.
//
// One long-lived holder process (PID 1 of the sandbox's pid namespace) keeps the
// namespaces alive; commands enter them with nsenter. Killing the holder tears the
// whole sandbox down: every process that ran inside is in its pid namespace and dies
// with it, and the named namespaces under /run/netns vanish with the mount namespace.
//
// Nothing here touches the host's network: all links, namespaces, addresses, routes
// and rules are made inside the sandbox, and the sandbox has no path out of it.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, statSync } from 'node:fs';
import {
  childExited,
  cleanEnv,
  findNamespaceHolders,
  nsLink,
  processAlive,
  processCmdline,
  processesInPidNs,
  processStartTicks,
  runProcess,
  settlesWithin,
  uptimeTicks,
  type ExecResult,
} from './sandbox-proc';

export type { ExecResult } from './sandbox-proc';
export {
  addresses,
  links,
  listen,
  nftRuleset,
  ping,
  routes,
  tcpConnect,
  tcpExchange,
  type IpAddrEntry,
  type IpLink,
  type IpRoute,
  type Listener,
  type ListenerConnection,
} from './sandbox-net';
export { diffSnapshots, portableSnapshot, snapshot, type DiffOptions, type NamespaceSnapshot, type Snapshot } from './sandbox-snapshot';
export {
  KERNEL_FEATURES,
  kernelFeatureReport,
  kernelFeatures,
  missingFeatures,
  skipUnlessFeatures,
  type KernelFeature,
} from './kernel-features';

/** The sandbox's own (root) network namespace, where `ns` arguments accept '' or null. */
export const ROOT_NS = '';
export type NsRef = string | null | undefined;

export interface UplinkOptions {
  /** Interface name of the uplink in the sandbox root namespace. Default 'uplink0'. */
  name?: string;
  /** The uplink's address (CIDR). Default 203.0.113.2/24 (TEST-NET-3). */
  address?: string;
  /** The "outside world" end, also the default gateway. Default 203.0.113.1. */
  gateway?: string;
  /** IPv6 address (CIDR), or null for none. Default 2001:db8:ffff::2/64. */
  address6?: string | null;
  /** IPv6 gateway. Default 2001:db8:ffff::1. */
  gateway6?: string;
  /** Named namespace (inside the sandbox) that plays the outside world. Default 'world'. */
  worldNs?: string;
  /** The world's end of the veth pair. Default 'eth0'. */
  worldIf?: string;
  /** Install default routes via the gateway(s). Default true. */
  defaultRoute?: boolean;
}

export interface Uplink {
  name: string;
  /** CIDR on the uplink, e.g. 203.0.113.2/24. */
  address: string;
  ip: string;
  gateway: string;
  address6: string | null;
  ip6: string | null;
  gateway6: string | null;
  worldNs: string;
  worldIf: string;
}

export interface SandboxOptions {
  /**
   * 'auto' (default): root-made namespaces when this process is root, else a user
   * namespace (`--user --map-root-user`). 'user' as root drops to `user` first.
   */
  privilege?: 'auto' | 'root' | 'user';
  /** Identity for privilege 'user' when running as root. Default nobody (65534). */
  user?: { uid: number; gid: number };
  /** A fake uplink: a veth pair whose far end sits in a namespace playing the world. */
  uplink?: boolean | UplinkOptions;
}

export interface ExecOptions {
  /** Named namespace inside the sandbox to run in (via `ip netns exec`); default its root. */
  ns?: NsRef;
  /** Extra environment (on top of a minimal PATH/LC_ALL=C/HOME environment). */
  env?: NodeJS.ProcessEnv;
  /** Kill the command (inside the sandbox) after this long. Default 120 s. */
  timeoutMs?: number;
  /** Data for the command's stdin (exec only; run() feeds the script there). */
  stdin?: string;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const READY_GUARD_MS = 15_000;
const CLOSE_GUARD_MS = 15_000;
const NOBODY = { uid: 65534, gid: 65534 };

// Runs as PID 1 of the new pid namespace. Prints one "ready" line when set up, then
// waits for EOF on stdin: if the test process dies, its pipe closes and so does this.
// As PID 1 it also reaps whatever orphans scripts leave behind (bash does that).
const HOLDER_SCRIPT = String.raw`
set -eu
read -r hostpid _ < /proc/self/stat
warn=""
mount -t tmpfs -o mode=0755,size=16m wireplan-run /run
mount -t proc proc /proc 2>/dev/null || warn="$warn no-fresh-proc"
mount -t sysfs sysfs /sys 2>/dev/null || warn="$warn no-fresh-sysfs"
ip link set lo up
if [ -n "$1" ]; then
  up=$1 addr=$2 gwcidr=$3 gw=$4 addr6=$5 gw6cidr=$6 gw6=$7 world=$8 peer=$9
  shift 9
  defroute=$1
  ip netns add "$world"
  ip -n "$world" link set lo up
  ip link add "$up" type veth peer name "$peer" netns "$world"
  # No DAD on the fake uplink: the sandbox is settled the moment it says ready.
  if [ -w "/proc/sys/net/ipv6/conf/$up/accept_dad" ]; then
    echo 0 > "/proc/sys/net/ipv6/conf/$up/accept_dad"
    ip netns exec "$world" sh -c 'echo 0 > "/proc/sys/net/ipv6/conf/$1/accept_dad"' sh "$peer"
  fi
  ip addr add "$addr" dev "$up"
  ip -n "$world" addr add "$gwcidr" dev "$peer"
  if [ -n "$addr6" ]; then
    ip addr add "$addr6" dev "$up" nodad
    ip -n "$world" addr add "$gw6cidr" dev "$peer" nodad
  fi
  ip -n "$world" link set "$peer" up
  ip link set "$up" up
  if [ "$defroute" = 1 ]; then
    ip route add default via "$gw" dev "$up"
    if [ -n "$addr6" ]; then ip -6 route add default via "$gw6" dev "$up"; fi
  fi
fi
echo "ready $hostpid$warn"
while read -r _; do :; done
`;

interface Registered {
  holderPid: number;
  holderStart: number;
}
const open = new Set<Registered>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort for a test that forgot close(): kill holders by PID on the way out.
  process.on('exit', () => {
    for (const r of open) {
      if (processAlive(r.holderPid, r.holderStart)) {
        try {
          process.kill(r.holderPid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function resolveUplink(opt: SandboxOptions['uplink']): Uplink | null {
  if (!opt) return null;
  const o: UplinkOptions = opt === true ? {} : opt;
  const address = o.address ?? '203.0.113.2/24';
  const address6 = o.address6 === undefined ? '2001:db8:ffff::2/64' : o.address6;
  return {
    name: o.name ?? 'uplink0',
    address,
    ip: address.split('/')[0]!,
    gateway: o.gateway ?? '203.0.113.1',
    address6,
    ip6: address6 === null ? null : address6.split('/')[0]!,
    gateway6: address6 === null ? null : (o.gateway6 ?? '2001:db8:ffff::1'),
    worldNs: o.worldNs ?? 'world',
    worldIf: o.worldIf ?? 'eth0',
  };
}

export class Sandbox {
  /** Host PID of the holder (PID 1 inside the sandbox). */
  readonly pid: number;
  /** 'root': root-made namespaces; 'user': inside a user namespace (mapped root). */
  readonly privilege: 'root' | 'user';
  readonly uplink: Uplink | null;
  /** Things the sandbox could not set up (e.g. 'no-fresh-sysfs'); empty normally. */
  readonly warnings: readonly string[];
  /** Wall-clock milliseconds from spawn to "ready". */
  readonly createMs: number;
  /** Wall-clock milliseconds close() took (kill + leak check); null until closed. */
  closeMs: number | null = null;
  /** The namespaces that make up this sandbox, as readlink(/proc/PID/ns/*) shows them. */
  readonly namespaces: Readonly<Record<'net' | 'mnt' | 'pid' | 'user', string | null>>;

  private readonly holder: ChildProcess;
  private readonly holderStart: number;
  private readonly prefix: readonly string[];
  private readonly children = new Set<ChildProcess>();
  private readonly registration: Registered;
  /**
   * An open handle on the sandbox's mount namespace until close() has checked for
   * holders: every `ip -n NS` anywhere on the machine makes a fresh mount namespace, and
   * without the pin a freed inode number can be reused within milliseconds and read as
   * a leak of this sandbox. (Our own process is never counted as a holder.)
   */
  private mntPin: number | null = null;
  private closing: Promise<void> | null = null;

  /** @internal use createSandbox() */
  constructor(args: {
    holder: ChildProcess;
    pid: number;
    privilege: 'root' | 'user';
    dropTo: { uid: number; gid: number } | null;
    uplink: Uplink | null;
    warnings: string[];
    createMs: number;
  }) {
    this.holder = args.holder;
    this.pid = args.pid;
    this.privilege = args.privilege;
    this.uplink = args.uplink;
    this.warnings = args.warnings;
    this.createMs = args.createMs;
    const start = processStartTicks(this.pid);
    if (start === null) throw new Error(`sandbox holder ${this.pid} vanished right after start`);
    this.holderStart = start;
    const own = { net: nsLink('self', 'net'), mnt: nsLink('self', 'mnt'), pid: nsLink('self', 'pid'), user: nsLink('self', 'user') };
    const mine = (kind: 'net' | 'mnt' | 'pid' | 'user'): string | null => {
      const l = nsLink(this.pid, kind);
      return l !== null && l !== own[kind] ? l : null;
    };
    this.namespaces = { net: mine('net'), mnt: mine('mnt'), pid: mine('pid'), user: mine('user') };
    if (this.namespaces.mnt) {
      try {
        this.mntPin = openSync(`/proc/${this.pid}/ns/mnt`, 'r');
      } catch {
        // Not ours to open (it vanished): the check below then relies on start times alone.
      }
    }
    const drop = args.dropTo ? ['setpriv', `--reuid=${args.dropTo.uid}`, `--regid=${args.dropTo.gid}`, '--clear-groups', '--'] : [];
    const userns = args.privilege === 'user' ? ['-U', '--preserve-credentials'] : [];
    this.prefix = [...drop, 'nsenter', '-t', String(this.pid), ...userns, '-n', '-m', '-p', '--'];
    this.registration = { holderPid: this.pid, holderStart: this.holderStart };
    open.add(this.registration);
  }

  get closed(): boolean {
    return this.closing !== null;
  }

  /** The full host argv that runs `argv` inside the sandbox (in netns `ns` if given). */
  command(argv: readonly string[], opts: { ns?: NsRef; timeoutMs?: number } = {}): string[] {
    const seconds = Math.max(1, Math.ceil((opts.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000));
    const inNs = opts.ns ? ['ip', 'netns', 'exec', opts.ns] : [];
    return [...this.prefix, 'timeout', '-k', '2', String(seconds), ...inNs, ...argv];
  }

  /** Runs one command inside the sandbox. Never rejects for a non-zero exit. */
  async exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    this.assertOpen();
    return runProcess(this.command(argv, opts), {
      stdin: opts.stdin ?? '',
      env: cleanEnv(opts.env),
      onSpawn: (child) => this.track(child),
    });
  }

  /** Runs a bash script inside the sandbox exactly like `bash -s -- args < script`. */
  async run(script: string, args: readonly string[] = [], opts: Omit<ExecOptions, 'stdin'> = {}): Promise<ExecResult> {
    return this.exec(['bash', '-s', '--', ...args], { ...opts, stdin: script });
  }

  /** exec() that throws (with stdout/stderr) unless the command exits 0; returns stdout. */
  async execOk(argv: readonly string[], opts: ExecOptions = {}): Promise<string> {
    return checked(`exec ${argv.join(' ')}`, await this.exec(argv, opts));
  }

  /** run() that throws (with stdout/stderr) unless the script exits 0; returns stdout. */
  async runOk(script: string, args: readonly string[] = [], opts: Omit<ExecOptions, 'stdin'> = {}): Promise<string> {
    return checked(`script ${firstLine(script)}`, await this.run(script, args, opts));
  }

  /**
   * Starts a long-running command inside the sandbox and returns the host-side child
   * (nsenter). It is tracked: close() waits for it and reports it if it lingers.
   */
  spawn(argv: readonly string[], opts: Omit<ExecOptions, 'stdin'> = {}): ChildProcess {
    this.assertOpen();
    const [cmd, ...args] = this.command(argv, { ns: opts.ns, timeoutMs: opts.timeoutMs ?? 24 * 3600_000 });
    const child = spawn(cmd!, args, { cwd: '/', env: cleanEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => undefined);
    this.track(child);
    return child;
  }

  /** Host PIDs of every process currently inside the sandbox (its pid namespace). */
  processes(): number[] {
    return this.namespaces.pid ? processesInPidNs(this.namespaces.pid) : [];
  }

  /**
   * Kills the holder by PID, waits for the sandbox to be gone, and throws if anything
   * outlived it: a process still inside one of its namespaces, or anything holding
   * one of its (named) network namespaces open. Idempotent.
   */
  close(): Promise<void> {
    if (!this.closing) this.closing = this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    const t0 = performance.now();
    const watched = new Set<string>(Object.values(this.namespaces).filter((v): v is string => v !== null));
    for (const link of this.innerNetnsLinks()) watched.add(link);

    const killedAt = uptimeTicks();
    if (processAlive(this.pid, this.holderStart)) {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        // raced with its own exit
      }
    }
    const problems: string[] = [];
    // unshare (our child) exits only after PID 1 of the namespace is reaped, and PID 1
    // is reaped only after every other process of the namespace is gone.
    if (!(await settlesWithin(childExited(this.holder), CLOSE_GUARD_MS))) {
      problems.push(`holder ${this.pid} did not exit within ${CLOSE_GUARD_MS} ms`);
      if (this.holder.pid !== undefined) process.kill(this.holder.pid, 'SIGKILL');
    }
    const lingering = [...this.children].map(async (child) => {
      if (!(await settlesWithin(childExited(child), CLOSE_GUARD_MS))) {
        problems.push(`nsenter ${child.pid} (${child.spawnargs.join(' ')}) still running after the sandbox died`);
        child.kill('SIGKILL');
      }
    });
    await Promise.all(lingering);
    open.delete(this.registration);

    if (processAlive(this.pid, this.holderStart)) problems.push(`holder ${this.pid} is still alive: ${processCmdline(this.pid)}`);
    for (const h of findNamespaceHolders(watched, killedAt)) {
      problems.push(`process ${h.pid} (${h.cmdline}) still holds ${h.ns} via ${h.via}`);
    }
    if (this.mntPin !== null) closeSync(this.mntPin);
    this.mntPin = null;
    this.closeMs = performance.now() - t0;
    if (problems.length > 0) throw new Error(`sandbox ${this.pid} leaked:\n  ${problems.join('\n  ')}`);
  }

  /** "net:[ino]" of each namespace registered under the sandbox's /run/netns. */
  private innerNetnsLinks(): string[] {
    const dir = `/proc/${this.pid}/root/run/netns`;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    const links: string[] = [];
    for (const name of names) {
      try {
        links.push(`net:[${statSync(`${dir}/${name}`).ino}]`);
      } catch {
        // removed meanwhile
      }
    }
    return links;
  }

  private track(child: ChildProcess): void {
    this.children.add(child);
    child.once('close', () => this.children.delete(child));
  }

  private assertOpen(): void {
    if (this.closing) throw new Error(`sandbox ${this.pid} is closed`);
  }
}

/** "10.0.0.1" + "10.0.0.2/24" -> "10.0.0.1/24". */
function withPrefixOf(ip: string, cidr: string): string {
  return `${ip}/${cidr.split('/')[1] ?? (ip.includes(':') ? '128' : '32')}`;
}

function firstLine(script: string): string {
  const line = script.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

function checked(what: string, r: ExecResult): string {
  if (r.code === 0) return r.stdout;
  throw new Error(`${what} failed (code ${r.code ?? r.signal}):\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`);
}

/** Creates a sandbox; resolves once its holder has reported that it is set up. */
export async function createSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const root = isRoot();
  const wanted = opts.privilege ?? 'auto';
  if (wanted === 'root' && !root) throw new Error('createSandbox: privilege "root" needs uid 0');
  const privilege: 'root' | 'user' = wanted === 'auto' ? (root ? 'root' : 'user') : wanted;
  const dropTo = privilege === 'user' && root ? (opts.user ?? NOBODY) : null;
  const uplink = resolveUplink(opts.uplink);

  const drop = dropTo ? ['setpriv', `--reuid=${dropTo.uid}`, `--regid=${dropTo.gid}`, '--clear-groups', '--'] : [];
  const userns = privilege === 'user' ? ['--user', '--map-root-user'] : [];
  const defaultRoute = typeof opts.uplink === 'object' ? opts.uplink.defaultRoute !== false : true;
  const holderArgs = uplink
    ? [
        uplink.name,
        uplink.address,
        withPrefixOf(uplink.gateway, uplink.address),
        uplink.gateway,
        uplink.address6 ?? '',
        uplink.address6 !== null && uplink.gateway6 !== null ? withPrefixOf(uplink.gateway6, uplink.address6) : '',
        uplink.gateway6 ?? '',
        uplink.worldNs,
        uplink.worldIf,
        defaultRoute ? '1' : '0',
      ]
    : Array<string>(10).fill('');
  const argv = [
    ...drop,
    'unshare', ...userns, '--net', '--mount', '--pid', '--fork', '--kill-child', '--propagation', 'private',
    '--', 'bash', '-c', HOLDER_SCRIPT, 'wireplan-sandbox', ...holderArgs,
  ];
  installExitHook();
  const t0 = performance.now();
  const holder = spawn(argv[0]!, argv.slice(1), { cwd: '/', env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  holder.stdin.on('error', () => undefined);
  let stderr = '';
  holder.stderr.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
  });

  const ready = await new Promise<{ pid: number; warnings: string[] }>((resolve, reject) => {
    let out = '';
    const guard = setTimeout(() => {
      holder.kill('SIGKILL');
      reject(new Error(`sandbox holder not ready within ${READY_GUARD_MS} ms; stderr:\n${stderr}`));
    }, READY_GUARD_MS);
    const onData = (b: Buffer): void => {
      out += b.toString('utf8');
      const m = /^ready (\d+)(.*)$/m.exec(out);
      if (!m) return;
      clearTimeout(guard);
      holder.stdout.off('data', onData);
      holder.off('exit', onExit);
      resolve({ pid: Number(m[1]), warnings: m[2]!.trim().split(/\s+/).filter(Boolean) });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(guard);
      reject(new Error(`sandbox holder (${privilege}${dropTo ? ` as uid ${dropTo.uid}` : ''}) exited during setup (${code ?? signal}):\n${stderr}`));
    };
    holder.on('error', (e) => {
      clearTimeout(guard);
      reject(e);
    });
    holder.stdout.on('data', onData);
    holder.on('exit', onExit);
  });
  // Keep draining so the holder never blocks on a full pipe.
  holder.stdout.resume();

  return new Sandbox({
    holder,
    pid: ready.pid,
    privilege,
    dropTo,
    uplink,
    warnings: ready.warnings,
    createMs: performance.now() - t0,
  });
}

/** Runs `fn` with a fresh sandbox and always closes it (close() checks for leaks). */
export async function withSandbox<T>(fn: (sb: Sandbox) => Promise<T>): Promise<T>;
export async function withSandbox<T>(opts: SandboxOptions, fn: (sb: Sandbox) => Promise<T>): Promise<T>;
export async function withSandbox<T>(
  a: SandboxOptions | ((sb: Sandbox) => Promise<T>),
  b?: (sb: Sandbox) => Promise<T>,
): Promise<T> {
  const [opts, fn] = typeof a === 'function' ? [{}, a] : [a, b!];
  const sb = await createSandbox(opts);
  let result: T;
  try {
    result = await fn(sb);
  } catch (e) {
    await sb.close().catch((closeErr: unknown) => console.error(closeErr));
    throw e;
  }
  await sb.close();
  return result;
}

/**
 * Why an unprivileged (user-namespace) sandbox cannot be made here, or null if it can.
 * Probes by making one.
 */
export async function unprivilegedSandboxUnavailable(user = NOBODY): Promise<string | null> {
  try {
    const sb = await createSandbox({ privilege: 'user', user });
    await sb.close();
    return null;
  } catch (e) {
    return `unprivileged sandbox unavailable: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`;
  }
}
