// One executor per design host for the app's lifetime: a local sandbox for hosts of kind
// 'sandbox' (started on first use, torn down with the app, so everything a run built there
// disappears with it) and an SSH connection for the others. Host keys must already be
// trusted (the connection test is where the user approves a new key); a login that needs
// a secret uses the one the user gave during this session or stored.
import type { Host } from '../../../shared/model/schema';
import { SandboxExecutor, SshExecutor, type HostExecutor } from '../executor';
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

  get(designTag: string, host: Host): Promise<HostExecutor> {
    if (this.closed) return Promise.reject(new Error('the backend is shutting down'));
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
    const t = await effectiveTarget(host.target).catch((e: Error) => {
      throw new Error(`${host.name}: ${e.message}`);
    });
    if (t.alias || t.jump) {
      // Named by ssh config alias (HostName, User, Port, keys, known_hosts files and timeouts
      // as `ssh ALIAS` would use them), or reached through jump hosts: resolved like ssh.
      const more = { ...(t.jump ? { jump: t.jump } : {}), ...(t.alias ? {} : { user: t.user, port: t.port }), ...(this.opts.sshConfigFile ? { configFile: this.opts.sshConfigFile } : {}) };
      const { options, resolvedBy } = await aliasLogin(t.alias || t.address, t.keyPath, process.env, more).catch((e: Error) => {
        throw new Error(`${host.name}: ${e.message}`);
      });
      this.opts.log?.(`${host.name}: ${resolvedBy}`);
      return new SshExecutor({ ...options, knownHostsPath: this.opts.knownHostsPath, sudo: await this.sudo(options.username, t.alias || t.address, t.port), ...(this.opts.log ? { log: this.opts.log } : {}) });
    }
    const login = await planLogin({ address: t.address, port: t.port, user: t.user, ...(t.keyPath ? { keyPath: t.keyPath } : {}) }, this.opts.secrets);
    if ('error' in login) throw new Error(`${host.name}: ${login.error}`);
    return new SshExecutor({
      host: t.address,
      port: t.port,
      username: t.user,
      auth: login.auth,
      knownHostsPath: this.opts.knownHostsPath,
      sudo: await this.sudo(t.user, t.address, t.port),
      ...(this.opts.log ? { log: this.opts.log } : {}),
    });
  }

  /** sudo for a non-root login, with the password the user gave this session (memory only), if any. */
  private async sudo(user: string, address: string, port: number): Promise<boolean | { password: string }> {
    if (user === 'root') return false;
    const password = await this.opts.secrets.get(sudoSecretKey(user, address, port));
    return password !== undefined ? { password } : true;
  }

  /** Drops cached connections of one login (a sudo password was just given): the next use connects with it. */
  async forgetLogin(user: string, address: string, port: number): Promise<void> {
    const gone: Promise<HostExecutor>[] = [];
    for (const [key, entry] of this.live) {
      if (key.startsWith(`ssh:${user}@${address}:${port}:`) || key.startsWith(`ssh-alias:${address}:`)) {
        this.live.delete(key);
        gone.push(entry);
      }
    }
    await Promise.all(gone.map((p) => p.then((e) => e.close()).catch(() => undefined)));
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.live.values()];
    this.live.clear();
    await Promise.all(all.map((p) => p.then((e) => e.close()).catch(() => undefined)));
  }
}
