// The open terminal tabs' shells: opened on a design element's host (through the same
// executors runs use, so a sandbox shell is inside the design's own sandbox), fed with
// what the user types, resized, closed. Output and the end go out as onShellEvent.
// Privacy: what passes through a shell is the user's typing and the host's screen, so it
// is never logged; the log says only that a shell opened and how it ended.
import { randomBytes } from 'node:crypto';
import type { ShellEvent, ShellRequest, ShellStart } from '../../../shared/api/contract';
import { parseDesign } from '../../../shared/model/parse';
import type { Design, Host } from '../../../shared/model/schema';
import { shellTarget } from '../../../shared/model/shell-target';
import { describeLoadFailure } from '../designFile';
import { openHostShell, type HostExecutor, type ShellEnd, type ShellSession } from '../executor';

/** Output is batched for at most this long, or until this much has gathered. */
const OUTPUT_BATCH_MS = 8;
const OUTPUT_BATCH_CHARS = 64 * 1024;

export interface ShellManagerDeps {
  executor: (design: Design, host: Host) => Promise<HostExecutor>;
  emit: (event: ShellEvent) => void;
  log?: (line: string) => void;
}

/** The end of a session as the tab's last line says it. */
export function endMessage(end: ShellEnd, title: string): string {
  switch (end.reason) {
    case 'exit':
      return end.code === null ? `the shell on ${title} ended${end.signal ? ` (${end.signal})` : ''}` : `the shell on ${title} exited with code ${end.code}`;
    case 'lost':
      return `the connection to ${title} was lost: ${end.message}`;
    case 'closed':
      return `the shell on ${title} was closed`;
  }
}

export class ShellManager {
  private readonly sessions = new Map<string, ShellSession>();
  private closed = false;

  constructor(private readonly deps: ShellManagerDeps) {}

  async open(request: ShellRequest): Promise<ShellStart> {
    if (this.closed) return { ok: false, error: 'the backend is shutting down' };
    const loaded = parseDesign(request.designText);
    if (!loaded.ok) return { ok: false, error: describeLoadFailure('the design', loaded) };
    const target = shellTarget(loaded.design, request.elementId);
    if ('error' in target) return { ok: false, error: target.error };
    let session: ShellSession;
    try {
      const executor = await this.deps.executor(loaded.design, target.host);
      session = await openHostShell(executor, { cols: request.cols, rows: request.rows, ...(target.namespace !== undefined ? { namespace: target.namespace } : {}) });
    } catch (e) {
      return { ok: false, error: `cannot open a shell on ${target.title}: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (this.closed) {
      session.close();
      return { ok: false, error: 'the backend is shutting down' };
    }
    const shellId = `sh-${randomBytes(12).toString('hex')}`;
    this.sessions.set(shellId, session);
    this.deps.log?.(`shell ${shellId} opened on ${target.title}`);
    // Output is sent in batches: a shell printing fast (a `cat` of a big file) would
    // otherwise cost one event per small chunk, each a message to the page.
    let pending = '';
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (pending) this.deps.emit({ shellId, kind: 'data', data: pending });
      pending = '';
    };
    session.onData((data) => {
      pending += data;
      if (pending.length >= OUTPUT_BATCH_CHARS) flush();
      else timer ??= setTimeout(flush, OUTPUT_BATCH_MS);
    });
    void session.ended.then((end) => {
      flush();
      this.sessions.delete(shellId);
      this.deps.log?.(`shell ${shellId} on ${target.title} ended: ${end.reason}${end.reason === 'exit' ? ` ${end.code ?? end.signal ?? ''}` : ''}`);
      this.deps.emit({ shellId, kind: 'end', reason: end.reason, ...(end.reason === 'exit' ? { code: end.code } : {}), message: endMessage(end, target.title) });
    });
    return { ok: true, shellId, title: target.title };
  }

  input(shellId: string, data: string): void {
    this.sessions.get(shellId)?.write(data);
  }

  resize(shellId: string, cols: number, rows: number): void {
    this.sessions.get(shellId)?.resize({ cols, rows });
  }

  close(shellId: string): void {
    this.sessions.get(shellId)?.close();
  }

  /** Open shells (for tests and the app's shutdown). */
  count(): number {
    return this.sessions.size;
  }

  closeAll(): void {
    this.closed = true;
    for (const s of this.sessions.values()) s.close();
  }
}
