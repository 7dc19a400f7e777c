// Where a host is reached: the local sandbox (throwaway namespaces on this machine) or an
// SSH lab server (address, port, user, and a key file or the ssh-agent), with the
// connection test that shows the host key fingerprint for explicit trust.
import { useEffect, useState } from 'react';
import type { InventoryServer } from '../../../../shared/api/contract';
import type { Host } from '../../../../shared/model/schema';
import { api } from '../../api';
import { useEditor } from '../../store/designStore';
import { NumberField, SelectField, TextField, useValue } from '../fields';
import { ConnectionTest } from './ConnectionTest';
import { ServerKey } from './ServerKey';

export function SshTargetFields({ id }: { id: string }) {
  const target = useValue<Host['target']>(id, ['target']);
  const set = useEditor((s) => s.setField);
  const endEdit = useEditor((s) => s.endEdit);
  const auth = target?.kind === 'ssh' && target.keyPath !== undefined ? 'key' : 'agent';
  const [servers, setServers] = useState<InventoryServer[]>([]);
  // Read again after a test or a forgotten key, so the entry's trusted fingerprints are current.
  const [serversRead, setServersRead] = useState(0);
  const rereadServers = () => setServersRead((n) => n + 1);
  useEffect(() => {
    let live = true;
    api.listServers().then(
      (s) => live && setServers(s),
      () => live && setServers([]),
    );
    return () => {
      live = false;
    };
  }, [serversRead]);
  const server = target?.kind === 'ssh' && target.server ? servers.find((s) => s.name === target.server) : undefined;
  const pickServer = (name: string) => {
    const e = servers.find((s) => s.name === name);
    if (!e) {
      if (target?.kind === 'ssh') set(id, ['target', 'server'], undefined);
      endEdit();
      return;
    }
    // The entry fills the fields (so the connection test sees exactly what runs use) and stays named.
    const byConfig = e.user === undefined && e.port === undefined;
    set(id, ['target'], {
      kind: 'ssh',
      server: e.name,
      address: e.target,
      port: e.port ?? 22,
      user: e.user ?? 'root',
      ...(byConfig ? { alias: e.target } : {}),
      ...(e.jump ? { jump: e.jump } : {}),
      ...(e.keyPath ? { keyPath: e.keyPath } : {}),
    });
    endEdit();
  };
  return (
    <>
      <SelectField
        id={id}
        path={['target', 'kind']}
        label="Kind"
        options={[
          { value: 'sandbox', label: 'Local sandbox (throwaway namespaces)' },
          { value: 'ssh', label: 'SSH lab server' },
        ]}
        onChanged={(kind) => {
          // A complete target for the new kind (the schema's defaults), keeping what was typed.
          if (kind === 'ssh' && target?.kind !== 'ssh') set(id, ['target'], { kind: 'ssh', address: '', port: 22, user: 'root' });
          if (kind === 'sandbox' && target?.kind !== 'sandbox') set(id, ['target'], { kind: 'sandbox' });
          endEdit();
        }}
      />
      {target?.kind === 'sandbox' && (
        <p className="hint" data-testid="sandbox-note">
          Namespaces in a private sandbox on this machine (no root needed): made on the first apply, gone when Wireplan stops. Apply, live status and the
          connectivity check work there exactly as on a server.
        </p>
      )}
      {target?.kind === 'ssh' && (
        <>
          {servers.length > 0 && (
            <div className="field">
              <label htmlFor={`server-${id}`}>Inventory server</label>
              <div className="control">
                <select id={`server-${id}`} name="target.server" value={target.server ?? ''} onChange={(e) => pickServer(e.target.value)} data-testid="inventory-server">
                  <option value="">— none (set below) —</option>
                  {servers.map((s) => (
                    <option key={s.name} value={s.name}>
                      {s.name} ({s.user ? `${s.user}@` : ''}
                      {s.target}
                      {s.port ? `:${s.port}` : ''})
                    </option>
                  ))}
                </select>
              </div>
            </div>
          )}
          {server && <ServerKey server={server} onChanged={rereadServers} />}
          <TextField
            id={id}
            path={['target', 'alias']}
            optional
            label="ssh config alias"
            placeholder="a Host of ~/.ssh/config (optional)"
            hint="when set, HostName, User, Port and keys come from the ssh config (ssh -G where an ssh client is installed, else Wireplan's own parser); the fields below are then not used"
          />
          <TextField id={id} path={['target', 'address']} label="Address" placeholder="lab1.example.net or 192.0.2.10" />
          <TextField
            id={id}
            path={['target', 'jump']}
            optional
            label="Jump hosts"
            placeholder="user@bastion[:port],… (optional)"
            hint="reached through these hosts in order, like ssh -J; each host key is checked before anything is sent to it (default: the ssh config's ProxyJump)"
          />
          <NumberField id={id} path={['target', 'port']} label="Port" min={1} max={65535} />
          <TextField id={id} path={['target', 'user']} label="User" hint="root, or a user with sudo (a sudo password is asked for before a run when sudo wants one)" />
          <div className="field">
            <label>Log in with</label>
            <div className="control auth-choice" role="radiogroup" aria-label="Log in with">
              <label>
                <input
                  type="radio"
                  name={`auth-${id}`}
                  checked={auth === 'agent'}
                  onChange={() => {
                    set(id, ['target', 'keyPath'], undefined);
                    endEdit();
                  }}
                />{' '}
                ssh-agent / default keys
              </label>
              <label>
                <input
                  type="radio"
                  name={`auth-${id}`}
                  checked={auth === 'key'}
                  onChange={() => {
                    set(id, ['target', 'keyPath'], '~/.ssh/id_ed25519');
                    endEdit();
                  }}
                />{' '}
                a key file
              </label>
            </div>
          </div>
          {auth === 'key' && <TextField id={id} path={['target', 'keyPath']} label="Key file" placeholder="~/.ssh/id_ed25519" />}
          <ConnectionTest target={target} onTested={rereadServers} />
        </>
      )}
    </>
  );
}
