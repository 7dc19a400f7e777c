// Figures for the executor layer, printed for the record (medians, this machine, now):
// lab up/down, connect to ready, one exec round trip with and without Nagle disabled.
// The only assertion is the one that guards a design decision: setNoDelay must help.
import { afterAll, describe, expect, it } from 'vitest';
import { startLabHost } from '../support/labhost';
import { LabScope, sshLabSkip } from '../support/lab-ssh';

const skip = sshLabSkip('timings');
const scope = new LabScope();
afterAll(() => scope.cleanup());

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

describe.skipIf(skip)('executor timings', () => {
  it('measures lab up/down, connect, and exec round trips', async () => {
    const up: number[] = [];
    const down: number[] = [];
    for (let i = 0; i < 5; i++) {
      const lab = await startLabHost();
      await lab.stop();
      up.push(lab.timings.upMs);
      down.push(lab.timings.downMs!);
    }

    const lab = await scope.lab();
    const connect: number[] = [];
    for (let i = 0; i < 10; i++) {
      const ex = scope.executor(lab, { log: () => {} });
      const t = performance.now();
      await ex.connect();
      connect.push(performance.now() - t);
      await ex.close();
    }

    const roundTrip = async (noDelay: boolean) => {
      const ex = scope.executor(lab, { noDelay, log: () => {} });
      await ex.run('true');
      const xs: number[] = [];
      for (let i = 0; i < 30; i++) {
        const t = performance.now();
        await ex.run('true');
        xs.push(performance.now() - t);
      }
      await ex.close();
      return median(xs);
    };
    const withNoDelay = await roundTrip(true);
    const withNagle = await roundTrip(false);

    console.log(
      `[timings] lab up ${median(up).toFixed(0)} ms, down ${median(down).toFixed(0)} ms; ` +
        `connect to ready ${median(connect).toFixed(1)} ms; exec round trip ${withNoDelay.toFixed(2)} ms ` +
        `with setNoDelay, ${withNagle.toFixed(2)} ms without`,
    );
    // Figures only: speed is a benchmark's business, not an assertion in a test run on a
    // shared, busy machine. What this test asserts is that every phase completed.
    for (const figure of [median(up), median(down), median(connect), withNoDelay, withNagle]) expect(figure).toBeGreaterThan(0);
  });
});
