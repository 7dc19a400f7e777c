// The inspector: a form for the single selected element (every property of the model),
// the design's own fields when nothing is selected, a summary for multi-selection. Ids are
// internal keys (stable across renames, so references and host tags hold): never shown.
import type { ComponentType } from 'react';
import { KindIcon } from '../canvas/icons';
import { KIND_LABEL, type NodeKind } from '../model/kinds';
import { lookup } from '../model/lookup';
import { useEditor } from '../store/designStore';
import { diagnosticsOf } from '../store/derived';
import { Messages } from './fields';
import { BridgeForm } from './forms/BridgeForm';
import { DesignForm } from './forms/DesignForm';
import { HostForm } from './forms/HostForm';
import { NamespaceForm } from './forms/NamespaceForm';
import { NicForm } from './forms/NicForm';
import { MasqueradeForm, PolicyForm, PortForwardForm } from './forms/ServiceForms';
import { MacvlanForm, VlanForm, VxlanForm } from './forms/SubInterfaceForms';
import { VethForm } from './forms/VethForm';
import { LiveInfo } from './LiveInfo';
import { RelationInfo } from './RelationInfo';

const FORMS: Record<NodeKind | 'veth', ComponentType<{ id: string }>> = {
  host: HostForm,
  namespace: NamespaceForm,
  bridge: BridgeForm,
  nic: NicForm,
  veth: VethForm,
  macvlan: MacvlanForm,
  ipvlan: MacvlanForm,
  vlan: VlanForm,
  vxlan: VxlanForm,
  masquerade: MasqueradeForm,
  portForward: PortForwardForm,
  policy: PolicyForm,
};

export function Inspector() {
  const selection = useEditor((s) => s.selection);
  const kind = useEditor((s) => (s.selection.length === 1 ? lookup(s.design).byId.get(s.selection[0]!)?.kind : undefined));
  const design = useEditor((s) => s.design);
  if (selection.length === 0) {
    return (
      <div className="inspector" data-testid="inspector">
        <h2>Design</h2>
        <DesignForm />
      </div>
    );
  }
  if (selection.length > 1) {
    return (
      <div className="inspector" data-testid="inspector">
        <h2>{selection.length} selected</h2>
        <p className="hint">Ctrl+C copies them with the links among them; Ctrl+D duplicates; Delete removes them.</p>
      </div>
    );
  }
  const id = selection[0]!;
  if (!kind) {
    return (
      <div className="inspector" data-testid="inspector">
        <h2>Reference</h2>
        <RelationInfo id={id} />
      </div>
    );
  }
  const Form = FORMS[kind];
  // Diagnostics without a field (or with one no form shows) are listed at the top.
  const general = diagnosticsOf(design).filter((d) => d.elementId === id && !d.field);
  return (
    <div className="inspector" data-testid="inspector" data-element={id}>
      <h2>
        {kind !== 'veth' && <KindIcon kind={kind} />}
        {kind === 'veth' ? 'veth pair' : KIND_LABEL[kind]}
      </h2>
      <Messages diagnostics={general} />
      <LiveInfo id={id} kind={kind} />
      <form key={id} onSubmit={(e) => e.preventDefault()} autoComplete="off">
        <Form id={id} />
      </form>
    </div>
  );
}
