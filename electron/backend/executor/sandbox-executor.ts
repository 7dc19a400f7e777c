// A host of kind 'sandbox': a private user+net+mount(+pid) namespace on this machine that
// lives as long as the app. Plans and exported scripts really run there, as root of the
// namespace, without touching the machine's own network; closing it (or the app dying)
// ends every process inside and with them every interface and namespace they made.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { ConnectionLost, HostUnreachable } from './errors';
import { SANDBOX_HOLDER_SH } from './sandbox-holder.generated';
import { SANDBOX_STAND_INS_SH } from './sandbox-stand-ins.generated';
import { shellCommand } from '../../../shared/export/quote';
import { standInNics, type StandInNic } from '../../../shared/sandbox/stand-ins';
import type { Design, Host } from '../../../shared/model/schema';
import { runChild } from './child-run';
import { commandSummary, runScope } from './run-signal';
import type { HostExecutor, RunOptions, RunResult } from './types';

// The holder program (sandbox-holder.sh) mounts the sandbox's own /run and /sys, says
// "ready" and, as PID 1 of the sandbox, waits for the app: see that file.

/**
 * The hidden "outside" network namespace of stand-in NICs: a bind mount under the
 * sandbox's private /run, outside /run/netns, so nothing that lists namespaces sees it.
 */
export const SANDBOX_OUTSIDE_NETNS = '/run/wireplan-sandbox/outside.net';

export interface SandboxOptions {
  /** Shown by describe(). */
  name?: string;
  startTimeoutMs?: number;
}

export class SandboxExecutor implements HostExecutor {
  private closed?: Promise<void>;
  private readonly closing = new AbortController();
  /** Stand-in NICs made so far, by name (one deleted by hand later is not made again). */
  private readonly madeStandIns = new Map<string, StandInNic>();
  private standInQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly holder: ChildProcessWithoutNullStreams,
    /** PID (in this machine's PID namespace) of the sandbox's init. */
    readonly pid: number,
    private readonly label: string,
    private readonly exited: Promise<void>,
  ) {
    // Every run in flight listens for close(): many at once is normal, not a leak.
    setMaxListeners(0, this.closing.signal);
  }

  /** `unshare --user --map-root-user` needs no privilege, and works as root too. */
  static async start(opts: SandboxOptions = {}): Promise<SandboxExecutor> {
    const label = `sandbox ${opts.name ?? 'local'}`;
    const holder = spawn(
      'unshare',
      // bash without startup files and with a clean environment: a server started with
      // SHLVL=0 and stdin on a pipe made bash read ~/.bashrc (pyenv and the like) here.
      ['--user', '--map-root-user', '--net', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private', 'bash', '--norc', '--noprofile', '-c', SANDBOX_HOLDER_SH, 'wireplan-sandbox'],
      { stdio: ['pipe', 'pipe', 'pipe'], env: cleanEnv() },
    );
    const exited = new Promise<void>((resolve) => holder.once('close', () => resolve()));
    let stderr = '';
    holder.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    holder.on('error', (e) => (stderr += e.message));
    const ms = opts.startTimeoutMs ?? 10_000;
    let timedOut = false;
    const ready = await new Promise<boolean>((resolve) => {
      let out = '';
      const timer = setTimeout(() => ((timedOut = true), resolve(false)), ms);
      holder.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('ready\n')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (!ready) {
      holder.kill('SIGKILL');
      await exited;
      throw new HostUnreachable(label, `sandbox did not start: ${stderr.trim() || sandboxSilence(timedOut, ms)}`);
    }
    holder.stdout.resume();
    let pid: number;
    try {
      pid = initPidOf(holder.pid!);
    } catch (e) {
      holder.stdin.destroy(); // the init exits on EOF and takes the sandbox with it
      await exited;
      throw new HostUnreachable(label, `sandbox init not found: ${(e as Error).message}`);
    }
    return new SandboxExecutor(holder, pid, label, exited);
  }

  describe(): string {
    return this.label;
  }

  run(command: string, opts: RunOptions = {}): Promise<RunResult> {
    if (this.closing.signal.aborted) return Promise.reject(new ConnectionLost(this.label, 'sandbox closed'));
    const scope = runScope(this.label, `command ${commandSummary(command)}`, opts, this.closing.signal);
    // nsenter forks into the PID namespace. --preserve-credentials: an unprivileged caller
    // may not setgroups() in a --map-root-user namespace, and needs no uid change anyway
    // (its own uid already maps to root there).
    const argv = ['nsenter', '-t', String(this.pid), '--user', '--net', '--mount', '--pid', '--preserve-credentials', '--', ...cleanBash(command)];
    return runChild(argv, this.label, { ...opts, signal: scope.signal }).finally(() => scope.dispose());
  }

  /**
   * Creates the stand-in NICs (shared/sandbox/stand-ins.ts) this sandbox has not made yet:
   * a veth each, its far end in the hidden outside namespace. Calls queue behind each other.
   */
  ensureStandIns(nics: readonly StandInNic[]): Promise<void> {
    const run = this.standInQueue.then(async () => {
      const todo = nics.filter((n) => !this.madeStandIns.has(n.name));
      if (todo.length === 0) return;
      const args = todo.flatMap((n) => [n.name, n.hostCidr, n.outsideCidr]);
      const r = await this.run(shellCommand(['bash', '-c', SANDBOX_STAND_INS_SH, 'wp-stand-ins', SANDBOX_OUTSIDE_NETNS, ...args]));
      if (r.code !== 0) throw new Error(`${this.label}: could not create stand-in NICs ${todo.map((n) => n.name).join(', ')}: ${r.stderr.trim() || `exit ${r.code ?? r.signal}`}`);
      for (const n of todo) this.madeStandIns.set(n.name, n);
    });
    this.standInQueue = run.catch(() => undefined);
    return run;
  }

  /** The stand-in NICs this sandbox made, in the order it made them. */
  standIns(): StandInNic[] {
    return [...this.madeStandIns.values()];
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing.abort(new ConnectionLost(this.label, 'sandbox closed'));
      try {
        process.kill(this.pid, 'SIGKILL'); // our own init, by PID: the kernel kills the rest
      } catch {
        /* already gone */
      }
      this.holder.stdin.destroy();
      await this.exited;
    })();
    return this.closed;
  }
}

/** A fresh sandbox for a design host, with stand-ins for the NICs the design names (the CLI's throwaway sandboxes). */
export async function startSandboxFor(design: Design, host: Host, name = host.id): Promise<SandboxExecutor> {
  const nics = standInNics(design, host.id);
  if (!nics.ok) throw new Error(nics.error);
  const sb = await SandboxExecutor.start({ name });
  try {
    await sb.ensureStandIns(nics.nics);
  } catch (e) {
    await sb.close();
    throw e;
  }
  return sb;
}

function initPidOf(unsharePid: number): number {
  const children = readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  if (children.length !== 1) throw new Error(`expected one child of unshare ${unsharePid}, found [${children.join(' ')}]`);
  return Number(children[0]);
}

/** What to tell the user when the sandbox holder gave neither a ready line nor a message. */
export function sandboxSilence(timedOut: boolean, ms: number): string {
  const what = timedOut ? `no ready line within ${Math.round(ms / 1000)} s` : 'it exited at once without a message';
  return `${what}. Check that unprivileged user namespaces are allowed (sysctl user.max_user_namespaces > 0, and kernel.unprivileged_userns_clone = 1 where that exists), that unshare (util-linux), bash and ip (iproute2) are installed${timedOut ? ', and, on a busy machine, try again' : ''}`;
}

/** The environment helper shells get: a PATH and the C locale, nothing of the server's own. */
function cleanEnv(): Record<string, string> {
  return { PATH: process.env['PATH'] || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };
}

/**
 * argv running `command` in a bash that reads no startup file: --norc --noprofile, and
 * without BASH_ENV/ENV (which a non-interactive bash would source). The rest of the
 * environment stays: callers pass variables to their commands through it.
 */
export function cleanBash(command: string): string[] {
  return ['env', '-u', 'BASH_ENV', '-u', 'ENV', 'bash', '--norc', '--noprofile', '-c', command];
}
