// The page's Save dialog (see app/saveLocation.ts): name, folder of the workspace, and an
// in-dialog question before replacing a file that exists.
import { useEffect, useState } from 'react';
import { api } from '../api';
import { joinPath, nameProblem, useSaveLocation, type SaveLocationRequest } from '../app/saveLocation';
import { Dialog } from './Dialog';

type Folders = { root: string; folders: string[] } | { error: string } | undefined;

function SaveLocationForm({ request }: { request: SaveLocationRequest }) {
  const [name, setName] = useState(request.suggestedName);
  const [folder, setFolder] = useState('');
  const [folders, setFolders] = useState<Folders>(undefined);
  const [error, setError] = useState('');
  const [exists, setExists] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    const list = api.listFolders?.() ?? Promise.resolve({ ok: false as const, error: 'this backend has no workspace folders' });
    list.then(
      (r) => live && setFolders(r.ok ? { root: r.root, folders: r.folders } : { error: r.error }),
      (e: unknown) => live && setFolders({ error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, []);

  const cancel = () => request.done({ ok: false, canceled: true });
  const path = joinPath(folder, name.trim());

  const attempt = async (overwrite: boolean) => {
    const problem = nameProblem(name.trim(), request.extensions);
    if (problem) return setError(problem);
    setBusy(true);
    setError('');
    try {
      const r = await request.write(path, overwrite);
      // 'exists' (exports) and a conflict with nothing opened (designs) both mean: a file is there.
      if (!r.ok && !r.canceled && (r.reason === 'exists' || r.reason === 'conflict') && !overwrite) return setExists(path);
      if (!r.ok && !r.canceled) return setError(`Could not save: ${r.error}`);
      request.done(r);
    } catch (e) {
      setError(`Could not save: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={request.title} onClose={cancel} testId="save-location">
      <form
        className="save-location"
        onSubmit={(e) => {
          e.preventDefault();
          void attempt(false);
        }}
      >
        <label>
          Name{' '}
          <input
            value={name}
            autoFocus
            spellCheck={false}
            data-testid="save-name"
            onChange={(e) => {
              setName(e.target.value);
              setExists(null);
              setError('');
            }}
          />
        </label>
        <label>
          Folder{' '}
          <select
            value={folder}
            data-testid="save-folder"
            disabled={folders === undefined || 'error' in folders}
            onChange={(e) => {
              setFolder(e.target.value);
              setExists(null);
            }}
          >
            {folders && 'folders' in folders ? (
              folders.folders.map((f) => (
                <option key={f} value={f}>
                  {f === '' ? '(workspace)' : `${f}/`}
                </option>
              ))
            ) : (
              <option value="">(workspace)</option>
            )}
          </select>
        </label>
        <p className="hint" data-testid="save-where">
          {folders === undefined ? 'Reading the workspace…' : 'error' in folders ? `Cannot list folders: ${folders.error}` : `Saves to ${joinPath(folders.root, path)}`}
        </p>
        {exists !== null ? (
          <div className="save-exists" role="alert" data-testid="save-exists">
            <p>
              <strong>{exists}</strong> already exists. Replace it?
            </p>
            <div className="actions">
              <button type="button" disabled={busy} onClick={() => void attempt(true)} data-testid="save-replace">
                Replace
              </button>
              <button type="button" disabled={busy} onClick={() => setExists(null)} data-testid="save-keep" autoFocus>
                Keep it (choose another name)
              </button>
            </div>
          </div>
        ) : (
          <div className="actions">
            <button type="submit" disabled={busy} data-testid="save-confirm">
              Save
            </button>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </div>
        )}
        {error && (
          <p className="msg-error" role="alert" data-testid="save-error">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}

export function SaveLocationDialog() {
  const request = useSaveLocation((s) => s.request);
  // A new request starts a fresh form (key), so nothing of the last one lingers.
  return request ? <SaveLocationForm key={request.id} request={request} /> : null;
}
