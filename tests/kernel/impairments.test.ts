// Link impairments on a real kernel (docs/impairments.md): a rate limit really paces a
// transfer, netem's delay shows in ping (skipped, with the reason, where the kernel has no
// netem), new values converge in place, a hand-made change is drift that `up` undoes, and
// an impairment taken out of the design, or the whole design, leaves no qdisc behind.
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '../../shared/compile/compile';
import { hostScript } from '../../shared/export/script';
import { DesignSchema, type Design, type DesignInput, type Impair } from '../../shared/model/schema';
import { createSandbox, missingFeatures, type Sandbox } from '../support/sandbox';

/** Namespaces a and b joined by link "wan" (10.9.0.1 <-> 10.9.0.2); `impairA` on what a sends. */
function design(impairA: Impair | undefined, link?: Impair): Design {
  const input: DesignInput = {
    wireplan: 2,
    tag: 'imp',
    name: 'impairments',
    hosts: [{ id: 'lab', name: 'lab', target: { kind: 'sandbox' } }],
    namespaces: [
      { id: 'a', name: 'a', host: 'lab' },
      { id: 'b', name: 'b', host: 'lab' },
    ],
    veths: [
      {
        id: 'wan',
        name: 'wan',
        a: { at: 'a', ifname: 'wan0', addresses: ['10.9.0.1/30'], ...(impairA ? { impair: impairA } : {}) },
        b: { at: 'b', ifname: 'wan0', addresses: ['10.9.0.2/30'] },
        ...(link ? { impair: link } : {}),
      },
    ],
  };
  return DesignSchema.parse(input);
}

function script(d: Design): string {
  const r = compile(d);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return hostScript(r.plan, r.plan.hosts[0]!);
}

const resultOf = (stdout: string) => stdout.split('\n').find((l) => l.startsWith('@wp result')) ?? '(no result)';

async function qdiscs(sb: Sandbox, ns: string): Promise<string> {
  return sb.execOk(['tc', 'qdisc', 'show', 'dev', 'wan0'], { ns });
}

// Counts what arrives on port 5001 and prints the total when the sender closes; "ready"
// once it listens (the readiness signal the sender waits for).
const RECEIVER_JS = `
const server = require('node:net').createServer((s) => {
  let n = 0;
  s.on('data', (b) => { n += b.length; });
  s.on('end', () => { process.stdout.write('received ' + n + '\\n'); process.exit(0); });
});
server.listen({ host: '10.9.0.2', port: 5001 }, () => process.stdout.write('ready\\n'));
`;

/** Sends 1,000,000 bytes from a to b; resolves with the ms until b has received them all. */
async function transferMs(sb: Sandbox): Promise<number> {
  const receiver = sb.spawn([process.execPath, '-e', RECEIVER_JS], { ns: 'b', timeoutMs: 120_000 });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    receiver.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('ready\n')) resolve();
    });
    receiver.once('close', () => reject(new Error(`receiver exited early: ${out}`)));
  });
  const done = new Promise<void>((resolve) => receiver.once('close', () => resolve()));
  await ready;
  const start = Date.now();
  await sb.execOk(['bash', '-c', 'exec 3<>/dev/tcp/10.9.0.2/5001 && head -c 1000000 /dev/zero >&3 && exec 3>&-'], { ns: 'a', timeoutMs: 120_000 });
  await done;
  const ms = Date.now() - start;
  expect(out).toContain('received 1000000');
  return ms;
}

describe('link impairments on a real kernel', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it('a rate limit of 1 Mbit/s makes a 1 MB transfer take at least 7 s', async (ctx) => {
    const missing = await missingFeatures(['veth', 'tbf']);
    if (missing) {
      console.warn(`[skip] ${ctx.task.name}: ${missing}`);
      ctx.skip(missing);
    }
    sb = await createSandbox();
    expect(resultOf((await sb.run(script(design({ rateKbit: 1000 })), ['up'])).stdout)).toMatch(/^@wp result converged/);
    expect(await qdiscs(sb, 'a')).toMatch(/^qdisc tbf 5770: root .*rate 1Mbit/m);
    // The other direction is not limited: b's end keeps the kernel's default.
    expect(await qdiscs(sb, 'b')).toMatch(/^qdisc noqueue 0: root/m);
    // 8 Mbit at 1 Mbit/s is 8 s; the 16 kB bucket lets ~0.13 s through at once.
    const ms = await transferMs(sb);
    console.log(`1,000,000 bytes over a 1 Mbit/s link: ${ms} ms`);
    expect(ms).toBeGreaterThanOrEqual(7000);
  }, 60_000);

  it('new values converge in place, a hand-made change is drift, and a removed impairment leaves no qdisc', async (ctx) => {
    const missing = await missingFeatures(['veth', 'tbf']);
    if (missing) {
      console.warn(`[skip] ${ctx.task.name}: ${missing}`);
      ctx.skip(missing);
    }
    sb = await createSandbox();
    const d1 = script(design({ rateKbit: 1000 }));
    expect(resultOf((await sb.run(d1, ['up'])).stdout)).toMatch(/converged/);
    expect((await sb.run(d1, ['status'])).code).toBe(0);

    // Another rate: the same step, set again with tc qdisc replace (no new qdisc, no link touched).
    const d2 = script(design({ rateKbit: 2000 }));
    const up2 = await sb.run(d2, ['up']);
    expect(up2.stdout).toContain('run qdisc:a:wan0 fix (impairments changed in the design)');
    expect(resultOf(up2.stdout)).toBe('@wp result converged changed=1');
    expect(await qdiscs(sb, 'a')).toMatch(/^qdisc tbf 5770: root .*rate 2Mbit/m);
    expect(resultOf((await sb.run(d2, ['up'])).stdout)).toBe('@wp result converged changed=0');

    // Someone changes the rate by hand: status says so (exit 3), up puts the design back.
    await sb.execOk(['tc', 'qdisc', 'change', 'dev', 'wan0', 'root', 'handle', '5770:', 'tbf', 'rate', '5mbit', 'burst', '16000', 'latency', '50ms'], { ns: 'a' });
    const st = await sb.run(d2, ['status']);
    expect(st.code).toBe(3);
    expect(st.stdout).toMatch(/^drifted +impair wan0 in a .*: changed on the host: qdisc tbf 5770: root rate 5Mbit/m);
    expect(resultOf((await sb.run(d2, ['up'])).stdout)).toBe('@wp result converged changed=1');
    expect(await qdiscs(sb, 'a')).toMatch(/rate 2Mbit/);

    // The same rate on the whole link: both ends, both directions (a's end is already as designed).
    const d3 = script(design(undefined, { rateKbit: 2000 }));
    const up3 = await sb.run(d3, ['up']);
    expect(up3.stdout).toContain('present qdisc:a:wan0');
    expect(resultOf(up3.stdout)).toBe('@wp result converged changed=1');
    expect(await qdiscs(sb, 'b')).toMatch(/^qdisc tbf 5770: root .*rate 2Mbit/m);

    // No impairment any more: the saved plan prunes both qdiscs, the link stays.
    const d4 = script(design(undefined));
    const up4 = await sb.run(d4, ['up']);
    expect(up4.stdout).toContain('@wp prune');
    expect(resultOf(up4.stdout)).toBe('@wp result converged changed=0');
    for (const ns of ['a', 'b']) expect(await qdiscs(sb, ns)).toMatch(/^qdisc noqueue 0: root refcnt \d+ *\n?$/);
    expect((await sb.run(d4, ['status'])).code).toBe(0);

    // Down of an impaired design: nothing of it stays, records included.
    expect(resultOf((await sb.run(d3, ['up'])).stdout)).toMatch(/converged/);
    expect(resultOf((await sb.run(d3, ['down'])).stdout)).toBe('@wp result removed');
    expect(await sb.execOk(['ip', 'netns', 'list'])).toBe('');
    expect((await sb.exec(['ls', '/run/wireplan/imp/qdisc'])).code).not.toBe(0);
    expect(await sb.execOk(['tc', 'qdisc', 'show'])).not.toMatch(/577[0-2]:/);
  }, 90_000);

  it('50 ms of netem delay shows in ping\'s round trip time', async (ctx) => {
    const missing = await missingFeatures(['veth', 'netem']);
    if (missing) {
      // This kernel has no netem (and no modules to load it): the reason is printed.
      console.warn(`[skip] ${ctx.task.name}: ${missing}`);
      ctx.skip(missing);
    }
    sb = await createSandbox();
    const d = script(design({ delayMs: 50, lossPct: 0 }));
    expect(resultOf((await sb.run(d, ['up'])).stdout)).toMatch(/converged/);
    expect(await qdiscs(sb, 'a')).toMatch(/^qdisc netem 5771: root .*delay 50/m);
    const ping = await sb.execOk(['ping', '-n', '-c', '3', '-i', '0.2', '10.9.0.2'], { ns: 'a' });
    const min = Number(/= ([\d.]+)\//.exec(ping)?.[1]);
    expect(min).toBeGreaterThanOrEqual(50);
    // Delay with a rate: netem under the tbf, replaced whole (another shape) on the same link.
    const d2 = script(design({ rateKbit: 10000, delayMs: 50 }));
    const up2 = await sb.run(d2, ['up']);
    expect(up2.stdout).toContain('replace (qdiscs netem, designed tbf+netem)');
    expect(await qdiscs(sb, 'a')).toMatch(/^qdisc netem 5772: parent 5770:1 /m);
    expect(resultOf((await sb.run(d2, ['down'])).stdout)).toBe('@wp result removed');
  }, 60_000);
});
