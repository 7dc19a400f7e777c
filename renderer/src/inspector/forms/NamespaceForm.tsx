import { KernelNamePreview } from './KernelNamePreview';
import { CheckField, SelectField, Section, TextField, TriStateField } from '../fields';
import { FollowingNames, RoutesField, useHostOptions } from './common';
import { ProgramsField } from './ProgramsField';

export function NamespaceForm({ id }: { id: string }) {
  const hosts = useHostOptions();
  return (
    <>
      <TextField id={id} path={['name']} label="Name" hint="The netns name (ip netns add NAME)" />
      <KernelNamePreview id={id} />
      <FollowingNames id={id} />
      <SelectField id={id} path={['host']} label="Host" options={hosts} />
      <CheckField id={id} path={['loopback']} label="Loopback up" fallback />
      <RoutesField id={id} path={['routes']} />
      <Section title="Sysctls">
        <TriStateField id={id} path={['sysctls', 'ipForward']} label="IPv4 forwarding" />
        <TriStateField id={id} path={['sysctls', 'ipv6Forward']} label="IPv6 forwarding" />
      </Section>
      <ProgramsField id={id} />
    </>
  );
}
