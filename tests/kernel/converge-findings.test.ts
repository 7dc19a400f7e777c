// One real-kernel test per finding of issue 10 that the exported script alone can show
// (the port-forward and policy findings have tests of their own):
//   1. order: a router chain in every namespace order, and the minimal two-namespace veth;
//   2. properties converge (MTU, addresses) and `status` names a hand-made drift;
//   3. a pre-existing default route survives up + down of a design that routes the same;
//   4. bridged mode: a NIC holding the host's address enslaved to a bridge.
// Each test runs in its own throwaway sandbox and compares against the sandbox's own
// pre-up snapshot.
import { afterEach, describe, expect, it } from 'vitest';
import { hostScript } from '../../shared/export/script';
import { DesignSchema, type Design, type DesignInput } from '../../shared/model/schema';
import { planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import {
  addresses,
  createSandbox,
  diffSnapshots,
  links,
  missingFeatures,
  ping,
  routes,
  snapshot,
  type ExecResult,
  type KernelFeature,
  type Sandbox,
  type SandboxOptions,
} from '../support/sandbox';

const NOOP = '@wp result converged changed=0';

function design(input: Omit<DesignInput, 'wireplan' | 'layout'>): Design {
  return DesignSchema.parse({ wireplan: 2, ...input });
}

function scriptOf(d: Design): string {
  const plan = planOf(d);
  return hostScript(plan, plan.hosts[0]!);
}

function output(r: ExecResult): string {
  return `exit ${r.code ?? r.signal}\n--- stdout\n${r.stdout.trim()}\n--- stderr\n${r.stderr.trim()}`;
}

const opened: Sandbox[] = [];
async function sandbox(opts: SandboxOptions, needs: KernelFeature[], ctx: { skip: () => void }): Promise<Sandbox | null> {
  const missing = await missingFeatures(needs);
  if (missing) {
    console.warn(`[skip] ${missing}`);
    ctx.skip();
    return null;
  }
  const sb = await createSandbox(opts);
  opened.push(sb);
  return sb;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((sb) => sb.close()));
});

async function ipv4Of(sb: Sandbox, ns: string, ifname: string): Promise<string[]> {
  const entry = (await addresses(sb, ns)).find((e) => e.ifname === ifname);
  return (entry?.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);
}

async function mtuOf(sb: Sandbox, ns: string, ifname: string): Promise<number | undefined> {
  return (await links(sb, ns)).find((l) => l.ifname === ifname)?.mtu;
}

/** Root's IPv4 default routes, as `ip -j route` shows them (the main table). */
async function defaultRoutes(sb: Sandbox): Promise<string[]> {
  return (await routes(sb, '', { family: 4 }))
    .filter((r) => r.dst === 'default')
    .map((r) => JSON.stringify({ table: r.table ?? 'main', gateway: r.gateway, dev: r.dev, metric: r.metric ?? 0, protocol: r.protocol, flags: r.flags ?? [] }));
}

// ---------------------------------------------------------------------------------
// Finding 1: order

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

type ChainNs = 'ns1' | 'r1' | 'ns2';
const CHAIN_NAMESPACES: Record<ChainNs, NonNullable<DesignInput['namespaces']>[number]> = {
  ns1: { id: 'ns1', name: 'ns1', host: 'lab', routes: [{ to: 'default', via: '10.1.0.1' }] },
  r1: { id: 'r1', name: 'r1', host: 'lab', sysctls: { ipForward: true } },
  ns2: { id: 'ns2', name: 'ns2', host: 'lab', routes: [{ to: 'default', via: '10.2.0.1' }] },
};

function routerChain(order: readonly ChainNs[]): Design {
  return design({
    tag: 'chain',
    name: `router chain ${order.join(', ')}`,
    hosts: [{ id: 'lab', name: 'lab', target: { kind: 'sandbox' } }],
    namespaces: order.map((n) => structuredClone(CHAIN_NAMESPACES[n])),
    veths: [
      { id: 'l1', name: 'r1-ns1', a: { at: 'r1', ifname: 'r1a', addresses: ['10.1.0.1/24'] }, b: { at: 'ns1', ifname: 'n1a', addresses: ['10.1.0.2/24'] } },
      { id: 'l2', name: 'r1-ns2', a: { at: 'r1', ifname: 'r1b', addresses: ['10.2.0.1/24'] }, b: { at: 'ns2', ifname: 'n2b', addresses: ['10.2.0.2/24'] } },
    ],
  });
}

/** up, up again (nothing to do), down (back to the pre-up snapshot); `during` runs after the first up. */
async function cycle(sb: Sandbox, d: Design, during: () => Promise<void>): Promise<void> {
  const script = scriptOf(d);
  const before = await snapshot(sb);
  const up = await sb.run(script, ['up']);
  expect(up.code, output(up)).toBe(0);
  await during();
  const again = await sb.run(script, ['up']);
  expect(again.stdout, output(again)).toContain(NOOP);
  const down = await sb.run(script, ['down']);
  expect(down.code, output(down)).toBe(0);
  expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
}

describe('finding 1: steps run in dependency order, whatever the drawing order', () => {
  for (const order of permutations(['ns1', 'r1', 'ns2'] as const)) {
    it(`router chain with namespaces [${order.join(', ')}]: up builds it, ns1 pings ns2 through r1, down restores`, async (ctx) => {
      const sb = await sandbox({}, ['veth'], ctx);
      if (!sb) return;
      await cycle(sb, routerChain(order), async () => {
        expect(await ping(sb, 'ns1', '10.2.0.2', { count: 3 }), 'ns1 -> ns2 through r1').toBe(true);
        expect(await ping(sb, 'ns2', '10.1.0.2', { count: 3 }), 'ns2 -> ns1 through r1').toBe(true);
      });
    });
  }

  for (const [nsOrder, aAt, bAt] of [
    [['x', 'y'], 'y', 'x'],
    [['x', 'y'], 'x', 'y'],
    [['y', 'x'], 'y', 'x'],
    [['y', 'x'], 'x', 'y'],
  ] as const) {
    it(`minimal: namespaces [${nsOrder.join(', ')}], one veth with a in ${aAt} and b in ${bAt}`, async (ctx) => {
      const sb = await sandbox({}, ['veth'], ctx);
      if (!sb) return;
      const d = design({
        tag: 'pair',
        name: 'two namespaces, one veth',
        hosts: [{ id: 'lab', name: 'lab', target: { kind: 'sandbox' } }],
        namespaces: nsOrder.map((n) => ({ id: n, name: n, host: 'lab' })),
        veths: [{ id: 'v', name: 'v', a: { at: aAt, ifname: 'a', addresses: ['10.9.0.1/30'] }, b: { at: bAt, ifname: 'b', addresses: ['10.9.0.2/30'] } }],
      });
      await cycle(sb, d, async () => {
        expect(await ping(sb, bAt, '10.9.0.1', { count: 3 }), `${bAt} -> ${aAt} over the veth`).toBe(true);
      });
    });
  }
});

// ---------------------------------------------------------------------------------
// Finding 2: properties converge; status names drift

const NAT = 'two-namespaces-nat.wireplan.json';

/** The example with MTU 1400 on br0 and on every veth end, and app2 moved to 10.0.0.4. */
function natEdited(): Design {
  const d = structuredClone(loadExample(NAT));
  d.bridges[0]!.mtu = 1400;
  for (const v of d.veths) {
    v.a.mtu = 1400;
    v.b.mtu = 1400;
  }
  const app2 = d.veths.find((v) => v.a.at === 'app2')!;
  app2.a.addresses = ['10.0.0.4/24'];
  return d;
}

describe('finding 2: every property a step sets converges, and status names drift', () => {
  it('two-namespaces-nat: after up, MTU 1400 everywhere and app2 10.0.0.3 -> 10.0.0.4 converge on re-up; down restores', async (ctx) => {
    const sb = await sandbox({ uplink: { name: 'eth0' } }, ['bridge', 'veth', 'nft'], ctx);
    if (!sb) return;
    const before = await snapshot(sb);
    const d1 = scriptOf(loadExample(NAT));
    const d2 = scriptOf(natEdited());
    const up1 = await sb.run(d1, ['up']);
    expect(up1.code, output(up1)).toBe(0);
    const up2 = await sb.run(d2, ['up']);
    expect(up2.code, output(up2)).toBe(0);
    const mtus = {
      'root br0': await mtuOf(sb, '', 'br0'),
      'root v-app1': await mtuOf(sb, '', 'v-app1'),
      'root v-app2': await mtuOf(sb, '', 'v-app2'),
      'app1 eth0': await mtuOf(sb, 'app1', 'eth0'),
      'app2 eth0': await mtuOf(sb, 'app2', 'eth0'),
    };
    expect(mtus).toEqual({ 'root br0': 1400, 'root v-app1': 1400, 'root v-app2': 1400, 'app1 eth0': 1400, 'app2 eth0': 1400 });
    expect(await ipv4Of(sb, 'app2', 'eth0'), 'app2 holds only its new address').toEqual(['10.0.0.4/24']);
    expect(await ping(sb, 'app1', '10.0.0.4', { count: 3 }), 'app1 reaches app2 at its new address').toBe(true);
    const again = await sb.run(d2, ['up']);
    expect(again.stdout, output(again)).toContain(NOOP);
    const status = await sb.run(d2, ['status']);
    expect(status.code, output(status)).toBe(0);
    const down = await sb.run(d2, ['down']);
    expect(down.code, output(down)).toBe(0);
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
  });

  it('status exits non-zero and names the MTU when br0 is changed by hand after up', async (ctx) => {
    const sb = await sandbox({ uplink: { name: 'eth0' } }, ['bridge', 'veth', 'nft'], ctx);
    if (!sb) return;
    const script = scriptOf(natEdited());
    const before = await snapshot(sb);
    const up = await sb.run(script, ['up']);
    expect(up.code, output(up)).toBe(0);
    const clean = await sb.run(script, ['status']);
    expect(clean.code, `status right after up: ${output(clean)}`).toBe(0);
    await sb.execOk(['ip', 'link', 'set', 'br0', 'mtu', '1300']);
    const drift = await sb.run(script, ['status']);
    expect(drift.code, output(drift)).not.toBe(0);
    const text = `${drift.stdout}\n${drift.stderr}`;
    expect(text, output(drift)).toMatch(/mtu/i);
    expect(text, `the drifted value is shown: ${output(drift)}`).toContain('1300');
    // Re-applying repairs the drift in place.
    const repair = await sb.run(script, ['up']);
    expect(repair.code, output(repair)).toBe(0);
    expect(await mtuOf(sb, '', 'br0')).toBe(1400);
    const down = await sb.run(script, ['down']);
    expect(down.code, output(down)).toBe(0);
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------
// Findings 3 and 4: routes and addresses that were there before

/** The host's LAN: NIC enp1s0 at 192.168.100.10/24, the gateway (the sandbox's "world"
 *  namespace, on the NIC's other side) at 192.168.100.1, the default route through it. */
const LAN = {
  uplink: { name: 'enp1s0', address: '192.168.100.10/24', gateway: '192.168.100.1', address6: null, worldNs: 'lan', worldIf: 'eth0' },
} as const;

describe('finding 3: a route that existed before is never replaced or deleted unless taken over, and then restored', () => {
  it('a pre-existing default route via enp1s0 survives up + down of a design routing default via lxc-br', async (ctx) => {
    const sb = await sandbox(LAN, ['bridge', 'veth'], ctx);
    if (!sb) return;
    const d = design({
      tag: 'route',
      name: 'host default route over a bridge',
      hosts: [
        {
          id: 'lab',
          name: 'lab',
          target: { kind: 'sandbox' },
          nics: [{ name: 'enp1s0' }],
          routes: [{ to: 'default', via: '192.168.100.1', dev: 'lxc-br' }],
        },
      ],
      bridges: [{ id: 'lxc-br', name: 'lxc-br', at: 'lab', ifname: 'lxc-br', addresses: ['192.168.100.20/24'] }],
    });
    const script = scriptOf(d);
    const before = await snapshot(sb);
    const routeBefore = await defaultRoutes(sb);
    expect(routeBefore).toHaveLength(1);
    expect(routeBefore[0]).toContain('"dev":"enp1s0"');

    const up = await sb.run(script, ['up']);
    if (up.code !== 0) {
      // Refused as foreign: the refusal says which route, and nothing changed.
      expect(`${up.stdout}\n${up.stderr}`, output(up)).toMatch(/route|default/i);
      expect(await defaultRoutes(sb), 'a refused up leaves the default route alone').toEqual(routeBefore);
      expect(diffSnapshots(before, await snapshot(sb)), 'a refused up leaves everything as it was').toEqual([]);
    } else {
      // Taken over: down must give the prior route back exactly.
      const down = await sb.run(script, ['down']);
      expect(down.code, output(down)).toBe(0);
    }
    expect(await defaultRoutes(sb), `default route after ${up.code === 0 ? 'up + down' : 'the refused up'}`).toEqual(routeBefore);
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
  });
});

describe('finding 4: bridged mode — a NIC holding the host address enslaved to a bridge', () => {
  it('after up the bridge holds the address, the NIC does not, the LAN stays reachable; down restores NIC, addresses and routes exactly', async (ctx) => {
    const sb = await sandbox(LAN, ['bridge', 'veth'], ctx);
    if (!sb) return;
    const d = design({
      tag: 'bridged',
      name: 'bridged mode (LXC article)',
      hosts: [{ id: 'lab', name: 'lab', target: { kind: 'sandbox' }, nics: [{ name: 'enp1s0' }] }],
      namespaces: [{ id: 'c1', name: 'c1', host: 'lab', routes: [{ to: 'default', via: '192.168.100.1' }] }],
      bridges: [{ id: 'lxc-br', name: 'lxc-br', at: 'lab', ifname: 'lxc-br', nics: ['enp1s0'], addresses: ['192.168.100.10/24'] }],
      veths: [{ id: 'c1-link', name: 'c1', a: { at: 'c1', ifname: 'eth0', addresses: ['192.168.100.50/24'] }, b: { at: 'lxc-br', ifname: 'veth-c1' } }],
    });
    const script = scriptOf(d);
    const before = await snapshot(sb);
    const routeBefore = await defaultRoutes(sb);
    expect(await ping(sb, '', '192.168.100.1'), 'the LAN gateway answers before up').toBe(true);

    const up = await sb.run(script, ['up']);
    expect(up.code, output(up)).toBe(0);
    const nic = (await links(sb, '')).find((l) => l.ifname === 'enp1s0');
    expect(nic?.master, 'enp1s0 is a port of lxc-br').toBe('lxc-br');
    expect(await ipv4Of(sb, '', 'lxc-br'), 'the bridge holds the host address').toEqual(['192.168.100.10/24']);
    expect(await ipv4Of(sb, '', 'enp1s0'), 'the NIC no longer holds it').toEqual([]);
    const defaults = (await routes(sb, '', { family: 4 })).filter((r) => r.dst === 'default');
    expect(defaults.map((r) => `${r.gateway} ${r.dev}`), 'the default route moved to the bridge').toEqual(['192.168.100.1 lxc-br']);
    expect(await ping(sb, '', '192.168.100.1', { count: 3 }), 'the host still reaches its LAN').toBe(true);
    expect(await ping(sb, 'lan', '192.168.100.10', { count: 3 }), 'the LAN still reaches the host').toBe(true);
    expect(await ping(sb, 'c1', '192.168.100.1', { count: 3 }), 'a container on the bridge reaches the LAN').toBe(true);
    const again = await sb.run(script, ['up']);
    expect(again.stdout, output(again)).toContain(NOOP);

    const down = await sb.run(script, ['down']);
    expect(down.code, output(down)).toBe(0);
    expect(await ipv4Of(sb, '', 'enp1s0'), 'the NIC has its address back').toEqual(['192.168.100.10/24']);
    expect(await defaultRoutes(sb), 'the default route is back on the NIC').toEqual(routeBefore);
    expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
    expect(await ping(sb, '', '192.168.100.1'), 'the LAN gateway answers after down').toBe(true);
  });

  // Found through the commit-confirm tests: a LAN peer that resolved the host's address while
  // the NIC was a port learnt the bridge's MAC, which the kernel takes from the lowest port
  // (here a veth's). After release that MAC is gone from the LAN, and the peer lost the host
  // until its neighbour entry aged out (about 30 s). The bridge now takes the NIC's MAC.
  it("a LAN peer's neighbour entry for the host stays right across up and down (the bridge takes the NIC's MAC)", async (ctx) => {
    const sb = await sandbox(LAN, ['bridge', 'veth'], ctx);
    if (!sb) return;
    const nicMac = 'fe:ff:ff:ff:ff:fe'; // above any random veth MAC: the kernel would pick the veth's
    await sb.execOk(['ip', 'link', 'set', 'dev', 'enp1s0', 'address', nicMac]);
    const d = design({
      tag: 'bridgemac',
      name: 'bridged mode, neighbour caches',
      hosts: [{ id: 'lab', name: 'lab', target: { kind: 'sandbox' }, nics: [{ name: 'enp1s0' }] }],
      namespaces: [{ id: 'c1', name: 'c1', host: 'lab' }],
      bridges: [{ id: 'br', name: 'br', at: 'lab', ifname: 'br-lan', nics: ['enp1s0'] }],
      veths: [{ id: 'c1-link', name: 'c1', a: { at: 'c1', ifname: 'eth0', addresses: ['192.168.100.50/24'] }, b: { at: 'br', ifname: 'veth-c1' } }],
    });
    const script = scriptOf(d);
    const up = await sb.run(script, ['up']);
    expect(up.code, output(up)).toBe(0);
    const lanNeighbour = async () => {
      await sb.execOk(['ip', 'neigh', 'flush', 'to', '192.168.100.10'], { ns: 'lan' });
      expect(await ping(sb, 'lan', '192.168.100.10'), 'the LAN reaches the host').toBe(true);
      return (await sb.execOk(['ip', '-o', 'neigh', 'show', 'to', '192.168.100.10'], { ns: 'lan' })).match(/lladdr (\S+)/)?.[1];
    };
    expect(await lanNeighbour(), 'while enslaved, the host answers with the NIC\'s MAC').toBe(nicMac);
    const down = await sb.run(script, ['down']);
    expect(down.code, output(down)).toBe(0);
    // No flush here: the entry the LAN learnt while enslaved must still reach the host.
    expect(await ping(sb, 'lan', '192.168.100.10'), 'the LAN reaches the host right after down, with its cached entry').toBe(true);
  });
});
