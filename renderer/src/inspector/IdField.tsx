// The element's id, editable: ids name the element's objects on hosts (ownership tags,
// kernel names derived from them), so a team may want its own. Committed on Enter or when
// the field loses focus; every reference follows (one undo step); an invalid or taken id
// is explained and not applied.
import { useEffect, useId, useState } from 'react';
import { renameRefusal } from '../model/rename';
import { useEditor } from '../store/designStore';

export function IdField({ id }: { id: string }) {
  const [draft, setDraft] = useState(id);
  const htmlId = useId();
  useEffect(() => setDraft(id), [id]);
  const refusal = useEditor((s) => (draft === id ? undefined : renameRefusal(s.design, id, draft)));
  const commit = () => {
    if (draft === id) return;
    if (refusal || !useEditor.getState().renameId(id, draft)) setDraft(id);
  };
  return (
    <div className={`field${refusal ? ' field-error' : ''}`}>
      <label htmlFor={htmlId} title="Stable key of the element in the design file and in the tags of its objects on hosts">
        Id
      </label>
      <div className="control">
        <input
          id={htmlId}
          name="$id"
          value={draft}
          spellCheck={false}
          onChange={(e) => setDraft(e.target.value.trim())}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setDraft(id);
          }}
        />
      </div>
      {refusal && (
        <ul className="field-messages">
          <li className="msg-error" data-testid="field-message">
            {refusal}
          </li>
        </ul>
      )}
    </div>
  );
}
