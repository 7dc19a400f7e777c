// Tests of the real-kernel sandbox harness itself (tests/support/sandbox.ts).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addresses,
  createSandbox,
  diffSnapshots,
  kernelFeatureReport,
  kernelFeatures,
  links,
  listen,
  nftRuleset,
  ping,
  routes,
  skipUnlessFeatures,
  snapshot,
  tcpConnect,
  tcpExchange,
  unprivilegedSandboxUnavailable,
  withSandbox,
  type Sandbox,
} from '../support/sandbox';
import { findNamespaceHolders, nsLink, processStartTicks, runProcess, uptimeTicks } from '../support/sandbox-proc';

const opened: Sandbox[] = [];
async function sandbox(opts: Parameters<typeof createSandbox>[0] = {}): Promise<Sandbox> {
  const sb = await createSandbox(opts);
  opened.push(sb);
  return sb;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((sb) => sb.close()));
});

/** Two namespaces a (10.9.0.1/30) and b (10.9.0.2/30) joined by a veth pair. */
const PAIR = `
set -e
ip netns add a
ip netns add b
ip -n a link set lo up
ip -n b link set lo up
ip -n a link add eth0 type veth peer name eth0 netns b
ip -n a addr add 10.9.0.1/30 dev eth0
ip -n b addr add 10.9.0.2/30 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
`;

/** Read-only views of the host's own network state. */
async function hostState(): Promise<{ netns: string; netnsDir: boolean; links: Map<string, string>; nft: string; iptables: string; runMounts: string[] }> {
  const out = async (argv: string[]): Promise<string> => (await runProcess(argv)).stdout;
  type HostLink = { ifname: string; ifindex: number; mtu: number; master?: string; address?: string; flags: string[]; linkinfo?: { info_kind?: string } };
  const linkList = JSON.parse((await out(['ip', '-j', '-d', 'link', 'show'])) || '[]') as HostLink[];
  // Veths are left out of the attribute comparison: the SSH lab hosts (tests/ssh, maybe
  // running in parallel) create and toggle veth pairs on the host; names are still listed.
  const linkMap = new Map(
    linkList.map((l) => [
      l.ifname,
      l.linkinfo?.info_kind === 'veth'
        ? 'veth'
        : JSON.stringify([l.ifindex, l.mtu, l.master ?? null, l.address ?? null, l.flags.filter((f) => f !== 'LOWER_UP' && f !== 'NO-CARRIER')]),
    ]),
  );
  return {
    netns: await out(['ip', 'netns', 'list']),
    netnsDir: existsSync('/run/netns'),
    links: linkMap,
    nft: await out(['nft', 'list', 'ruleset']),
    iptables: (await out(['iptables-save'])).replace(/^#.*\n/gm, ''),
    runMounts: readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => / \/run(\/| )/.test(l)),
  };
}

describe('sandbox', () => {
  it('runs a script on stdin with arguments (bash -s), and single commands', async () => {
    const sb = await sandbox();
    const r = await sb.run('echo "args:$1,$2"; echo oops >&2; exit 3', ['x y', 'z']);
    expect(r).toMatchObject({ code: 3, stdout: 'args:x y,z\n', stderr: 'oops\n' });
    expect((await sb.exec(['cat'], { stdin: 'piped' })).stdout).toBe('piped');
    // Inside: a fresh /run (util-linux keeps only its mount table there), only loopback,
    // and PID 1 is the holder.
    expect((await sb.execOk(['ls', '-A', '/run'])).split('\n').filter((f) => f && f !== 'mount')).toEqual([]);
    expect((await links(sb, null)).map((l) => l.ifname)).toEqual(['lo']);
    expect((await sb.execOk(['cat', '/proc/1/cmdline'])).startsWith('bash')).toBe(true);
    await expect(sb.runOk('false')).rejects.toThrow(/failed \(code 1\)/);
    // A command that hangs is killed inside the sandbox after its timeout.
    const slow = await sb.exec(['sleep', '30'], { timeoutMs: 1000 });
    expect(slow.code).toBe(124);
  });

  it('isolates: namespaces, links and rules made inside never reach the host', async () => {
    const tag = `wpt${(process.pid % 1000).toString().padStart(3, '0')}${Math.floor(Math.random() * 1e4)}`;
    const before = await hostState();
    const sb = await sandbox({ uplink: true });
    await sb.runOk(
      `set -e
      ip netns add "$1"
      ip link add "$1br" type bridge
      ip link add "$1v" type veth peer name "$1p" netns "$1"
      ip link set "$1v" master "$1br" up
      sysctl -qw net.ipv4.ip_forward=1
      nft add table inet "$1"
      iptables -A FORWARD -m comment --comment "$1" -j ACCEPT`,
      [tag],
    );
    expect(await sb.execOk(['ip', 'netns', 'list'])).toContain(tag);
    expect((await links(sb, null)).map((l) => l.ifname)).toEqual(expect.arrayContaining([`${tag}br`, `${tag}v`, 'uplink0']));

    const during = await hostState();
    {
      const state = during;
      expect(state.netns).toBe(before.netns);
      expect(state.netnsDir).toBe(before.netnsDir);
      expect(state.netns).not.toContain(tag);
      for (const name of [`${tag}br`, `${tag}v`, `${tag}p`, 'uplink0']) expect(state.links.has(name)).toBe(false);
      // Links the host had are exactly as they were (others may come and go meanwhile).
      for (const [name, attrs] of before.links) if (attrs !== 'veth' && state.links.has(name)) expect(state.links.get(name), name).toBe(attrs);
      expect(state.nft).toBe(before.nft);
      expect(state.nft).not.toContain(tag);
      expect(state.iptables).toBe(before.iptables);
      expect(state.runMounts).toEqual(before.runMounts);
    }
    await sb.close();
    const after = await hostState();
    expect(after.netns).toBe(before.netns);
    expect(after.nft).toBe(before.nft);
    expect(after.iptables).toBe(before.iptables);
  });

  it('keeps the host ip_forward untouched when the sandbox flips its own', async () => {
    const hostBefore = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
    const sb = await sandbox();
    const flipped = hostBefore === '1' ? '0' : '1';
    await sb.execOk(['sysctl', '-qw', `net.ipv4.ip_forward=${flipped}`]);
    expect((await sb.execOk(['cat', '/proc/sys/net/ipv4/ip_forward'])).trim()).toBe(flipped);
    expect(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim()).toBe(hostBefore);
  });

  it('snapshot: a no-op leaves it equal; it sees every namespace', async () => {
    const sb = await sandbox({ uplink: true });
    await sb.runOk(`${PAIR}
      ip link add br0 type bridge
      ip -n a link add veth-br type veth peer name port0 netns 1
      ip link set port0 master br0 up
      ip link set br0 up
      ip -n a link set veth-br up
      ip -n b addr add 2001:db8:9::2/64 dev eth0
      nft add table inet lab
      nft add chain inet lab forward '{ type filter hook forward priority 0; policy accept; }'
      nft add rule inet lab forward ip saddr 10.9.0.0/30 counter accept
      iptables -t nat -A POSTROUTING -s 10.9.0.0/30 -o uplink0 -m comment --comment lab -j MASQUERADE`);
    const before = await snapshot(sb);
    expect(before.unsettled).toEqual([]);
    expect(Object.keys(before.namespaces).sort()).toEqual(['', 'a', 'b', 'world']);
    const root = before.namespaces['']!;
    expect(root.links.port0).toMatchObject({ master: 'br0', link: 'veth-br', link_netns: 'a' });
    expect(before.namespaces.a!.links['veth-br']).toMatchObject({ link: 'port0', link_netns: '(root)' });
    expect(before.namespaces.a!.links.eth0).toMatchObject({ link: 'eth0', link_netns: 'b' });
    expect(before.namespaces.b!.addresses['eth0 2001:db8:9::2/64']).toMatchObject({ family: 'inet6' });
    expect(root.nft!.some((o) => 'rule' in o)).toBe(true);
    expect(root.iptables).toContain('-A POSTROUTING -s 10.9.0.0/30 -o uplink0 -m comment --comment lab -j MASQUERADE');
    expect(root.sysctls['net.ipv4.ip_forward']).toBe('0');

    // Traffic moves counters, ARP/fdb learn entries: none of that is configuration.
    expect(await ping(sb, 'a', '10.9.0.2')).toBe(true);
    await sb.runOk('true');
    const after = await snapshot(sb);
    expect(diffSnapshots(before, after)).toEqual([]);
  });

  it('diffSnapshots names an added address, a changed sysctl, an added nft rule and a removed link', async () => {
    const sb = await sandbox();
    await sb.runOk(`${PAIR}
      ip link add br0 type bridge
      nft add table inet lab
      nft add chain inet lab forward '{ type filter hook forward priority 0; }'`);
    const before = await snapshot(sb);
    await sb.runOk(`
      ip -n a addr add 10.77.0.1/24 dev eth0
      sysctl -qw net.ipv4.ip_forward=1
      nft add rule inet lab forward tcp dport 22 drop
      ip link del br0`);
    const after = await snapshot(sb);
    const diff = diffSnapshots(before, after);
    expect(diff).toContainEqual(expect.stringMatching(/^netns a: address eth0 10\.77\.0\.1\/24 added/));
    expect(diff).toContain('root: sysctl net.ipv4.ip_forward 0 -> 1');
    expect(diff).toContainEqual(expect.stringMatching(/^root: nft added: rule .*"chain":"forward".*"dport".*22.*"drop"/));
    expect(diff).toContainEqual(expect.stringMatching(/^root: link br0 removed \(bridge\)/));
    // The removed bridge's own sysctls are not reported again one by one.
    expect(diff.filter((l) => l.includes('conf.br0.'))).toEqual([]);
    // And nothing else changed in namespace b.
    expect(diff.filter((l) => l.startsWith('netns b'))).toEqual([]);
    // ignore drops lines a test knowingly accepts.
    expect(diffSnapshots(before, after, { ignore: ['sysctl', /^root: (nft|link)/, 'netns a:'] })).toEqual([]);
    console.log(`diffSnapshots sample:\n  ${diff.join('\n  ')}`);
  });

  it('ping works across a veth between two namespaces and fails to an address with no route', async () => {
    const sb = await sandbox();
    await sb.runOk(PAIR);
    expect(await ping(sb, 'a', '10.9.0.2')).toBe(true);
    expect(await ping(sb, 'b', '10.9.0.1', { count: 2 })).toBe(true);
    expect(await ping(sb, 'a', '198.18.0.1')).toBe(false);
    // The sandbox root has no route into the pair at all.
    expect(await ping(sb, null, '10.9.0.1')).toBe(false);
  });

  it('tcp: listener in one namespace, connections from another', async () => {
    const sb = await sandbox();
    await sb.runOk(PAIR);
    const server = await listen(sb, 'b');
    expect(server.port).toBeGreaterThan(0);
    expect(await tcpConnect(sb, 'a', '10.9.0.2', server.port)).toBe(true);
    expect(await server.nextConnection()).toMatchObject({ remoteAddress: '10.9.0.1', localAddress: '10.9.0.2', localPort: server.port });
    const banner = await tcpExchange(sb, 'a', '10.9.0.2', server.port);
    expect(banner).toMatch(new RegExp(`^wireplan-listener b 10\\.9\\.0\\.1 \\d+\\n$`));
    expect(server.connections).toHaveLength(2);
    expect(await tcpConnect(sb, 'a', '10.9.0.2', server.port === 9 ? 10 : 9)).toBe(false); // refused
    expect(await tcpConnect(sb, 'a', '198.18.0.1', server.port)).toBe(false); // no route
    await server.close();
    expect(await tcpConnect(sb, 'a', '10.9.0.2', server.port)).toBe(false);
  });

  it('uplink: the root namespace reaches a fake outside world (IPv4 and IPv6)', async () => {
    const sb = await sandbox({ uplink: true });
    const up = sb.uplink!;
    expect(up).toMatchObject({ name: 'uplink0', ip: '203.0.113.2', gateway: '203.0.113.1', worldNs: 'world' });
    expect(await ping(sb, null, up.gateway)).toBe(true);
    expect(await ping(sb, null, up.gateway6!)).toBe(true);
    expect(await ping(sb, up.worldNs, up.ip)).toBe(true);
    expect((await routes(sb, null, { family: 4 })).find((r) => r.dst === 'default')).toMatchObject({ gateway: '203.0.113.1', dev: 'uplink0' });
    const addrs = (await addresses(sb, null)).find((a) => a.ifname === 'uplink0')!.addr_info.map((i) => `${i.local}/${i.prefixlen}`);
    expect(addrs).toEqual(expect.arrayContaining(['203.0.113.2/24', '2001:db8:ffff::2/64']));
    const server = await listen(sb, up.worldNs, { port: 8080 });
    expect(await tcpExchange(sb, null, up.gateway, 8080)).toMatch(/^wireplan-listener world 203\.0\.113\.2 /);
    await server.close();
    expect(await nftRuleset(sb, null)).toEqual([]);
  });

  it('close() kills everything started inside and leaves no process or namespace behind', async () => {
    const sb = await createSandbox({ uplink: true });
    await sb.runOk(`${PAIR}
      setsid sleep 1000 </dev/null >/dev/null 2>&1 &
      ip netns exec a sleep 1001 </dev/null >/dev/null 2>&1 &
      ip netns exec b bash -c 'sleep 1002 & wait' </dev/null >/dev/null 2>&1 &
      disown -a`);
    const server = await listen(sb, 'world');
    const inside = sb.processes();
    const cmdlines = inside.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    expect(cmdlines.join('\n')).toMatch(/sleep 1000/);
    expect(cmdlines.join('\n')).toMatch(/sleep 1001/);
    expect(cmdlines.join('\n')).toMatch(/sleep 1002/);
    const starts = new Map(inside.map((pid) => [pid, processStartTicks(pid)]));
    const netnsDir = `/proc/${sb.pid}/root/run/netns`;
    const inner = readdirSync(netnsDir).map((n) => `net:[${statSync(`${netnsDir}/${n}`).ino}]`);
    expect(inner).toHaveLength(3); // a, b, world
    const all = new Set([...inner, ...Object.values(sb.namespaces).filter((v): v is string => v !== null)]);

    await sb.close();
    expect(server.connections).toEqual([]);
    for (const [pid, start] of starts) expect(processStartTicks(pid) === start ? pid : null).toBeNull();
    expect(findNamespaceHolders(all, uptimeTicks())).toEqual([]);
    expect(sb.processes()).toEqual([]);
    await sb.close(); // idempotent
    await expect(sb.exec(['true'])).rejects.toThrow(/closed/);
  });

  it('close() reports a process that escaped the sandbox but holds its network namespace', async () => {
    const sb = await createSandbox();
    // Started from the host straight into the sandbox's netns: not in its pid namespace.
    const escaped = spawn('nsenter', [`--net=/proc/${sb.pid}/ns/net`, 'sleep', '1000'], { stdio: 'ignore' });
    await new Promise((resolve) => escaped.once('spawn', resolve));
    // Wait until nsenter has actually joined (its netns link changes), not a fixed time.
    for (let i = 0; i < 200 && nsLink(escaped.pid!, 'net') !== sb.namespaces.net; i++) await new Promise((r) => setTimeout(r, 10));
    expect(nsLink(escaped.pid!, 'net')).toBe(sb.namespaces.net);
    try {
      await expect(sb.close()).rejects.toThrow(new RegExp(`process ${escaped.pid} \\(sleep 1000\\) still holds net:`));
    } finally {
      process.kill(escaped.pid!, 'SIGKILL');
      await new Promise((resolve) => escaped.once('exit', resolve));
    }
  });

  it('close() reports a process holding its mount namespace, though it keeps that namespace pinned against inode reuse', async () => {
    const sb = await createSandbox();
    expect(sb.namespaces.mnt).not.toBeNull();
    const escaped = spawn('nsenter', [`--mount=/proc/${sb.pid}/ns/mnt`, 'sleep', '1001'], { stdio: 'ignore' });
    await new Promise((resolve) => escaped.once('spawn', resolve));
    for (let i = 0; i < 200 && nsLink(escaped.pid!, 'mnt') !== sb.namespaces.mnt; i++) await new Promise((r) => setTimeout(r, 10));
    expect(nsLink(escaped.pid!, 'mnt')).toBe(sb.namespaces.mnt);
    try {
      const closing = sb.close();
      await expect(closing).rejects.toThrow(new RegExp(`process ${escaped.pid} \\(sleep 1001\\) still holds mnt:`));
      // Only that process: our own pin on the namespace is never reported.
      await expect(closing).rejects.not.toThrow(new RegExp(`process ${process.pid} `));
    } finally {
      process.kill(escaped.pid!, 'SIGKILL');
      await new Promise((resolve) => escaped.once('exit', resolve));
    }
  });

  it('withSandbox closes the sandbox even when the body throws', async () => {
    let pid = 0;
    await expect(
      withSandbox(async (sb) => {
        pid = sb.pid;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(`/proc/${pid}`) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('wireplan-sandbox')).toBe(false);
    expect(await withSandbox({ uplink: true }, async (sb) => ping(sb, null, '203.0.113.1'))).toBe(true);
  });

  it('works unprivileged, inside a user namespace (or says why not)', async (ctx) => {
    const root = process.getuid?.() === 0;
    const reason = await unprivilegedSandboxUnavailable();
    if (reason !== null) {
      console.warn(`[skip] unprivileged sandbox: ${reason}`);
      ctx.skip(reason);
    }
    const sb = await sandbox({ privilege: 'user', uplink: true });
    expect(sb.privilege).toBe('user');
    expect(sb.namespaces.user).not.toBeNull();
    if (root) {
      // The holder really runs as nobody on the host...
      expect(readFileSync(`/proc/${sb.pid}/status`, 'utf8')).toMatch(/^Uid:\s+65534\s/m);
    }
    // ...and as (mapped) root inside, with enough power for everything a plan does.
    expect((await sb.execOk(['id', '-u'])).trim()).toBe('0');
    expect((await sb.execOk(['cat', '/proc/self/uid_map'])).trim().split(/\s+/)).toEqual(['0', root ? '65534' : String(process.getuid?.()), '1']);
    await sb.runOk(`${PAIR}
      ip link add br0 type bridge
      iptables -A FORWARD -m comment --comment lab -j ACCEPT
      nft add table inet lab
      sysctl -qw net.ipv4.ip_forward=1`);
    expect(await ping(sb, 'a', '10.9.0.2')).toBe(true);
    expect(await ping(sb, null, '203.0.113.1')).toBe(true);
    const server = await listen(sb, 'b');
    expect(await tcpExchange(sb, 'a', '10.9.0.2', server.port)).toMatch(/^wireplan-listener b 10\.9\.0\.1 /);
    const snap = await snapshot(sb);
    expect(Object.keys(snap.namespaces).sort()).toEqual(['', 'a', 'b', 'world']);
    expect(snap.namespaces['']!.iptables).toContain('-A FORWARD -m comment --comment lab -j ACCEPT');
    await sb.close();
  });

  it('kernelFeatures: probes each feature in a throwaway sandbox, cached', async () => {
    const report = await kernelFeatureReport();
    console.log(`kernel features: ${Object.entries(report).map(([f, r]) => `${f}=${r.ok ? 'yes' : 'no'}`).join(' ')}`);
    for (const [f, r] of Object.entries(report)) if (!r.ok) console.log(`  ${f}: ${r.detail}`);
    const features = await kernelFeatures();
    // What the harness itself stands on.
    expect(features).toMatchObject({ bridge: true, veth: true });
    expect(await kernelFeatureReport()).toBe(report); // cached: the same object
  });

  it('skipUnlessFeatures: skips with a printed reason naming the missing feature', async (ctx) => {
    const features = await kernelFeatures();
    // Whatever this kernel lacks (here: dummy, ipvlan, vlan) is what gets skipped.
    await skipUnlessFeatures(ctx, ['dummy', 'ipvlan', 'vlan']);
    expect(features).toMatchObject({ dummy: true, ipvlan: true, vlan: true });
    const sb = await sandbox();
    await sb.runOk('ip link add d0 type dummy');
  });

  // Figures for the record only: speed is asserted nowhere in this suite (the machine may be busy).
  it('creates and closes (with its leak check) five times in a row', async () => {
    const created: number[] = [];
    const closed: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sb = await createSandbox(i % 2 === 0 ? {} : { uplink: true });
      created.push(sb.createMs);
      await sb.close();
      closed.push(sb.closeMs!);
    }
    const fmt = (xs: number[]): string => `min ${Math.min(...xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
    console.log(`sandbox create: ${fmt(created)}; close (with leak check): ${fmt(closed)}`);
    expect(created).toHaveLength(5);
    expect(closed).toHaveLength(5);
  });
});
