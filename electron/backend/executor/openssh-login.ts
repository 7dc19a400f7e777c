// A login worked out from the user's OpenSSH configuration, as `ssh DEST` would make it:
// where to connect (HostName, Port, User), how to prove who we are (the agent, then the
// IdentityFiles, honouring IdentitiesOnly), which known_hosts files to read, how strict to
// be with a new host key, and the timeouts. An explicit key (-i, a host's key file) is
// used alone, as before: the user named exactly one way in.
import { resolveSshConfig, type ResolvedSshConfig, type SshConfigQuery, type StrictHostKeyChecking } from './ssh-config';
import type { SshAuth } from './ssh-auth';
import type { JumpHop, SshExecutorOptions } from './ssh-executor';
import { expandHome } from './key-files';

/** One hop of a ProxyJump list as written: `[user@]host[:port]`, IPv6 in brackets. */
export interface JumpSpec {
  user?: string;
  host: string;
  port?: number;
}

const JUMP_USER = /^(?:[A-Za-z0-9][A-Za-z0-9_.-]{0,62}\\)?[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const JUMP_HOST = /^[A-Za-z0-9_.:%-]{1,253}$/;

/** `user@jump1[:port],jump2,...` (OpenSSH's ProxyJump / ssh -J); throws naming the bad hop. */
export function parseJumpList(text: string): JumpSpec[] {
  return text.split(',').map((raw) => {
    const hop = raw.trim();
    const at = hop.lastIndexOf('@');
    const user = at >= 0 ? hop.slice(0, at) : undefined;
    let rest = at >= 0 ? hop.slice(at + 1) : hop;
    let port: number | undefined;
    const br = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(rest);
    if (br) {
      rest = br[1]!;
      if (br[2]) port = Number(br[2]);
    } else if (rest.split(':').length === 2) {
      const [h, p] = rest.split(':') as [string, string];
      if (!/^\d{1,5}$/.test(p)) throw new Error(`jump host "${hop}": "${p}" is not a port`);
      rest = h;
      port = Number(p);
    }
    if (user !== undefined && !JUMP_USER.test(user)) throw new Error(`jump host "${hop}": "${user}" is not a user name`);
    if (!JUMP_HOST.test(rest) || rest.startsWith('-')) throw new Error(`jump host "${hop}": "${rest}" is not a host name or address`);
    if (port !== undefined && (port < 1 || port > 65535)) throw new Error(`jump host "${hop}": port ${port} is out of range`);
    return { ...(user !== undefined ? { user } : {}), host: rest, ...(port !== undefined ? { port } : {}) };
  });
}

export interface OpenSshLoginInput extends SshConfigQuery {
  /** Jump hosts from the host's settings or -J (`user@jump[:port],...`); wins over the config's ProxyJump. */
  jump?: string;
  /** A key the user named (-i or the host's key file): used alone. */
  identity?: string;
  /** An encrypted key's passphrase (undefined when not encrypted); a throw skips that key. */
  passphrase?: (keyPath: string) => Promise<string | undefined>;
  /** The ssh-agent socket; default SSH_AUTH_SOCK. */
  agentSocket?: string | null;
  /** Replaces the resolved GlobalKnownHostsFile list (tests: never the machine's real one). */
  globalKnownHostsFiles?: readonly string[];
}

export type OpenSshLoginOptions = Pick<
  SshExecutorOptions,
  'host' | 'port' | 'username' | 'auth' | 'userKnownHostsPath' | 'extraKnownHostsPaths' | 'via' | 'connectTimeoutMs' | 'keepaliveIntervalMs' | 'keepaliveCountMax' | 'jumps'
>;

export interface OpenSshLogin {
  config: ResolvedSshConfig;
  options: OpenSshLoginOptions;
  strictHostKeyChecking: StrictHostKeyChecking;
}

export async function openSshLogin(input: OpenSshLoginInput): Promise<OpenSshLogin> {
  const config = await resolveSshConfig(input);
  const jumpText = input.jump?.trim() ? input.jump : config.proxyJump;
  const withPass = async (path: string): Promise<{ path: string; passphrase?: string }> => {
    const p = await input.passphrase?.(path).catch(() => undefined);
    return { path, ...(p !== undefined ? { passphrase: p } : {}) };
  };
  const agent = input.agentSocket === null ? undefined : (input.agentSocket ?? process.env['SSH_AUTH_SOCK']);
  const chain = async (c: ResolvedSshConfig): Promise<SshAuth> => {
    const keys = [];
    for (const f of c.identityFiles) keys.push(await withPass(f));
    return { kind: 'openssh', ...(agent ? { agent } : {}), keys, identitiesOnly: c.identitiesOnly };
  };
  // Each hop is resolved through the same config, as `ssh -J` does (its own HostName, User,
  // Port and IdentityFiles); a hop's own ProxyJump is not followed.
  const jumps: JumpHop[] = [];
  for (const spec of jumpText && jumpText.toLowerCase() !== 'none' ? parseJumpList(jumpText) : []) {
    const { user, port, ...rest } = spec;
    const hc = await resolveSshConfig({ ...input, ...rest, user, port });
    jumps.push({ host: hc.hostname, port: hc.port, username: hc.user, auth: await chain(hc) });
  }
  let auth: SshAuth;
  if (input.identity) {
    const path = expandHome(input.identity, input.home);
    const p = await input.passphrase?.(path);
    auth = { kind: 'key', path, ...(p !== undefined ? { passphrase: p } : {}) };
  } else {
    auth = await chain(config);
  }
  const options: OpenSshLoginOptions = {
    host: config.hostname,
    port: config.port,
    username: config.user,
    auth,
    // Every known_hosts file OpenSSH would read for this host; Wireplan's own is added by the executor.
    userKnownHostsPath: null,
    extraKnownHostsPaths: [...config.userKnownHostsFiles, ...(input.globalKnownHostsFiles ?? config.globalKnownHostsFiles)],
    via: { alias: config.alias, source: config.source },
    ...(jumps.length ? { jumps } : {}),
    ...(config.connectTimeoutS ? { connectTimeoutMs: config.connectTimeoutS * 1000 } : {}),
    ...(config.serverAliveIntervalS > 0 ? { keepaliveIntervalMs: config.serverAliveIntervalS * 1000, keepaliveCountMax: config.serverAliveCountMax } : {}),
  };
  return { config, options, strictHostKeyChecking: config.strictHostKeyChecking };
}

/** One line for --verbose and the app log: what was resolved, and by which resolver. */
export function describeResolution(c: ResolvedSshConfig): string {
  return `ssh config (${c.source}): ${c.alias} -> ${c.user}@${c.hostname}:${c.port}${c.proxyJump ? ` (ProxyJump ${c.proxyJump})` : ''}, identity files ${c.identityFiles.join(', ') || 'none'}${c.identitiesOnly ? ' (IdentitiesOnly)' : ''}, StrictHostKeyChecking ${c.strictHostKeyChecking}${c.notes.length ? `; ${c.notes.join('; ')}` : ''}`;
}
