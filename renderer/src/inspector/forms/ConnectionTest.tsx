// "Test connection" for an SSH host: shows the host key fingerprint the backend saw.
import { useState } from 'react';
import type { ConnectionTestResult } from '../../../../shared/api/contract';
import type { Host } from '../../../../shared/model/schema';
import { api } from '../../api';

type SshTarget = Extract<Host['target'], { kind: 'ssh' }>;

export function ConnectionTest({ target }: { target: SshTarget }) {
  const [result, setResult] = useState<ConnectionTestResult | 'running' | undefined>();
  const run = () => {
    setResult('running');
    const t = { address: target.address, port: target.port, user: target.user, ...(target.keyPath ? { keyPath: target.keyPath } : {}) };
    api.testConnection(t).then(setResult, (e: unknown) => setResult({ ok: false, error: String(e) }));
  };
  return (
    <div className="conn-test">
      <button type="button" className="small" onClick={run} disabled={result === 'running'}>
        {result === 'running' ? 'Testing…' : 'Test connection'}
      </button>
      {result && result !== 'running' && (
        <p className={result.ok ? 'ok' : 'msg-error'} data-testid="connection-result">
          {result.ok ? `${result.keyType} ${result.fingerprint}${result.known ? '' : ' (new host key)'} · ${result.latencyMs} ms` : result.error}
        </p>
      )}
    </div>
  );
}
