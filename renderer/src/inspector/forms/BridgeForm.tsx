import { KernelNamePreview } from './KernelNamePreview';
import { CheckField, NumberField, SelectField, StringListField, TextField } from '../fields';
import { FollowingNames, InterfaceFields, usePlacementOptions } from './common';

export function BridgeForm({ id }: { id: string }) {
  const places = usePlacementOptions();
  return (
    <>
      <TextField id={id} path={['name']} label="Name" />
      <KernelNamePreview id={id} />
      <FollowingNames id={id} />
      <SelectField id={id} path={['at']} label="Lives in" options={places} />
      <InterfaceFields id={id} />
      <CheckField id={id} path={['stp']} label="STP" />
      <CheckField id={id} path={['vlanFiltering']} label="VLAN filtering" />
      <StringListField id={id} path={['nics']} label="Enslaved NICs" placeholder="eth1" addLabel="NIC" />
      <NumberField id={id} path={['stitchPort']} label="Stretch UDP port" optional min={1} max={65535} hint="When members on other hosts stretch this bridge: the VXLAN port (default 4789)" />
    </>
  );
}
