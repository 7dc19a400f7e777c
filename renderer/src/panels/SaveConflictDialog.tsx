// The file changed on disk since it was opened or last saved (another editor, a git pull):
// the save was refused and nothing was written. The user chooses, as in VS Code.
import { conflictChoices, useSaveState } from '../app/fileActions';
import { Dialog } from './Dialog';

export function SaveConflictDialog() {
  const conflict = useSaveState((s) => s.conflict);
  if (!conflict) return null;
  const name = conflict.path.slice(conflict.path.lastIndexOf('/') + 1);
  return (
    <Dialog title={`${name} changed on disk`} onClose={conflictChoices.cancel} testId="save-conflict">
      <p data-testid="save-conflict-message">{conflict.message}</p>
      <p className="hint">Nothing was saved. Your design on screen is unchanged.</p>
      <div className="actions">
        <button type="button" onClick={() => void conflictChoices.reload()} data-testid="conflict-reload" title="Discard the changes on screen and open the file as it is on disk now">
          Reload from disk
        </button>
        <button type="button" onClick={() => void conflictChoices.overwrite()} data-testid="conflict-overwrite" title="Replace the file on disk with the design on screen">
          Overwrite
        </button>
        <button type="button" onClick={() => void conflictChoices.saveAs()} data-testid="conflict-save-as" title="Keep the file on disk and save the design under another name" autoFocus>
          Save as…
        </button>
        <button type="button" onClick={conflictChoices.cancel} data-testid="conflict-cancel">
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
