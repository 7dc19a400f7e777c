import { KernelNamePreview } from './KernelNamePreview';
import { NumberField, Section, SelectField, TextField } from '../fields';
import { InterfaceFields, usePlacementOptions } from './common';
import { ImpairFields } from './ImpairFields';
import { LinkAction } from './LinkAction';

export function VethForm({ id }: { id: string }) {
  const places = usePlacementOptions(true);
  return (
    <>
      <TextField id={id} path={['name']} label="Name" />
      <KernelNamePreview id={id} />
      <LinkAction id={id} />
      {(['a', 'b'] as const).map((end) => (
        <Section key={end} title={`End ${end}`}>
          <SelectField id={id} path={[end, 'at']} label="Attached to" options={places} hint="A namespace, a host's root namespace, or a bridge (the end is enslaved)" />
          <InterfaceFields id={id} base={[end]} end={end} />
          <NumberField id={id} path={[end, 'pvid']} label="PVID" optional hint="VLAN of this port on a vlan-filtering bridge" />
          <ImpairFields id={id} base={[end]} title={`Impairments of what end ${end} sends`} />
        </Section>
      ))}
      <ImpairFields id={id} base={[]} title="Impairments of the whole link (both directions)" />
    </>
  );
}
