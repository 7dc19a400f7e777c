// Shown when nothing is selected: the design's own fields and a summary.
import { useEditor } from '../../store/designStore';
import { Messages } from '../fields';
import { diagnosticsOf } from '../../store/derived';

export function DesignForm() {
  const design = useEditor((s) => s.design);
  const setDesignField = useEditor((s) => s.setDesignField);
  const endEdit = useEditor((s) => s.endEdit);
  const diags = diagnosticsOf(design).filter((d) => !d.elementId && (d.field === 'tag' || d.field === 'name'));
  return (
    <>
      <div className="field">
        <label htmlFor="design-name">Design name</label>
        <input id="design-name" value={design.name} onChange={(e) => setDesignField('name', e.target.value)} onBlur={endEdit} />
      </div>
      <div className="field">
        <label htmlFor="design-tag" title="Names this design's objects on hosts (nft table, interface aliases)">
          Tag
        </label>
        <input id="design-tag" value={design.tag} onChange={(e) => setDesignField('tag', e.target.value)} onBlur={endEdit} />
      </div>
      <div className="field">
        <label htmlFor="design-desc">Description</label>
        <textarea id="design-desc" rows={3} value={design.description ?? ''} onChange={(e) => setDesignField('description', e.target.value)} onBlur={endEdit} />
      </div>
      <Messages diagnostics={diags} />
      <p className="hint">
        {design.hosts.length} host{design.hosts.length === 1 ? '' : 's'} · {design.namespaces.length} namespaces · {design.bridges.length} bridges · {design.veths.length} links
      </p>
      <p className="hint">Drag an element from the palette onto the canvas, or click it to add. Connect elements by dragging from one port (●) to another.</p>
    </>
  );
}
