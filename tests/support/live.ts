// Test helpers for the live monitor: the latest statuses as the API delivers them, and
// waiting on a condition over those events with a deadline (the event is the signal;
// nothing sleeps for a fixed time).
import type { ElementStatus, HostStatus, LiveStatusUpdate } from '../../shared/api/contract';
import { compile } from '../../shared/compile/compile';
import { hostScript } from '../../shared/export/script';
import type { Design } from '../../shared/model/schema';
import type { HostExecutor } from '../../electron/backend/executor';

export class LiveRecorder {
  readonly elements = new Map<string, ElementStatus>();
  readonly hosts = new Map<string, HostStatus>();
  readonly updates: { at: number; update: LiveStatusUpdate }[] = [];
  private waiters = new Set<() => void>();
  /** Keep at most this many updates (a soak must not grow the test's own memory). */
  constructor(private readonly keep = 1000) {}

  live = (u: LiveStatusUpdate): void => {
    if (u.replace) for (const [id] of this.elements) this.elements.delete(id);
    for (const e of u.elements) this.elements.set(e.elementId, e);
    this.updates.push({ at: performance.now(), update: u });
    if (this.updates.length > this.keep) this.updates.splice(0, this.updates.length - this.keep);
    this.wake();
  };

  host = (s: HostStatus): void => {
    this.hosts.set(s.hostId, s);
    this.wake();
  };

  /** Re-check pending waits (for conditions that are not about status events). */
  poke(): void {
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  el(id: string): ElementStatus | undefined {
    return this.elements.get(id);
  }

  /**
   * Resolves with the milliseconds it took once `cond` holds (checked now and after every
   * event), or rejects after `deadlineMs` with `what` and the current statuses.
   */
  waitFor(what: string, cond: (r: LiveRecorder) => boolean, deadlineMs: number): Promise<number> {
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const check = () => {
        let ok = false;
        try {
          ok = cond(this);
        } catch {
          ok = false;
        }
        if (ok) {
          done();
          resolve(performance.now() - t0);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`not within ${deadlineMs} ms: ${what}\nelements: ${JSON.stringify([...this.elements.values()], null, 1).slice(0, 4000)}\nhosts: ${JSON.stringify([...this.hosts.values()])}`));
      }, deadlineMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}

/** Runs the design's exported script for `hostId` (`up` by default) on a host. */
export async function runExported(executor: HostExecutor, design: Design, hostId: string, verb: 'up' | 'down' | 'status' = 'up'): Promise<string> {
  const c = compile(design);
  if (!c.ok) throw new Error(`design does not compile: ${JSON.stringify(c.diagnostics.filter((d) => d.severity === 'error'))}`);
  const host = c.plan.hosts.find((h) => h.host.id === hostId);
  if (!host) throw new Error(`no host ${hostId}`);
  const r = await executor.run(`bash -s -- ${verb}`, { stdin: hostScript(c.plan, host), timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`script ${verb} failed (${r.code}): ${r.stderr.slice(-2000)}\n${r.stdout.slice(-2000)}`);
  return r.stdout;
}

/** Every element of the host present. */
export function allPresent(r: LiveRecorder, ids: readonly string[]): boolean {
  return ids.every((id) => r.el(id)?.presence === 'present');
}
