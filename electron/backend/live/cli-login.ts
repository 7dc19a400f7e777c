// Executors for command-line use (`wireplan status`, `wireplan import`): a design host's
// target, or an ad-hoc `user@address[:port]`, with an explicit key (-i), Wireplan's
// known_hosts (or a given file) and trust-on-first-use only when asked for.
import type { Host } from '../../../shared/model/schema';
import { SandboxExecutor, SshExecutor, type HostExecutor, type SshAuth } from '../executor';
import { configFiles, defaultConfigDir } from '../service/paths';
import { defaultKeyFile, expandHome } from '../executor/key-files';
import { describeResolution, openSshLogin } from '../executor/openssh-login';
import { effectiveTarget } from '../inventory/effective-target';
import { hostServer, sudoModeLoginError } from '../inventory/sudo-mode';

export interface CliLogin {
  /** Private key file (-i). */
  identity?: string;
  /** known_hosts to read and write (default Wireplan's own). */
  knownHosts?: string;
  /** `-F FILE`: this ssh config instead of ~/.ssh/config and /etc/ssh/ssh_config. */
  sshConfig?: string;
  /** -J: jump hosts (`user@jump[:port],...`), over the host's own and the config's ProxyJump. */
  jump?: string;
  /** Trust a host key nobody has trusted yet (written to knownHosts). */
  trustNewHostKey?: boolean;
  /** An encrypted key's passphrase (undefined when the key is not encrypted); asked or read from a file by the CLI. */
  passphrase?: (keyPath: string) => Promise<string | undefined>;
  /** The sudo password of user@address, when the user gave one (else sudo must work without). */
  sudoPassword?: (login: string) => Promise<string>;
  log?: (line: string) => void;
  /** --verbose: how the ssh config was resolved (which resolver, what came out). */
  explain?: (line: string) => void;
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

export async function sshExecutor(spec: SshDestination & { alias?: boolean; jump?: string }, login: CliLogin, keyPath?: string): Promise<SshExecutor> {
  // Resolved like `ssh`: an alias takes HostName, User and Port from the ssh config; an
  // address keeps the user and port given here and still takes keys, known_hosts files,
  // timeouts and StrictHostKeyChecking from it.
  const resolved = await openSshLogin({
    host: spec.address,
    ...(spec.alias ? {} : { user: spec.user, port: spec.port }),
    ...(login.sshConfig ? { configFile: login.sshConfig } : {}),
    ...((login.jump ?? spec.jump) ? { jump: (login.jump ?? spec.jump)! } : {}),
    ...(login.identity ?? keyPath ? { identity: (login.identity ?? keyPath)! } : {}),
    ...(login.passphrase ? { passphrase: login.passphrase } : {}),
  });
  (login.explain ?? login.log)?.(describeResolution(resolved.config));
  const o = resolved.options;
  const trust = login.trustNewHostKey || resolved.strictHostKeyChecking === 'accept-new' || resolved.strictHostKeyChecking === 'no';
  return new SshExecutor({
    ...o,
    knownHostsPath: login.knownHosts ?? configFiles(defaultConfigDir()).knownHosts,
    ...(trust ? { trustNewHostKey: true } : {}),
    sudo: o.username === 'root' ? false : login.sudoPassword ? { password: await login.sudoPassword(`${o.username}@${o.host}`) } : true,
    ...(login.log ? { log: login.log } : {}),
  });
}

/** The executor for a design host: the local sandbox or SSH. */
export async function executorForHost(host: Host, login: CliLogin): Promise<HostExecutor> {
  if (host.target.kind === 'sandbox') return SandboxExecutor.start({ name: host.id });
  const t = await effectiveTarget(host.target);
  // An inventory entry's sudo mode holds: "none" takes root only, "nopasswd" is never sent a password.
  const server = await hostServer(host);
  const ex = await sshExecutor({ user: t.user, address: t.alias ? t.alias : t.address, port: t.port, ...(t.alias ? { alias: true } : {}), ...(t.jump ? { jump: t.jump } : {}) }, server?.mode === 'nopasswd' ? { ...login, sudoPassword: undefined } : login, t.keyPath);
  const wrong = server && sudoModeLoginError(server.name, server.mode, ex.username);
  if (wrong) {
    await ex.close();
    throw new Error(`${host.name}: ${wrong}`);
  }
  return ex;
}
