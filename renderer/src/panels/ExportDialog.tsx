// The exported bash script for one host, or its containerlab topology (with what it could
// not carry over listed), with copy and save.
import { useMemo, useState } from 'react';
import { designToContainerlab } from '../../../shared/export/containerlab';
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
  const [format, setFormat] = useState<'script' | 'clab'>('script');
  const script = useMemo(() => {
    if (!result.ok || !hostId) return { ok: false as const, text: 'No plan: fix the errors in the Problems panel first.', omitted: [] };
    try {
      if (format === 'clab') {
        const clab = designToContainerlab(design, hostId);
        return { ok: true as const, text: clab.text, omitted: clab.omitted };
      }
      return { ok: true as const, text: exportScript(result.plan, hostId), omitted: [] };
    } catch (e) {
      return { ok: false as const, text: `Could not export: ${(e as Error).message}`, omitted: [] };
    }
  }, [result, hostId, format, design]);
  const host = hosts.find((h) => h.host.id === hostId);
  const fileName = `${design.tag}-${host?.host.name ?? 'host'}${format === 'clab' ? '.clab.yml' : '.sh'}`;
  return (
    <Dialog title={format === 'clab' ? 'Export containerlab topology' : 'Export shell script'} onClose={close} wide testId="export-dialog">
      <div className="export-bar">
        <label>
          Format{' '}
          <select value={format} onChange={(e) => setFormat(e.target.value as 'script' | 'clab')} data-testid="export-format">
            <option value="script">bash script</option>
            <option value="clab">containerlab topology</option>
          </select>
        </label>
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
        <span className="hint">{format === 'clab' ? `containerlab deploy -t ${fileName}` : `On the host: bash ${fileName} up | down | status`}</span>
        <span className="spacer" />
        <button type="button" disabled={!script.ok} onClick={() => void copyText(script.text).then((ok) => setNote(ok ? 'Copied' : 'Copy failed'))} data-testid="copy-script">
          Copy
        </button>
        <button
          type="button"
          disabled={!script.ok}
          data-testid="save-script"
          onClick={() =>
            void exportFile({ suggestedName: fileName, data: script.text, mimeType: format === 'clab' ? 'application/yaml' : 'text/x-shellscript' }).then((r) => setNote(r.ok ? `Saved ${r.path}` : r.canceled ? '' : r.error))
          }
        >
          Save…
        </button>
        {note && <span className="note">{note}</span>}
      </div>
      {format === 'clab' && script.ok && (
        <div className="clab-omitted" data-testid="clab-omitted">
          {script.omitted.length === 0 ? (
            <p className="hint">Everything in the design is carried over.</p>
          ) : (
            <>
              <p className="msg-warning">Not carried over (containerlab cannot express it; also listed in the file's header):</p>
              <ul>
                {script.omitted.map((o, i) => (
                  <li key={i}>{o}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <pre className={`script${script.ok ? '' : ' msg-error'}`} data-testid="script-text">
        {script.text}
      </pre>
    </Dialog>
  );
}
