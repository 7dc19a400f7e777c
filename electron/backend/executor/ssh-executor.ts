// A remote Linux host reached over SSH. One connection per host, opened on first use and
// again on demand after a drop; commands run on exec channels, at most maxChannels at a
// time (below sshd's MaxSessions, which refuses rather than queues the extra channel).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setMaxListeners } from 'node:events';
import { ChannelFailed, ConnectionLost, isExecutorError } from './errors';
import { abortable, commandSummary, runScope } from './run-signal';
import { Semaphore } from './semaphore';
import { authConfig, type AuthConfig, type SshAuth } from './ssh-auth';
import { connectSsh, type ConnectTuning, type SshConnection, type TrustNewHostKey } from './ssh-connect';
import { execChannel } from './ssh-exec';
import { asRoot, probeSudo, type SudoMode } from './sudo';
import { shellArgv } from './shell-command';
import { openSshShell } from './ssh-shell';
import { checkShellSize, type ShellOptions, type ShellSession } from './shell-types';
import type { HostExecutor, RunOptions, RunResult } from './types';

/** One jump host (ProxyJump hop): reached through the previous hop, its host key verified like the target's. */
export interface JumpHop {
  host: string;
  port: number;
  username: string;
  auth: SshAuth;
}

export interface SshExecutorOptions {
  host: string;
  port?: number;
  username: string;
  auth: SshAuth;
  /** Wireplan's own known_hosts (read, and written when a new key is trusted). */
  knownHostsPath: string;
  /** Read too, never written. Default ~/.ssh/known_hosts; null to ignore it. */
  userKnownHostsPath?: string | null;
  /** More known_hosts files, read and never written (ssh_config's UserKnownHostsFile, GlobalKnownHostsFile). */
  extraKnownHostsPaths?: readonly string[];
  /** Jump hosts in order (ProxyJump): each an SSH connection forwarded through the previous one. */
  jumps?: readonly JumpHop[];
  /** The ssh_config alias this login was resolved from, and by what (shown in the label). */
  via?: { alias: string; source: string };
  /** true (trust on first use), the fingerprint the user approved, or a callback that asks. */
  trustNewHostKey?: TrustNewHostKey;
  /** Run every command as root through sudo when the login user is not root. */
  sudo?: boolean | { password?: string };
  /** Concurrent exec channels on the connection (default 8; keep below sshd's MaxSessions 10). */
  maxChannels?: number;
  connectTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Default true; false exists only to measure what Nagle costs. */
  noDelay?: boolean;
  /** Connection events for the app log; never given a secret. */
  log?: (line: string) => void;
}

/** Back-off (ms) before re-opening a refused channel; ~0.3 s in all, then the refusal stands. */
const OPEN_RETRIES = [5, 10, 20, 40, 80, 160];

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class SshExecutor implements HostExecutor {
  private readonly label: string;
  private readonly channels: Semaphore;
  private readonly tuning: ConnectTuning;
  private readonly closing = new AbortController();
  private conn: Promise<SshConnection> | undefined;
  private sudoMode: Promise<SudoMode> | undefined;
  /** Open shells: each on a connection of its own, closed with the executor. */
  private readonly shells = new Set<ShellSession>();
  private auth: Promise<AuthConfig> | undefined;
  private trust: TrustNewHostKey | undefined;

  constructor(private readonly opts: SshExecutorOptions) {
    const port = opts.port ?? 22;
    const via = opts.via && opts.via.alias !== opts.host ? ` (${opts.via.alias} via ${opts.via.source})` : '';
    const hops = opts.jumps?.length ? ` (via ${opts.jumps.map((j) => `${j.username}@${j.host.includes(':') ? `[${j.host}]` : j.host}:${j.port}`).join(', ')})` : '';
    this.label = `ssh ${opts.username}@${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}${via}${hops}${opts.sudo ? ' (sudo)' : ''}`;
    this.channels = new Semaphore(opts.maxChannels ?? 8);
    this.trust = opts.trustNewHostKey;
    // Every run in flight listens for close(): many at once is normal, not a leak.
    setMaxListeners(0, this.closing.signal);
    this.tuning = {
      connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      handshakeTimeoutMs: opts.handshakeTimeoutMs ?? 20_000,
      keepaliveIntervalMs: opts.keepaliveIntervalMs ?? 1_000,
      keepaliveCountMax: opts.keepaliveCountMax ?? 3,
      noDelay: opts.noDelay ?? true,
    };
  }

  describe(): string {
    return this.label;
  }

  /** The login user (after ssh config resolution): what an inventory sudo mode is checked against. */
  get username(): string {
    return this.opts.username;
  }

  /** Trust this exact key from now on (after the user approved a HostKeyUnknown). */
  trustHostKey(fingerprint: string): void {
    this.trust = fingerprint;
  }

  /** Connects (or reuses the connection) without running anything: "test connection". */
  async connect(opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<void> {
    const scope = runScope(this.label, 'connect', opts, this.closing.signal);
    try {
      await this.connection(scope.signal);
    } finally {
      scope.dispose();
    }
  }

  /** Works out how this host becomes root (no-op without the sudo option); throws SudoRequired. */
  async preflightSudo(opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<SudoMode> {
    const scope = runScope(this.label, 'sudo preflight', opts, this.closing.signal);
    try {
      return await this.sudo(scope.signal);
    } finally {
      scope.dispose();
    }
  }

  async run(command: string, opts: RunOptions = {}): Promise<RunResult> {
    const scope = runScope(this.label, `command ${commandSummary(command)}`, opts, this.closing.signal);
    try {
      let wrapped: { command: string; stdin?: string | Buffer } = { command, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) };
      if (this.opts.sudo) wrapped = asRoot(await this.sudo(scope.signal), command, opts.stdin, this.sudoPassword());
      return await this.runRaw(wrapped.command, { ...opts, ...wrapped, signal: scope.signal });
    } finally {
      scope.dispose();
    }
  }

  /**
   * An interactive shell as root (sudo as for runs) on a connection of its own, so it
   * never takes a channel that runs need; it ends with the executor or the connection.
   */
  async openShell(opts: ShellOptions): Promise<ShellSession> {
    checkShellSize(opts);
    const argv = shellArgv(opts.namespace);
    const scope = runScope(this.label, 'shell', { timeoutMs: this.tuning.connectTimeoutMs + this.tuning.handshakeTimeoutMs }, this.closing.signal);
    try {
      const mode = this.opts.sudo ? await this.sudo(scope.signal) : 'already-root';
      const conn = await abortable(this.connectOnce(), scope.signal);
      const session = await openSshShell(conn, this.label, mode, this.sudoPassword(), argv, opts).catch((e: unknown) => {
        void conn.end();
        throw e;
      });
      this.shells.add(session);
      void session.ended.then(() => this.shells.delete(session));
      return session;
    } finally {
      scope.dispose();
    }
  }

  async close(): Promise<void> {
    for (const s of this.shells) s.close();
    if (!this.closing.signal.aborted) this.closing.abort(new ConnectionLost(this.label, 'executor closed'));
    const pending = this.conn;
    this.conn = undefined;
    const conn = await pending?.catch(() => undefined);
    await conn?.end();
  }

  /** Runs exactly `command` (no sudo) on a channel slot of a live connection. */
  private async runRaw(command: string, opts: RunOptions & { signal: AbortSignal }): Promise<RunResult> {
    const release = await this.channels.acquire(opts.signal);
    try {
      for (let attempt = 0; ; attempt++) {
        const conn = await this.connection(opts.signal);
        try {
          return await execChannel(conn, this.label, command, opts);
        } catch (e) {
          // sshd still counts a just-closed session against MaxSessions until its main loop
          // has collected it, so a burst of closes followed by opens can be refused although
          // we never exceed maxChannels. A refused open ran nothing: retrying is safe.
          if (!(e instanceof ChannelFailed && e.openRefused) || attempt >= OPEN_RETRIES.length) throw e;
          await abortable(delay(OPEN_RETRIES[attempt]!), opts.signal);
        }
      }
    } finally {
      release();
    }
  }

  private async connection(signal: AbortSignal): Promise<SshConnection> {
    for (;;) {
      if (this.closing.signal.aborted) throw this.closing.signal.reason;
      if (!this.conn) {
        const attempt = this.connectOnce();
        this.conn = attempt;
        attempt.then(
          (c) => c.onClose(() => {
            if (this.conn === attempt) this.conn = undefined; // reconnect on next use
          }),
          () => {
            if (this.conn === attempt) this.conn = undefined; // a failed attempt is not cached
          },
        );
      }
      const c = await abortable(this.conn, signal);
      if (!c.closed) return c;
    }
  }

  private async connectOnce(): Promise<SshConnection> {
    const o = this.opts;
    const log = (line: string) => o.log?.(`${this.label}: ${line}`);
    log('connecting');
    if (!this.auth) {
      const prepared = authConfig(o.auth, this.label, o.username);
      this.auth = prepared;
      prepared.catch(() => {
        if (this.auth === prepared) this.auth = undefined; // e.g. the key file appears later
      });
    }
    const policy = {
      knownHostsPath: o.knownHostsPath,
      userKnownHostsPath: o.userKnownHostsPath === undefined ? join(homedir(), '.ssh', 'known_hosts') : o.userKnownHostsPath,
      ...(o.extraKnownHostsPaths ? { extraKnownHostsPaths: o.extraKnownHostsPaths } : {}),
      ...(this.trust !== undefined ? { trustNewHostKey: this.trust } : {}),
    };
    // Jump hosts first, each through the one before: its host key is verified during its
    // own key exchange, so a wrong key stops the chain before anything reaches the next hop.
    const hops: SshConnection[] = [];
    const endHops = () => {
      for (const h of [...hops].reverse()) void h.end();
    };
    try {
      for (const [i, j] of (o.jumps ?? []).entries()) {
        const hopLabel = `${this.label} jump ${i + 1} ${j.username}@${j.host}:${j.port}`;
        const hopLog = (line: string) => o.log?.(`${hopLabel}: ${line}`);
        const auth = await authConfig(j.auth, hopLabel, j.username);
        const through = hops[hops.length - 1];
        hops.push(
          await connectSsh({ host: j.host, port: j.port, username: j.username, auth: j.auth }, auth, policy, this.tuning, {
            label: hopLabel,
            log: hopLog,
            signal: this.closing.signal,
            ...(through ? { through } : {}),
          }),
        );
      }
      const through = hops[hops.length - 1];
      const conn = await connectSsh({ host: o.host, port: o.port ?? 22, username: o.username, auth: o.auth }, await this.auth, policy, this.tuning, {
        label: this.label,
        log,
        signal: this.closing.signal,
        ...(through ? { through } : {}),
      });
      if (hops.length) {
        // The chain lives and dies as one: the target going ends the hops, a hop going ends the target.
        conn.onClose(endHops);
        for (const h of hops) {
          h.onClose(() => {
            if (conn.closed) return;
            conn.markClosed(h.lostError());
            conn.client.destroy();
          });
        }
      }
      return conn;
    } catch (e) {
      endHops();
      throw e;
    }
  }

  private sudo(signal: AbortSignal): Promise<SudoMode> {
    if (!this.sudoMode) {
      // The probe is shared by every run that waits for it, so it is not tied to the run
      // that happened to start it: one run's cancel or deadline must not fail the others
      // with its Cancelled. Each run still stops waiting on its own signal (abortable).
      const probe = probeSudo((cmd, stdin) => this.runRaw(cmd, { signal: this.closing.signal, ...(stdin !== undefined ? { stdin } : {}) }), this.label, this.opts.username, this.sudoPassword());
      this.sudoMode = probe;
      // Only a definite answer is kept; a dropped connection or a timeout asks again next time.
      probe.catch((e: unknown) => {
        if (this.sudoMode === probe && !(isExecutorError(e) && e.kind === 'SudoRequired')) this.sudoMode = undefined;
      });
    }
    return abortable(this.sudoMode, signal);
  }

  private sudoPassword(): string | undefined {
    return typeof this.opts.sudo === 'object' ? this.opts.sudo.password : undefined;
  }
}
