// How the backend logs in to a design's SSH host, and the "Test connection" button:
// host key verification against Wireplan's known_hosts (and the user's), trust on the
// user's explicit approval of a fingerprint, credentials from the design's key file, the
// session/secret store, an ssh-agent or the user's default keys.
import type { ConnectionTestOptions, ConnectionTestResult, SshTarget } from '../../../shared/api/contract';
import { isExecutorError, SshExecutor, type SshAuth } from '../executor';
import type { HostKeyInfo } from '../executor/errors';
import { defaultKeyFile, expandHome } from '../executor/key-files';
import { describeResolution, openSshLogin, type OpenSshLoginOptions } from '../executor/openssh-login';
import { resolveSshConfig } from '../executor/ssh-config';
import { SecretStore } from './secrets';

export interface LoginPlan {
  auth: SshAuth;
  /** The secret-store key of the secret this login uses (or would use). */
  secretKey: string;
  secretKind: 'passphrase' | 'password';
}

/** Chooses exactly one way to authenticate (a silent fallback would hide a broken key). */
export async function planLogin(target: SshTarget, secrets: SecretStore, given?: string, env: NodeJS.ProcessEnv = process.env): Promise<LoginPlan | { error: string }> {
  const passKey = (path: string) => SecretStore.keyFor(target.user, target.address, target.port, 'passphrase', path);
  const keyLogin = async (path: string): Promise<LoginPlan> => {
    const passphrase = given ?? (await secrets.get(passKey(path)));
    return { auth: { kind: 'key', path, ...(passphrase !== undefined ? { passphrase } : {}) }, secretKey: passKey(path), secretKind: 'passphrase' };
  };
  if (target.keyPath) return keyLogin(expandHome(target.keyPath));
  const pwKey = SecretStore.keyFor(target.user, target.address, target.port, 'password');
  const password = given ?? (await secrets.get(pwKey));
  if (password !== undefined) return { auth: { kind: 'password', password }, secretKey: pwKey, secretKind: 'password' };
  const sock = env['SSH_AUTH_SOCK'];
  if (sock) {
    // As ssh: the agent's keys, then the identity files the ssh config names for this host
    // (by default ~/.ssh/id_*), each with its passphrase if one was given this session.
    const files = await resolveSshConfig({ host: target.address, user: target.user, port: target.port })
      .then((c) => ({ list: c.identityFiles, only: c.identitiesOnly }))
      .catch(() => ({ list: [] as string[], only: false }));
    const keys = [];
    for (const path of files.list) {
      const passphrase = await secrets.get(passKey(path));
      keys.push({ path, ...(passphrase !== undefined ? { passphrase } : {}) });
    }
    return { auth: { kind: 'openssh', agent: sock, keys, identitiesOnly: files.only }, secretKey: pwKey, secretKind: 'password' };
  }
  const fallback = await defaultKeyFile();
  if (fallback) return keyLogin(fallback);
  return { error: 'no way to log in: set a key file on the host, start an ssh-agent, or give a password' };
}

export interface ConnectionTestDeps {
  knownHostsPath: string;
  /** Default ~/.ssh/known_hosts; null ignores it (tests). */
  userKnownHostsPath?: string | null;
  secrets: SecretStore;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** The ssh config for aliases and jump hosts (default ~/.ssh/config, as ssh). */
  sshConfigFile?: string;
}

const KNOWN_KEY_LOG = /host key (\S+) (SHA256:[A-Za-z0-9+/]+) matches/;

/** A target named by ssh config alias: everything the login needs, resolved like `ssh ALIAS`. */
export async function aliasLogin(
  alias: string,
  keyPath: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  more: { jump?: string; user?: string; port?: number; configFile?: string } = {},
): Promise<{ options: OpenSshLoginOptions; resolvedBy: string }> {
  const r = await openSshLogin({ host: alias, ...more, ...(keyPath ? { identity: keyPath } : {}), agentSocket: env['SSH_AUTH_SOCK'] ?? null });
  return { options: r.options, resolvedBy: describeResolution(r.config) };
}

/** Where a login's sudo password is filed: memory for the session, the OS keychain only with consent. */
export function sudoSecretKey(user: string, address: string, port: number): string {
  return `sudo:${user}@${address}:${port}`;
}

export async function testConnection(target: SshTarget, options: ConnectionTestOptions, deps: ConnectionTestDeps): Promise<ConnectionTestResult> {
  let viaAlias: { options: OpenSshLoginOptions; resolvedBy: string } | undefined;
  if (target.alias || target.jump) {
    try {
      const more = { ...(target.jump ? { jump: target.jump } : {}), ...(target.alias ? {} : { user: target.user, port: target.port }), ...(deps.sshConfigFile ? { configFile: deps.sshConfigFile } : {}) };
      viaAlias = await aliasLogin(target.alias || target.address, target.keyPath, deps.env, more);
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }
  const login: LoginPlan | { error: string } = viaAlias
    ? { auth: viaAlias.options.auth, secretKey: SecretStore.keyFor(target.user, target.alias || target.address, target.port, 'password'), secretKind: 'password' }
    : await planLogin(target, deps.secrets, options.secret, deps.env);
  if ('error' in login) return { ok: false, error: login.error };
  let offered: HostKeyInfo | undefined;
  let known: { keyType: string; fingerprint: string } | undefined;
  const executor = new SshExecutor({
    host: target.address,
    port: target.port,
    username: target.user,
    ...viaAlias?.options,
    auth: login.auth,
    sudo: target.user === 'root' ? false : options.sudoPassword !== undefined ? { password: options.sudoPassword } : true,
    knownHostsPath: deps.knownHostsPath,
    ...(deps.userKnownHostsPath !== undefined ? { userKnownHostsPath: deps.userKnownHostsPath } : {}),
    // Called only for a key no known_hosts file has: trust it only if the user approved exactly it.
    trustNewHostKey: (key) => {
      offered = key;
      return options.trustFingerprint !== undefined && key.fingerprint === options.trustFingerprint;
    },
    log: (line) => {
      const m = KNOWN_KEY_LOG.exec(line);
      if (m) known = { keyType: m[1]!, fingerprint: m[2]! };
    },
  });
  const timeoutMs = deps.timeoutMs ?? 20_000;
  try {
    await executor.connect({ timeoutMs });
    const t0 = performance.now();
    const probe = await executor.run('true', { timeoutMs });
    const latencyMs = Math.round((performance.now() - t0) * 10) / 10;
    if (probe.code !== 0) return { ok: false, error: `logged in, but running a command failed (exit ${String(probe.code)}): ${probe.stderr.trim()}` };
    const key = known ?? offered;
    if (!key) return { ok: false, error: 'connected, but the host key could not be identified' };
    // How this login becomes root: asked now, so a missing or wrong sudo password is known
    // (and asked for) before any run; the password travels only on sudo -S's stdin.
    let sudo: 'root' | 'nopasswd' | 'password' = 'root';
    let sudoKept: { stored: 'keychain' | 'session'; refused?: string } | undefined;
    if (target.user !== 'root') {
      try {
        const mode = await executor.preflightSudo({ timeoutMs });
        sudo = mode === 'already-root' ? 'root' : mode;
      } catch (e) {
        if (isExecutorError(e) && e.kind === 'SudoRequired') {
          return { ok: false, error: e.message, fingerprint: key.fingerprint, keyType: key.keyType, ...(/password/.test(e.message) ? { needsSudoPassword: true } : {}) };
        }
        throw e;
      }
      // Memory for the session; with consent the OS keychain, never plain text.
      if (sudo === 'password' && options.sudoPassword !== undefined) sudoKept = await deps.secrets.setKeychainOnly(sudoSecretKey(target.user, target.alias ?? target.address, target.port), options.sudoPassword, options.rememberSudoPassword === true);
    }
    const stored = options.secret !== undefined ? await deps.secrets.set(login.secretKey, options.secret, options.rememberSecret === true) : undefined;
    return {
      ok: true,
      fingerprint: key.fingerprint,
      keyType: key.keyType,
      known: known !== undefined,
      latencyMs,
      sudo,
      ...(stored ? { secretStored: stored } : {}),
      ...(sudoKept ? { sudoStored: sudoKept.stored, ...(sudoKept.refused ? { keychainRefused: sudoKept.refused } : {}) } : {}),
      ...(viaAlias ? { resolvedBy: viaAlias.resolvedBy } : {}),
    };
  } catch (e) {
    if (!isExecutorError(e)) return { ok: false, error: (e as Error).message };
    switch (e.kind) {
      case 'HostKeyUnknown': {
        const k = e as unknown as HostKeyInfo;
        const approvedOther = options.trustFingerprint !== undefined;
        return {
          ok: false,
          error: approvedOther
            ? `the host offers ${k.keyType} ${k.fingerprint}, not the key you approved (${options.trustFingerprint}); nothing was trusted`
            : `unknown ${k.keyType} host key ${k.fingerprint}: compare it with the server's own fingerprint, then trust it`,
          fingerprint: k.fingerprint,
          keyType: k.keyType,
          hostKeyUnknown: true,
        };
      }
      case 'SudoRequired':
        return { ok: false, error: e.message, ...(/password/.test(e.message) ? { needsSudoPassword: true } : {}) };
      case 'HostKeyChanged': {
        const k = e as unknown as HostKeyInfo;
        return { ok: false, error: e.message, fingerprint: k.fingerprint, keyType: k.keyType };
      }
      case 'AuthFailed': {
        // An encrypted key wants its passphrase; a refused agent or password wants a password.
        // A key the server does not accept needs a different key, not a secret.
        const needs = /passphrase/.test(e.message) ? 'passphrase' : login.auth.kind !== 'key' ? 'password' : undefined;
        return { ok: false, error: e.message, ...(needs ? { needsSecret: needs } : {}) };
      }
      default:
        return { ok: false, error: e.message };
    }
  } finally {
    await executor.close();
  }
}
