// Import round trip over SSH: build a lab host by hand with the seed recipe (two
// namespaces on a bridge, veth pairs, addresses, default routes, masquerade, DNAT and a
// FORWARD policy with iptables), import it, apply the imported design's exported script to a FRESH lab host,
// and compare the two hosts' normalized states: they must be equal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshExecutor } from '../../electron/backend/executor';
import { importFromHost, snapshotHost } from '../../electron/backend/live/snapshot';
import { compile } from '../../shared/compile/compile';
import { serializeDesign, parseDesign } from '../../shared/model/parse';
import type { ImportResult } from '../../shared/observe/import';
import { normalizeHost } from '../../shared/observe/normalize';
import { evaluateStatus, prepareStatus } from '../../shared/observe/status';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { runExported } from '../support/live';

const skip = sshLabSkip('live-import');
const scope = new LabScope();
let labA: LabHost;
let labB: LabHost;
let exA: SshExecutor;
let exB: SshExecutor;
let imported: ImportResult;

const UNMODELLED = 'FORWARD -i eth0 -o br0 -p tcp -m multiport --dports 22,443 -j ACCEPT';

/** The seed recipe, as a person would type it (iptables for the NAT, no Wireplan tags). */
const SEED = [
  'set -e',
  'ip netns add app1',
  'ip netns add app2',
  'ip link add br0 type bridge',
  'ip addr add 10.0.0.1/24 dev br0',
  'ip link set br0 up',
  'for n in 1 2; do',
  '  ip link add veth-app$n type veth peer name eth0 netns app$n',
  '  ip link set veth-app$n master br0 up',
  '  ip -n app$n addr add 10.0.0.$((n + 1))/24 dev eth0',
  '  ip -n app$n link set lo up',
  '  ip -n app$n link set eth0 up',
  '  ip -n app$n route add default via 10.0.0.1',
  'done',
  'sysctl -qw net.ipv4.ip_forward=1',
  'iptables -t nat -A POSTROUTING -s 10.0.0.0/24 -o eth0 -j MASQUERADE',
  'iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80',
  'iptables -t nat -A OUTPUT -m addrtype --dst-type LOCAL -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80',
  // A forwarding firewall: drop by default, let the segment out and web in.
  'iptables -P FORWARD DROP',
  'iptables -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  'iptables -A FORWARD -s 10.0.0.0/24 -j ACCEPT',
  'iptables -A FORWARD -d 10.0.0.2/32 -p tcp --dport 80 -j ACCEPT',
  // ...and one rule a policy cannot express (a multiport match): listed, not imported.
  `iptables -A ${UNMODELLED}`,
].join('\n');

beforeAll(async () => {
  if (skip) return;
  [labA, labB] = await Promise.all([scope.lab(), scope.lab()]);
  exA = scope.executor(labA);
  exB = scope.executor(labB);
  const built = await labA.exec(SEED);
  if (built.code !== 0) throw new Error(`seed recipe failed: ${built.stderr}`);
  imported = await importFromHost(exA, {
    hostName: 'seed-lab',
    target: { kind: 'ssh', address: labA.address, port: labA.port, user: 'root' },
    managementAddress: labA.address,
  });
});

afterAll(() => scope.cleanup());

describe.skipIf(skip)('import an existing host', () => {
  it('builds a valid design with every object of the recipe, and lists what it left out', () => {
    const d = imported.design;
    expect(imported.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    // The file round-trips through the loader (schema, version).
    const reloaded = parseDesign(serializeDesign(d));
    expect(reloaded.ok).toBe(true);
    expect(d.namespaces.map((n) => n.name).sort()).toEqual(['app1', 'app2']);
    expect(d.bridges.map((b) => [b.ifname, b.addresses])).toEqual([['br0', ['10.0.0.1/24']]]);
    expect(d.veths.map((v) => [v.a.at, v.a.ifname, v.a.addresses, v.b.at, v.b.ifname]).sort()).toEqual([
      ['app1', 'eth0', ['10.0.0.2/24'], 'br0', 'veth-app1'],
      ['app2', 'eth0', ['10.0.0.3/24'], 'br0', 'veth-app2'],
    ]);
    expect(d.namespaces.map((n) => n.routes)).toEqual([[{ to: 'default', via: '10.0.0.1' }], [{ to: 'default', via: '10.0.0.1' }]]);
    expect(d.hosts[0]!.nics).toEqual([{ name: 'eth0', management: true }]);
    expect(d.hosts[0]!.sysctls.ipForward).toBe(true);
    expect(d.masquerades.map((m) => [m.source, m.egress])).toEqual([['10.0.0.0/24', 'eth0']]);
    expect(d.portForwards.map((p) => [p.protocol, p.port, p.to, p.toPort, p.hostLocal])).toEqual([['tcp', 8080, '10.0.0.2', 80, true]]);
    // iptables FORWARD with policy DROP: one forwarding policy that drops everything else.
    expect(d.policies.map((p) => [p.at, p.protects, p.defaultAction, p.allowEstablished, p.rules])).toEqual([
      [d.hosts[0]!.id, ['0.0.0.0/0'], 'drop', true, [{ protocol: 'any', action: 'accept', from: '10.0.0.0/24' }, { protocol: 'tcp', action: 'accept', to: '10.0.0.2/32', ports: '80' }]],
    ]);
    expect(imported.notes.filter((n) => n.message.includes('-i eth0 -o br0')).map((n) => n.message)).toEqual([`the root namespace: iptables -t filter -A ${UNMODELLED}: rule not understood; not imported`]);
    // Every node of the canvas has a place inside the host's frame.
    for (const id of ['app1', 'app2', 'br0', ...d.masquerades.map((m) => m.id), ...d.portForwards.map((p) => p.id)]) expect(d.layout.nodes[id]).toBeDefined();
    // The lab's uplink (a veth whose peer is outside) and its address are explained, not dropped silently.
    expect(imported.notes.some((n) => n.message.includes('"eth0"'))).toBe(true);
    console.log(`[live-import] notes:\n  ${imported.notes.map((n) => `${n.level}: ${n.message}`).join('\n  ')}`);
  });

  it('applied to a fresh lab host, the imported design reproduces the same normalized state', async () => {
    await runExported(exB, imported.design, imported.design.hosts[0]!.id);
    // The rule import left out makes A differ from B; take it away before comparing.
    const before = normalizeHost((await snapshotHost(exA)).host, { ignore: ['eth0'] });
    expect(before['']!.firewall).toContain(`other: the root namespace: iptables -t filter -A ${UNMODELLED}: rule not understood; not imported`);
    expect((await labA.exec(`iptables -D ${UNMODELLED}`)).code).toBe(0);
    const [a, b] = await Promise.all([snapshotHost(exA), snapshotHost(exB)]);
    const na = normalizeHost(a.host, { ignore: ['eth0'] });
    const nb = normalizeHost(b.host, { ignore: ['eth0'] });
    expect(Object.keys(na).sort()).toEqual(['', 'app1', 'app2']);
    expect(na['']!.firewall).toEqual([
      'forward tcp *:8080 to 10.0.0.2:80 (+local)',
      'masquerade 10.0.0.0/24 out eth0',
      `policy ${JSON.stringify({ protects: ['0.0.0.0/0'], defaultAction: 'drop', allowEstablished: true, rules: [{ protocol: 'any', action: 'accept', from: '10.0.0.0/24' }, { protocol: 'tcp', action: 'accept', to: '10.0.0.2/32', ports: '80' }] })}`,
    ]);
    expect(na['app1']!.links['eth0']).toBe('veth mtu 1500 up peer (root)/veth-app1');
    expect(na['']!.links['veth-app1']).toBe('veth mtu 1500 up master br0 peer app1/eth0');
    expect(na['app2']!.routes).toContain('unicast 0.0.0.0/0 via 10.0.0.1 dev eth0 proto boot');
    expect(nb).toEqual(na);
    // The comparison has teeth: one changed address on B makes the states differ.
    await labB.exec('ip -n app2 addr add 10.0.0.99/24 dev eth0');
    const b2 = normalizeHost((await snapshotHost(exB)).host, { ignore: ['eth0'] });
    expect(b2).not.toEqual(na);
    expect(b2['app2']!.addresses).toContain('10.0.0.99/24 dev eth0');
    await labB.exec('ip -n app2 addr del 10.0.0.99/24 dev eth0');
    // And the live status of the re-applied host: every element of the imported design present.
    const c = compile(imported.design);
    if (!c.ok) throw new Error('imported design does not compile');
    const status = evaluateStatus(prepareStatus(imported.design, c.plan, imported.design.hosts[0]!.id), b.host);
    expect(status.elements.filter((e) => e.presence !== 'present')).toEqual([]);
  });
});
