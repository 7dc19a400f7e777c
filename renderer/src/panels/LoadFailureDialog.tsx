// A file that could not be opened: what is wrong and where. The design on screen is untouched.
import { useEditor } from '../store/designStore';
import { Dialog } from './Dialog';

const TITLE: Record<string, string> = {
  'not-json': 'Not a JSON file',
  'not-wireplan': 'Not a Wireplan design',
  newer: 'Made by a newer Wireplan',
  invalid: 'The design file has errors',
};

export function LoadFailureDialog() {
  const failure = useEditor((s) => s.loadFailure);
  const dismiss = useEditor((s) => s.dismissLoadFailure);
  if (!failure) return null;
  return (
    <Dialog title={`Could not open ${failure.source}`} onClose={dismiss} testId="load-error">
      <p>
        <strong>{TITLE[failure.kind] ?? 'Could not open the file'}.</strong> Your current design was left as it was.
      </p>
      <ul className="load-errors">
        {failure.errors.slice(0, 50).map((e, i) => (
          <li key={i} data-testid="load-error-item">
            {e.path && <code>{e.path}</code>} {e.message}
          </li>
        ))}
      </ul>
      {failure.errors.length > 50 && <p className="hint">…and {failure.errors.length - 50} more.</p>}
      <div className="actions">
        <button type="button" onClick={dismiss} autoFocus>
          OK
        </button>
      </div>
    </Dialog>
  );
}
