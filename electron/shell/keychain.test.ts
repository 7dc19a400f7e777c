// The desktop shell's keychain through Electron's safeStorage (the real binary cannot start
// here, so safeStorage is a stand-in with each state it can report): a real keyring gives
// a 'keyring' cipher; Linux's plain-text 'basic_text' fallback gives a 'plaintext' one, which
// the secret store refuses for a sudo password with the reason; no encryption at all gives
// no cipher and a reason of its own.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SecretStore } from '../backend/service/secrets';

const state = vi.hoisted(() => ({ available: true, backend: 'gnome_libsecret' }));
vi.mock('electron', () => ({
  safeStorage: {
    isEncryptionAvailable: () => state.available,
    getSelectedStorageBackend: () => state.backend,
    encryptString: (s: string) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`),
    decryptString: (b: Buffer) => Buffer.from(b.toString().slice(4), 'hex').toString(),
  },
  dialog: {},
}));

const { keychainUnavailableReason, safeStorageCipher } = await import('./secrets');
const dir = mkdtempSync(join(tmpdir(), 'wp-keychain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function store(name: string): SecretStore {
  const cipher = safeStorageCipher();
  const reason = keychainUnavailableReason();
  return new SecretStore({ file: join(dir, name), ...(cipher ? { cipher } : {}), ...(reason ? { noKeychainReason: reason } : {}), acceptPlaintext: async () => true });
}

describe.runIf(process.platform === 'linux')('keychain through safeStorage (Linux)', () => {
  it('a real keyring: the sudo password is stored encrypted', async () => {
    Object.assign(state, { available: true, backend: 'gnome_libsecret' });
    const s = store('a.json');
    expect(s.keychain()).toEqual({ available: true });
    expect(await s.setKeychainOnly('sudo:u@h:22', 'pw-1', true)).toEqual({ stored: 'keychain' });
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).not.toContain('pw-1');
    expect(await store('a.json').get('sudo:u@h:22')).toBe('pw-1');
  });

  it("basic_text (no keyring): refused with the reason, never written, even with plain text accepted", async () => {
    Object.assign(state, { available: true, backend: 'basic_text' });
    const s = store('b.json');
    expect(s.keychain()).toMatchObject({ available: false, reason: expect.stringMatching(/no keyring.*basic_text/) });
    expect(await s.setKeychainOnly('sudo:u@h:22', 'pw-2', true)).toMatchObject({ stored: 'session', refused: expect.stringMatching(/basic_text/) });
    expect(await s.get('sudo:u@h:22')).toBe('pw-2');
    await expect(import('node:fs/promises').then((f) => f.stat(join(dir, 'b.json')))).rejects.toThrow();
  });

  it('no encryption at all: no cipher, and the reason says safeStorage has none', async () => {
    Object.assign(state, { available: false, backend: 'unknown' });
    expect(safeStorageCipher()).toBeUndefined();
    const s = store('c.json');
    expect(s.keychain()).toMatchObject({ available: false, reason: expect.stringMatching(/safeStorage reports no encryption/) });
    expect(await s.setKeychainOnly('sudo:u@h:22', 'pw-3', true)).toMatchObject({ stored: 'session' });
  });
});
