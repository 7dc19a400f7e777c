// One packet capture: tcpdump on the host streams pcap bytes, which are written as they
// arrive to a temporary file beside the chosen .pcap (renamed into place when the capture
// ends, so the named file never holds half a header) and decoded live into packet rows.
// start() resolves once tcpdump says it is listening, so a caller can rely on every
// packet after that being seen; stop() ends tcpdump on the host by its pid file and waits
// for the stream's end, so no tcpdump is left running.
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { shellCommand } from '../../../shared/export/quote';
import { decodeRecord, type PacketRow } from '../../../shared/pcap/decode';
import { PcapStreamReader } from '../../../shared/pcap/reader';
import type { CaptureTarget } from '../../../shared/pcap/target';
import { tempName } from '../atomicWrite';
import type { HostExecutor } from '../executor/types';
import { CAPTURE_SH } from './capture.generated';
import { captureRunner, type CaptureRun } from './runner';

export interface CaptureSpec {
  target: CaptureTarget;
  /** Checked with checkBpfFilter; "" captures everything. */
  filter: string;
  /** Absolute path of the .pcap to write (already allowed by the file rules). */
  outPath: string;
  /** Rows decoded from each chunk of the stream, in capture order. */
  onPackets?: (rows: PacketRow[]) => void;
}

export interface CaptureSummary {
  path: string;
  packets: number;
  bytes: number;
  /** Why the capture ended other than by stop(): tcpdump failed, the host went away. */
  error?: string;
  /**
   * Packets the kernel dropped because tcpdump could not keep up (its own count, printed
   * when it exits); absent when none were dropped or tcpdump could not say.
   */
  droppedByKernel?: number;
}

/** How long tcpdump may take to say it listens (a slow SSH login included). */
const START_TIMEOUT_MS = 30_000;
/** After the stop command, how long the stream may take to end before the run is killed. */
const STOP_GRACE_MS = 10_000;

export class CaptureSession {
  readonly id = randomBytes(8).toString('hex');
  /** Settles when the capture has ended and the file is in place. */
  readonly ended: Promise<CaptureSummary>;
  private packets = 0;
  private bytes = 0;
  private stopping = false;
  private readonly abort = new AbortController();
  private readonly run: CaptureRun;
  private resolveListening!: () => void;
  private rejectListening!: (e: Error) => void;
  private readonly listening = new Promise<void>((resolve, reject) => {
    this.resolveListening = resolve;
    this.rejectListening = reject;
  });

  private constructor(
    private readonly executor: HostExecutor,
    readonly spec: CaptureSpec,
  ) {
    this.run = captureRunner(executor);
    this.ended = this.capture();
  }

  /** Starts tcpdump on the host; resolves when it listens, rejects with tcpdump's (or the host's) reason. */
  static async start(executor: HostExecutor, spec: CaptureSpec): Promise<CaptureSession> {
    const session = new CaptureSession(executor, spec);
    const timer = setTimeout(() => session.rejectListening(new Error(`${executor.describe()}: tcpdump did not start listening within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    try {
      await session.listening;
    } catch (e) {
      session.abort.abort();
      await session.ended;
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return session;
  }

  get packetCount(): number {
    return this.packets;
  }

  /** Ends tcpdump on the host and waits for the file. Idempotent. */
  async stop(): Promise<CaptureSummary> {
    if (!this.stopping) {
      this.stopping = true;
      try {
        const r = await this.run(shellCommand(['bash', '-c', CAPTURE_SH, 'wireplan-capture', 'stop', this.id]), { timeoutMs: STOP_GRACE_MS });
        if (r.code !== 0) this.abort.abort();
      } catch {
        this.abort.abort(); // the host cannot be reached: at least end our side
      }
      const timer = setTimeout(() => this.abort.abort(), STOP_GRACE_MS);
      void this.ended.finally(() => clearTimeout(timer));
    }
    return this.ended;
  }

  private async capture(): Promise<CaptureSummary> {
    const { target, filter, outPath } = this.spec;
    const temp = tempName(outPath);
    const file = createWriteStream(temp, { flags: 'wx', mode: 0o644 });
    const opened = new Promise<void>((resolve, reject) => file.once('open', () => resolve()).once('error', reject));
    const reader = new PcapStreamReader();
    let decodeError: string | undefined;
    let stderr = '';
    let error: string | undefined;
    try {
      await opened;
      const command = shellCommand(['bash', '-c', CAPTURE_SH, 'wireplan-capture', 'start', this.id, target.netns, target.ifname, filter]);
      const result = await this.run(command, {
        signal: this.abort.signal,
        onStdoutBytes: (chunk) => {
          file.write(chunk);
          this.bytes += chunk.length;
          if (decodeError) return;
          try {
            const linkType = () => reader.header!.linkType;
            const rows = reader.push(chunk).map((rec) => decodeRecord(++this.packets, rec, linkType()));
            if (rows.length) this.spec.onPackets?.(rows);
          } catch (e) {
            decodeError = (e as Error).message; // the file is still written as received
          }
        },
        onStderr: (text) => {
          stderr += text;
          if (/^(tcpdump: )?listening on /m.test(stderr)) this.resolveListening();
        },
      });
      if (result.code !== 0 && !(this.stopping && result.code === null)) error = tcpdumpError(this.executor.describe(), stderr, result.code, result.signal);
    } catch (e) {
      if (!this.stopping) error = (e as Error).message;
    }
    this.rejectListening(new Error(error ?? `${this.executor.describe()}: the capture ended before tcpdump listened${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
    if (!error && decodeError) error = `the stream could not be decoded: ${decodeError}`;
    await closeStream(file);
    const dropped = Number(/^(\d+) packets? dropped by kernel$/m.exec(stderr)?.[1] ?? 0);
    return this.finish(temp, outPath, error, dropped);
  }

  /** Moves the temporary file into place; a capture that wrote nothing leaves no file. */
  private async finish(temp: string, outPath: string, error: string | undefined, dropped: number): Promise<CaptureSummary> {
    const size = await stat(temp).then((s) => s.size, () => 0);
    if (size === 0) {
      await unlink(temp).catch(() => undefined);
      return { path: outPath, packets: 0, bytes: 0, error: error ?? 'the capture wrote nothing' };
    }
    // On disk before it gets its name, as every atomic write here (atomicWrite.ts).
    const fh = await open(temp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, outPath);
    return { path: outPath, packets: this.packets, bytes: size, ...(error ? { error } : {}), ...(dropped > 0 ? { droppedByKernel: dropped } : {}) };
  }
}

function closeStream(file: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (file.closed || file.destroyed) return resolve();
    file.end(() => resolve());
    file.once('error', () => resolve());
  });
}

/** tcpdump's own complaint (bad filter, no such device) or the wrapper's, in one line each. */
function tcpdumpError(host: string, stderr: string, code: number | null, signal?: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(tcpdump: )?listening on |packets (captured|received by filter|dropped by kernel)$/.test(l));
  const said = lines.map((l) => l.replace(/^wireplan-capture: /, '')).join('; ');
  return `${host}: capture failed${said ? `: ${said}` : ''} (${code === null ? `killed by ${signal ?? 'a signal'}` : `exit ${code}`})`;
}
