// The live collector of one host: full snapshots on a cadence (root + every namespace, one
// `ip` process per namespace, spread over a few parallel channels), a monitor channel
// whose events trigger a quick re-read of just the namespace that changed, and a light
// counters-only poll for traffic rates. Keeps the latest ObservedHost and nothing older.
//
// Connection handling: any executor failure puts the host in 'error' (never a stale
// 'connected'), stops the monitor, and retries the full poll with back-off. A boot id that
// differs from the first one seen puts the host in 'rebooted' until acknowledged.
import { isExecutorError, type HostExecutor } from '../executor';
import { assembleHost, patchInterface } from '../../../shared/observe/assemble';
import { parseIpBatch } from '../../../shared/observe/ip-batch';
import { parseMonitorLine, triggersRepoll } from '../../../shared/observe/ip-monitor';
import { parseProcNetDev } from '../../../shared/observe/proc-net-dev';
import { RateTracker } from '../../../shared/observe/rates';
import type { ObservedHost, ObservedNamespace, ObservedProgram } from '../../../shared/observe/types';
import { Backoff, type BackoffOptions } from './backoff';
import { Listeners } from './emitter';
import type { EntryOutput } from './frames';
import { MonitorChannel, type MonitorChannelOptions, type MonitorLine } from './monitor-channel';
import type { MonitorSpec } from './monitor-script';
import { NamespaceCache, rawOf } from './namespace-cache';
import { targetableDevice, type PollEntry, type PollRequest } from './poll-script';
import { runPoll, type PollResult } from './poller';

/** What to read besides links, addresses and routes. */
export interface CollectNeeds {
  /** Namespaces whose nft ruleset is read ('' = root), or every namespace. */
  nft: ReadonlySet<string> | 'all';
  /** Sysctl keys (slash form) to read, per namespace. */
  sysctls: ReadonlyMap<string, readonly string[]>;
  /** Namespaces whose iptables-save -c is read, or every namespace. */
  iptables: ReadonlySet<string> | 'all';
  /** Namespaces that need their own counters for rates (links not mirrored by a root-side veth end). */
  rates: ReadonlySet<string>;
  /** Namespaces whose changes must show at once (the design's): watched even without a root nsid. */
  watch: ReadonlySet<string>;
  /** The design's tag when it has programs: their records are read on each full and partial poll. */
  programs?: string;
  /** The design's tag: whether its boot unit is in place (apply --persist) is read on each full poll. */
  unit?: string;
  /**
   * Link impairments (docs/impairments.md): per namespace, the interfaces whose qdiscs are
   * read with every read of that namespace (full and event-triggered), and the design tag
   * whose qdisc records (/run/wireplan/TAG/qdisc/) are read with them.
   */
  qdiscs?: { tag: string; interfaces: ReadonlyMap<string, readonly string[]> };
}

export const DEFAULT_NEEDS: CollectNeeds = { nft: new Set(['']), sysctls: new Map(), iptables: new Set(['']), rates: new Set(), watch: new Set() };

export type CollectorConnection = 'connecting' | 'connected' | 'error' | 'rebooted' | 'disconnected';

export interface CollectorState {
  connection: CollectorConnection;
  bootId?: string;
  previousBootId?: string;
  /** The design's boot unit is installed and enabled on the host (apply --persist). */
  persistent?: boolean;
  error?: string;
  /** ms since the epoch of the last complete observation. */
  observedAt?: number;
  updates: 'events' | 'polling';
  /** Watched namespaces whose changes are only seen at the poll cadence. */
  polledOnly: string[];
  warnings: string[];
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(start);
  return (c.user + c.system) / 1000;
}

export interface ObservationInfo {
  kind: 'full' | 'partial' | 'rates';
  /** Namespaces read by this poll ('' = root). */
  namespaces: string[];
  wallMs: number;
  bytes: number;
  parseMs: number;
  /** This process's CPU time for that parse (user + system): the parse's cost without the wait for a busy CPU. */
  parseCpuMs: number;
  channels: number;
  /** CPU time the poll cost on the host (all channels), when reported. */
  hostCpuMs?: number;
  /** Partial polls: when the first monitor event that caused it arrived (ms, local clock). */
  triggeredAt?: number;
  cacheHits: number;
  cacheMisses: number;
}

export interface CollectorOptions {
  executor: HostExecutor;
  needs?: CollectNeeds;
  /** Full snapshot cadence (default 15 s; never less than 4x the last full poll's duration). */
  fullPollMs?: number;
  /** Counters-only poll for rates (default 1000 ms; 0 = off). */
  ratesPollMs?: number;
  /** Watch `ip monitor` / `nft monitor` between polls (default true). */
  monitor?: boolean;
  /** Parallel channels for a full poll (default up to 4, at most the host's CPUs). */
  maxParallel?: number;
  /** Per poll (default 60 s). */
  pollTimeoutMs?: number;
  /** Gather a burst of monitor events for this long before re-reading (default 5 ms). */
  repollDelayMs?: number;
  backoff?: BackoffOptions;
  monitorOptions?: Partial<Omit<MonitorChannelOptions, 'executor' | 'onLine' | 'onHealth'>>;
  /** Per-namespace ip monitors at most (namespaces beyond are polled only). Default 64. */
  maxNamespaceMonitors?: number;
  log?: (line: string) => void;
}

const NAMESPACE_CHUNK = 24;

export class HostCollector {
  readonly rates = new RateTracker();
  private readonly cache = new NamespaceCache();
  private readonly current = new Map<string, ObservedNamespace>();
  /** Poll sequence number that produced each namespace's current data. */
  private readonly stamp = new Map<string, number>();
  private seq = 0;
  private host: ObservedHost | undefined;
  /** The design's programs as the last poll that read them found them (docs/programs.md). */
  private programs: ObservedProgram[] | undefined;
  private st: CollectorState = { connection: 'disconnected', updates: 'polling', polledOnly: [], warnings: [] };
  private knownBootId: string | undefined;
  private cpus = 1;
  private stopped = true;
  private readonly aborts = new Set<AbortController>();
  private readonly inflight = new Set<Promise<unknown>>();
  private fullRunning: Promise<void> | undefined;
  private fullAgain = false;
  private fullTimer: NodeJS.Timeout | undefined;
  private ratesTimer: NodeJS.Timeout | undefined;
  private ratesRunning = false;
  /**
   * Event-triggered re-reads, in two lanes so that re-reading a big root namespace (every
   * root-side veth end) never delays re-reading the namespace where the change happened.
   */
  private readonly lanes: Record<'root' | 'ns', Lane> = { root: newLane(), ns: newLane() };
  private pendingNsids = new Set<number>();
  private readonly backoff: Backoff;
  private readonly monitor: MonitorChannel | undefined;
  private needs: CollectNeeds;
  /** Host-level warnings of the last full poll (partial polls keep them). */
  private fullWarnings: string[] = [];

  private readonly observations = new Listeners<{ host: ObservedHost; info: ObservationInfo }>((e) => this.log(`observation listener failed: ${String(e)}`));
  private readonly states = new Listeners<CollectorState>((e) => this.log(`state listener failed: ${String(e)}`));
  private readonly monitorEvents = new Listeners<MonitorLine>();

  constructor(private readonly opts: CollectorOptions) {
    this.needs = opts.needs ?? DEFAULT_NEEDS;
    this.backoff = new Backoff({ initialMs: 250, maxMs: 30_000, ...opts.backoff });
    if (opts.monitor ?? true) {
      this.monitor = new MonitorChannel({
        executor: opts.executor,
        ...opts.monitorOptions,
        onLine: (line) => this.handleMonitorLine(line),
        onHealth: (healthy) => {
          this.setState({ updates: healthy ? 'events' : 'polling' });
          // A channel that (re)started without a healthy predecessor may have missed events.
          if (healthy && this.host) void this.requestFull();
        },
        log: (line) => this.log(line),
      });
    }
  }

  get observed(): ObservedHost | undefined {
    return this.host;
  }

  get state(): CollectorState {
    return this.st;
  }

  onObservation(listener: (o: { host: ObservedHost; info: ObservationInfo }) => void): () => void {
    return this.observations.on(listener);
  }

  onState(listener: (s: CollectorState) => void): () => void {
    return this.states.on(listener);
  }

  /** Raw monitor lines as they arrive (diagnostics, benchmarks). */
  onMonitor(listener: (line: MonitorLine) => void): () => void {
    return this.monitorEvents.on(listener);
  }

  /** Internals for tests: open remote channels, cache size, tracked interfaces. */
  get diagnostics(): { monitorChannels: number; inflightPolls: number; cachedNamespaces: number; rateEntries: number; monitor?: MonitorChannel['stats'] } {
    return {
      monitorChannels: this.monitor?.openChannels ?? 0,
      inflightPolls: this.inflight.size,
      cachedNamespaces: this.cache.size,
      rateEntries: this.rates.size,
      ...(this.monitor ? { monitor: this.monitor.stats } : {}),
    };
  }

  setNeeds(needs: CollectNeeds): void {
    this.needs = needs;
    this.updateMonitorSpec();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.setState({ connection: 'connecting' });
    this.monitor?.start(this.monitorSpec());
    void this.requestFull();
    this.scheduleRates();
  }

  /** A full poll now (resolves when it is done; rejects with the poll's failure). */
  pollNow(): Promise<void> {
    return this.requestFull();
  }

  /** The user has seen the reboot: treat the current boot as the normal one again. */
  acknowledgeReboot(): void {
    if (this.st.connection !== 'rebooted') return;
    this.knownBootId = this.st.bootId;
    const { previousBootId: _p, ...rest } = this.st;
    this.st = { ...rest, connection: 'connected' };
    this.states.emit(this.st);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.fullTimer);
    clearTimeout(this.ratesTimer);
    for (const lane of Object.values(this.lanes)) {
      clearTimeout(lane.timer);
      lane.timer = undefined;
      lane.pending.clear();
      lane.devices.clear();
    }
    this.fullTimer = this.ratesTimer = undefined;
    for (const a of this.aborts) a.abort();
    await Promise.allSettled([...this.inflight]);
    await this.monitor?.stop();
    this.pendingNsids.clear();
    this.setState({ connection: 'disconnected', updates: 'polling' });
  }

  // ---------------------------------------------------------------- polls

  private log(line: string): void {
    this.opts.log?.(`${this.opts.executor.describe()}: ${line}`);
  }

  private setState(patch: Partial<CollectorState>): void {
    const next = { ...this.st, ...patch };
    for (const k of Object.keys(patch) as (keyof CollectorState)[]) if (patch[k] === undefined) delete next[k];
    const same =
      next.connection === this.st.connection &&
      next.bootId === this.st.bootId &&
      next.previousBootId === this.st.previousBootId &&
      next.error === this.st.error &&
      next.updates === this.st.updates &&
      next.observedAt === this.st.observedAt &&
      next.polledOnly.join('\u0000') === this.st.polledOnly.join('\u0000') &&
      next.warnings.join('\u0000') === this.st.warnings.join('\u0000');
    this.st = next;
    if (!same) this.states.emit(next);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    void p.then(
      () => this.inflight.delete(p),
      () => this.inflight.delete(p),
    );
    return p;
  }

  private async poll(req: PollRequest): Promise<PollResult> {
    const abort = new AbortController();
    this.aborts.add(abort);
    try {
      return await runPoll(this.opts.executor, req, { signal: abort.signal, timeoutMs: this.opts.pollTimeoutMs ?? 60_000 });
    } finally {
      this.aborts.delete(abort);
    }
  }

  private get ratesPolled(): boolean {
    return (this.opts.ratesPollMs ?? 1000) > 0;
  }

  private entryFor(ns: string): PollEntry {
    const n = this.needs;
    const has = (s: ReadonlySet<string> | 'all') => s === 'all' || s.has(ns);
    const keys = n.sysctls.get(ns);
    const devs = n.qdiscs?.interfaces.get(ns);
    return {
      ns,
      ip: true,
      stats: ns === '' && !this.ratesPolled,
      nft: has(n.nft),
      sysctl: keys !== undefined && keys.length > 0,
      iptables: has(n.iptables),
      ...(devs !== undefined && devs.length > 0 ? { qdiscs: devs } : {}),
    };
  }

  private sysctlKeys(): string[] {
    const all = new Set<string>();
    for (const keys of this.needs.sysctls.values()) for (const k of keys) all.add(k);
    return [...all].sort();
  }

  private requestFull(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.fullRunning) {
      this.fullAgain = true;
      return this.fullRunning;
    }
    clearTimeout(this.fullTimer);
    this.fullTimer = undefined;
    const run = this.track(this.fullPoll()).finally(() => {
      this.fullRunning = undefined;
      if (this.fullAgain && !this.stopped) {
        this.fullAgain = false;
        void this.requestFull();
      }
    });
    // Failures are handled in fullPoll (state 'error', retry with back-off); a caller that
    // awaits the poll (pollNow) still sees the rejection, but one that does not (start, a
    // monitor that recovered, a reboot seen by a partial poll) must never leave it
    // unhandled: a cancelled poll after a monitor heartbeat timeout ended the whole
    // backend that way (issue 11).
    run.catch(() => {});
    this.fullRunning = run;
    return run;
  }

  private programsWanted(): { programs?: string } {
    const tag = this.opts.needs?.programs;
    return tag !== undefined ? { programs: tag } : {};
  }

  /** The tag whose qdisc records are read (one design per collector, so the same tag as programs'). */
  private qdiscRecords(): { qdiscRecords?: string } {
    const tag = this.needs.qdiscs?.tag;
    return tag !== undefined ? { qdiscRecords: tag } : {};
  }

  private async fullPoll(): Promise<void> {
    const seq = ++this.seq;
    const t0 = performance.now();
    try {
      const unit = this.opts.needs?.unit;
      const list = await this.poll({ entries: [], bootId: true, cpus: true, list: true, ...this.programsWanted(), ...(unit !== undefined ? { unit } : {}) });
      if (list.output.persistent !== undefined && list.output.persistent !== this.st.persistent) this.setState({ persistent: list.output.persistent });
      if (list.output.cpus) this.cpus = list.output.cpus;
      this.programs = list.output.programs;
      const names = list.output.names ?? [];
      const all = ['', ...names];
      const k = Math.max(1, Math.min(this.opts.maxParallel ?? 4, this.cpus, Math.ceil(all.length / NAMESPACE_CHUNK)));
      const chunks: string[][] = Array.from({ length: k }, () => []);
      all.forEach((ns, i) => chunks[i % k]!.push(ns));
      const keys = this.sysctlKeys();
      const results = await Promise.all(chunks.map((c) => this.poll({ entries: c.map((ns) => this.entryFor(ns)), sysctlKeys: keys, ...this.qdiscRecords() })));
      const wallMs = performance.now() - t0;
      const parseStart = performance.now();
      const cpu0 = process.cpuUsage();
      const hits0 = this.cache.hits;
      const miss0 = this.cache.misses;
      const warnings = [...list.output.warnings];
      for (const r of results) this.merge(r, seq, warnings);
      this.dropMissing(new Set(all), seq);
      this.fullWarnings = warnings.slice(0, 20);
      this.finish(list.output.bootId, warnings, {
        kind: 'full',
        namespaces: all,
        wallMs,
        bytes: list.bytes + results.reduce((s, r) => s + r.bytes, 0),
        parseMs: performance.now() - parseStart,
        parseCpuMs: cpuMsSince(cpu0),
        channels: k + 1,
        hostCpuMs: [list, ...results].reduce((sum, r) => sum + (r.output.hostCpuMs ?? 0), 0),
        cacheHits: this.cache.hits - hits0,
        cacheMisses: this.cache.misses - miss0,
      });
      this.backoff.reset();
      this.scheduleFull(wallMs);
    } catch (e) {
      this.failed(e, 'full poll');
      throw e;
    }
  }

  private scheduleFull(lastMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.fullTimer);
    const delay = Math.max(this.opts.fullPollMs ?? 15_000, 4 * lastMs);
    this.fullTimer = setTimeout(() => {
      this.fullTimer = undefined;
      void this.requestFull();
    }, delay);
    this.fullTimer.unref?.();
  }

  private scheduleRates(): void {
    const every = this.opts.ratesPollMs ?? 1000;
    if (this.stopped || every <= 0) return;
    clearTimeout(this.ratesTimer);
    this.ratesTimer = setTimeout(() => {
      this.ratesTimer = undefined;
      void this.track(this.ratesPoll())
        .catch((e: unknown) => this.log(`rates poll failed: ${String(e)}`))
        .finally(() => this.scheduleRates());
    }, every);
    this.ratesTimer.unref?.();
  }

  private async ratesPoll(): Promise<void> {
    if (this.ratesRunning || !this.host || (this.st.connection !== 'connected' && this.st.connection !== 'rebooted')) return;
    this.ratesRunning = true;
    try {
      const namespaces = ['', ...[...this.needs.rates].filter((ns) => ns !== '' && this.current.has(ns))];
      // The root from /proc/net/dev (no process at all); other namespaces need an ip each.
      const r = await this.poll({ entries: namespaces.map((ns) => (ns === '' ? { ns, devStats: true } : { ns, rates: true })) });
      const t = performance.now();
      const cpu0 = process.cpuUsage();
      for (const e of r.output.entries) {
        if (e.gone) continue;
        const at = e.hostTime ?? Date.now();
        if (e.dev !== undefined) {
          const parsed = parseProcNetDev(e.dev);
          if (parsed.ok) this.rates.observe(e.entry.ns, parsed.value.map((d) => ({ ifindex: 0, ifname: d.ifname, kind: 'other' as const, detailed: false, flags: [], up: true, lowerUp: true, stats: d.stats })), at);
          continue;
        }
        if (e.ip === undefined) continue;
        const parsed = parseIpBatch(e.ip, { commands: ['link show'] });
        if (parsed.ok && parsed.value.links) this.rates.observe(e.entry.ns, parsed.value.links, at);
      }
      if (this.host) {
        this.observations.emit({
          host: this.host,
          info: { kind: 'rates', namespaces, wallMs: r.wallMs, bytes: r.bytes, parseMs: performance.now() - t, parseCpuMs: cpuMsSince(cpu0), channels: 1, cacheHits: 0, cacheMisses: 0 },
        });
      }
    } catch (e) {
      this.failed(e, 'rates poll');
    } finally {
      this.ratesRunning = false;
    }
  }

  /** Fold one poll's namespaces into the current state (newer polls win per namespace). */
  private merge(r: PollResult, seq: number, warnings: string[]): void {
    warnings.push(...r.output.warnings);
    for (const e of r.output.entries) this.mergeEntry(e, r.batch, seq);
  }

  private mergeEntry(e: EntryOutput, batch: readonly string[], seq: number): void {
    if (e.entry.device !== undefined) return; // patchRoot
    const ns = e.entry.ns;
    if ((this.stamp.get(ns) ?? -1) > seq) return; // a newer read of this namespace already landed
    if (e.gone) {
      this.current.delete(ns);
      this.stamp.set(ns, seq);
      this.cache.forget(ns);
      this.rates.forget(ns);
      return;
    }
    if (!e.entry.ip) return;
    const { raw, warnings } = rawOf(e, batch);
    const parsed = this.cache.parse(raw, warnings);
    this.current.set(ns, parsed);
    this.stamp.set(ns, seq);
    // Counters come from the 1 Hz rates poll when it runs (one source keeps samples comparable).
    if (!this.ratesPolled && parsed.links.some((l) => l.stats)) this.rates.observe(ns, parsed.links, e.hostTime ?? Date.now());
  }

  /** Targeted reads of root interfaces folded into the current root namespace. */
  private patchRoot(entries: EntryOutput[], seq: number): void {
    let root = this.current.get('');
    if (!root || (this.stamp.get('') ?? -1) > seq) return;
    for (const e of entries) {
      const ifname = e.entry.device!;
      const failed = e.ipError !== undefined && e.ipError.code !== 0;
      if (failed && !/does not exist|Cannot find device/i.test(e.ipError!.stderr)) {
        this.requestRepoll('', Date.now()); // unexpected: read the whole root instead
        continue;
      }
      const parsed = failed ? undefined : parseIpBatch(e.ip ?? '', { commands: ['addr show'] });
      const fresh = parsed?.ok ? { links: parsed.value.links ?? [], addresses: parsed.value.addresses ?? [] } : { links: [], addresses: [] };
      if (!failed && !parsed?.ok) {
        this.requestRepoll('', Date.now());
        continue;
      }
      root = patchInterface(root, ifname, fresh);
    }
    this.current.set('', root);
    this.stamp.set('', seq);
  }

  /** After a full listing: namespaces that no longer exist are dropped (unless read since). */
  private dropMissing(exists: ReadonlySet<string>, seq: number): void {
    for (const ns of [...this.current.keys()]) {
      if (exists.has(ns) || (this.stamp.get(ns) ?? -1) > seq) continue;
      this.current.delete(ns);
      this.cache.forget(ns);
      this.rates.forget(ns);
    }
    for (const ns of [...this.stamp.keys()]) if (!this.current.has(ns) && !exists.has(ns) && (this.stamp.get(ns) ?? -1) <= seq) this.stamp.delete(ns);
  }

  private finish(bootId: string | undefined, warnings: string[], info: ObservationInfo): void {
    if (this.stopped) return;
    const collectedAt = Date.now();
    const host = assembleHost({ collectedAt, namespaces: [...this.current.values()], warnings, ...(bootId ? { bootId } : {}) });
    if (this.programs) host.programs = this.programs;
    this.host = host;
    const nsWarnings = host.namespaces.flatMap((n) => n.warnings).slice(0, 20);
    const patch: Partial<CollectorState> = { observedAt: collectedAt, warnings: [...warnings, ...nsWarnings].slice(0, 20) };
    if (this.st.connection === 'connecting' || this.st.connection === 'error') {
      patch.connection = 'connected';
      patch.error = undefined;
    }
    if (bootId) {
      patch.bootId = bootId;
      if (this.knownBootId === undefined) this.knownBootId = bootId;
      else if (bootId !== this.knownBootId && this.st.connection !== 'rebooted') {
        patch.connection = 'rebooted';
        patch.previousBootId = this.knownBootId;
        if (info.kind !== 'full') void this.requestFull();
      }
    }
    this.setState(patch);
    this.updateMonitorSpec();
    this.resolvePendingNsids();
    this.observations.emit({ host, info });
  }

  private failed(e: unknown, what: string): void {
    if (this.stopped) return;
    const message = e instanceof Error ? e.message : String(e);
    this.log(`${what} failed: ${message}`);
    const connectionProblem = isExecutorError(e) && e.kind !== 'Cancelled';
    if (!connectionProblem && what !== 'full poll') return; // a partial/rates glitch: the next poll tells
    const retrying = this.st.connection === 'error' && this.fullTimer !== undefined;
    this.setState({ connection: 'error', error: message, updates: 'polling' });
    if (retrying) return; // one retry is already scheduled
    void this.monitor?.stop();
    clearTimeout(this.fullTimer);
    const delay = this.backoff.next();
    this.log(`full poll retry in ${delay} ms`);
    this.fullTimer = setTimeout(() => {
      this.fullTimer = undefined;
      if (this.stopped) return;
      if (this.monitor && !this.monitor.running) this.monitor.start(this.monitorSpec());
      void this.requestFull();
    }, delay);
    this.fullTimer.unref?.();
  }

  // ---------------------------------------------------------------- monitor

  private monitorSpec(): MonitorSpec {
    const root = this.current.get('');
    const exists = (ns: string) => ns === '' || this.current.has(ns) || !this.host;
    const nft = this.needs.nft === 'all' ? [''] : [...this.needs.nft].filter(exists).sort();
    const ids = new Set((root?.nsids ?? []).flatMap((e) => (e.name !== undefined && e.nsid !== undefined ? [e.name] : [])));
    const idless = [...this.needs.watch].filter((ns) => ns !== '' && this.current.has(ns) && !ids.has(ns)).sort();
    const max = this.opts.maxNamespaceMonitors ?? 64;
    this.setState({ polledOnly: idless.slice(max) });
    return { nft, ip: idless.slice(0, max) };
  }

  private updateMonitorSpec(): void {
    if (this.monitor?.running) this.monitor.update(this.monitorSpec());
  }

  private handleMonitorLine(line: MonitorLine): void {
    if (this.stopped) return;
    this.monitorEvents.emit(line);
    try {
      this.routeMonitorLine(line);
    } catch (e) {
      // Host text that trips the parser must not reach the channel's data handler (an
      // exception there is uncaught): the next full poll reads everything anyway.
      this.log(`monitor line not handled: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private routeMonitorLine(line: MonitorLine): void {
    if (line.source === 'nft') return this.requestRepoll(line.ns, line.at);
    const ev = parseMonitorLine(line.text);
    if (!ev || !triggersRepoll(ev)) return;
    if (line.source === 'ipn') return this.requestRepoll(line.ns, line.at);
    if (ev.object === 'nsid') {
      this.requestRepoll('', line.at);
      if (ev.about?.name !== undefined && !ev.deleted) this.requestRepoll(ev.about.name, line.at);
      return;
    }
    if (ev.nsid === undefined || ev.nsid === 'current') {
      // A root link or address event names its interface (right in the listener's own
      // namespace): re-read just that one; a root with hundreds of veth ends is ~1 MB.
      if ((ev.object === 'link' || ev.object === 'addr') && ev.ifname !== undefined && targetableDevice(ev.ifname)) return this.requestDevice(ev.ifname, line.at);
      return this.requestRepoll('', line.at);
    }
    const name = this.nameOfNsid(ev.nsid);
    if (name !== undefined) return this.requestRepoll(name, line.at);
    // An id we cannot name yet: re-read the root (its list-id names it), then that namespace.
    if (this.pendingNsids.size < 1024) this.pendingNsids.add(ev.nsid);
    this.requestRepoll('', line.at);
  }

  private nameOfNsid(nsid: number): string | undefined {
    const root = this.current.get('');
    return root?.nsids.find((e) => e.nsid === nsid && e.name !== undefined)?.name;
  }

  private resolvePendingNsids(): void {
    for (const id of [...this.pendingNsids]) {
      const name = this.nameOfNsid(id);
      if (name !== undefined) {
        this.pendingNsids.delete(id);
        this.requestRepoll(name, Date.now());
      }
    }
    if (this.pendingNsids.size > 0 && !this.lanes.root.pending.has('')) this.pendingNsids.clear(); // ids of namespaces without a name
  }

  private requestRepoll(ns: string, at: number): void {
    if (this.stopped) return;
    const lane = this.lanes[ns === '' ? 'root' : 'ns'];
    lane.pending.add(ns);
    if (ns === '') lane.devices.clear(); // the whole root is re-read anyway
    lane.since ??= at;
    this.scheduleLane(lane, this.opts.repollDelayMs ?? 5);
  }

  /** Re-read one root interface (many at once: the whole root instead). */
  private requestDevice(ifname: string, at: number): void {
    if (this.stopped) return;
    const lane = this.lanes.root;
    if (!lane.pending.has('')) {
      lane.devices.add(ifname);
      if (lane.devices.size > MAX_DEVICE_READS) {
        lane.devices.clear();
        lane.pending.add('');
      }
    }
    lane.since ??= at;
    this.scheduleLane(lane, this.opts.repollDelayMs ?? 5);
  }

  private scheduleLane(lane: Lane, delay: number): void {
    if (lane.timer || lane.running || (lane.pending.size === 0 && lane.devices.size === 0) || this.stopped) return;
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      this.track(this.partialPoll(lane)).catch((e: unknown) => this.log(`partial poll failed: ${String(e)}`));
    }, delay);
    lane.timer.unref?.();
  }

  private async partialPoll(lane: Lane): Promise<void> {
    if ((lane.pending.size === 0 && lane.devices.size === 0) || this.stopped) return;
    if (this.st.connection === 'connecting' || this.st.connection === 'error' || !this.host) {
      lane.pending.clear(); // the full poll on (re)connect reads everything anyway
      lane.devices.clear();
      lane.since = undefined;
      return;
    }
    lane.running = true;
    const wanted = [...lane.pending];
    const devices = [...lane.devices];
    const triggeredAt = lane.since;
    lane.pending.clear();
    lane.devices.clear();
    lane.since = undefined;
    const seq = ++this.seq;
    try {
      const entries: PollEntry[] = [...wanted.map((ns) => this.entryFor(ns)), ...devices.map((device) => ({ ns: '', device }))];
      const r = await this.poll({ entries, sysctlKeys: this.sysctlKeys(), bootId: true, list: true, ...this.programsWanted(), ...this.qdiscRecords() });
      if (r.output.programs) this.programs = r.output.programs;
      const parseStart = performance.now();
      const cpu0 = process.cpuUsage();
      const hits0 = this.cache.hits;
      const miss0 = this.cache.misses;
      const warnings: string[] = [];
      this.merge(r, seq, warnings);
      if (devices.length > 0 && !wanted.includes('')) {
        this.patchRoot(r.output.entries.filter((e) => e.entry.device !== undefined), seq);
        wanted.push('');
      }
      const names = new Set(['', ...(r.output.names ?? [])]);
      this.dropMissing(names, seq);
      this.finish(r.output.bootId, [...this.fullWarnings, ...warnings].slice(0, 20), {
        kind: 'partial',
        namespaces: wanted,
        wallMs: r.wallMs,
        bytes: r.bytes,
        parseMs: performance.now() - parseStart,
        parseCpuMs: cpuMsSince(cpu0),
        channels: 1,
        ...(triggeredAt !== undefined ? { triggeredAt } : {}),
        cacheHits: this.cache.hits - hits0,
        cacheMisses: this.cache.misses - miss0,
      });
      // Namespaces that appeared since the last listing: read them too.
      for (const ns of names) if (!this.current.has(ns) && !this.lanes.ns.pending.has(ns)) this.requestRepoll(ns, Date.now());
    } catch (e) {
      this.failed(e, 'partial poll');
    } finally {
      lane.running = false;
      this.scheduleLane(lane, 0);
    }
  }
}

/** Root interfaces re-read one by one at most; beyond, the whole root is re-read. */
const MAX_DEVICE_READS = 16;

interface Lane {
  pending: Set<string>;
  /** Root lane: single interfaces to re-read. */
  devices: Set<string>;
  /** When the first event behind the pending re-reads arrived. */
  since: number | undefined;
  timer: NodeJS.Timeout | undefined;
  running: boolean;
}

function newLane(): Lane {
  return { pending: new Set(), devices: new Set(), since: undefined, timer: undefined, running: false };
}
