// A HostExecutor around a real one that a test can misbehave on purpose: drop the
// "connection" (every run in flight fails with ConnectionLost, new ones too, until it is
// back) or pretend the host rebooted (its boot id reads differently). Counts runs.
import { ConnectionLost, type HostExecutor, type RunOptions, type RunResult } from '../../electron/backend/executor';

export class ControlledExecutor implements HostExecutor {
  private drop = new AbortController();
  private isDown = false;
  /** Replace the host's real boot id with this one in every output. */
  bootId: { real: string; fake: string } | undefined;
  /** Start times (performance.now) of runs refused while down, with what they were. */
  readonly refused: { at: number; what: 'poll' | 'monitor' | 'other' }[] = [];
  runs = 0;
  active = 0;
  /** Called after every refused run (lets a test wake its waits). */
  onRefused: (() => void) | undefined;

  constructor(private readonly inner: HostExecutor) {}

  describe(): string {
    return `controlled ${this.inner.describe()}`;
  }

  down(): void {
    this.isDown = true;
    this.drop.abort(new ConnectionLost(this.describe(), 'connection dropped (simulated)'));
  }

  up(): void {
    this.isDown = false;
    this.drop = new AbortController();
  }

  async run(command: string, opts: RunOptions = {}): Promise<RunResult> {
    this.runs++;
    if (this.isDown) {
      this.refused.push({ at: performance.now(), what: command.includes('wp-poll') ? 'poll' : command.includes('wp-monitor') ? 'monitor' : 'other' });
      queueMicrotask(() => this.onRefused?.());
      throw new ConnectionLost(this.describe(), 'connection dropped (simulated)');
    }
    const signals = [this.drop.signal, ...(opts.signal ? [opts.signal] : [])];
    const signal = AbortSignal.any(signals);
    this.active++;
    try {
      const r = await this.inner.run(command, { ...opts, signal });
      const b = this.bootId;
      return b ? { ...r, stdout: r.stdout.split(b.real).join(b.fake) } : r;
    } catch (e) {
      if (this.drop.signal.aborted) throw this.drop.signal.reason;
      throw e;
    } finally {
      this.active--;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
