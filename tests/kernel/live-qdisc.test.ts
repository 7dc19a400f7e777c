// Link impairments in live state on a real kernel (docs/impairments.md, "Live state"): a
// rate-limited link applied in a local sandbox shows present; a rate changed by hand with
// `tc qdisc change` shows drifted, naming the change; a deleted root qdisc shows the
// impairment missing; a re-apply makes it present again, and `down` leaves no qdisc and no
// record. netlink (ip monitor) says nothing about tc changes: they are seen by the periodic
// full poll, here every second (the app's default is 15 s). Without the qdisc observation the
// drift never shows and this test fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxExecutor } from '../../electron/backend/executor';
import { LiveMonitor } from '../../electron/backend/live/live-monitor';
import { shellCommand } from '../../shared/export/quote';
import { DesignSchema, type Design, type DesignInput } from '../../shared/model/schema';
import { LiveRecorder, runExported } from '../support/live';
import { missingFeatures } from '../support/sandbox';

/** Ends a wait that would otherwise hang; never a speed requirement. */
const HANG_GUARD_MS = 20_000;
const FULL_POLL_MS = 1000;

const design: Design = DesignSchema.parse({
  wireplan: 2,
  tag: 'liveimp',
  name: 'live impairments',
  hosts: [{ id: 'lab', name: 'lab', target: { kind: 'sandbox' } }],
  namespaces: [
    { id: 'a', name: 'a', host: 'lab' },
    { id: 'b', name: 'b', host: 'lab' },
  ],
  veths: [
    {
      id: 'wan',
      name: 'wan',
      a: { at: 'a', ifname: 'wan0', addresses: ['10.9.0.1/30'], impair: { rateKbit: 1000 } },
      b: { at: 'b', ifname: 'wan0', addresses: ['10.9.0.2/30'] },
    },
  ],
} satisfies DesignInput);

let sandbox: SandboxExecutor | undefined;
let skip: string | null | undefined;

beforeAll(async () => {
  skip = await missingFeatures(['veth', 'tbf']);
  if (skip) return;
  sandbox = await SandboxExecutor.start({ name: 'live-qdisc' });
});

afterAll(async () => {
  await sandbox?.close();
});

const drift = (r: LiveRecorder, id: string) => (r.el(id)?.drift ?? []).join(' | ');

describe('link impairments in live state (local sandbox)', () => {
  it('present, drifted by hand (named), missing when deleted, present again after apply, nothing after down', async (ctx) => {
    if (skip) {
      console.warn(`[skip] ${ctx.task.name}: ${skip}`);
      ctx.skip(skip);
    }
    const sb = sandbox!;
    await runExported(sb, design, 'lab');
    const rec = new LiveRecorder();
    const mon = new LiveMonitor({ executorFor: async () => sb, collector: { fullPollMs: FULL_POLL_MS } });
    mon.onLiveStatus(rec.live);
    mon.onHostStatus(rec.host);
    try {
      await mon.watch(design);
      const clean = (r: LiveRecorder) => ['wan.a', 'wan.b', 'wan'].every((id) => r.el(id)?.presence === 'present' && r.el(id)?.drift === undefined);
      await rec.waitFor('the impaired link present, without drift', clean, HANG_GUARD_MS);
      // The live view read the qdiscs and the runtime's record (not "unobserved").
      const observed = mon.host('lab')!.collector.observed?.namespaces.find((n) => n.name === 'a')?.qdiscs;
      expect(observed).toEqual([expect.objectContaining({ ifname: 'wan0', show: expect.stringMatching(/^qdisc tbf 5770: root rate 1Mbit /), record: expect.objectContaining({ show: expect.stringContaining('rate 1Mbit') }) })]);

      // A rate changed by hand: netlink says nothing; the next full poll shows it.
      const t0 = performance.now();
      await sb.run(shellCommand(['tc', '-n', 'a', 'qdisc', 'change', 'dev', 'wan0', 'root', 'handle', '5770:', 'tbf', 'rate', '5mbit', 'burst', '16000', 'latency', '50ms']));
      await rec.waitFor('wan.a drifted: rate 1Mbit -> 5Mbit', (r) => r.el('wan.a')?.presence === 'drifted' && drift(r, 'wan.a').includes('changed on the host: rate 1Mbit -> 5Mbit'), HANG_GUARD_MS);
      console.log(`a hand-made rate change showed after ${Math.round(performance.now() - t0)} ms (full poll every ${FULL_POLL_MS} ms)`);
      expect(rec.el('wan')).toMatchObject({ presence: 'drifted', drift: [expect.stringContaining('end a: "wan0": changed on the host: rate 1Mbit -> 5Mbit')] });
      expect(rec.el('wan.b')?.presence).toBe('present');

      // The root qdisc deleted: the impairment is missing (the link itself is still there).
      await sb.run(shellCommand(['tc', '-n', 'a', 'qdisc', 'del', 'dev', 'wan0', 'root']));
      await rec.waitFor('wan.a: the impairment missing', (r) => /: missing — "wan0" has the kernel's default qdisc/.test(drift(r, 'wan.a')), HANG_GUARD_MS);
      expect(rec.el('wan.a')?.presence).toBe('drifted');

      // Apply again: as designed.
      await runExported(sb, design, 'lab');
      await rec.waitFor('present again after apply', clean, HANG_GUARD_MS);

      // Down: nothing left, qdiscs (with the namespace) and the runtime's records.
      await runExported(sb, design, 'lab', 'down');
      await rec.waitFor('wan missing after down', (r) => r.el('wan.a')?.presence === 'missing' && r.el('wan')?.presence === 'missing', HANG_GUARD_MS);
      const left = await sb.run('ip netns list; ls -A /run/wireplan/liveimp/qdisc 2>/dev/null; tc qdisc show | grep -E " 577[0-2]: " || :');
      expect(left.stdout.trim()).toBe('');
    } finally {
      await mon.close();
    }
  }, 120_000);
});
