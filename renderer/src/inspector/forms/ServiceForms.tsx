// NAT (masquerade), port forwards and forwarding policies.
import { CT_STATES, type CtState, type PolicyRule } from '../../../../shared/model/schema';
import { useEditor } from '../../store/designStore';
import { CheckField, Messages, NumberField, Section, SelectField, StringListField, TextField, useFieldDiagnostics, useValue } from '../fields';
import { usePlacementOptions } from './common';

export function MasqueradeForm({ id }: { id: string }) {
  const places = usePlacementOptions();
  return (
    <>
      <TextField id={id} path={['name']} label="Name" />
      <SelectField id={id} path={['at']} label="NAT happens in" options={places} />
      <TextField id={id} path={['source']} label="Source prefix" placeholder="10.0.0.0/24" />
      <TextField id={id} path={['egress']} label="Egress interface" optional placeholder="any" />
      <TextField id={id} path={['egressExcept']} label="Any egress but" optional placeholder="e.g. the segment's bridge" />
    </>
  );
}

export function PortForwardForm({ id }: { id: string }) {
  const places = usePlacementOptions();
  return (
    <>
      <TextField id={id} path={['name']} label="Name" />
      <SelectField id={id} path={['at']} label="Published on" options={places} />
      <SelectField
        id={id}
        path={['protocol']}
        label="Protocol"
        options={[
          { value: 'tcp', label: 'tcp' },
          { value: 'udp', label: 'udp' },
        ]}
      />
      <NumberField id={id} path={['port']} label="Port" min={1} max={65535} />
      <TextField id={id} path={['listen']} label="Listen address" optional placeholder="any" />
      <TextField id={id} path={['ingress']} label="Ingress interface" optional placeholder="any" />
      <TextField id={id} path={['to']} label="To address" />
      <NumberField id={id} path={['toPort']} label="To port" optional />
      <CheckField id={id} path={['hostLocal']} label="Also from the host itself" fallback />
    </>
  );
}

/** A rule's connection-state match: unset = any state; ticked states otherwise (`ct state new,invalid`). */
function StateField({ id, index }: { id: string; index: number }) {
  const path = ['rules', index, 'state'];
  const states = useValue<CtState[]>(id, path);
  const set = useEditor((s) => s.setField);
  const diagnostics = useFieldDiagnostics(id, path);
  const toggle = (st: CtState, on: boolean) => {
    const next = CT_STATES.filter((x) => (x === st ? on : (states ?? []).includes(x)));
    set(id, path, next.length === 0 ? undefined : next);
    useEditor.getState().endEdit();
  };
  const worst = diagnostics.some((d) => d.severity === 'error') ? 'error' : diagnostics.length ? 'warning' : '';
  return (
    <div className={`field${worst ? ` field-${worst}` : ''}`} data-testid="rule-state">
      <label title="Only packets in these conntrack states; none ticked = any state">States</label>
      <div className="control">
        {CT_STATES.map((st) => (
          <label key={st}>
            <input type="checkbox" name={`rules[${index}].state.${st}`} checked={states?.includes(st) ?? false} onChange={(e) => toggle(st, e.target.checked)} /> {st}{' '}
          </label>
        ))}
        {states === undefined && <span className="hint">any</span>}
      </div>
      <Messages diagnostics={diagnostics} />
    </div>
  );
}

const ACTIONS = [
  { value: 'accept', label: 'accept' },
  { value: 'drop', label: 'drop' },
];

export function PolicyForm({ id }: { id: string }) {
  const places = usePlacementOptions();
  const rules = useValue<PolicyRule[]>(id, ['rules']) ?? [];
  const set = useEditor((s) => s.setField);
  return (
    <>
      <TextField id={id} path={['name']} label="Name" />
      <SelectField id={id} path={['at']} label="Router" options={places} />
      <StringListField id={id} path={['protects']} label="Protects" placeholder="10.0.1.0/24" addLabel="prefix" />
      <SelectField id={id} path={['defaultAction']} label="Default" options={ACTIONS} />
      <CheckField id={id} path={['allowEstablished']} label="Allow established" fallback />
      <Section title={`Rules (${rules.length})`}>
        {rules.map((_, i) => (
          <div className="row-card" key={i}>
            <TextField id={id} path={['rules', i, 'from']} label="From" optional placeholder="any" />
            <TextField id={id} path={['rules', i, 'to']} label="To" optional placeholder="any" />
            <TextField id={id} path={['rules', i, 'in']} label="In on" optional placeholder="any interface" />
            <TextField id={id} path={['rules', i, 'out']} label="Out of" optional placeholder="any interface" />
            <SelectField
              id={id}
              path={['rules', i, 'protocol']}
              label="Protocol"
              options={['any', 'tcp', 'udp', 'icmp'].map((p) => ({ value: p, label: p }))}
            />
            <TextField id={id} path={['rules', i, 'ports']} label="Ports" optional placeholder="80 or 8000-8100" />
            <StateField id={id} index={i} />
            <SelectField id={id} path={['rules', i, 'action']} label="Action" options={ACTIONS} />
            <button type="button" className="small danger" onClick={() => set(id, ['rules'], rules.filter((__, j) => j !== i))}>
              Remove rule
            </button>
          </div>
        ))}
        <button type="button" className="small" onClick={() => set(id, ['rules'], [...rules, { protocol: 'tcp', ports: '80', action: 'accept' }])}>
          + rule
        </button>
      </Section>
    </>
  );
}
