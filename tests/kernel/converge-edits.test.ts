// Edits on a real kernel, beyond the random pairs of converge.property.test.ts: a failed
// re-apply gives back the previous converged state (what it pruned and what it set in
// place included), a route the design takes over is restored exactly, a port taken out of
// its bridge leaves it, and a veth end moved to another namespace is made again.
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '../../shared/compile/compile';
import { EXT_SH } from '../../electron/backend/apply/ext.generated';
import { hostScript } from '../../shared/export/script';
import { DesignSchema, type Design } from '../../shared/model/schema';
import { loadExample } from '../support/examples';
import { createSandbox, diffSnapshots, links, portableSnapshot, routes, snapshot, type Sandbox } from '../support/sandbox';

function script(d: Design): string {
  const r = compile(DesignSchema.parse(d));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return hostScript(r.plan, r.plan.hosts[0]!);
}

/** The two-namespaces example without its firewall (the edits here are about links and routes). */
function plain(): Design {
  const d = structuredClone(loadExample('two-namespaces-nat.wireplan.json'));
  d.masquerades = [];
  d.portForwards = [];
  d.policies = [];
  d.hosts[0]!.routes = [];
  return d;
}

/** Writes a file inside the sandbox (its own /tmp). */
async function put(sb: Sandbox, path: string, text: string): Promise<void> {
  await sb.execOk(['bash', '-c', 'cat > "$1"', 'put', path], { stdin: text });
}

const resultOf = (stdout: string) => stdout.split('\n').find((l) => l.startsWith('@wp result')) ?? '(no result)';

describe('edits on a real kernel', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it('a re-apply that fails is rolled back to the previous converged state, pruned address and MTU included', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const d1 = plain();
    expect((await sb.run(script(d1), ['up'])).code).toBe(0);
    const converged = await snapshot(sb);
    // Someone else's bridge with the name the edit wants: the edit must be refused.
    await sb.execOk(['ip', 'link', 'add', 'fx', 'type', 'bridge']);
    const d2 = plain();
    d2.bridges[0]!.mtu = 1400;
    d2.veths[1]!.a.addresses = ['10.0.0.44/24'];
    d2.bridges.push({ ...structuredClone(d2.bridges[0]!), id: 'fxb', name: 'fx', ifname: 'fx', addresses: [], mtu: undefined });
    const r = await sb.run(script(d2), ['up']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('fx has no Wireplan tag');
    expect(r.stdout).toContain('@wp prune');
    expect(resultOf(r.stdout)).toBe('@wp result rolled-back');
    // Exactly the first design again; only the bridge this test made differs.
    expect(diffSnapshots(converged, await snapshot(sb))).toEqual(['root: link fx added (bridge)']);
    expect(resultOf((await sb.run(script(d1), ['up'])).stdout)).toBe('@wp result converged changed=0');
  });

  it('an unconfirmed run is reverted to the plan it replaced: pruned address, MTU set in place and new objects alike', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const d1 = plain();
    expect((await sb.run(script(d1), ['up'])).code).toBe(0);
    const converged = await snapshot(sb);
    const d2 = plain();
    d2.bridges[0]!.mtu = 1400;
    d2.veths[1]!.a.addresses = ['10.0.0.44/24'];
    d2.namespaces.push({ ...structuredClone(d2.namespaces[0]!), id: 'app3', name: 'app3', routes: [] });
    // The apply helpers run the plan from a file and keep its log; the commit-confirm
    // timer reverts with that log when no confirm comes (electron/backend/apply/confirm.sh).
    await put(sb, '/tmp/plan.sh', script(d2));
    await put(sb, '/tmp/ext.sh', EXT_SH);
    await put(sb, '/tmp/input', '');
    const up = await sb.exec(['bash', '-c', 'bash /tmp/ext.sh /tmp/plan.sh apply /tmp/input > /tmp/log 2>&1; cat /tmp/log']);
    expect(up.stdout).toContain('@wp result converged');
    expect(up.stdout).toMatch(/run link:root:br0 fix \(mtu 1500, designed 1400\)/);
    const revert = await sb.exec(['bash', '/tmp/ext.sh', '/tmp/plan.sh', 'revert', '/tmp/input', '/tmp/log']);
    expect(revert.code, revert.stderr).toBe(0);
    expect(revert.stdout).toContain('@wp restore');
    expect(revert.stdout).not.toContain('link:root:br0'); // the bridge whose MTU was set in place stays
    expect(diffSnapshots(converged, await snapshot(sb))).toEqual([]);
    expect(resultOf((await sb.run(script(d1), ['up'])).stdout)).toBe('@wp result converged changed=0');
  });

  it('a namespace removed while its veth moves to a new one: the pair is made again, round after round', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const d1 = plain();
    // app2 goes; its uplink moves to a new namespace app9 (the root end v-app2 keeps its name).
    const d2 = plain();
    d2.namespaces[1] = { ...d2.namespaces[1]!, id: 'app9', name: 'app9' };
    d2.veths[1]!.a.at = 'app9';
    for (let round = 0; round < 5; round++) {
      const a = await sb.run(script(d1), ['up']);
      expect(a.code, a.stderr).toBe(0);
      const b = await sb.run(script(d2), ['up']);
      expect(b.code, b.stderr).toBe(0);
      expect(b.stdout).toContain('prune');
      expect((await links(sb, 'app9')).map((l) => l.ifname)).toContain('eth0');
    }
    expect((await sb.run(script(d2), ['down'])).code).toBe(0);
  });

  it('a route taken over is replaced and restored exactly; without takeOver it is refused and untouched', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const before = await snapshot(sb);
    const hostDefault = (await routes(sb, '')).find((x) => x.dst === 'default');
    expect(hostDefault, 'the sandbox uplink has a default route').toBeDefined();
    const d = plain();
    d.hosts[0]!.routes = [{ to: 'default', via: '10.0.0.9', dev: 'br0' }];
    const refused = await sb.run(script(d), ['up']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`the route is default via ${hostDefault!.gateway} dev eth0`);
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);

    d.hosts[0]!.routes[0]!.takeOver = true;
    expect((await sb.run(script(d), ['up'])).code).toBe(0);
    expect((await routes(sb, '')).find((x) => x.dst === 'default')?.gateway).toBe('10.0.0.9');
    expect((await sb.run(script(d), ['down'])).code).toBe(0);
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
  });

  it('a port taken out of its bridge leaves it, and a veth end moved to another namespace is made again', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    const d1 = plain();
    expect((await sb.run(script(d1), ['up'])).code).toBe(0);

    // app2's uplink leaves br0 for the root namespace (with an address of its own there).
    const d2 = plain();
    d2.veths[1]!.b.at = d2.hosts[0]!.id;
    d2.veths[1]!.b.addresses = ['10.9.0.1/24'];
    d2.veths[1]!.a.addresses = ['10.9.0.2/24'];
    d2.namespaces[1]!.routes = [{ to: 'default', via: '10.9.0.1' }];
    expect((await sb.run(script(d2), ['up'])).code).toBe(0);
    const port = (await links(sb, '')).find((l) => l.ifname === 'v-app2');
    expect(port?.master).toBeUndefined();
    // app1's end moves, under the same name, to a new namespace app3: the pair is made again.
    const d3 = structuredClone(d2);
    d3.namespaces.push({ ...structuredClone(d3.namespaces[0]!), id: 'app3', name: 'app3' });
    d3.veths[0]!.a.at = 'app3';
    d3.namespaces[0]!.routes = [];
    const moved = await sb.run(script(d3), ['up']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/run link:root:v-app1 replace \(its peer eth0 is not in app3\)/);
    expect((await links(sb, 'app3')).map((l) => l.ifname)).toContain('eth0');
    expect((await links(sb, 'app1')).map((l) => l.ifname)).not.toContain('eth0');
    expect(resultOf((await sb.run(script(d3), ['up'])).stdout)).toBe('@wp result converged changed=0');
    expect((await sb.run(script(d2), ['up'])).code).toBe(0);

    // Fresh d2 on a second sandbox: the same host.
    const fresh = await createSandbox({ uplink: { name: 'eth0' } });
    try {
      expect((await fresh.run(script(d2), ['up'])).code).toBe(0);
      expect(diffSnapshots(portableSnapshot(await snapshot(fresh)), portableSnapshot(await snapshot(sb)))).toEqual([]);
    } finally {
      await fresh.close();
    }
    expect(resultOf((await sb.run(script(d2), ['up'])).stdout)).toBe('@wp result converged changed=0');
  });
});
