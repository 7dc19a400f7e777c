import { useEffect, useState } from 'react';
import type { RecentFile } from '../../../shared/api/contract';
import { api } from '../api';
import { openFile } from '../app/fileActions';
import { useEditor } from '../store/designStore';
import { Dialog } from './Dialog';

export function RecentDialog() {
  const [list, setList] = useState<RecentFile[] | undefined>();
  const close = () => useEditor.getState().setDialog('none');
  useEffect(() => {
    api.recentFiles().then(setList, () => setList([]));
  }, []);
  return (
    <Dialog title="Recent files" onClose={close} testId="recent">
      {list?.length === 0 && <p className="hint">No recent files.</p>}
      <ul className="gallery">
        {list?.map((r) => (
          <li key={r.path}>
            <button type="button" onClick={() => void openFile(r.path).then(close)}>
              <strong>{r.name}</strong>
              <span>
                {r.path} · {new Date(r.openedAt).toLocaleString()}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
