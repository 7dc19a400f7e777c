// Issue 11: with Live on while editing, a monitor channel that stops answering (heartbeat
// timeout) followed by a re-watch ended the whole backend on an unhandled `Cancelled`.
// Here a scripted host whose monitor channel can be frozen, 50 times in a row: freeze,
// see the host fall back to polling, thaw, see events again, and re-watch at once (the
// full poll the recovery started is still in flight and gets cancelled). Nothing may
// escape as an unhandled rejection or an uncaught exception, and every round recovers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostStatus, LiveStatusUpdate } from '../../../shared/api/contract';
import { parseDesign } from '../../../shared/model/parse';
import type { Design } from '../../../shared/model/schema';
import { Cancelled, type HostExecutor, type RunOptions, type RunResult } from '../executor';
import { LiveMonitor } from './live-monitor';

const EXAMPLE = join(__dirname, '../../../resources/examples/two-namespaces-nat.wireplan.json');

function loadDesign(): Design {
  const r = parseDesign(readFileSync(EXAMPLE, 'utf8'));
  if (!r.ok) throw new Error('example does not load');
  return r.design;
}

/** A host that answers polls with an empty but complete snapshot, and a monitor channel that heartbeats unless frozen. */
class ScriptedHost implements HostExecutor {
  frozen = false;
  polls = 0;
  /** Monitor channels running now (not cancelled). */
  get monitors(): number {
    return this.beats.size;
  }
  cancelledPolls = 0;
  private readonly beats = new Set<() => void>();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => {
      if (!this.frozen) for (const b of this.beats) b();
    }, 10);
  }

  describe(): string {
    return 'scripted host';
  }

  run(command: string, opts: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const signal = opts.signal;
      if (signal?.aborted) return reject(new Cancelled(this.describe(), 'run cancelled'));
      const monitor = /wp-monitor '?([0-9a-f]{16})/.exec(command);
      if (monitor) {
        const beat = () => opts.onStdout?.(`@@${monitor[1]}:hb\n`);
        this.beats.add(beat);
        signal?.addEventListener('abort', () => {
          this.beats.delete(beat);
          reject(new Cancelled(this.describe(), 'monitor cancelled'));
        });
        return;
      }
      const poll = /wp-poll '?([0-9a-f]{16})/.exec(command);
      if (!poll) return resolve({ code: 0, stdout: '', stderr: '' });
      this.polls++;
      const n = poll[1]!;
      const entries = String(opts.stdin ?? '')
        .split('\u0000')
        .filter((e) => e !== '' && !e.startsWith('K/')).length;
      // Answer a little later, so a re-watch can catch the poll in flight.
      const t = setTimeout(() => {
        let out = `@@${n}:boot\nboot-1\n@@${n}:cpus\n0-1\n@@${n}:names\n\n`;
        for (let i = 0; i < entries; i++) out += `@@${n}:ip:${i}\n[]\n`;
        resolve({ code: 0, stdout: `${out}@@${n}:end\n`, stderr: '' });
      }, 5);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        this.cancelledPolls++;
        reject(new Cancelled(this.describe(), 'poll cancelled'));
      });
    });
  }

  close(): Promise<void> {
    clearInterval(this.timer);
    return Promise.resolve();
  }
}

const escaped: unknown[] = [];
const onEscape = (e: unknown) => escaped.push(e);
beforeEach(() => {
  escaped.length = 0;
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
afterEach(() => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});

describe('live monitoring when the monitor channel stops answering', () => {
  it('survives 50 heartbeat timeouts, each followed by a re-watch while the recovery poll runs, and recovers every time', async () => {
    const host = new ScriptedHost();
    const design = loadDesign();
    const monitor = new LiveMonitor({
      executorFor: () => Promise.resolve(host),
      collector: { ratesPollMs: 0, fullPollMs: 3_600_000, monitorOptions: { stallMs: 60, backoff: { initialMs: 5, maxMs: 5, jitter: 0 } } },
      log: () => {},
    });
    let latest: HostStatus | undefined;
    const waiters = new Set<() => void>();
    monitor.onHostStatus((s) => {
      latest = s;
      for (const w of [...waiters]) w();
    });
    const until = (ok: (s: HostStatus) => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (latest && ok(latest)) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
      });
    const live = (s: HostStatus) => s.connection === 'connected' && s.updates === 'events';
    try {
      await monitor.watch(design);
      await until(live);
      for (let round = 0; round < 50; round++) {
        host.frozen = true;
        await until((s) => s.updates === 'polling');
        host.frozen = false;
        await until(live); // the new channel answered: a full poll is on its way
        // The user edits: the page watches the new design at once. A design reached the same
        // way is only re-mapped (the connection stays); another tag each round makes this a
        // restart, whose stop meets the recovery poll in flight.
        await monitor.watch({ ...design, tag: round % 2 === 0 ? 'stallb' : design.tag });
        await until(live);
        expect(escaped, `round ${round}`).toEqual([]);
      }
      expect(host.cancelledPolls, 'the re-watch cancelled recovery polls in flight').toBeGreaterThan(0);
    } finally {
      await monitor.close();
      await host.close();
    }
    expect(escaped).toEqual([]);
  });

  it('overlapping watches (fast edits) leave exactly one collector running, and close stops it', async () => {
    const host = new ScriptedHost();
    const design = loadDesign();
    const monitor = new LiveMonitor({ executorFor: () => Promise.resolve(host), collector: { ratesPollMs: 0, fullPollMs: 3_600_000 }, log: () => {} });
    try {
      await Promise.all([monitor.watch(design), monitor.watch(design), monitor.watch(design)]);
      expect(host.monitors, 'one monitor channel: no collector of an earlier watch left running').toBe(1);
      await Promise.all([monitor.watch(design), monitor.unwatch(), monitor.watch(design)]);
      expect(host.monitors).toBe(1);
    } finally {
      await monitor.close();
      await host.close();
    }
    expect(host.monitors).toBe(0);
    expect(escaped).toEqual([]);
  });
});

describe('live monitoring across an edit', () => {
  it('re-watching an edited design reached the same way keeps the connection and re-maps the status at once, never unknown', async () => {
    const host = new ScriptedHost();
    const design = loadDesign();
    const monitor = new LiveMonitor({ executorFor: () => Promise.resolve(host), collector: { ratesPollMs: 0, fullPollMs: 3_600_000 }, log: () => {} });
    const statuses: HostStatus[] = [];
    const updates: LiveStatusUpdate[] = [];
    const waiters = new Set<() => void>();
    const wake = () => {
      for (const w of [...waiters]) w();
    };
    monitor.onHostStatus((s) => (statuses.push(s), wake()));
    monitor.onLiveStatus((u) => (updates.push(u), wake()));
    const until = (ok: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!ok()) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    try {
      await monitor.watch(design);
      // Observed: the scripted host is empty, so the design's elements are missing (not unknown).
      await until(() => updates.some((u) => u.replace && u.elements.some((e) => e.presence === 'missing')));
      // (Firewall elements stay unknown on this host: it answers no nft/iptables reads.)
      const known = new Set(updates.filter((u) => u.replace).flatMap((u) => u.elements.filter((e) => e.presence !== 'unknown').map((e) => e.elementId)));
      expect(known.size).toBeGreaterThan(3);
      const pollsBefore = host.polls;
      statuses.length = 0;
      updates.length = 0;
      // The edit: app1 renamed (its kernel namespace changes, so the plan does).
      const edited: Design = { ...design, namespaces: design.namespaces.map((n) => (n.id === 'app1' ? { ...n, name: 'app7' } : n)) };
      await monitor.watch(edited);
      await until(() => updates.some((u) => u.replace) && host.polls > pollsBefore);
      expect(statuses.map((s) => s.connection).filter((c) => c !== 'connected')).toEqual([]);
      const replace = updates.find((u) => u.replace)!;
      expect(replace.elements.filter((e) => known.has(e.elementId) && e.presence === 'unknown')).toEqual([]);
      expect(replace.elements.map((e) => e.elementId)).toContain('app1');
      expect((await monitor.status())[0]?.connection).toBe('connected');
    } finally {
      await monitor.close();
      await host.close();
    }
    expect(escaped).toEqual([]);
  });
});
