// "Test connection" for an SSH host: shows the host key fingerprint the backend saw; an
// unknown key is trusted only after the user compares and approves it; a missing
// passphrase or password is asked for (and kept only if the user says so).
import { useState } from 'react';
import type { ConnectionTestOptions, ConnectionTestResult } from '../../../../shared/api/contract';
import type { Host } from '../../../../shared/model/schema';
import { api } from '../../api';

type SshTarget = Extract<Host['target'], { kind: 'ssh' }>;

/** `onTested`: a test ended (a key it trusted is now recorded for the inventory server). */
export function ConnectionTest({ target, onTested }: { target: SshTarget; onTested?: () => void }) {
  const [result, setResult] = useState<ConnectionTestResult | 'running' | undefined>();
  const [secret, setSecret] = useState('');
  const [remember, setRemember] = useState(false);
  // The sudo password lives only in this input until it is sent; the backend keeps it in memory for the session.
  const [sudoPassword, setSudoPassword] = useState('');
  const [rememberSudo, setRememberSudo] = useState(false);
  const run = (options: ConnectionTestOptions = {}) => {
    setResult('running');
    const t = { address: target.address, port: target.port, user: target.user, ...(target.keyPath ? { keyPath: target.keyPath } : {}), ...(target.alias ? { alias: target.alias } : {}), ...(target.jump ? { jump: target.jump } : {}), ...(target.server ? { server: target.server } : {}) };
    api.testConnection(t, options).then(
      (r) => {
        if (options.sudoPassword !== undefined) setSudoPassword('');
        setResult(r);
        onTested?.();
      },
      (e: unknown) => setResult({ ok: false, error: String(e) }),
    );
  };
  const withSecret = (extra: ConnectionTestOptions = {}): ConnectionTestOptions => (secret ? { ...extra, secret, rememberSecret: remember } : extra);
  const failed = result && result !== 'running' && !result.ok ? result : undefined;
  const unknownKey = failed?.hostKeyUnknown === true && failed.fingerprint !== undefined;
  return (
    <div className="conn-test">
      <button type="button" className="small" onClick={() => run(withSecret())} disabled={result === 'running' || !target.address} data-testid="test-connection">
        {result === 'running' ? 'Testing…' : 'Test connection'}
      </button>
      {result && result !== 'running' && result.ok && (
        <div className="ok conn-ok" data-testid="connection-result" data-known={result.known ? 'true' : 'false'}>
          <p>
            Connected as {target.user} in {result.latencyMs} ms.
          </p>
          <p>
            Host key {result.keyType} <code data-testid="host-fingerprint">{result.fingerprint}</code> — {result.known ? 'trusted (matches the recorded key)' : 'new: trusted now, recorded in Wireplan\'s known_hosts'}
          </p>
          {result.sudo && result.sudo !== 'root' && (
            <p data-testid="sudo-mode">
              {result.sudo === 'nopasswd'
                ? 'sudo works without a password.'
                : result.sudoStored === 'keychain'
                  ? 'sudo password accepted: kept for this session and stored in the OS keychain.'
                  : `sudo password accepted: kept in memory for this session only${result.keychainRefused ? ` (not stored: ${result.keychainRefused})` : ''}.`}
            </p>
          )}
          {result.resolvedBy && <p data-testid="ssh-config-resolution">Resolved from the ssh config: {result.resolvedBy}</p>}
          {result.secretStored && <p>Secret kept {result.secretStored === 'session' ? 'for this session' : result.secretStored === 'encrypted' ? 'encrypted' : 'in plain text'}.</p>}
        </div>
      )}
      {failed && (
        <div className={unknownKey ? 'key-unknown' : 'msg-error'} data-testid="connection-result" data-unknown-key={unknownKey ? 'true' : undefined}>
          {unknownKey ? (
            <>
              <p>
                <b>First connection to this host.</b> It offers this {failed.keyType ?? ''} host key:
              </p>
              <code className="fingerprint" data-testid="host-fingerprint">
                {failed.fingerprint}
              </code>
              <p>
                Compare it with the server&apos;s own (<code>ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</code> on the server, or your inventory) before trusting it.
                Nothing is trusted until you do.
              </p>
              <button type="button" className="small primary" onClick={() => run(withSecret({ trustFingerprint: failed.fingerprint! }))} data-testid="trust-key">
                Trust this key and connect
              </button>
            </>
          ) : (
            <>
              <p>{failed.error}</p>
              {failed.fingerprint && (
                <p>
                  Offered key: {failed.keyType ?? ''} <code data-testid="host-fingerprint">{failed.fingerprint}</code>
                </p>
              )}
            </>
          )}
          {failed.needsSudoPassword && (
            <div className="secret" data-testid="sudo-password-dialog">
              <p>
                {target.user} needs a password for sudo. It is checked on the host before anything runs, kept in memory for this session (and, if you
                tick the box, in the OS keychain: never in plain text), and sent only on sudo&apos;s standard input.
              </p>
              <input type="password" placeholder="sudo password" value={sudoPassword} onChange={(e) => setSudoPassword(e.target.value)} aria-label="sudo password" autoComplete="off" />
              <label>
                <input type="checkbox" checked={rememberSudo} onChange={(e) => setRememberSudo(e.target.checked)} data-testid="sudo-password-remember" /> also store it in the OS keychain
              </label>
              <button type="button" className="small primary" disabled={!sudoPassword} onClick={() => run(withSecret({ sudoPassword, ...(rememberSudo ? { rememberSudoPassword: true } : {}) }))} data-testid="sudo-password-submit">
                Use this password
              </button>
            </div>
          )}
          {failed.needsSecret && (
            <div className="secret">
              <input
                type="password"
                placeholder={failed.needsSecret === 'passphrase' ? 'Key passphrase' : 'Password'}
                value={secret}
                onChange={(e) => setSecret(e.target.value)}
                aria-label={failed.needsSecret === 'passphrase' ? 'Key passphrase' : 'Password'}
              />
              <label>
                <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> remember
              </label>
              <button type="button" className="small" disabled={!secret} onClick={() => run(withSecret())}>
                Retry
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
