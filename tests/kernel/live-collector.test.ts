// The live collector against a real kernel in a throwaway local sandbox (the same
// SandboxExecutor a design host of kind 'sandbox' uses): a change shown through a monitor
// event, a reboot shown as such, a dropped connection shown as unknown and recovered with
// back-off, the monitor channel rotated before its output grows, and nothing left running
// after stop. No timing is asserted here (the machine may be busy): the deadlines below
// only end a hang; latencies are measured by `npm run bench live`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxExecutor } from '../../electron/backend/executor';
import { HostCollector } from '../../electron/backend/live/collector';
import { LiveMonitor } from '../../electron/backend/live/live-monitor';
import { shellCommand } from '../../shared/export/quote';
import type { Design } from '../../shared/model/schema';
import { ControlledExecutor } from '../support/controlled-executor';
import { loadExample } from '../support/examples';
import { LiveRecorder, allPresent, runExported } from '../support/live';

let sandbox: SandboxExecutor;
let design: Design;

/** Ends a wait that would otherwise hang; never a speed requirement. */
const HANG_GUARD_MS = 20_000;

beforeAll(async () => {
  sandbox = await SandboxExecutor.start({ name: 'live-collector' });
  design = loadExample('two-namespaces-nat.wireplan.json');
  await runExported(sandbox, design, 'lab');
});

afterAll(async () => {
  await sandbox?.close();
});

/** Processes inside the sandbox other than its init and the ps that lists them. */
async function leftovers(): Promise<string[]> {
  const r = await sandbox.run('ps -eo pid=,args=');
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/wireplan-sandbox|ps -eo|bash -c ps/.test(l));
}

async function noLeftovers(deadlineMs: number): Promise<string[]> {
  const until = performance.now() + deadlineMs;
  for (;;) {
    const left = await leftovers();
    if (left.length === 0 || performance.now() > until) return left;
  }
}

describe('live collector on a real kernel (local sandbox)', () => {
  it('shows a link going down through a monitor event (not a later full poll), and back up', async () => {
    const rec = new LiveRecorder();
    // No full poll during the test: only the monitor's event-triggered re-reads can show the change.
    const mon = new LiveMonitor({ executorFor: async () => sandbox, collector: { fullPollMs: 3_600_000 } });
    mon.onLiveStatus(rec.live);
    mon.onHostStatus(rec.host);
    try {
      await mon.watch(design);
      const ids = mon.elements('lab').map((e) => e.elementId);
      await rec.waitFor('all present', (r) => allPresent(r, ids) && r.hosts.get('lab')?.updates === 'events', HANG_GUARD_MS);
      const seenBy: string[] = [];
      const off = mon.host('lab')!.collector.onObservation(({ host, info }) => {
        const l = host.namespaces.find((n) => n.name === 'app2')?.links.find((x) => x.ifname === 'eth0');
        if (l && !l.up) {
          seenBy.push(info.kind);
          rec.poke();
        }
      });
      try {
        for (let i = 0; i < 3; i++) {
          seenBy.length = 0;
          await sandbox.run(shellCommand(['ip', '-n', 'app2', 'link', 'set', 'eth0', 'down']));
          await rec.waitFor('link-app2.a down', (r) => r.el('link-app2.a')?.operState === 'down', HANG_GUARD_MS);
          // The change arrived through an event-triggered re-read (a full poll runs only if
          // the monitor channel had to restart, which would re-read everything as well).
          await rec.waitFor('an event-triggered re-read saw it', () => seenBy.includes('partial'), HANG_GUARD_MS);
          await sandbox.run('ip -n app2 link set eth0 up && ip -n app2 route replace default via 10.0.0.1');
          await rec.waitFor('present again', (r) => allPresent(r, ids), HANG_GUARD_MS);
        }
      } finally {
        off();
      }
    } finally {
      await mon.close();
    }
    expect(await noLeftovers(HANG_GUARD_MS)).toEqual([]);
  });

  it('a changed boot id shows the host as rebooted (never connected) until acknowledged', async () => {
    const ctl = new ControlledExecutor(sandbox);
    const c = new HostCollector({ executor: ctl, monitor: false, ratesPollMs: 0, fullPollMs: 60_000 });
    try {
      c.start();
      await c.pollNow();
      expect(c.state.connection).toBe('connected');
      const real = c.state.bootId!;
      ctl.bootId = { real, fake: '00000000-0000-4000-8000-000000000001' };
      await c.pollNow();
      expect(c.state).toMatchObject({ connection: 'rebooted', bootId: '00000000-0000-4000-8000-000000000001', previousBootId: real });
      await c.pollNow();
      expect(c.state.connection).toBe('rebooted');
      c.acknowledgeReboot();
      expect(c.state.connection).toBe('connected');
      expect(c.state.previousBootId).toBeUndefined();
    } finally {
      await c.stop();
    }
  });

  it('a dropped connection shows every element unknown, retries with back-off, and recovers', async () => {
    const ctl = new ControlledExecutor(sandbox);
    const rec = new LiveRecorder();
    // The collector says each retry delay it chose: back-off is asserted on its decisions, not on the wall clock.
    const retries: number[] = [];
    const log = (line: string) => {
      const m = /full poll retry in (\d+) ms/.exec(line);
      if (m) {
        retries.push(Number(m[1]));
        rec.poke();
      }
    };
    const mon = new LiveMonitor({ executorFor: async () => ctl, log, collector: { fullPollMs: 60_000, backoff: { initialMs: 50, maxMs: 800, jitter: 0 } } });
    mon.onLiveStatus(rec.live);
    mon.onHostStatus(rec.host);
    try {
      await mon.watch(design);
      const ids = mon.elements('lab').map((e) => e.elementId);
      await rec.waitFor('all present', (r) => allPresent(r, ids), HANG_GUARD_MS);
      ctl.down();
      // The rates poll (every second) or the monitor notices; the host says error and nothing stays "present".
      await rec.waitFor('error and all unknown', (r) => r.hosts.get('lab')?.connection === 'error' && ids.every((id) => r.el(id)?.presence === 'unknown'), HANG_GUARD_MS);
      ctl.onRefused = () => rec.poke();
      // Full-poll retries (the first run of each is the listing poll).
      const rounds = () => ctl.refused.filter((r) => r.what === 'poll').map((r) => r.at);
      await rec.waitFor('a few retries', () => rounds().length >= 5 && retries.length >= 5, HANG_GUARD_MS);
      const r = rounds();
      // Each retry waits longer than the one before, up to the cap (50, 100, 200, 400, 800, 800 ...).
      expect(retries.slice(0, 5)).toEqual([50, 100, 200, 400, 800]);
      expect(retries.every((d) => d <= 800)).toBe(true);
      expect(ctl.refused.filter((x) => x.what === 'monitor').length, 'the monitor channel is not restarted in a tight loop').toBeLessThan(r.length + 3);
      ctl.up();
      await rec.waitFor('connected and present again', (r) => r.hosts.get('lab')?.connection === 'connected' && allPresent(r, ids), HANG_GUARD_MS);
    } finally {
      await mon.close();
    }
  });

  it('rotates the monitor channel before its output grows, without missing a change', async () => {
    const c = new HostCollector({ executor: sandbox, ratesPollMs: 0, fullPollMs: 60_000, monitorOptions: { rotateBytes: 2048 } });
    let maxOpen = 0;
    const un = c.onMonitor(() => {
      maxOpen = Math.max(maxOpen, c.diagnostics.monitorChannels);
    });
    try {
      c.start();
      await c.pollNow();
      // Flap a link until the channel has rotated a few times.
      for (let i = 0; i < 40 && (c.diagnostics.monitor?.rotations ?? 0) < 3; i++) {
        await sandbox.run('ip -n app1 link set eth0 down; ip -n app1 link set eth0 up; ip -n app1 route replace default via 10.0.0.1');
      }
      expect(c.diagnostics.monitor!.rotations).toBeGreaterThanOrEqual(3);
      expect(maxOpen).toBeLessThanOrEqual(2);
      // Still listening after the rotations: a change arrives as an event-triggered poll.
      const seen = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`no event-triggered poll showed app2/eth0 down (hang guard): ${JSON.stringify(c.diagnostics)}`));
        }, HANG_GUARD_MS);
        const off = c.onObservation(({ host, info }) => {
          const l = host.namespaces.find((n) => n.name === 'app2')?.links.find((x) => x.ifname === 'eth0');
          if (info.kind === 'partial' && l && !l.up) {
            clearTimeout(timer);
            off();
            resolve();
          }
        });
      });
      await sandbox.run('ip -n app2 link set eth0 down');
      await seen;
      await sandbox.run('ip -n app2 link set eth0 up && ip -n app2 route replace default via 10.0.0.1');
    } finally {
      un();
      await c.stop();
    }
    expect(c.diagnostics.monitorChannels).toBe(0);
    expect(c.diagnostics.inflightPolls).toBe(0);
    expect(await noLeftovers(HANG_GUARD_MS)).toEqual([]);
  });
});
