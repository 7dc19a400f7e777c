// The app's packet captures: started on a design element's host through the same
// executors runs use (a sandbox capture is in the design's own sandbox), saved where the
// file rules allow, streamed to the page as onCaptureEvent (rows batched so a busy link
// sends a few events a second, not one per packet), stopped on request or at shutdown.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { CaptureEvent, CaptureRequest, CaptureStart, OpenInWiresharkResult } from '../../../shared/api/capture';
import { parseDesign } from '../../../shared/model/parse';
import type { Design, Host } from '../../../shared/model/schema';
import { checkBpfFilter } from '../../../shared/pcap/bpf';
import type { PacketRow } from '../../../shared/pcap/decode';
import { resolveCaptureTarget } from '../../../shared/pcap/target';
import { CaptureSession } from '../capture/session';
import { describeLoadFailure } from '../designFile';
import type { HostExecutor } from '../executor';
import type { FileAccess } from './fileAccess';

export interface CaptureManagerDeps {
  executor: (design: Design, host: Host) => Promise<HostExecutor>;
  emit: (event: CaptureEvent) => void;
  access: FileAccess;
  /** Where captures go when the request names no path (created when missing). */
  defaultDir: () => string;
  log?: (line: string) => void;
}

/** Rows of one capture are sent at most this often (the list stays live, the bridge calm). */
const BATCH_MS = 100;

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** The wireshark program on PATH, if any (looked up, never run through a shell). */
async function findWireshark(): Promise<string | undefined> {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'wireshark');
    if (await access(candidate, 1).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

interface Running {
  session: CaptureSession;
  path: string;
  ended?: boolean;
}

export class CaptureManager {
  private readonly running = new Map<string, Running>();
  /** Finished captures' files, by id, for "Open in Wireshark" after the stop. */
  private readonly files = new Map<string, string>();
  private closed = false;

  constructor(private readonly deps: CaptureManagerDeps) {}

  async start(request: CaptureRequest): Promise<CaptureStart> {
    if (this.closed) return { ok: false, error: 'the backend is shutting down' };
    const loaded = parseDesign(request.designText);
    if (!loaded.ok) return { ok: false, error: describeLoadFailure('the design', loaded) };
    const resolved = resolveCaptureTarget(loaded.design, request.element);
    if (!resolved.ok) return { ok: false, error: resolved.error };
    const { target } = resolved;
    const filter = checkBpfFilter(request.filter ?? '');
    if (!filter.ok) return { ok: false, error: filter.error };
    const host = loaded.design.hosts.find((h) => h.id === target.hostId)!;

    let wanted = request.path;
    if (wanted === undefined) {
      const name = `${request.element.replace(/[^A-Za-z0-9_-]+/g, '_')}-${stamp(new Date())}-${randomBytes(2).toString('hex')}.pcap`;
      if (this.deps.access.headless) wanted = name;
      else {
        const dir = this.deps.defaultDir();
        await mkdir(dir, { recursive: true });
        wanted = join(dir, name);
        this.deps.access.grant(wanted);
      }
    }
    if (!/\.pcap$/i.test(wanted)) return { ok: false, error: `${wanted}: a capture is saved as a .pcap file` };
    const allowed = await this.deps.access.check(wanted, 'export', 'choose where to save the capture in a Save dialog first');
    if ('error' in allowed) return { ok: false, error: allowed.error };
    if (await access(allowed.real).then(() => true, () => false)) return { ok: false, error: `${allowed.path} exists; a capture never replaces a file` };

    const captureId = `cap-${randomBytes(12).toString('hex')}`;
    let pending: PacketRow[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      if (pending.length === 0) return;
      const rows = pending;
      pending = [];
      this.deps.emit({ captureId, kind: 'packets', rows });
    };
    let session: CaptureSession;
    try {
      const executor = await this.deps.executor(loaded.design, host);
      session = await CaptureSession.start(executor, {
        target,
        filter: filter.filter,
        outPath: allowed.real,
        onPackets: (rows) => {
          pending.push(...rows);
          timer ??= setTimeout(flush, BATCH_MS);
        },
      });
    } catch (e) {
      return { ok: false, error: `cannot capture on ${target.label}: ${e instanceof Error ? e.message : String(e)}` };
    }
    const entry: Running = { session, path: allowed.path };
    this.running.set(captureId, entry);
    this.deps.log?.(`capture ${captureId} started on ${target.label}${filter.filter ? ` (filter ${JSON.stringify(filter.filter)})` : ''} -> ${allowed.path}`);
    void session.ended.then((summary) => {
      clearTimeout(timer);
      flush();
      this.running.delete(captureId);
      if (summary.bytes > 0) this.files.set(captureId, allowed.real);
      this.deps.log?.(`capture ${captureId} ended: ${summary.packets} packets${summary.error ? `, ${summary.error}` : ''}`);
      this.deps.emit({ captureId, kind: 'end', path: allowed.path, packets: summary.packets, bytes: summary.bytes, ...(summary.error ? { error: summary.error } : {}), ...(summary.droppedByKernel ? { droppedByKernel: summary.droppedByKernel } : {}) });
    });
    if (this.closed) void session.stop();
    return { ok: true, captureId, title: target.label, path: allowed.path, wireshark: (await findWireshark()) !== undefined };
  }

  /** Stops tcpdump on the host; the capture's 'end' event follows. Unknown ids are ignored. */
  async stop(captureId: string): Promise<void> {
    await this.running.get(captureId)?.session.stop();
  }

  /** Opens a capture's file in Wireshark (it follows a running capture as the file grows only after stop). */
  async openInWireshark(captureId: string): Promise<OpenInWiresharkResult> {
    const file = this.files.get(captureId);
    if (!file) return { ok: false, error: this.running.has(captureId) ? 'stop the capture first: its file is complete when it ends' : 'no saved capture with that id' };
    const wireshark = await findWireshark();
    if (!wireshark) return { ok: false, error: 'Wireshark is not installed on this machine (Debian/Ubuntu package: wireshark)' };
    const child = spawn(wireshark, ['-r', file], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return { ok: true };
  }

  count(): number {
    return this.running.size;
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.running.values()].map((r) => r.session.stop().catch(() => undefined)));
  }
}
