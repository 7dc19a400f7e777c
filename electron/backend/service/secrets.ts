// SSH passwords and key passphrases. Kept in memory for the session; written to disk only
// encrypted by a real OS keyring (the desktop shell provides one through Electron's
// safeStorage). Where the only backend is plain text (Linux without a keyring) nothing is
// written unless the user explicitly accepted plain-text storage; headless mode has no
// cipher at all and never writes a secret.
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
}

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

  async forget(key: string): Promise<void> {
    this.session.delete(key);
    const current = await this.file.read();
    if (!current || !(key in current.entries)) return;
    const { [key]: _gone, ...rest } = current.entries;
    await this.file.write({ version: 1, entries: rest });
  }
}
