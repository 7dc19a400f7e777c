// The monitor channel's lifecycle against a scripted executor: lines with the channel's
// nonce are routed by source, a stalled channel is replaced, output past the limit rotates
// to a successor that takes over only once it is listening, and stop ends every channel.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cancelled, type HostExecutor, type RunOptions, type RunResult } from '../executor';
import { MonitorChannel, type MonitorLine } from './monitor-channel';

interface FakeRun {
  command: string;
  stdin: string;
  nonce: string;
  out(text: string): void;
  exit(code: number): void;
  aborted: boolean;
}

class FakeExecutor implements HostExecutor {
  readonly runs: FakeRun[] = [];
  run(command: string, opts: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const nonce = /wp-monitor '?([0-9a-f]{16})/.exec(command)?.[1] ?? '';
      const r: FakeRun = {
        command,
        stdin: String(opts.stdin ?? ''),
        nonce,
        aborted: false,
        out: (t) => opts.onStdout?.(t),
        exit: (code) => resolve({ code, stdout: '', stderr: '' }),
      };
      opts.signal?.addEventListener('abort', () => {
        r.aborted = true;
        reject(new Cancelled('fake', 'cancelled'));
      });
      this.runs.push(r);
    });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  describe(): string {
    return 'fake';
  }
}

afterEach(() => {
  vi.useRealTimers();
});

const flush = () => new Promise((r) => setImmediate(r));

describe('MonitorChannel', () => {
  it('routes ip, nft and per-namespace lines; partial lines wait for their end', async () => {
    const ex = new FakeExecutor();
    const lines: MonitorLine[] = [];
    const health: boolean[] = [];
    const ch = new MonitorChannel({ executor: ex, onLine: (l) => lines.push(l), onHealth: (h) => health.push(h) });
    ch.start({ nft: [''], ip: ['app$(id)'] });
    const run = ex.runs[0]!;
    expect(run.stdin).toBe('n/\u0000i/app$(id)\u0000');
    expect(run.command).not.toContain('app$(id)');
    run.out(`@@${run.nonce}:hb\n[nsid current]2: br0: <UP> mtu 1500\n@@${run.nonce}:nft:0:add table inet x\n@@${run.nonce}:ipn:1:2: eth0: <BROAD`);
    run.out('CAST> mtu 1500\n@@ffffffffffffffff:nft:0:forged\n');
    expect(health).toEqual([true]);
    expect(lines.map((l) => [l.source, 'ns' in l ? l.ns : undefined, l.text])).toEqual([
      ['ip', undefined, '[nsid current]2: br0: <UP> mtu 1500'],
      ['nft', '', 'add table inet x'],
      ['ipn', 'app$(id)', '2: eth0: <BROADCAST> mtu 1500'],
    ]);
    await ch.stop();
    expect(run.aborted).toBe(true);
    expect(ch.openChannels).toBe(0);
  });

  it('rotates before the output grows past the limit, keeping the old channel until the new one listens', async () => {
    const ex = new FakeExecutor();
    const ch = new MonitorChannel({ executor: ex, onLine: () => {}, rotateBytes: 100 });
    ch.start({ nft: [], ip: [] });
    const first = ex.runs[0]!;
    first.out(`@@${first.nonce}:hb\n`);
    first.out(`${'x'.repeat(120)}\n`);
    expect(ex.runs).toHaveLength(2);
    expect(first.aborted).toBe(false);
    const second = ex.runs[1]!;
    second.out(`@@${second.nonce}:hb\n`);
    await flush();
    expect(first.aborted).toBe(true);
    expect(ch.stats.rotations).toBe(1);
    await ch.stop();
    expect(ch.openChannels).toBe(0);
  });

  it('replaces a stalled channel and restarts an ended one with back-off', async () => {
    vi.useFakeTimers();
    const ex = new FakeExecutor();
    let now = 0;
    const ch = new MonitorChannel({ executor: ex, onLine: () => {}, stallMs: 4000, now: () => now, backoff: { initialMs: 100, jitter: 0 } });
    ch.start({ nft: [], ip: [] });
    ex.runs[0]!.out(`@@${ex.runs[0]!.nonce}:hb\n`);
    now = 5000;
    vi.advanceTimersByTime(500); // the watchdog sees no data for 5 s
    await vi.advanceTimersByTimeAsync(1);
    expect(ex.runs[0]!.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(150);
    expect(ex.runs).toHaveLength(2);
    ex.runs[1]!.exit(1); // the remote command ended: restart after 200 ms
    await vi.advanceTimersByTimeAsync(150);
    expect(ex.runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(ex.runs).toHaveLength(3);
    expect(ch.stats.stalls).toBe(1);
    await ch.stop();
  });
});
