// Example designs shipped with the app (resources/examples).
import { useEffect, useState } from 'react';
import type { ExampleInfo } from '../../../shared/api/contract';
import { api } from '../api';
import { openExample } from '../app/fileActions';
import { useEditor } from '../store/designStore';
import { Dialog } from './Dialog';

/** An example's description without the test suite's label ("Seed a: ..."). */
export function plainDescription(text: string): string {
  const t = text.replace(/^Seed [a-z0-9]+:\s*/i, '');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

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
              {x.description && <span>{plainDescription(x.description)}</span>}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
