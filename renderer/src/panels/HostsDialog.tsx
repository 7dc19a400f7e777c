// The hosts manager: every host of the design with where it is reached (the local
// sandbox, or an SSH profile: address, port, user, key file or agent), its connection
// test with the host key fingerprint to trust explicitly, and its live connection state.
import { useReactFlow } from '@xyflow/react';
import type { Host } from '../../../shared/model/schema';
import { SshTargetFields } from '../inspector/forms/SshTargetFields';
import { TextField } from '../inspector/fields';
import { FRAME_MIN } from '../model/kinds';
import { useEditor } from '../store/designStore';
import { useLive } from '../store/liveStore';
import { Dialog } from './Dialog';
import { StandInNote } from './StandInNote';

function HostCard({ host }: { host: Host }) {
  const status = useLive((s) => s.hosts[host.id]);
  const focus = useEditor((s) => s.focusElement);
  const design = useEditor((s) => s.design);
  return (
    <section className="host-card" data-testid={`host-card-${host.id}`}>
      <header>
        {/* The name only: ids are the design file's keys, not something a user reads. */}
        <b>{host.name}</b>
        {status && (
          <span className={`conn-pill conn-${status.connection}`} title={status.error}>
            {status.connection}
          </span>
        )}
        <span className="spacer" />
        <button type="button" className="small" onClick={() => useEditor.getState().setDialog('import', host.id)} data-testid={`import-host-${host.id}`} title="Open what this host really has now as a new design">
          Import from host…
        </button>
        <button type="button" className="small" onClick={() => (useEditor.getState().setDialog('none'), focus(host.id))}>
          Show on canvas
        </button>
      </header>
      {status?.error && <p className="msg-error">{status.error}</p>}
      <StandInNote design={design} host={host} />
      <form onSubmit={(e) => e.preventDefault()} autoComplete="off">
        <TextField id={host.id} path={['name']} label="Name" />
        <SshTargetFields id={host.id} />
      </form>
    </section>
  );
}

export function HostsDialog() {
  const hosts = useEditor((s) => s.design.hosts);
  const rf = useReactFlow();
  const close = () => useEditor.getState().setDialog('none');
  const add = (kind: 'sandbox' | 'ssh') => {
    const s = useEditor.getState();
    const frames = Object.values(s.design.layout.frames);
    const right = frames.reduce((m, f) => Math.max(m, f.x + f.width), 0);
    const id = s.addNode('host', { x: right + 60 + FRAME_MIN.width / 2, y: 40 });
    if (kind === 'ssh') s.setField(id, ['target'], { kind: 'ssh', address: '', port: 22, user: 'root' });
    s.endEdit();
    void rf.fitView({ padding: 0.15, duration: 200 });
  };
  return (
    <Dialog title="Hosts" onClose={close} wide testId="hosts-dialog">
      <p className="hint">
        Each host frame on the canvas is one Linux machine. Apply, live status and the connectivity check reach it over SSH (host keys are trusted only after you
        compare the fingerprint) or, for the local sandbox, in private namespaces on this machine.
      </p>
      <div className="host-cards">
        {hosts.map((h) => (
          <HostCard key={h.id} host={h} />
        ))}
        {hosts.length === 0 && <p className="hint">No hosts yet: add one, or drop an element on the canvas.</p>}
      </div>
      <div className="actions">
        <button type="button" onClick={() => add('sandbox')} data-testid="add-sandbox-host">
          + Local sandbox host
        </button>
        <button type="button" onClick={() => add('ssh')} data-testid="add-ssh-host">
          + SSH host
        </button>
      </div>
    </Dialog>
  );
}
