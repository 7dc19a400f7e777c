// Secrets through Electron's safeStorage (Keychain, DPAPI, libsecret/KWallet). On Linux
// without a keyring safeStorage falls back to 'basic_text', which is plain text with a
// fixed key: Wireplan then stores nothing on disk unless the user explicitly accepts it
// in a dialog (the answer "yes" is remembered; "no" holds for this session).
import { dialog, safeStorage, type BrowserWindow } from 'electron';
import { z } from 'zod';
import { JsonFile, type SecretCipher } from '../backend/service';

const SettingsSchema = z.object({ plaintextSecretsAccepted: z.boolean().optional() }).passthrough();

export function safeStorageCipher(): SecretCipher | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const plaintext = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  return {
    strength: plaintext ? 'plaintext' : 'keyring',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}

/**
 * Why safeStorage offers no encryption at all (said to the user when a secret that may
 * only go to the keychain, a sudo password, cannot be stored); undefined when it does.
 */
export function keychainUnavailableReason(): string | undefined {
  if (safeStorage.isEncryptionAvailable()) return undefined;
  return "the OS keychain is not available (Electron's safeStorage reports no encryption: no keyring is installed or unlocked); it is kept in memory for this session only";
}

export function plaintextConsent(settingsFile: string, window: () => BrowserWindow | undefined): () => Promise<boolean> {
  const settings = new JsonFile(settingsFile, SettingsSchema);
  let declinedThisSession = false;
  return async () => {
    const current = (await settings.read()) ?? {};
    if (current.plaintextSecretsAccepted === true) return true;
    if (declinedThisSession) return false;
    const options = {
      type: 'warning' as const,
      title: 'No keyring for passwords',
      message: 'This system has no keyring (such as GNOME Keyring or KWallet) to protect stored passwords.',
      detail:
        'Wireplan can keep the password for this session only, or store it on disk unencrypted (readable by anything running as your user). Installing and unlocking a keyring lets Wireplan store it encrypted.',
      buttons: ['Keep for this session only', 'Store unencrypted'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    };
    const win = window();
    const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    if (response !== 1) {
      declinedThisSession = true;
      return false;
    }
    await settings.write({ ...current, plaintextSecretsAccepted: true });
    return true;
  };
}
