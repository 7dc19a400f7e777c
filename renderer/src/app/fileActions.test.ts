// The save flow against a scripted backend: one save at a time (a second Save while one is
// in flight writes nothing), every save names the version it was based on, a conflict waits
// for the user's choice and each choice does what it says, and an export over an existing
// file is replaced only after the user confirms.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FileVersion, SaveResult, WireplanApi } from '../../../shared/api/contract';

const calls: { method: string; args: unknown[] }[] = [];
let answer: (method: string, args: unknown[]) => Promise<unknown>;

vi.mock('../api', () => {
  const api = new Proxy({} as WireplanApi, {
    get:
      (_t, method: string) =>
      (...args: unknown[]) => {
        calls.push({ method, args });
        return answer(method, args);
      },
  });
  // The desktop build: native dialogs (the page's own dialogs are covered by e2e/save-conflict.spec.ts).
  return { api, isBrowserOnly: false, pageDialogs: false };
});

const { conflictChoices, exportFile, openFile, save, useSaveState } = await import('./fileActions');
const { useEditor } = await import('../store/designStore');
const { emptyDesign } = await import('../model/empty');

const v1: FileVersion = { mtimeMs: 1, size: 10, sha256: '1'.repeat(64) };
const v2: FileVersion = { mtimeMs: 2, size: 11, sha256: '2'.repeat(64) };
const designText = (name: string) => JSON.stringify({ ...emptyDesign(), name });

beforeEach(() => {
  calls.length = 0;
  useSaveState.setState({ saving: false, conflict: null });
  vi.stubGlobal('window', { confirm: vi.fn(() => true) });
});
afterEach(() => vi.unstubAllGlobals());

async function openAt(path: string, version: FileVersion): Promise<void> {
  answer = async (method) => (method === 'openDesign' ? { ok: true, path, text: designText('opened'), version } : undefined);
  await openFile(path);
  expect(useEditor.getState().file).toMatchObject({ path, version });
  calls.length = 0;
}

function edit(name: string): void {
  useEditor.getState().setDesignField('name', name);
}

describe('save', () => {
  it('one at a time: Save is disabled while one is in flight, and a second one writes nothing', async () => {
    await openAt('/ws/lab.wireplan.json', v1);
    edit('changed');
    let finish!: (r: SaveResult) => void;
    answer = (method) => (method === 'saveDesign' ? new Promise<SaveResult>((r) => (finish = r)) : Promise.resolve(undefined));
    const first = save();
    expect(useSaveState.getState().saving).toBe(true);
    expect(await save()).toBe(false);
    expect(calls.filter((c) => c.method === 'saveDesign')).toHaveLength(1);
    // The save names the version the design was opened at.
    expect(calls[0]!.args[0]).toBe('/ws/lab.wireplan.json');
    expect(calls[0]!.args[3]).toEqual({ ifVersion: v1 });
    finish({ ok: true, path: '/ws/lab.wireplan.json', version: v2 });
    expect(await first).toBe(true);
    expect(useSaveState.getState().saving).toBe(false);
    // The next save is based on the version this one wrote.
    expect(useEditor.getState().file.version).toEqual(v2);
  });

  it('a conflict writes nothing and waits; Overwrite saves with overwrite, Save as asks for a new file, Reload reads the disk', async () => {
    await openAt('/ws/lab.wireplan.json', v1);
    edit('mine');
    const conflict: SaveResult = { ok: false, canceled: false, reason: 'conflict', path: '/ws/lab.wireplan.json', current: v2, error: '/ws/lab.wireplan.json: the file changed on disk since it was opened or last saved' };
    answer = async (method) => (method === 'saveDesign' ? conflict : undefined);
    expect(await save()).toBe(false);
    expect(useSaveState.getState().conflict).toEqual({ path: '/ws/lab.wireplan.json', message: conflict.error });
    expect(useEditor.getState().design).not.toBe(useEditor.getState().file.savedDesign);

    calls.length = 0;
    answer = async (method) => (method === 'saveDesign' ? { ok: true, path: '/ws/lab.wireplan.json', version: v2 } : undefined);
    await conflictChoices.overwrite();
    expect(calls.find((c) => c.method === 'saveDesign')!.args[3]).toEqual({ overwrite: true });
    expect(useSaveState.getState().conflict).toBeNull();

    edit('mine again');
    answer = async (method) => (method === 'saveDesign' ? conflict : undefined);
    await save();
    calls.length = 0;
    answer = async (method) => (method === 'saveDesign' ? { ok: true, path: '/ws/mine-again.wireplan.json', version: v1 } : undefined);
    await conflictChoices.saveAs();
    const saveAs = calls.find((c) => c.method === 'saveDesign')!;
    expect(saveAs.args[0]).toBeUndefined();
    expect(useEditor.getState().file.path).toBe('/ws/mine-again.wireplan.json');

    edit('third');
    answer = async (method) => (method === 'saveDesign' ? conflict : undefined);
    await save();
    answer = async (method) => (method === 'openDesign' ? { ok: true, path: '/ws/mine-again.wireplan.json', text: designText('from disk'), version: v2 } : undefined);
    await conflictChoices.reload();
    expect(useEditor.getState().design.name).toBe('from disk');
    expect(useEditor.getState().file).toMatchObject({ path: '/ws/mine-again.wireplan.json', version: v2 });
    expect(useEditor.getState().design).toBe(useEditor.getState().file.savedDesign);
  });
});

describe('export', () => {
  it('an existing file is replaced only after the user confirms', async () => {
    const exists: SaveResult = { ok: false, canceled: false, reason: 'exists', path: '/ws/lab.sh', error: '/ws/lab.sh already exists; replace it?' };
    answer = async (_m, args) => ((args[0] as { overwrite?: boolean }).overwrite ? { ok: true, path: '/ws/lab.sh' } : exists);
    const confirm = vi.fn(() => false);
    vi.stubGlobal('window', { confirm });
    expect(await exportFile({ suggestedName: 'lab.sh', data: 'x', mimeType: 'text/x-shellscript' })).toEqual({ ok: false, canceled: true });
    expect(confirm).toHaveBeenCalledWith('/ws/lab.sh already exists. Replace it?');
    expect(calls).toHaveLength(1);
    confirm.mockReturnValue(true);
    expect(await exportFile({ suggestedName: 'lab.sh', data: 'x', mimeType: 'text/x-shellscript' })).toEqual({ ok: true, path: '/ws/lab.sh' });
    expect(calls.at(-1)!.args[0]).toMatchObject({ overwrite: true });
  });
});
