import { SHORTCUTS } from '../app/useShortcuts';
import { useEditor } from '../store/designStore';
import { Dialog } from './Dialog';

export function HelpOverlay() {
  const close = () => useEditor.getState().setDialog('none');
  return (
    <Dialog title="Keyboard shortcuts" onClose={close} testId="help">
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Connect two elements by dragging from one port (●) to another element. Namespace ↔ bridge, namespace ↔ namespace and namespace ↔ host root create a veth pair with interface names and an address from the bridge's subnet.</p>
    </Dialog>
  );
}
