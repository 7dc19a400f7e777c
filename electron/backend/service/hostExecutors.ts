// One executor per design host for the app's lifetime: a local sandbox for hosts of kind
// 'sandbox' (started on first use, torn down with the app, so everything a run built there
// disappears with it) and an SSH connection for the others. Host keys must already be
// trusted (the connection test is where the user approves a new key); a login that needs
// a secret uses the one the user gave during this session or stored. Before a run the
// apply dialog asks prepareSudo how the login becomes root, and gives a sudo password there.
import type { Design, Host } from '../../../shared/model/schema';
import { standInNics } from '../../../shared/sandbox/stand-ins';
import type { SudoResult } from '../../../shared/api/contract';
import { isExecutorError, SandboxExecutor, SshExecutor, type HostExecutor, type SshExecutorOptions } from '../executor';
import { nopasswdRefused, serverSudoMode, sudoModeLoginError, sudoModeMismatch, type InventorySudo } from '../inventory/sudo-mode';
import type { SecretStore } from './secrets';
import { aliasLogin, planLogin, sudoSecretKey } from './sshLogin';
import { effectiveTarget } from '../inventory/effective-target';

export interface HostExecutorsOptions {
  knownHostsPath: string;
  secrets: SecretStore;
  log?: (line: string) => void;
  /** The ssh config to resolve aliases and jump hosts with (default ~/.ssh/config, as ssh). */
  sshConfigFile?: string;
}

export class HostExecutors {
  private readonly live = new Map<string, Promise<HostExecutor>>();
  /** The sudo-password key of each SSH connection's login, to drop them when a password is given. */
  private readonly sudoKeys = new WeakMap<HostExecutor, string>();
  private closed = false;

  constructor(private readonly opts: HostExecutorsOptions) {}

  /** Sandboxes are per design (tag) and host; SSH connections per login. */
  static keyOf(designTag: string, host: Host): string {
    const t = host.target;
    if (t.kind === 'sandbox') return `sandbox:${designTag}:${host.id}`;
    if (t.server) return `ssh-server:${t.server}`;
    const jump = t.jump ? `:via:${t.jump}` : '';
    return t.alias ? `ssh-alias:${t.alias}:${t.keyPath ?? ''}${jump}` : `ssh:${t.user}@${t.address}:${t.port}:${t.keyPath ?? ''}${jump}`;
  }

  /**
   * The executor of a design host. Given the whole design, a sandbox host also gets the
   * stand-ins of the NICs the design names (made once each; see shared/sandbox/stand-ins.ts).
   */
  get(design: string | Design, host: Host): Promise<HostExecutor> {
    if (this.closed) return Promise.reject(new Error('the backend is shutting down'));
    const designTag = typeof design === 'string' ? design : design.tag;
    const entry = this.cached(designTag, host);
    if (typeof design === 'string' || host.target.kind !== 'sandbox') return entry;
    return entry.then(async (ex) => {
      const nics = standInNics(design, host.id);
      if (!nics.ok) throw new Error(nics.error);
      if (nics.nics.length && ex instanceof SandboxExecutor) await ex.ensureStandIns(nics.nics);
      return ex;
    });
  }

  private cached(designTag: string, host: Host): Promise<HostExecutor> {
    const key = HostExecutors.keyOf(designTag, host);
    let entry = this.live.get(key);
    if (!entry) {
      entry = this.create(host);
      this.live.set(key, entry);
      entry.catch(() => {
        if (this.live.get(key) === entry) this.live.delete(key); // retry on next use
      });
    }
    return entry;
  }

  /** A new SSH connection outside the cache (the caller closes it). */
  fresh(host: Host): Promise<HostExecutor> {
    if (host.target.kind !== 'ssh') return Promise.reject(new Error(`${host.name}: only SSH hosts have fresh connections`));
    return this.create(host);
  }

  private async create(host: Host): Promise<HostExecutor> {
    if (host.target.kind === 'sandbox') return SandboxExecutor.start({ name: host.id });
    const { options, server } = await this.sshOptions(host);
    const executor = new SshExecutor(options);
    if (server?.mode === 'nopasswd' || server?.mode === 'none') {
      // The entry promises how this login becomes root: hold the host to it before any run.
      try {
        await this.enforce(server, executor);
      } catch (e) {
        await executor.close();
        throw e;
      }
    }
    this.sudoKeys.set(executor, options.sudoKey);
    return executor;
  }

  /** How to log in to an SSH design host, with the sudo password known for it (or `password`, to check one). */
  private async sshOptions(host: Host, password?: string): Promise<{ options: SshExecutorOptions & { sudoKey: string }; server?: { name: string; mode: InventorySudo } }> {
    if (host.target.kind !== 'ssh') throw new Error(`${host.name}: not an SSH host`);
    const named = <T>(p: Promise<T>) =>
      p.catch((e: Error) => {
        throw new Error(`${host.name}: ${e.message}`);
      });
    const t = await named(effectiveTarget(host.target));
    const mode = host.target.server ? await named(serverSudoMode(host.target.server)) : undefined;
    const server = host.target.server && mode ? { name: host.target.server, mode } : undefined;
    const log = this.opts.log ? { log: this.opts.log } : {};
    let base: SshExecutorOptions;
    if (t.alias || t.jump) {
      // Named by ssh config alias (HostName, User, Port, keys, known_hosts files and timeouts
      // as `ssh ALIAS` would use them), or reached through jump hosts: resolved like ssh.
      const more = { ...(t.jump ? { jump: t.jump } : {}), ...(t.alias ? {} : { user: t.user, port: t.port }), ...(this.opts.sshConfigFile ? { configFile: this.opts.sshConfigFile } : {}) };
      const { options, resolvedBy } = await named(aliasLogin(t.alias || t.address, t.keyPath, process.env, more));
      this.opts.log?.(`${host.name}: ${resolvedBy}`);
      base = { ...options, knownHostsPath: this.opts.knownHostsPath, ...log };
    } else {
      const login = await planLogin({ address: t.address, port: t.port, user: t.user, ...(t.keyPath ? { keyPath: t.keyPath } : {}) }, this.opts.secrets);
      if ('error' in login) throw new Error(`${host.name}: ${login.error}`);
      base = { host: t.address, port: t.port, username: t.user, auth: login.auth, knownHostsPath: this.opts.knownHostsPath, ...log };
    }
    if (server) {
      const wrong = sudoModeLoginError(server.name, server.mode, base.username);
      if (wrong) throw new Error(`${host.name}: ${wrong}`);
    }
    const sudoKey = sudoSecretKey(base.username, t.alias || t.address, t.port);
    let sudo: SshExecutorOptions['sudo'] = false;
    if (base.username !== 'root') {
      // "nopasswd" never sends a password, even one remembered for this login.
      const known = server?.mode === 'nopasswd' ? undefined : (password ?? (await this.opts.secrets.get(sudoKey)));
      sudo = known !== undefined ? { password: known } : true;
    }
    return { options: { ...base, sudo, sudoKey }, ...(server ? { server } : {}) };
  }

  private async enforce(server: { name: string; mode: InventorySudo }, executor: SshExecutor): Promise<void> {
    let mode;
    try {
      mode = await executor.preflightSudo();
    } catch (e) {
      if (server.mode === 'nopasswd' && isExecutorError(e) && e.kind === 'SudoRequired' && /password/.test(e.message)) throw new Error(nopasswdRefused(server.name, e.message));
      throw e;
    }
    const wrong = sudoModeMismatch(server.name, server.mode, mode);
    if (wrong) throw new Error(wrong);
  }

  /**
   * Before a run: how this SSH host's login becomes root. With `password`, it is checked
   * on the host first (sudo -S, on stdin only) on a connection of its own, and only then
   * kept: in memory, and with `remember` in the OS keychain (never in plain text). Cached
   * connections of the login are dropped, so the next run uses it.
   */
  async prepareSudo(host: Host, password?: string, remember = false): Promise<SudoResult> {
    if (host.target.kind !== 'ssh') return { ok: true, sudo: 'local' };
    let executor: SshExecutor | undefined;
    try {
      const { options, server } = await this.sshOptions(host, password);
      if (options.sudo === false) return { ok: true, sudo: 'root' };
      if (password !== undefined && server?.mode === 'nopasswd') return { ok: false, error: nopasswdRefused(server.name, 'a password was offered') };
      executor = new SshExecutor(options);
      let mode;
      try {
        mode = server ? (await this.enforce(server, executor), await executor.preflightSudo()) : await executor.preflightSudo();
      } catch (e) {
        if (isExecutorError(e) && e.kind === 'SudoRequired' && /password/.test(e.message)) {
          return { ok: false, error: `${host.name}: ${e.message}`, needsSudoPassword: true, keychain: this.opts.secrets.keychain() };
        }
        throw e;
      }
      if (mode === 'already-root') return { ok: true, sudo: 'root' };
      if (mode === 'nopasswd' || password === undefined) return { ok: true, sudo: mode };
      const kept = await this.opts.secrets.setKeychainOnly(options.sudoKey, password, remember);
      await this.forgetSudoKey(options.sudoKey);
      return { ok: true, sudo: 'password', stored: kept.stored, ...(kept.refused ? { keychainRefused: kept.refused } : {}) };
    } catch (e) {
      return { ok: false, error: (e as Error).message.startsWith(`${host.name}:`) ? (e as Error).message : `${host.name}: ${(e as Error).message}` };
    } finally {
      await executor?.close();
    }
  }

  /** Drops cached connections of one login (a sudo password was just given): the next use connects with it. */
  async forgetLogin(user: string, address: string, port: number): Promise<void> {
    await this.forgetSudoKey(sudoSecretKey(user, address, port));
  }

  private async forgetSudoKey(sudoKey: string): Promise<void> {
    const gone: HostExecutor[] = [];
    for (const [key, entry] of [...this.live]) {
      const executor = await entry.catch(() => undefined);
      if (executor && this.sudoKeys.get(executor) === sudoKey && this.live.get(key) === entry) {
        this.live.delete(key);
        gone.push(executor);
      }
    }
    await Promise.all(gone.map((e) => e.close().catch(() => undefined)));
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.live.values()];
    this.live.clear();
    await Promise.all(all.map((p) => p.then((e) => e.close()).catch(() => undefined)));
  }
}
