// Per-rule packet counters on a real kernel: the compiler puts a `counter` on every rule
// an element owns, live status maps each observed counter onto its design element (port
// forward, masquerade, policy), and traffic sent inside the sandbox's namespaces makes
// exactly the rules it passes through count up.
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxExecutor } from '../../electron/backend/executor';
import { needsFor } from '../../electron/backend/live/needs';
import { snapshotHost } from '../../electron/backend/live/snapshot';
import type { RuleCounter } from '../../shared/api/contract';
import { compile } from '../../shared/compile/compile';
import type { Design } from '../../shared/model/schema';
import { evaluateStatus, prepareStatus } from '../../shared/observe/status';
import { loadExample } from '../support/examples';
import { runExported } from '../support/live';
import { missingFeatures } from '../support/sandbox';
import { featuresOf } from '../support/design-check';

const open: SandboxExecutor[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** The example applied in a fresh sandbox whose eth0 leads to a "world" namespace at 198.51.100.2. */
async function applied(design: Design): Promise<SandboxExecutor> {
  const sb = await SandboxExecutor.start({ name: 'live-counters' });
  open.push(sb);
  const r = await sb.run(
    'ip netns add world && ip link add eth0 type veth peer name w0 netns world && ip link set eth0 up && ip -n world link set w0 up' +
      ' && ip addr add 198.51.100.1/24 dev eth0 && ip -n world addr add 198.51.100.2/24 dev w0',
  );
  if (r.code !== 0) throw new Error(r.stderr);
  await runExported(sb, design, design.hosts[0]!.id);
  return sb;
}

/** Every rule counter of every firewall element, by element id. */
async function counters(sb: SandboxExecutor, design: Design): Promise<Map<string, RuleCounter[]>> {
  const c = compile(design);
  if (!c.ok) throw new Error('example does not compile');
  const hostId = design.hosts[0]!.id;
  const model = prepareStatus(design, c.plan, hostId);
  const needs = needsFor(model, design);
  const snap = await snapshotHost(sb, {
    entry: (ns) => ({ ip: true, nft: needs.nft === 'all' || needs.nft.has(ns), sysctl: needs.sysctls.has(ns), iptables: false }),
    sysctlKeys: [...new Set([...needs.sysctls.values()].flat())],
  });
  const st = evaluateStatus(model, snap.host);
  expect(st.elements.filter((e) => e.presence !== 'present')).toEqual([]);
  return new Map(st.elements.filter((e) => e.rules).map((e) => [e.elementId, e.rules!]));
}

const packets = (m: Map<string, RuleCounter[]>, id: string, chain: string, has: string) => {
  const r = (m.get(id) ?? []).filter((x) => x.chain === chain && x.rule.includes(has));
  expect(r, `${id} ${chain} ${has}: ${JSON.stringify(m.get(id))}`).toHaveLength(1);
  expect(r[0]!.packets, 'the rule carries a counter').toBeTypeOf('number');
  return r[0]!.packets!;
};

async function inSandbox(sb: SandboxExecutor, cmd: string): Promise<void> {
  await sb.run(cmd, { timeoutMs: 20_000 });
}

/** A TCP connect attempt (bash /dev/tcp): one SYN is enough for the rules to count. */
const connect = (ns: string | undefined, addr: string, port: number) =>
  `${ns ? `ip netns exec ${ns} ` : ''}timeout 3 bash -c 'exec 3<>/dev/tcp/${addr}/${port}' 2>/dev/null; true`;

describe('per-rule packet counters in live status (real kernel)', () => {
  it('isolated-service: the policy\'s accept and default drop, the port forward\'s prerouting and output DNAT each count their own traffic', async (ctx) => {
    const design = loadExample('isolated-service.wireplan.json');
    const missing = await missingFeatures(featuresOf(design));
    if (missing) return ctx.skip();
    const sb = await applied(design);
    const before = await counters(sb, design);
    expect([...before.keys()].sort()).toEqual(['http', 'svc-guard']);
    // Every rule those elements own has a counter, and nothing has passed yet.
    for (const rules of before.values()) for (const r of rules) expect(r.packets).toBe(0);
    // A rule's text in status is the designed one (no counter values in it).
    expect(before.get('svc-guard')!.map((r) => r.rule)).toEqual(['ip daddr 10.10.0.0/24 tcp dport 80 counter accept', 'ip daddr 10.10.0.0/24 counter drop']);

    await inSandbox(sb, 'ip netns exec client ping -c 3 -i 0.2 -W 1 10.10.0.10 >/dev/null; true'); // dropped by default
    await inSandbox(sb, connect('client', '10.10.0.10', 80)); // accepted by rule 1
    await inSandbox(sb, connect('client', '10.20.0.1', 80)); // DNAT at prerouting
    await inSandbox(sb, connect(undefined, '10.10.0.1', 80)); // host-local: DNAT at output
    const after = await counters(sb, design);
    expect(packets(after, 'svc-guard', 'forward', 'drop')).toBeGreaterThanOrEqual(3);
    // The SYN of each connect (the DNATed one is forwarded too) passes the accept rule.
    expect(packets(after, 'svc-guard', 'forward', 'accept')).toBeGreaterThanOrEqual(2);
    // NAT chains see only a connection's first packet. Without a listen address the forward
    // applies to the host's own addresses only (Docker, CNI portmap): the connect to the
    // host's 10.20.0.1 passes prerouting's DNAT, the one straight to the service does not;
    // the host's own connect passes output's.
    expect(packets(after, 'http', 'prerouting', 'dnat')).toBe(1);
    expect(packets(after, 'http', 'output', 'dnat')).toBe(1);
  });

  it('two-namespaces-nat: the masquerade counts the connection that leaves through eth0, the port forward stays at zero', async (ctx) => {
    const design = loadExample('two-namespaces-nat.wireplan.json');
    const missing = await missingFeatures(featuresOf(design));
    if (missing) return ctx.skip();
    const sb = await applied(design);
    const before = await counters(sb, design);
    expect(packets(before, 'nat-out', 'postrouting', 'masquerade')).toBe(0);
    const r = await sb.run('ip netns exec app1 ping -c 2 -i 0.2 -W 1 198.51.100.2', { timeoutMs: 20_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const after = await counters(sb, design);
    expect(packets(after, 'nat-out', 'postrouting', 'masquerade')).toBe(1);
    expect(packets(after, 'web', 'prerouting', 'dnat')).toBe(0);
  });
});
