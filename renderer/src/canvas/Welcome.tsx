// The first screen: on an empty canvas, a panel with the ways to begin (an example, a host,
// or drawing). It sits low in the canvas and lets pointer events through (but for its
// buttons), so drops and clicks reach the canvas; it goes with the first element.
import { useEditor } from '../store/designStore';

export function Welcome() {
  const empty = useEditor((s) => s.design.hosts.length === 0 && s.design.namespaces.length === 0 && s.design.bridges.length === 0);
  const setDialog = useEditor((s) => s.setDialog);
  if (!empty) return null;
  return (
    <div className="welcome" data-testid="welcome">
      <h2>Design a Linux virtual network</h2>
      <p>Namespaces, bridges, veth links, NAT and firewall rules, compiled into the exact commands per host, applied with rollback, and watched live.</p>
      <div className="welcome-actions">
        <button type="button" className="primary" onClick={() => setDialog('examples')} data-testid="welcome-examples">
          Open an example
        </button>
        <button type="button" onClick={() => setDialog('hosts')} data-testid="welcome-hosts" title="Hosts: the local sandbox or an SSH lab server; from a host's card, Import from host… opens what it really has as a design">
          Set up a host
        </button>
        <button type="button" onClick={() => setDialog('help')} data-testid="welcome-help">
          How it works
        </button>
      </div>
      <p className="hint">
        Or start drawing: drag a <b>Namespace</b> from the palette on the left onto the canvas (or select it and press Enter), then drag from one element&apos;s port (●) to another to link them.
      </p>
    </div>
  );
}
