// Example designs shipped with the app (resources/examples).
import { useEffect, useState } from 'react';
import type { ExampleInfo } from '../../../shared/api/contract';
import { api } from '../api';
import { openExample } from '../app/fileActions';
import { useEditor } from '../store/designStore';
import { Dialog } from './Dialog';

export function ExamplesGallery() {
  const [list, setList] = useState<ExampleInfo[] | undefined>();
  useEffect(() => {
    api.listExamples().then(setList, () => setList([]));
  }, []);
  return (
    <Dialog title="Examples" onClose={() => useEditor.getState().setDialog('none')} testId="examples">
      {list === undefined && <p className="hint">Loading…</p>}
      {list?.length === 0 && <p className="hint">No examples are bundled with this build.</p>}
      <ul className="gallery">
        {list?.map((x) => (
          <li key={x.id}>
            <button type="button" onClick={() => void openExample(x.id)} data-testid={`example-${x.id}`}>
              <strong>{x.title}</strong>
              {x.description && <span>{x.description}</span>}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
