// The Help panel: what each element is, how to connect, how apply, check and live drift
// work, the keyboard shortcuts, and where the README says more.
import { SHORTCUTS } from '../app/useShortcuts';
import { KIND_LABEL } from '../model/kinds';
import { useEditor } from '../store/designStore';
import { Dialog } from './Dialog';

/** The README, by section (the repository's README.md; anchors as GitHub renders them). */
export const README = 'README.md';
const readme = (anchor: string) => `${README}#${anchor}`;

const ELEMENTS: { kind: keyof typeof KIND_LABEL; what: string }[] = [
  { kind: 'host', what: 'A Linux machine the plan runs on: the local sandbox (private namespaces on this machine, no root) or an SSH lab server. Its frame holds everything on it; its root port is the host\'s own network stack.' },
  { kind: 'namespace', what: 'A network namespace (ip netns): its own interfaces, addresses, routes and ip_forward.' },
  { kind: 'bridge', what: 'A Linux bridge: a switch. Its address makes it the gateway of the segment.' },
  { kind: 'nic', what: 'A physical NIC of the host (eth0 ...): parent of macvlan/ipvlan/VLAN, uplink of NAT.' },
  { kind: 'macvlan', what: 'A macvlan child of a NIC: its own MAC on the NIC\'s LAN.' },
  { kind: 'ipvlan', what: 'An ipvlan child of a NIC: the NIC\'s MAC, its own address.' },
  { kind: 'vlan', what: 'An 802.1Q VLAN interface on a NIC or bridge.' },
  { kind: 'vxlan', what: 'A VXLAN tunnel: a segment stretched over the hosts\' underlay.' },
  { kind: 'masquerade', what: 'NAT: traffic from a segment leaves through a NIC with the NIC\'s address.' },
  { kind: 'portForward', what: 'A published port (DNAT) from the host to an address inside.' },
  { kind: 'policy', what: 'Forwarding firewall rules (nftables) between interfaces.' },
];

export function HelpOverlay() {
  const close = () => useEditor.getState().setDialog('none');
  return (
    <Dialog title="Help" onClose={close} testId="help" wide>
      <div className="help">
        <section>
          <h3>Elements</h3>
          <dl className="help-elements">
            {ELEMENTS.map((e) => (
              <div key={e.kind}>
                <dt>{KIND_LABEL[e.kind]}</dt>
                <dd>{e.what}</dd>
              </div>
            ))}
          </dl>
          <p>
            Two elements joined by a line are a <b>veth</b> pair: a virtual cable with one interface at each end, named and addressed for you (from the bridge&apos;s subnet).
          </p>
        </section>
        <section>
          <h3>Connect</h3>
          <p>Drag an element from the palette onto a host frame (or click it). Drag from one element&apos;s port (●) to another element to link them: namespace ↔ bridge, namespace ↔ namespace and namespace ↔ host root make a veth pair. The Inspector edits the selection; Problems lists what is wrong, with a fix where there is an obvious one.</p>
          <h3>Apply</h3>
          <p>
            Plan shows the exact commands per host. <i>Apply to host…</i> names the plan&apos;s hash and step count before anything runs. The console marks a step ✓ only when the host reports it done; a failing step rolls back what the run did, and the rest is shown as not run. See{' '}
            <a href={readme('first-steps-in-the-designer')} target="_blank" rel="noreferrer">
              README: first steps in the designer
            </a>
            .
          </p>
          <h3>Check and Live</h3>
          <p>
            <i>Live</i> watches the hosts: every element gets a badge (present, missing, drifted with what differs, foreign), links show their state and rates. <i>Check</i> runs ping and TCP probes on the host and compares them with the reachability the design implies. See{' '}
            <a href={readme('first-steps-in-the-designer')} target="_blank" rel="noreferrer">
              README: live and check
            </a>
            ,{' '}
            <a href={readme('known-limits')} target="_blank" rel="noreferrer">
              README: known limits
            </a>{' '}
            and{' '}
            <a href={readme('design-files')} target="_blank" rel="noreferrer">
              README: design files
            </a>
            .
          </p>
        </section>
        <section>
          <h3>Keyboard</h3>
          <table className="shortcuts">
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.keys}>
                  <td>
                    <kbd>{s.keys}</kbd>
                  </td>
                  <td>{s.what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </Dialog>
  );
}
