// Live monitoring of a design: one HostLive per design host, fed by that host's executor
// (SSH, or the local sandbox), with the contract's events. Shaped to plug into the
// backend service as its LiveEngine (status / subscribe / close) once it is told which
// design to watch (watch / unwatch).
import type { ElementStatus, HostStatus, LiveStatusUpdate } from '../../../shared/api/contract';
import { compile } from '../../../shared/compile/compile';
import type { Plan } from '../../../shared/compile/plan';
import type { Design, Host } from '../../../shared/model/schema';
import type { HostExecutor } from '../executor';
import type { CollectorOptions } from './collector';
import { Listeners } from './emitter';
import { HostLive } from './host-live';

export interface LiveMonitorOptions {
  /** The executor for a host of the design being watched (shared with apply; never closed here). */
  executorFor: (host: Host, design: Design) => Promise<HostExecutor>;
  collector?: Omit<Partial<CollectorOptions>, 'executor' | 'needs'>;
  minIntervalMs?: number;
  log?: (line: string) => void;
}

export interface LiveSinkLike {
  hostStatus(status: HostStatus): void;
  liveStatus(update: LiveStatusUpdate): void;
}

export class LiveMonitor {
  private readonly hosts = new Map<string, HostLive>();
  /** Hosts whose executor could not be had: their last status. */
  private readonly unreachable = new Map<string, HostStatus>();
  private readonly starting = new Map<string, Promise<void>>();
  private design: Design | undefined;
  private plan: Plan | undefined;
  private readonly hostEvents = new Listeners<HostStatus>();
  private readonly liveEvents = new Listeners<LiveStatusUpdate>();
  private closed = false;
  /**
   * watch/unwatch/close, one at a time: the page re-watches on every settled edit, and two
   * overlapping watches each started their hosts, the later overwriting the earlier in
   * `hosts`, so the earlier collectors were never stopped and polled on forever.
   */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: LiveMonitorOptions) {}

  /**
   * Watch `design` (replacing any design watched before). Hosts whose executor cannot be
   * had are reported with connection 'error'. Throws when the design does not compile.
   */
  async watch(design: Design, hostIds?: readonly string[]): Promise<void> {
    if (this.closed) throw new Error('the live monitor is closed');
    const compiled = compile(design);
    if (!compiled.ok) {
      const first = compiled.diagnostics.find((d) => d.severity === 'error');
      throw new Error(`the design has errors${first ? `: ${first.message}` : ''}`);
    }
    await this.serially(async () => {
      const hosts = design.hosts.filter((h) => !hostIds || hostIds.includes(h.id));
      const kept = await this.keepable(hosts, design);
      await this.stopAll(kept);
      if (this.closed) return;
      this.design = design;
      this.plan = compiled.plan;
      for (const id of kept) this.hosts.get(id)?.remap(design, compiled.plan);
      await Promise.all(hosts.filter((h) => !kept.has(h.id)).map((h) => this.startHost(h, design)));
    });
  }

  /**
   * Hosts watched now that the new design reaches through the very same executor (same
   * tag and target): they keep their connection and are re-mapped, not restarted.
   */
  private async keepable(hosts: readonly Host[], design: Design): Promise<Set<string>> {
    const kept = new Set<string>();
    if (!this.design) return kept;
    await Promise.allSettled([...this.starting.values()]);
    for (const h of hosts) {
      const live = this.hosts.get(h.id);
      const before = this.design.hosts.find((o) => o.id === h.id);
      if (!live || !before || this.design.tag !== design.tag || JSON.stringify(before.target) !== JSON.stringify(h.target)) continue;
      const executor = await this.opts.executorFor(h, design).catch(() => undefined);
      if (executor === live.executor) kept.add(h.id);
    }
    return kept;
  }

  private serially<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f, f);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private startHost(host: Host, design: Design): Promise<void> {
    const p = (async () => {
      let executor: HostExecutor;
      try {
        executor = await this.opts.executorFor(host, design);
      } catch (e) {
        const status: HostStatus = { hostId: host.id, connection: 'error', error: e instanceof Error ? e.message : String(e) };
        this.unreachable.set(host.id, status);
        this.hostEvents.emit(status);
        return;
      }
      if (this.closed || this.design === undefined || !this.plan) return;
      const live = new HostLive({
        hostId: host.id,
        design: this.design,
        plan: this.plan,
        executor,
        ...(this.opts.collector ? { collector: this.opts.collector } : {}),
        ...(this.opts.minIntervalMs !== undefined ? { minIntervalMs: this.opts.minIntervalMs } : {}),
        onHostStatus: (s) => this.hostEvents.emit(s),
        onLiveStatus: (u) => this.liveEvents.emit(u),
        ...(this.opts.log ? { log: this.opts.log } : {}),
      });
      this.hosts.set(host.id, live);
      live.start();
    })();
    this.starting.set(host.id, p);
    return p.finally(() => this.starting.delete(host.id));
  }

  unwatch(): Promise<void> {
    return this.serially(() => this.stopAll());
  }

  /** Stops every host but the `keep` ones (which stay watched, connection and all). */
  private async stopAll(keep: ReadonlySet<string> = new Set()): Promise<void> {
    await Promise.allSettled([...this.starting.values()]);
    const all = [...this.hosts.values()].filter((h) => !keep.has(h.status().hostId));
    for (const h of all) this.hosts.delete(h.status().hostId);
    // Every host is stopped even when one of them fails to.
    const stopped = await Promise.allSettled(all.map((h) => h.stop()));
    for (const r of stopped) if (r.status === 'rejected') this.opts.log?.(`live: stopping a host failed: ${String(r.reason)}`);
    for (const id of all.map((h) => h.status().hostId)) this.hostEvents.emit({ hostId: id, connection: 'disconnected' });
    for (const id of this.unreachable.keys()) this.hostEvents.emit({ hostId: id, connection: 'disconnected' });
    this.unreachable.clear();
    this.design = undefined;
    this.plan = undefined;
  }

  /** Current status of the watched hosts (or the given ones). */
  async status(hostIds?: string[]): Promise<HostStatus[]> {
    await Promise.allSettled([...this.starting.values()]);
    const ids = hostIds ?? [...this.hosts.keys(), ...this.unreachable.keys()];
    return ids.map((id) => this.hosts.get(id)?.status() ?? this.unreachable.get(id) ?? { hostId: id, connection: 'disconnected' as const });
  }

  /** Latest element statuses of a host (all 'unknown' until observed). */
  elements(hostId: string): ElementStatus[] {
    return this.hosts.get(hostId)?.elements() ?? [];
  }

  host(hostId: string): HostLive | undefined {
    return this.hosts.get(hostId);
  }

  onHostStatus(listener: (s: HostStatus) => void): () => void {
    return this.hostEvents.on(listener);
  }

  onLiveStatus(listener: (u: LiveStatusUpdate) => void): () => void {
    return this.liveEvents.on(listener);
  }

  /** LiveEngine shape: one sink for both event kinds. */
  subscribe(sink: LiveSinkLike): () => void {
    const a = this.onHostStatus((s) => sink.hostStatus(s));
    const b = this.onLiveStatus((u) => sink.liveStatus(u));
    return () => {
      a();
      b();
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.serially(() => this.stopAll());
    this.hostEvents.clear();
    this.liveEvents.clear();
  }
}
