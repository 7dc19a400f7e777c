// Designs at the edges of what `ip` parses: a bridge called "br" (which `ip link add`
// would read as "broadcast" without the name keyword) and a dual-stack namespace with an
// IPv4 and an IPv6 default route. Built, checked and removed on a real kernel.
import { afterEach, describe, expect, it } from 'vitest';
import { hostScript } from '../../shared/export/script';
import { loadExample } from '../support/examples';
import { designMismatches, planOf } from '../support/design-check';
import { createSandbox, diffSnapshots, ping, routes, snapshot, type Sandbox } from '../support/sandbox';

/** Waits (bounded) until no IPv6 address in these namespaces is still tentative (DAD). */
async function dadDone(sb: Sandbox, namespaces: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pending = [];
    for (const ns of namespaces) if ((await sb.execOk(['ip', '-6', 'addr', 'show', 'tentative'], { ns })).trim()) pending.push(ns);
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`IPv6 DAD still running in ${pending.join(', ')}`);
  }
}

describe('edge designs on a real kernel', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it('a bridge named "br" and dual-stack default routes are built and removed exactly', async () => {
    const d = structuredClone(loadExample('two-namespaces-nat.wireplan.json'));
    d.bridges[0]!.ifname = 'br';
    d.bridges[0]!.addresses.push('fd00:10::1/64');
    d.veths[0]!.a.addresses.push('fd00:10::2/64');
    d.veths[1]!.a.addresses.push('fd00:10::3/64');
    d.namespaces[0]!.routes.push({ to: 'default', via: 'fd00:10::1' });
    const plan = planOf(d);
    const script = hostScript(plan, plan.hosts[0]!);
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const before = await snapshot(sb);
    const up = await sb.run(script, ['up']);
    expect(up.code, up.stderr).toBe(0);
    expect(await designMismatches(sb, d, 'lab')).toEqual([]);
    const v6 = await routes(sb, 'app1', { family: 6 });
    expect(v6.some((r) => r.dst === 'default' && r.gateway === 'fd00:10::1')).toBe(true);
    await dadDone(sb, ['app1', 'app2']);
    expect(await ping(sb, 'app1', 'fd00:10::3')).toBe(true);
    const again = await sb.run(script, ['up']);
    expect(again.stdout).toContain('changed=0');
    expect((await sb.run(script, ['down'])).code).toBe(0);
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
  });
});
