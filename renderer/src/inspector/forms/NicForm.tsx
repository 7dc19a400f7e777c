import { CheckField, NumberField, TextField } from '../fields';

/** A host NIC (edited through its canvas node id "nic:<host>:<name>"). */
export function NicForm({ id }: { id: string }) {
  return (
    <>
      <TextField id={id} path={['name']} label="Name" hint="The NIC's name on the host, e.g. eth1" />
      <CheckField id={id} path={['management']} label="Management" hint="Carries the SSH session: never moved, enslaved or readdressed" />
      <NumberField id={id} path={['mtu']} label="MTU" optional />
    </>
  );
}
