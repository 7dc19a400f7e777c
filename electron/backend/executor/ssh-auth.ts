// How Wireplan proves who it is to an SSH server. Exactly one method per host profile:
// offering several would let a silent fallback (e.g. to a password) hide a broken key.
import { readFile } from 'node:fs/promises';
import ssh2, { type AgentAuthMethod, type ConnectConfig, type PublicKeyAuthMethod } from 'ssh2';
import { AuthFailed } from './errors';

export type SshAuth =
  /** A private key file (OpenSSH or PEM), optionally encrypted. */
  | { kind: 'key'; path: string; passphrase?: string }
  /** An ssh-agent socket; defaults to SSH_AUTH_SOCK. */
  | { kind: 'agent'; socket?: string }
  | { kind: 'password'; password: string }
  /**
   * OpenSSH's order: the agent's keys (unless IdentitiesOnly), then each identity file
   * (configured ones, else the default ~/.ssh/id_*), each offered in turn until one is
   * accepted. Unreadable or still-encrypted files are skipped, as ssh skips them.
   */
  | { kind: 'openssh'; agent?: string; keys: { path: string; passphrase?: string }[]; identitiesOnly: boolean };

export type AuthConfig = Pick<ConnectConfig, 'agent' | 'password' | 'authHandler'>;

/**
 * Resolves credentials locally first, so a bad key file fails fast with a clear message.
 * The key is decrypted here once and handed to ssh2 already parsed: an encrypted OpenSSH
 * key costs ~1 s of bcrypt in JavaScript, which must not be paid again on every reconnect.
 */
export async function authConfig(auth: SshAuth, host: string, user: string): Promise<AuthConfig> {
  switch (auth.kind) {
    case 'key': {
      let data: Buffer;
      try {
        data = await readFile(auth.path);
      } catch (e) {
        throw new AuthFailed(host, user, `cannot read key file ${auth.path}: ${(e as Error).message}`, { cause: e });
      }
      const parsed = ssh2.utils.parseKey(data, auth.passphrase);
      if (parsed instanceof Error) {
        const encrypted = /encrypted|passphrase|bad decrypt/i.test(parsed.message);
        const reason = encrypted
          ? auth.passphrase === undefined
            ? `key ${auth.path} is encrypted: a passphrase is needed`
            : `wrong passphrase for key ${auth.path}`
          : `cannot parse key ${auth.path}: ${parsed.message}`;
        throw new AuthFailed(host, user, reason);
      }
      const method: PublicKeyAuthMethod = { type: 'publickey', username: user, key: Array.isArray(parsed) ? parsed[0] : parsed };
      return { authHandler: [method] };
    }
    case 'agent': {
      const socket = auth.socket ?? process.env['SSH_AUTH_SOCK'];
      if (!socket) throw new AuthFailed(host, user, 'no ssh-agent: SSH_AUTH_SOCK is not set');
      return { agent: socket };
    }
    case 'password':
      return { password: auth.password };
    case 'openssh': {
      const methods: (AgentAuthMethod | PublicKeyAuthMethod)[] = [];
      if (auth.agent && !auth.identitiesOnly) methods.push({ type: 'agent', username: user, agent: auth.agent });
      const skipped: string[] = [];
      for (const k of auth.keys) {
        let data: Buffer;
        try {
          data = await readFile(k.path);
        } catch {
          continue; // a default key that does not exist, as ssh skips it
        }
        const parsed = ssh2.utils.parseKey(data, k.passphrase);
        if (parsed instanceof Error) {
          skipped.push(`${k.path} (${/encrypted|passphrase|bad decrypt/i.test(parsed.message) ? 'encrypted, no passphrase' : parsed.message})`);
          continue;
        }
        methods.push({ type: 'publickey', username: user, key: Array.isArray(parsed) ? parsed[0] : parsed });
      }
      if (methods.length === 0) {
        const why = [auth.agent ? (auth.identitiesOnly ? 'the agent is not used (IdentitiesOnly yes)' : '') : 'no ssh-agent', skipped.length ? `skipped ${skipped.join(', ')}` : `none of ${auth.keys.map((k) => k.path).join(', ') || 'no key files'} is readable`];
        throw new AuthFailed(host, user, `nothing to log in with: ${why.filter(Boolean).join('; ')}`);
      }
      return { authHandler: methods };
    }
  }
}

export function describeAuth(auth: SshAuth): string {
  if (auth.kind === 'openssh') return [...(auth.agent && !auth.identitiesOnly ? ['agent'] : []), ...auth.keys.map((k) => `key ${k.path}`)].join(', then ');
  return auth.kind === 'key' ? `key ${auth.path}` : auth.kind;
}
