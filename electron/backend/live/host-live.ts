// Live status of one design host: its collector's observations mapped onto the design
// (shared/observe/status.ts), only what changed, coalesced to ten batches a second, and
// the host's own status (connection, boot id, foreign objects) in the contract's terms.
import type { ElementStatus, HostStatus, LiveStatusUpdate } from '../../../shared/api/contract';
import type { Plan } from '../../../shared/compile/plan';
import type { Design } from '../../../shared/model/schema';
import { evaluateStatus, prepareStatus, sameElementStatus, unknownStatus, type StatusModel } from '../../../shared/observe/status';
import type { ObservedHost } from '../../../shared/observe/types';
import type { HostExecutor } from '../executor';
import { Coalescer } from './coalescer';
import { HostCollector, type CollectorOptions, type CollectorState, type ObservationInfo } from './collector';
import { needsFor } from './needs';

export interface HostLiveOptions {
  hostId: string;
  design: Design;
  plan: Plan;
  executor: HostExecutor;
  collector?: Omit<Partial<CollectorOptions>, 'executor' | 'needs'>;
  /** Minimum time between two element batches (default 100 ms). */
  minIntervalMs?: number;
  onHostStatus: (status: HostStatus) => void;
  onLiveStatus: (update: LiveStatusUpdate) => void;
  log?: (line: string) => void;
}

/** Same apart from the observation time, which alone is republished at most every 5 s. */
function sameHostStatus(a: HostStatus | undefined, b: HostStatus): boolean {
  if (!a) return false;
  const { observedAt: ta, ...ra } = a;
  const { observedAt: tb, ...rb } = b;
  if (JSON.stringify(ra) !== JSON.stringify(rb)) return false;
  if (ta === tb || ta === undefined || tb === undefined) return ta === tb;
  return Date.parse(tb) - Date.parse(ta) < 5000;
}

/** An element status without its traffic rates (rule counters and their rates too). */
function withoutRates(e: ElementStatus): ElementStatus {
  const { rxRate: _rx, txRate: _tx, rules, ...rest } = e;
  return rules ? { ...rest, rules: rules.map(({ packets: _p, bytes: _b, packetRate: _pr, byteRate: _br, rule, ...r }) => ({ ...r, rule: rule.replace(/counter packets \d+ bytes \d+/, 'counter') })) } : rest;
}

export class HostLive {
  readonly collector: HostCollector;
  private modelNow: StatusModel;
  private readonly coalescer: Coalescer;
  private last = new Map<string, ElementStatus>();
  private needReplace = true;
  private unknownSent = false;
  private foreign: string[] = [];
  private ruleCounters: ReturnType<typeof evaluateStatus>['ruleCounters'] = new Map();
  private hs: HostStatus | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  /** Time the last evaluation took (ms) and its trigger, for diagnostics. */
  lastEvaluation: { ms: number; info: ObservationInfo } | undefined;

  constructor(private readonly opts: HostLiveOptions) {
    this.modelNow = prepareStatus(opts.design, opts.plan, opts.hostId);
    this.collector = new HostCollector({
      ...opts.collector,
      executor: opts.executor,
      needs: needsFor(this.model, opts.design),
      ...(opts.log ? { log: opts.log } : {}),
    });
    this.coalescer = new Coalescer({ hostId: opts.hostId, emit: opts.onLiveStatus, ...(opts.minIntervalMs !== undefined ? { minIntervalMs: opts.minIntervalMs } : {}) });
    this.unsubscribe.push(
      this.collector.onObservation(({ host, info }) => this.observe(host, info)),
      this.collector.onState((s) => this.stateChanged(s)),
    );
  }

  start(): void {
    this.collector.start();
    this.stateChanged(this.collector.state);
  }

  async stop(): Promise<void> {
    await this.collector.stop();
    for (const u of this.unsubscribe.splice(0)) u();
    this.coalescer.dispose();
  }

  get model(): StatusModel {
    return this.modelNow;
  }

  get executor(): HostExecutor {
    return this.opts.executor;
  }

  /**
   * The design changed (an edit) but the host is reached the same way: map what is already
   * observed onto the new design at once and keep the connection, instead of a stop and a
   * start that would show every element 'unknown' and the host 'connecting' meanwhile.
   * The next full poll (asked for now) then reads what the new design needs.
   */
  remap(design: Design, plan: Plan): void {
    this.modelNow = prepareStatus(design, plan, this.opts.hostId);
    this.collector.setNeeds(needsFor(this.modelNow, design));
    this.needReplace = true;
    const host = this.collector.observed;
    if (host && this.connected(this.collector.state)) {
      this.observe(host, { kind: 'full', namespaces: [], wallMs: 0, bytes: 0, parseMs: 0, parseCpuMs: 0, channels: 0, cacheHits: 0, cacheMisses: 0 });
    }
    void this.collector.pollNow().catch(() => undefined); // a failed poll shows in the host's state
  }

  /** The latest status of every element of this host (all 'unknown' until observed). */
  elements(): ElementStatus[] {
    if (this.last.size === 0) return unknownStatus(this.model);
    return [...this.last.values()];
  }

  status(): HostStatus {
    return this.hs ?? this.toHostStatus(this.collector.state);
  }

  private connected(s: CollectorState): boolean {
    return s.connection === 'connected' || s.connection === 'rebooted';
  }

  private observe(host: ObservedHost, info: ObservationInfo): void {
    if (!this.connected(this.collector.state)) return;
    const t0 = performance.now();
    const at = Date.now();
    // Partial and counters-only observations re-evaluate only what they can have changed.
    const incremental = !this.needReplace && this.last.size > 0 && info.kind !== 'full';
    const ev = evaluateStatus(this.model, host, {
      rate: (ns, ifname) => this.collector.rates.rate(ns, ifname),
      previousRuleCounters: this.ruleCounters,
      at,
      ...(incremental ? { changed: new Set(info.kind === 'rates' ? [] : info.namespaces), previous: this.last } : {}),
    });
    // A full evaluation replaces the counters (bounded by the rules that exist); a partial
    // one only updates the routers it read.
    this.ruleCounters = incremental ? new Map([...this.ruleCounters, ...ev.ruleCounters]) : ev.ruleCounters;
    const next = new Map(ev.elements.map((e) => [e.elementId, e]));
    if (this.needReplace) {
      this.needReplace = false;
      this.unknownSent = false;
      this.coalescer.push(ev.elements, { replace: true, at: host.collectedAt });
    } else {
      const ratesOnly = new Set<string>();
      const changed = ev.elements.filter((e) => {
        const old = this.last.get(e.elementId);
        if (old && sameElementStatus(old, e)) return false;
        if (old && sameElementStatus(withoutRates(old), withoutRates(e))) ratesOnly.add(e.elementId);
        return true;
      });
      if (changed.length > 0) this.coalescer.push(changed, { at: host.collectedAt, ratesOnly });
    }
    this.last = next;
    this.lastEvaluation = { ms: performance.now() - t0, info };
    if (ev.foreign.join('\u0000') !== this.foreign.join('\u0000')) {
      this.foreign = ev.foreign;
      this.publish(this.toHostStatus(this.collector.state));
    }
  }

  private stateChanged(s: CollectorState): void {
    if (!this.connected(s)) {
      // Never leave a stale picture up: everything is unknown until observed again.
      this.needReplace = true;
      if (!this.unknownSent && s.connection !== 'connecting') {
        this.unknownSent = true;
        this.last = new Map();
        this.coalescer.push(unknownStatus(this.model), { replace: true, at: Date.now() });
      }
    }
    this.publish(this.toHostStatus(s));
  }

  private publish(status: HostStatus): void {
    if (sameHostStatus(this.hs, status)) return;
    this.hs = status;
    this.opts.onHostStatus(status);
  }

  private toHostStatus(s: CollectorState): HostStatus {
    const out: HostStatus = { hostId: this.opts.hostId, connection: s.connection, updates: s.updates };
    if (s.bootId !== undefined) out.bootId = s.bootId;
    if (s.previousBootId !== undefined) out.previousBootId = s.previousBootId;
    if (s.persistent !== undefined) out.persistent = s.persistent;
    if (s.observedAt !== undefined) out.observedAt = new Date(s.observedAt).toISOString();
    if (s.error !== undefined) out.error = s.error;
    if (this.foreign.length > 0 && this.connected(s)) out.foreign = this.foreign;
    if (s.polledOnly.length > 0) out.polledOnly = s.polledOnly;
    if (s.warnings.length > 0) out.warnings = s.warnings;
    return out;
  }
}
