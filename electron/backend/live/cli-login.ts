// Executors for command-line use (`wireplan status`, `wireplan import`): a design host's
// target, or an ad-hoc `user@address[:port]`, with an explicit key (-i), Wireplan's
// known_hosts (or a given file) and trust-on-first-use only when asked for.
import type { Host } from '../../../shared/model/schema';
import { SandboxExecutor, SshExecutor, type HostExecutor, type SshAuth } from '../executor';
import { configFiles, defaultConfigDir } from '../service/paths';
import { defaultKeyFile, expandHome } from '../executor/key-files';

export interface CliLogin {
  /** Private key file (-i). */
  identity?: string;
  /** known_hosts to read and write (default Wireplan's own). */
  knownHosts?: string;
  /** Trust a host key nobody has trusted yet (written to knownHosts). */
  trustNewHostKey?: boolean;
  /** An encrypted key's passphrase (undefined when the key is not encrypted); asked or read from a file by the CLI. */
  passphrase?: (keyPath: string) => Promise<string | undefined>;
  /** The sudo password of user@address, when the user gave one (else sudo must work without). */
  sudoPassword?: (login: string) => Promise<string>;
  log?: (line: string) => void;
}

export interface SshDestination {
  user: string;
  address: string;
  port: number;
}

/**
 * How the command line logs in: the key it names (-i, else the host's keyPath), else the
 * ssh-agent, else the user's default ~/.ssh key, as `ssh` itself would.
 */
export async function cliAuth(keyPath: string | undefined, passphrase?: (keyPath: string) => Promise<string | undefined>): Promise<SshAuth | undefined> {
  const key = async (path: string): Promise<SshAuth> => {
    const p = await passphrase?.(path);
    return { kind: 'key', path, ...(p !== undefined ? { passphrase: p } : {}) };
  };
  if (keyPath) return key(expandHome(keyPath));
  const sock = process.env['SSH_AUTH_SOCK'];
  if (sock) return { kind: 'agent', socket: sock };
  const fallback = await defaultKeyFile();
  return fallback ? key(fallback) : undefined;
}

async function authFor(keyPath: string | undefined, login: CliLogin): Promise<SshAuth> {
  const auth = await cliAuth(keyPath, login.passphrase);
  if (!auth) throw new Error('no way to log in: give a key with -i, start an ssh-agent, or create ~/.ssh/id_ed25519');
  return auth;
}

export async function sshExecutor(spec: SshDestination, login: CliLogin, keyPath?: string): Promise<SshExecutor> {
  return new SshExecutor({
    host: spec.address,
    port: spec.port,
    username: spec.user,
    auth: await authFor(login.identity ?? keyPath, login),
    knownHostsPath: login.knownHosts ?? configFiles(defaultConfigDir()).knownHosts,
    ...(login.trustNewHostKey ? { trustNewHostKey: true } : {}),
    sudo: spec.user === 'root' ? false : login.sudoPassword ? { password: await login.sudoPassword(`${spec.user}@${spec.address}`) } : true,
    ...(login.log ? { log: login.log } : {}),
  });
}

/** The executor for a design host: the local sandbox or SSH. */
export async function executorForHost(host: Host, login: CliLogin): Promise<HostExecutor> {
  const t = host.target;
  if (t.kind === 'sandbox') return SandboxExecutor.start({ name: host.id });
  return sshExecutor({ user: t.user, address: t.address, port: t.port }, login, t.keyPath);
}
