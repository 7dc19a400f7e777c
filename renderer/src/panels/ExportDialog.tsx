// The exported bash script for one host, with copy and save.
import { useMemo, useState } from 'react';
import { exportScript } from '../../../shared/export/script';
import { exportFile } from '../app/fileActions';
import { compiledOf } from '../store/derived';
import { useEditor } from '../store/designStore';
import { Dialog } from './Dialog';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

export function ExportDialog() {
  const design = useEditor((s) => s.design);
  const arg = useEditor((s) => s.dialogArg);
  const close = () => useEditor.getState().setDialog('none');
  const result = compiledOf(design);
  const hosts = result.ok ? result.plan.hosts : [];
  const [hostId, setHostId] = useState(arg ?? hosts[0]?.host.id);
  const [note, setNote] = useState('');
  const script = useMemo(() => {
    if (!result.ok || !hostId) return { ok: false as const, text: 'No plan: fix the errors in the Problems panel first.' };
    try {
      return { ok: true as const, text: exportScript(result.plan, hostId) };
    } catch (e) {
      return { ok: false as const, text: `Could not export: ${(e as Error).message}` };
    }
  }, [result, hostId]);
  const host = hosts.find((h) => h.host.id === hostId);
  const fileName = `${design.tag}-${host?.host.name ?? 'host'}.sh`;
  return (
    <Dialog title="Export shell script" onClose={close} wide testId="export-dialog">
      <div className="export-bar">
        <label>
          Host{' '}
          <select value={hostId} onChange={(e) => setHostId(e.target.value)}>
            {hosts.map((h) => (
              <option key={h.host.id} value={h.host.id}>
                {h.host.name}
              </option>
            ))}
          </select>
        </label>
        <span className="hint">On the host: bash {fileName} up | down | status</span>
        <span className="spacer" />
        <button type="button" disabled={!script.ok} onClick={() => void copyText(script.text).then((ok) => setNote(ok ? 'Copied' : 'Copy failed'))} data-testid="copy-script">
          Copy
        </button>
        <button
          type="button"
          disabled={!script.ok}
          data-testid="save-script"
          onClick={() =>
            void exportFile({ suggestedName: fileName, data: script.text, mimeType: 'text/x-shellscript' }).then((r) => setNote(r.ok ? `Saved ${r.path}` : r.canceled ? '' : r.error))
          }
        >
          Save…
        </button>
        {note && <span className="note">{note}</span>}
      </div>
      <pre className={`script${script.ok ? '' : ' msg-error'}`} data-testid="script-text">
        {script.text}
      </pre>
    </Dialog>
  );
}
