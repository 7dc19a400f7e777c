// The long-running monitor channel of one host (monitor-script.ts), kept alive: restarted
// with back-off when it ends or stalls (no heartbeat), and ROTATED before its output grows
// large, because a HostExecutor run keeps everything a command printed until it ends.
// A rotation starts the successor first and ends the old channel only once the new one
// has said its first heartbeat, so no event falls into a gap. Memory is bounded by
// rotateBytes (256 KiB) per channel, at most two during a rotation, plus one partial line.
import { randomBytes } from 'node:crypto';
import type { HostExecutor, RunResult } from '../executor';
import { Backoff, type BackoffOptions } from './backoff';
import { buildMonitor, sameSpec, type BuiltMonitor, type MonitorSpec } from './monitor-script';

export type MonitorLine =
  | { source: 'ip'; text: string; at: number }
  | { source: 'nft' | 'ipn'; ns: string; text: string; at: number };

export interface MonitorChannelOptions {
  executor: HostExecutor;
  onLine: (line: MonitorLine) => void;
  /** Healthy = a channel is running and its heartbeat is recent. */
  onHealth?: (healthy: boolean, why?: string) => void;
  /** No output for this long = stalled (the remote heartbeat is every second). Default 4000. */
  stallMs?: number;
  /** Rotate after this much output (the executor keeps it until the run ends). Default 256 KiB. */
  rotateBytes?: number;
  backoff?: BackoffOptions;
  /** A channel that stayed healthy this long resets the back-off. Default 30 s. */
  stableMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

const MAX_PARTIAL_LINE = 64 * 1024;

interface Run {
  id: number;
  built: BuiltMonitor;
  abort: AbortController;
  done: Promise<void>;
  bytes: number;
  partial: string;
  lastData: number;
  startedAt: number;
  healthy: boolean;
  ended: boolean;
}

export class MonitorChannel {
  private spec: MonitorSpec = { nft: [], ip: [] };
  private current: Run | undefined;
  private successor: Run | undefined;
  private readonly runs = new Set<Run>();
  private stopped = true;
  private serial = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  private healthy = false;
  private readonly now: () => number;
  /** Counters for tests and benchmarks. */
  readonly stats = { started: 0, rotations: 0, restarts: 0, stalls: 0, lines: 0, droppedPartial: 0 };

  constructor(private readonly opts: MonitorChannelOptions) {
    this.backoff = new Backoff({ initialMs: 200, maxMs: 15_000, ...opts.backoff });
    this.now = opts.now ?? Date.now;
  }

  get running(): boolean {
    return !this.stopped;
  }

  get isHealthy(): boolean {
    return this.healthy;
  }

  /** Channels whose remote command has not ended yet (0 after stop() resolves). */
  get openChannels(): number {
    return this.runs.size;
  }

  start(spec: MonitorSpec): void {
    this.spec = spec;
    if (!this.stopped) return;
    this.stopped = false;
    this.current = this.launch();
    // Checked twice per stall period (every 500 ms at the default 4 s).
    this.watchdog = setInterval(() => this.check(), Math.min(500, Math.max(10, (this.opts.stallMs ?? 4000) / 2)));
    this.watchdog.unref?.();
  }

  /** Watch a different set of namespaces: rotate to a channel with the new spec. */
  update(spec: MonitorSpec): void {
    if (sameSpec(spec, this.spec)) return;
    this.spec = spec;
    if (this.stopped) return;
    this.rotate('spec changed');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.watchdog);
    this.restartTimer = undefined;
    this.watchdog = undefined;
    for (const r of this.runs) r.abort.abort();
    await Promise.all([...this.runs].map((r) => r.done));
    this.current = undefined;
    this.successor = undefined;
    this.setHealthy(false, 'stopped');
  }

  private setHealthy(h: boolean, why?: string): void {
    if (h === this.healthy) return;
    this.healthy = h;
    this.guarded('health listener', () => this.opts.onHealth?.(h, why));
  }

  /**
   * Listener calls run inside the executor's data callback or a timer: an exception there
   * would be uncaught and end the process. Reported instead; the channel carries on.
   */
  private guarded(what: string, f: () => void): void {
    try {
      f();
    } catch (e) {
      this.opts.log?.(`monitor: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private launch(): Run {
    const nonce = randomBytes(8).toString('hex');
    const built = buildMonitor(this.spec, nonce);
    const abort = new AbortController();
    const t = this.now();
    const run: Run = { id: ++this.serial, built, abort, done: Promise.resolve(), bytes: 0, partial: '', lastData: t, startedAt: t, healthy: false, ended: false };
    this.stats.started++;
    this.runs.add(run);
    let started: Promise<RunResult>;
    try {
      started = this.opts.executor.run(built.command, { stdin: built.stdin, signal: abort.signal, onStdout: (chunk) => this.guarded('output handler', () => this.onData(run, chunk)) });
    } catch (e) {
      started = Promise.reject(e instanceof Error ? e : new Error(String(e))); // an executor that throws instead of rejecting
    }
    run.done = started
      .then(
        (r) => this.ended(run, `monitor exited (${r.code ?? r.signal ?? 'no status'})${r.stderr ? `: ${r.stderr.trim().slice(0, 200)}` : ''}`),
        (e: unknown) => this.ended(run, `monitor channel failed: ${e instanceof Error ? e.message : String(e)}`),
      );
    return run;
  }

  private onData(run: Run, chunk: string): void {
    run.bytes += chunk.length;
    run.lastData = this.now();
    let text = run.partial + chunk;
    let nl = text.indexOf('\n');
    let start = 0;
    while (nl >= 0) {
      this.onLine(run, text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    text = text.slice(start);
    if (text.length > MAX_PARTIAL_LINE) {
      this.stats.droppedPartial++;
      text = '';
    }
    run.partial = text;
    if (run === this.current && !this.successor && run.bytes > (this.opts.rotateBytes ?? 256 * 1024)) this.rotate('output limit');
  }

  private onLine(run: Run, line: string): void {
    const at = this.now();
    const mark = `@@${run.built.nonce}:`;
    if (line.startsWith(mark)) {
      const rest = line.slice(mark.length);
      if (rest === 'hb') return this.heartbeat(run);
      const m = /^(nft|ipn):(\d+):/.exec(rest);
      const entry = m ? run.built.entries[Number(m[2])] : undefined;
      if (m && entry) {
        this.stats.lines++;
        this.guarded('line handler', () => this.opts.onLine({ source: m[1] === 'nft' ? 'nft' : 'ipn', ns: entry.ns, text: rest.slice(m[0].length), at }));
      }
      return;
    }
    if (line.startsWith('@@')) return; // another channel's marker cannot appear here; ignore
    this.stats.lines++;
    this.guarded('line handler', () => this.opts.onLine({ source: 'ip', text: line, at }));
  }

  private heartbeat(run: Run): void {
    if (run.healthy) return;
    run.healthy = true;
    if (run === this.successor) {
      // The new channel is listening: the old one can go.
      const old = this.current;
      this.current = run;
      this.successor = undefined;
      old?.abort.abort();
      this.stats.rotations++;
    }
    if (run === this.current) this.setHealthy(true);
  }

  private rotate(why: string): void {
    if (this.stopped) return;
    this.opts.log?.(`monitor: rotating (${why})`);
    if (this.successor) this.successor.abort.abort();
    if (!this.current || this.current.ended) {
      this.current = this.launch();
      return;
    }
    this.successor = this.launch();
  }

  private ended(run: Run, why: string): void {
    run.ended = true;
    this.runs.delete(run);
    if (this.stopped) return;
    if (run === this.successor) {
      this.successor = undefined;
      return; // the current channel carries on; a later rotation tries again
    }
    if (run !== this.current) return; // a rotated-out channel
    this.current = undefined;
    if (this.successor) {
      // Promote the successor even before its first heartbeat.
      this.current = this.successor;
      this.successor = undefined;
      if (!this.current.healthy) this.setHealthy(false, why);
      return;
    }
    this.setHealthy(false, why);
    this.opts.log?.(`monitor: ${why}`);
    if (this.now() - run.startedAt > (this.opts.stableMs ?? 30_000) && run.healthy) this.backoff.reset();
    const delay = this.backoff.next();
    this.stats.restarts++;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopped && !this.current) this.current = this.launch();
    }, delay);
    this.restartTimer.unref?.();
  }

  private check(): void {
    const run = this.current;
    if (!run || this.stopped) return;
    const stall = this.opts.stallMs ?? 4000;
    const next = this.successor;
    if (next && !next.healthy && this.now() - next.startedAt > stall) {
      this.opts.log?.('monitor: the replacement channel never became ready; keeping the current one');
      next.abort.abort(); // ended() clears it; the next rotation tries again
    }
    if (this.now() - run.lastData > stall) {
      this.stats.stalls++;
      this.opts.log?.(`monitor: no heartbeat for ${stall} ms; restarting the channel`);
      run.abort.abort(); // ended() restarts it
    }
  }
}
