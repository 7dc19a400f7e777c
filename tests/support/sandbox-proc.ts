// Process bookkeeping for the kernel sandbox: spawning with collected output, reading
// /proc, and finding processes (or open namespace handles) that outlived a sandbox.
//
// Leftover checks look only at what this test process started (its descendants, which is
// where a sandbox's, a lab's or a server's processes live): never at every process on the
// machine, where other programs (another test run, another user's namespaces reusing a
// freed inode number) would be mistaken for our leftovers.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface ExecResult {
  /** Exit code, or null when the process was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with the child right after it is spawned (for bookkeeping). */
  onSpawn?: (child: ChildProcess) => void;
}

/** A deliberately small environment: no BASH_ENV, no pyenv, stable (C) output. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    LC_ALL: 'C',
    HOME: '/',
    ...extra,
  };
}

/** Runs argv to completion, collecting stdout/stderr; never rejects for a non-zero exit. */
export function runProcess(argv: readonly string[], opts: SpawnOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv;
    if (cmd === undefined) {
      reject(new Error('runProcess: empty argv'));
      return;
    }
    const child = spawn(cmd, args, { cwd: '/', env: opts.env ?? cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    opts.onSpawn?.(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    // EPIPE when the command does not read all of its stdin is not an error of ours.
    child.stdin.on('error', () => undefined);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** Resolves when the child has exited (immediately if it already has). */
export function childExited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Resolves true when `p` settles within `ms`, false otherwise (a guard, not a wait). */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true as const), guard]);
  } finally {
    clearTimeout(timer);
  }
}

/** Field 22 of /proc/PID/stat: start time in clock ticks since boot; null if gone. */
export function processStartTicks(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // comm (field 2) may contain spaces and parentheses: split after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[19]);
  return Number.isFinite(ticks) ? ticks : null;
}

/** True when PID still names the process that started at `startTicks`. */
export function processAlive(pid: number, startTicks: number): boolean {
  return processStartTicks(pid) === startTicks;
}

/** "Now" in the clock-tick units of processStartTicks (USER_HZ is 100 on Linux). */
export function uptimeTicks(): number {
  const seconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return Math.floor(seconds * 100);
}

/** readlink of /proc/PID/ns/KIND, e.g. "net:[4026532301]"; null when unreadable. */
export function nsLink(pid: number | 'self', kind: 'net' | 'mnt' | 'pid' | 'user'): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return null;
  }
}

export function processCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '?';
  }
}

/**
 * PIDs of every process below `root` (default: this process) right now: its children,
 * their children, and so on (all threads' children: any thread may have forked).
 */
export function descendants(root: number = process.pid): number[] {
  const out: number[] = [];
  const seen = new Set<number>([root]);
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // exited meanwhile
    }
    for (const tid of tasks) {
      let kids: string[] = [];
      try {
        kids = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      } catch {
        continue;
      }
      for (const k of kids.map(Number)) {
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(k);
        queue.push(k);
      }
    }
  }
  return out;
}

export interface NsHolder {
  pid: number;
  cmdline: string;
  /** What ties it to the sandbox: "ns/net", "ns/pid", "fd 5" ... */
  via: string;
  ns: string;
}

/**
 * Every process this test started (descendants of this process) that is inside one of
 * `nsLinks` ("net:[123]" style, as readlink shows them) or holds an fd to one, and that
 * started at or before `startedBy` ticks. Namespace inode numbers are recycled as soon as
 * a namespace is freed, so a process created after the sandbox died can legitimately show
 * a matching inode; the start-time bound tells such a newcomer from a real leftover.
 */
export function findNamespaceHolders(nsLinks: ReadonlySet<string>, startedBy: number): NsHolder[] {
  const found: NsHolder[] = [];
  if (nsLinks.size === 0) return found;
  for (const pid of descendants()) {
    const start = processStartTicks(pid);
    if (start === null || start > startedBy) continue;
    for (const kind of ['net', 'mnt', 'pid', 'user'] as const) {
      const link = nsLink(pid, kind);
      if (link !== null && nsLinks.has(link)) found.push({ pid, cmdline: processCmdline(pid), via: `ns/${kind}`, ns: link });
    }
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      // Another user's process: its fds are not ours to read (and not ours to leak).
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (nsLinks.has(target)) found.push({ pid, cmdline: processCmdline(pid), via: `fd ${fd}`, ns: target });
    }
  }
  return found;
}

/** Host PIDs of the processes this test started whose pid namespace is `pidNs` ("pid:[123]"). */
export function processesInPidNs(pidNs: string): number[] {
  return descendants().filter((pid) => nsLink(pid, 'pid') === pidNs);
}

/** Host PIDs of the processes this test started whose network namespace is `netNs` ("net:[123]"). */
export function processesInNetNs(netNs: string): number[] {
  return descendants().filter((pid) => nsLink(pid, 'net') === netNs);
}
