// The apply dialog's sudo prompt: the host's login needs a sudo password that this session
// does not know yet. The password lives only in this input until it is sent; the backend
// checks it on the host (sudo -S, on stdin) before anything runs, keeps it in memory for
// the session and, if the user ticks the box, in the OS keychain — where there is none,
// the box is disabled and says why (never plain text).
import { useState } from 'react';
import type { KeychainState } from '../../../shared/api/contract';

export interface SudoPromptProps {
  hostName: string;
  /** Why it is asked (sudo's words), or why the last password was refused. */
  message: string;
  keychain: KeychainState | undefined;
  busy: boolean;
  onSubmit(password: string, remember: boolean): void;
  onCancel(): void;
}

export function SudoPrompt({ hostName, message, keychain, busy, onSubmit, onCancel }: SudoPromptProps) {
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(false);
  const canStore = keychain?.available === true;
  const submit = () => {
    const given = password;
    setPassword(''); // not kept in the page once sent
    onSubmit(given, canStore && remember);
  };
  return (
    <form
      className="secret sudo-prompt"
      data-testid="run-sudo-prompt"
      role="dialog"
      aria-label={`sudo password for ${hostName}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (password && !busy) submit();
      }}
    >
      <p data-testid="run-sudo-message">{message}</p>
      <p className="hint">It is checked on {hostName} before anything changes, sent only on sudo&apos;s standard input, and kept in memory for this session.</p>
      <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} aria-label="sudo password" autoComplete="off" autoFocus disabled={busy} />
      <label title={keychain && !keychain.available ? keychain.reason : undefined}>
        <input type="checkbox" checked={canStore && remember} disabled={!canStore || busy} onChange={(e) => setRemember(e.target.checked)} data-testid="run-sudo-remember" /> also store it in the OS keychain
      </label>
      {keychain && !keychain.available && (
        <p className="hint" data-testid="run-sudo-no-keychain">
          Not stored: {keychain.reason}.
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={!password || busy} data-testid="run-sudo-submit">
          {busy ? 'Checking…' : 'Use this password'}
        </button>
      </div>
    </form>
  );
}
