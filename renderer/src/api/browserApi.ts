// Browser-local implementation of the API contract, for running the renderer without
// Electron. Honest and small: files are read through a file input and written as
// downloads (and remembered in memory for this page), autosave and the recent list live
// in localStorage, examples are bundled at build time. Host operations report that they
// need the desktop app.
import type { AutosaveEntry, ExampleInfo, RecentFile, SaveResult, WireplanApi } from '../../../shared/api/contract';

const AUTOSAVE_KEY = 'wireplan.autosave';
const RECENT_KEY = 'wireplan.recent';
const NEEDS_DESKTOP = 'needs the Wireplan desktop app (this is the browser preview)';

const exampleFiles = import.meta.glob('../../../resources/examples/*.wireplan.json', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

function exampleId(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).replace(/\.wireplan\.json$/, '');
}

function readJson<T>(key: string): T | undefined {
  try {
    const text = localStorage.getItem(key);
    return text === null ? undefined : (JSON.parse(text) as T);
  } catch {
    return undefined;
  }
}

function pickFile(): Promise<File | undefined> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,.wireplan.json,application/json';
    input.style.display = 'none';
    input.addEventListener('change', () => {
      resolve(input.files?.[0]);
      input.remove();
    });
    input.addEventListener('cancel', () => {
      resolve(undefined);
      input.remove();
    });
    document.body.append(input);
    input.click();
  });
}

function download(name: string, data: string | Uint8Array, mimeType: string): void {
  const part: BlobPart = typeof data === 'string' ? data : new Uint8Array(data);
  const url = URL.createObjectURL(new Blob([part], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function createBrowserApi(): WireplanApi {
  /** Files opened or saved during this page's life: path -> text. */
  const files = new Map<string, string>();

  const remember = (path: string) => {
    const recent = (readJson<RecentFile[]>(RECENT_KEY) ?? []).filter((r) => r.path !== path);
    recent.unshift({ path, name: path.slice(path.lastIndexOf('/') + 1), openedAt: new Date().toISOString() });
    localStorage.setItem(RECENT_KEY, JSON.stringify(recent.slice(0, 10)));
  };

  return {
    async openDesign(path) {
      if (path !== undefined) {
        const text = files.get(path);
        return text === undefined
          ? { ok: false, canceled: false, error: `${path} is not available in the browser preview; open it again with Open…` }
          : (remember(path), { ok: true, path, text });
      }
      const file = await pickFile();
      if (!file) return { ok: false, canceled: true };
      const text = await file.text();
      files.set(file.name, text);
      remember(file.name);
      return { ok: true, path: file.name, text };
    },
    async saveDesign(path, text, suggestedName) {
      const name = path ?? suggestedName ?? 'design.wireplan.json';
      files.set(name, text);
      download(name.slice(name.lastIndexOf('/') + 1), text, 'application/json');
      remember(name);
      return { ok: true, path: name } satisfies SaveResult;
    },
    async recentFiles() {
      return readJson<RecentFile[]>(RECENT_KEY) ?? [];
    },
    async readAutosave() {
      return readJson<AutosaveEntry>(AUTOSAVE_KEY);
    },
    async writeAutosave(entry) {
      localStorage.setItem(AUTOSAVE_KEY, JSON.stringify(entry));
    },
    async clearAutosave() {
      localStorage.removeItem(AUTOSAVE_KEY);
    },
    async exportFile({ suggestedName, data, mimeType }) {
      download(suggestedName, data, mimeType);
      return { ok: true, path: suggestedName };
    },
    async listExamples() {
      const out: ExampleInfo[] = [];
      for (const [path, text] of Object.entries(exampleFiles)) {
        let title = exampleId(path);
        let description: string | undefined;
        try {
          const doc = JSON.parse(text) as { name?: unknown; description?: unknown };
          if (typeof doc.name === 'string') title = doc.name;
          if (typeof doc.description === 'string') description = doc.description;
        } catch {
          // listed anyway: opening it shows the parse error
        }
        out.push(description === undefined ? { id: exampleId(path), title } : { id: exampleId(path), title, description });
      }
      return out.sort((a, b) => a.title.localeCompare(b.title));
    },
    async readExample(id) {
      const entry = Object.entries(exampleFiles).find(([path]) => exampleId(path) === id);
      return entry ? { ok: true, text: entry[1] } : { ok: false, error: `no example named ${id}` };
    },
    async listServers() {
      return []; // no backend: no inventory
    },
    async forgetServerKey() {
      return { ok: false, error: `Forgetting a trusted key ${NEEDS_DESKTOP}` };
    },
    async testConnection() {
      return { ok: false, error: `Testing an SSH connection ${NEEDS_DESKTOP}` };
    },
    async hostStatus(hostIds) {
      return (hostIds ?? []).map((hostId) => ({ hostId, connection: 'disconnected' as const }));
    },
    async apply() {
      return { ok: false, error: `Applying ${NEEDS_DESKTOP}` };
    },
    async destroy() {
      return { ok: false, error: `Tearing down ${NEEDS_DESKTOP}` };
    },
    async prepareSudo() {
      return { ok: false, error: `Becoming root on a host ${NEEDS_DESKTOP}` };
    },
    async cancelRun() {},
    onRunProgress: () => () => {},
    onHostStatus: () => () => {},
    onLiveStatus: () => () => {},
  };
}
