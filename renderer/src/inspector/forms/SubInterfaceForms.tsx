// macvlan/ipvlan, VLAN and VXLAN sub-interfaces.
import { KernelNamePreview } from './KernelNamePreview';
import { useValue, CheckField, NumberField, SelectField, TextField } from '../fields';
import { lookup } from '../../model/lookup';
import { useEditor } from '../../store/designStore';
import { InterfaceFields, useBridgeOptions, useNicOptions, usePlacementOptions } from './common';

const MACVLAN_MODES = ['bridge', 'private', 'vepa', 'passthru'].map((m) => ({ value: m, label: m }));
const IPVLAN_MODES = ['l2', 'l3', 'l3s'].map((m) => ({ value: m, label: m }));

export function MacvlanForm({ id }: { id: string }) {
  const places = usePlacementOptions();
  const nics = useNicOptions(id);
  const kind = useValue<string>(id, ['kind']);
  return (
    <>
      <TextField id={id} path={['name']} label="Name" />
      <KernelNamePreview id={id} />
      <SelectField
        id={id}
        path={['kind']}
        label="Kind"
        options={[
          { value: 'macvlan', label: 'macvlan' },
          { value: 'ipvlan', label: 'ipvlan' },
        ]}
        onChanged={(value) => {
          // The modes differ per kind: switch to the new kind's default with it.
          const modes = value === 'ipvlan' ? IPVLAN_MODES : MACVLAN_MODES;
          const s = useEditor.getState();
          const mode = (lookup(s.design).byId.get(id)?.element as { mode?: string } | undefined)?.mode;
          if (!modes.some((m) => m.value === mode)) s.setField(id, ['mode'], modes[0]!.value);
        }}
      />
      <SelectField id={id} path={['mode']} label="Mode" options={kind === 'ipvlan' ? IPVLAN_MODES : MACVLAN_MODES} />
      <SelectField id={id} path={['parent']} label="Parent NIC" options={nics} />
      <SelectField id={id} path={['at']} label="Lives in" options={places} hint="In the root namespace it is a host shim" />
      <InterfaceFields id={id} />
    </>
  );
}

export function VlanForm({ id }: { id: string }) {
  const places = usePlacementOptions();
  const nics = useNicOptions(id);
  const bridges = useBridgeOptions();
  return (
    <>
      <TextField id={id} path={['name']} label="Name" />
      <KernelNamePreview id={id} />
      <SelectField id={id} path={['parent']} label="Parent NIC" options={nics} />
      <NumberField id={id} path={['vlanId']} label="VLAN id" min={1} max={4094} />
      <SelectField id={id} path={['at']} label="Lives in" options={places} />
      <SelectField id={id} path={['bridge']} label="Bridge port of" options={bridges} optional="(not enslaved)" />
      <InterfaceFields id={id} />
    </>
  );
}

export function VxlanForm({ id }: { id: string }) {
  const places = usePlacementOptions();
  const nics = useNicOptions(id);
  const bridges = useBridgeOptions();
  return (
    <>
      <TextField id={id} path={['name']} label="Name" />
      <KernelNamePreview id={id} />
      <NumberField id={id} path={['vni']} label="VNI" />
      <TextField id={id} path={['remote']} label="Remote" optional placeholder="peer underlay address" />
      <TextField id={id} path={['group']} label="Multicast group" optional />
      <TextField id={id} path={['local']} label="Local" optional />
      <NumberField id={id} path={['port']} label="UDP port" />
      <SelectField id={id} path={['dev']} label="Underlay NIC" options={nics} optional="(any)" />
      <CheckField id={id} path={['learning']} label="Learning" fallback />
      <SelectField id={id} path={['at']} label="Lives in" options={places} />
      <SelectField id={id} path={['bridge']} label="Bridge port of" options={bridges} optional="(not enslaved)" />
      <InterfaceFields id={id} />
    </>
  );
}
