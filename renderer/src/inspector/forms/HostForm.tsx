import { useReactFlow } from '@xyflow/react';
import type { Host } from '../../../../shared/model/schema';
import { revealPoint } from '../../canvas/reveal';
import { freeSlotCentre } from '../../model/layout';
import { useEditor } from '../../store/designStore';
import { CheckField, NumberField, Section, SelectField, TextField, TriStateField, useValue } from '../fields';
import { RoutesField } from './common';
import { SshTargetFields } from './SshTargetFields';

export function HostForm({ id }: { id: string }) {
  const nics = useValue<Host['nics']>(id, ['nics']) ?? [];
  const ifaces = useValue<Host['sysctls']['interfaces']>(id, ['sysctls', 'interfaces']) ?? [];
  const set = useEditor((s) => s.setField);
  const rf = useReactFlow();
  return (
    <>
      <TextField id={id} path={['name']} label="Name" />
      <Section title="Target">
        <SshTargetFields id={id} />
      </Section>
      <TextField id={id} path={['underlay']} label="Underlay address" optional hint="Address other hosts use to reach this one (VXLAN)" />
      <SelectField
        id={id}
        path={['underlayDev']}
        label="Underlay NIC"
        optional="none"
        options={nics.map((n) => ({ value: n.name, label: n.name }))}
        hint="Carries the underlay address: tunnels of segments stretched to other hosts send through it, and its MTU bounds theirs"
      />
      <Section title={`NICs (${nics.length})`}>
        {nics.map((n, i) => (
          <div className="row-card" key={i}>
            <TextField id={id} path={['nics', i, 'name']} label="Name" />
            <CheckField id={id} path={['nics', i, 'management']} label="Management" hint="Carries the SSH session: never moved, enslaved or readdressed" />
            <NumberField id={id} path={['nics', i, 'mtu']} label="MTU" optional />
            <button type="button" className="small danger" onClick={() => useEditor.getState().deleteIds([`nic:${id}:${n.name}`])}>
              Remove NIC
            </button>
          </div>
        ))}
        <button
          type="button"
          className="small"
          onClick={() => {
            const point = freeSlotCentre(useEditor.getState().design, id, 'nic');
            useEditor.getState().addNode('nic', point, id);
            revealPoint(rf, point);
          }}
        >
          + NIC
        </button>
      </Section>
      <RoutesField id={id} path={['routes']} />
      <Section title="Sysctls">
        <TriStateField id={id} path={['sysctls', 'ipForward']} label="IPv4 forwarding" />
        <TriStateField id={id} path={['sysctls', 'ipv6Forward']} label="IPv6 forwarding" />
        {ifaces.map((_, i) => (
          <div className="row-card" key={i}>
            <TextField id={id} path={['sysctls', 'interfaces', i, 'iface']} label="Interface" />
            <TriStateField id={id} path={['sysctls', 'interfaces', i, 'forwarding']} label="forwarding" />
            <TriStateField id={id} path={['sysctls', 'interfaces', i, 'proxyArp']} label="proxy_arp" />
            <button type="button" className="small danger" onClick={() => set(id, ['sysctls', 'interfaces'], ifaces.filter((__, j) => j !== i))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="small" onClick={() => set(id, ['sysctls', 'interfaces'], [...ifaces, { iface: '' }])}>
          + interface sysctl
        </button>
      </Section>
    </>
  );
}
