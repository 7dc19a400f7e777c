// Offered at start-up when unsaved work was autosaved before the app closed.
import type { AutosaveEntry } from '../../../shared/api/contract';
import { api } from '../api';
import { useEditor } from '../store/designStore';

export function RecoveryBanner({ entry, done }: { entry: AutosaveEntry; done(): void }) {
  const recover = () => {
    if (useEditor.getState().recover(entry.text, entry.path, entry.version)) done();
  };
  const discard = () => {
    void api.clearAutosave();
    done();
  };
  return (
    <div className="banner" role="alert" data-testid="recovery">
      <span>
        Unsaved changes{entry.path ? ` to ${entry.path}` : ''} from {new Date(entry.savedAt).toLocaleString()} were recovered.
      </span>
      <button type="button" onClick={recover} data-testid="recover">
        Restore them
      </button>
      <button type="button" onClick={discard} data-testid="discard-recovery">
        Discard
      </button>
    </div>
  );
}
