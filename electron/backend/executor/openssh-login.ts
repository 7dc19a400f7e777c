// A login worked out from the user's OpenSSH configuration, as `ssh DEST` would make it:
// where to connect (HostName, Port, User), how to prove who we are (the agent, then the
// IdentityFiles, honouring IdentitiesOnly), which known_hosts files to read, how strict to
// be with a new host key, and the timeouts. An explicit key (-i, a host's key file) is
// used alone, as before: the user named exactly one way in.
import { resolveSshConfig, type ResolvedSshConfig, type SshConfigQuery, type StrictHostKeyChecking } from './ssh-config';
import type { SshAuth } from './ssh-auth';
import type { SshExecutorOptions } from './ssh-executor';
import { expandHome } from './key-files';

export interface OpenSshLoginInput extends SshConfigQuery {
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
  'host' | 'port' | 'username' | 'auth' | 'userKnownHostsPath' | 'extraKnownHostsPaths' | 'via' | 'connectTimeoutMs' | 'keepaliveIntervalMs' | 'keepaliveCountMax'
>;

export interface OpenSshLogin {
  config: ResolvedSshConfig;
  options: OpenSshLoginOptions;
  strictHostKeyChecking: StrictHostKeyChecking;
}

export async function openSshLogin(input: OpenSshLoginInput): Promise<OpenSshLogin> {
  const config = await resolveSshConfig(input);
  if (config.proxyJump) {
    throw new Error(`${input.host}: the ssh config sets ProxyJump ${config.proxyJump}; jump hosts are not supported by Wireplan yet`);
  }
  const withPass = async (path: string): Promise<{ path: string; passphrase?: string }> => {
    const p = await input.passphrase?.(path).catch(() => undefined);
    return { path, ...(p !== undefined ? { passphrase: p } : {}) };
  };
  let auth: SshAuth;
  if (input.identity) {
    const path = expandHome(input.identity, input.home);
    const p = await input.passphrase?.(path);
    auth = { kind: 'key', path, ...(p !== undefined ? { passphrase: p } : {}) };
  } else {
    const agent = input.agentSocket === null ? undefined : (input.agentSocket ?? process.env['SSH_AUTH_SOCK']);
    const keys = [];
    for (const f of config.identityFiles) keys.push(await withPass(f));
    auth = { kind: 'openssh', ...(agent ? { agent } : {}), keys, identitiesOnly: config.identitiesOnly };
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
    ...(config.connectTimeoutS ? { connectTimeoutMs: config.connectTimeoutS * 1000 } : {}),
    ...(config.serverAliveIntervalS > 0 ? { keepaliveIntervalMs: config.serverAliveIntervalS * 1000, keepaliveCountMax: config.serverAliveCountMax } : {}),
  };
  return { config, options, strictHostKeyChecking: config.strictHostKeyChecking };
}

/** One line for --verbose and the app log: what was resolved, and by which resolver. */
export function describeResolution(c: ResolvedSshConfig): string {
  return `ssh config (${c.source}): ${c.alias} -> ${c.user}@${c.hostname}:${c.port}, identity files ${c.identityFiles.join(', ') || 'none'}${c.identitiesOnly ? ' (IdentitiesOnly)' : ''}, StrictHostKeyChecking ${c.strictHostKeyChecking}${c.notes.length ? `; ${c.notes.join('; ')}` : ''}`;
}
