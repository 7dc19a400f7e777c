// Where a host is reached: the local sandbox (throwaway namespaces on this machine) or an
// SSH lab server (address, port, user, and a key file or the ssh-agent), with the
// connection test that shows the host key fingerprint for explicit trust.
import type { Host } from '../../../../shared/model/schema';
import { useEditor } from '../../store/designStore';
import { NumberField, SelectField, TextField, useValue } from '../fields';
import { ConnectionTest } from './ConnectionTest';

export function SshTargetFields({ id }: { id: string }) {
  const target = useValue<Host['target']>(id, ['target']);
  const set = useEditor((s) => s.setField);
  const endEdit = useEditor((s) => s.endEdit);
  const auth = target?.kind === 'ssh' && target.keyPath !== undefined ? 'key' : 'agent';
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
          <TextField id={id} path={['target', 'user']} label="User" hint="root, or a user with passwordless sudo" />
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
          <ConnectionTest target={target} />
        </>
      )}
    </>
  );
}
