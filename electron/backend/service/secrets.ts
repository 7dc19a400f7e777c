// SSH passwords and key passphrases. Kept in memory for the session; written to disk only
// encrypted by a real OS keyring (the desktop shell provides one through Electron's
// safeStorage). Where the only backend is plain text (Linux without a keyring) nothing is
// written unless the user explicitly accepted plain-text storage; headless mode has no
// cipher at all and never writes a secret. A sudo password (root on a lab server) is
// stricter still: only ever the OS keychain, never plain text, even if accepted for others.
import { z } from 'zod';
import { JsonFile } from './jsonFile';

export interface SecretCipher {
  /** 'keyring': encrypted with a key the OS protects; 'plaintext': obfuscation only. */
  readonly strength: 'keyring' | 'plaintext';
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

export type SecretStorage = 'encrypted' | 'plaintext' | 'session';

const SecretsFileSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string().max(512), z.string().max(16_384)),
});

export interface SecretStoreOptions {
  file: string;
  cipher?: SecretCipher;
  /**
   * Asked before the first plain-text write: resolves true only when the user explicitly
   * accepted storing secrets unencrypted. Absent: never accepted.
   */
  acceptPlaintext?: () => Promise<boolean>;
  /** Why there is no cipher (said to the user when a keychain-only secret cannot be stored). */
  noKeychainReason?: string;
}

/** Whether secrets can go to the OS keychain, and if not, why (for the user, as is). */
export type KeychainState = { available: true } | { available: false; reason: string };

const NO_CIPHER = 'this Wireplan has no OS keychain (the headless `wireplan serve` and the browser build never store secrets): it is kept in memory for this session only';
const PLAINTEXT_ONLY =
  "this Linux session has no keyring (Electron's safeStorage would only use its plain-text 'basic_text' backend); install and unlock GNOME Keyring or KWallet to store it. It is kept in memory for this session only";

export class SecretStore {
  private readonly session = new Map<string, string>();
  private readonly file: JsonFile<typeof SecretsFileSchema>;

  constructor(private readonly opts: SecretStoreOptions) {
    this.file = new JsonFile(opts.file, SecretsFileSchema, 4 * 1024 * 1024);
  }

  /** The key secrets are filed under: one per SSH login. */
  static keyFor(user: string, address: string, port: number, kind: 'passphrase' | 'password', keyPath?: string): string {
    return `${kind}:${user}@${address}:${port}${keyPath ? `:${keyPath}` : ''}`;
  }

  async get(key: string): Promise<string | undefined> {
    const mem = this.session.get(key);
    if (mem !== undefined) return mem;
    const cipher = this.opts.cipher;
    if (!cipher) return undefined;
    const stored = (await this.file.read())?.entries[key];
    if (stored === undefined) return undefined;
    try {
      const value = cipher.decrypt(Buffer.from(stored, 'base64'));
      this.session.set(key, value);
      return value;
    } catch {
      return undefined; // a keyring change makes old entries unreadable: ask again
    }
  }

  /** Remembers a secret; `persist` asks for disk storage, which may be refused (see class comment). */
  async set(key: string, value: string, persist: boolean): Promise<SecretStorage> {
    this.session.set(key, value);
    if (!persist) return 'session';
    const cipher = this.opts.cipher;
    if (!cipher) return 'session';
    if (cipher.strength === 'plaintext' && !(await this.opts.acceptPlaintext?.())) return 'session';
    const current = (await this.file.read()) ?? { version: 1 as const, entries: {} };
    await this.file.write({ version: 1, entries: { ...current.entries, [key]: cipher.encrypt(value).toString('base64') } });
    return cipher.strength === 'keyring' ? 'encrypted' : 'plaintext';
  }

  /** Where a keychain-only secret (see setKeychainOnly) could be stored. */
  keychain(): KeychainState {
    const cipher = this.opts.cipher;
    if (!cipher) return { available: false, reason: this.opts.noKeychainReason ?? NO_CIPHER };
    if (cipher.strength !== 'keyring') return { available: false, reason: PLAINTEXT_ONLY };
    return { available: true };
  }

  /**
   * Remembers a secret that is never written in plain text, whatever the user accepted for
   * others (a sudo password: root on the lab server). `persist` stores it encrypted by the
   * OS keychain; without one it stays in memory and `refused` says why.
   */
  async setKeychainOnly(key: string, value: string, persist: boolean): Promise<{ stored: 'keychain' | 'session'; refused?: string }> {
    this.session.set(key, value);
    if (!persist) return { stored: 'session' };
    const state = this.keychain();
    if (!state.available) return { stored: 'session', refused: state.reason };
    const current = (await this.file.read()) ?? { version: 1 as const, entries: {} };
    await this.file.write({ version: 1, entries: { ...current.entries, [key]: this.opts.cipher!.encrypt(value).toString('base64') } });
    return { stored: 'keychain' };
  }

  async forget(key: string): Promise<void> {
    this.session.delete(key);
    const current = await this.file.read();
    if (!current || !(key in current.entries)) return;
    const { [key]: _gone, ...rest } = current.entries;
    await this.file.write({ version: 1, entries: rest });
  }
}
