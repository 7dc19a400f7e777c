// Inspector for a reference edge (lives in a namespace, bridge port, parent NIC).
import { parseRelationId } from '../model/relations';
import { useEditor } from '../store/designStore';

const TEXT = {
  'in-namespace': 'lives in this namespace',
  'bridge-port': 'is a port of this bridge',
  parent: 'is a sub-interface of this NIC',
  'nic-port': 'NIC is a port of this bridge',
} as const;

export function RelationInfo({ id }: { id: string }) {
  const r = parseRelationId(id);
  const del = useEditor((s) => s.deleteIds);
  if (!r) return null;
  return (
    <div>
      <p>
        {r.type === 'nic-port' ? `${r.nic} → ${r.bridge}` : r.element}: {TEXT[r.type]}.
      </p>
      <button type="button" className="small danger" onClick={() => del([id])}>
        Remove this reference
      </button>
    </div>
  );
}
