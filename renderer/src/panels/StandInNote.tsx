// Says, on a sandbox host's card, that the NICs its design names are stand-ins: the
// sandbox has no NICs, so the backend makes each a veth into a hidden "outside" namespace
// (shared/sandbox/stand-ins.ts, the same names and addresses the backend uses).
import type { Design, Host } from '../../../shared/model/schema';
import { standInNics } from '../../../shared/sandbox/stand-ins';

export function StandInNote({ design, host }: { design: Design; host: Host }) {
  if (host.target.kind !== 'sandbox' || host.nics.length === 0) return null;
  const r = standInNics(design, host.id);
  if (!r.ok) {
    return (
      <p className="msg-error" data-testid="stand-in-note" data-state="error">
        No stand-in NICs: {r.error}
      </p>
    );
  }
  return (
    <div className="stand-in-note" data-testid="stand-in-note" data-state="ok">
      <p className="hint">
        This sandbox has no real NICs: {r.nics.map((n) => n.name).join(', ')} {r.nics.length === 1 ? 'is a stand-in' : 'are stand-ins'}, each a veth whose far end sits in a
        hidden “outside” namespace (the network beyond the NIC, with a default route back). Apply, live view and the check use them like real NICs.
      </p>
      <ul className="hint">
        {r.nics.map((n) => (
          <li key={n.name} data-testid={`stand-in-${n.name}`}>
            <code>{n.name}</code> {n.hostCidr} — outside {n.outsideAddress}
          </li>
        ))}
      </ul>
    </div>
  );
}
