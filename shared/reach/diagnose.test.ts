import { describe, expect, it } from 'vitest';
import { compile } from '../compile/compile';
import { exampleFiles, exampleName, loadExample } from '../../tests/support/examples';
import { diagnose, parseEvidence, type EvidenceMap, type EvidenceSection, type ExpectedFirewalls } from './diagnose';
import { expectedMatrix } from './matrix';
import { judge, pingOutcome, tcpOutcome, type ListenerState } from './outcome';
import type { CheckRow } from './report';
import { factKey, type Expectation } from './types';

const design = loadExample(exampleFiles().find((f) => exampleName(f) === 'isolated-service')!);
const m = expectedMatrix(design);
if (!m.ok) throw new Error('isolated-service does not plan');
const exp = (k: string): Expectation => {
  const e = m.matrix.expectations.find((x) => `${x.probe.from.name} -> ${x.probe.to}${x.probe.port ? `:${x.probe.port}` : ''}` === k);
  if (!e) throw new Error(k);
  return e;
};

const compiled = compile(design);
if (!compiled.ok) throw new Error('no plan');
const nftText = compiled.plan.hosts[0]!.steps.find((s) => s.kind === 'nft')!.do[0]!.argv[1]!;
const firewalls: ExpectedFirewalls = new Map([[factKey('host', ''), nftText]]);
/** What `nft list ruleset` prints for the loaded table (the compiler's spelling normalized as nft does). */
const listed = (drop: (line: string) => boolean = () => false) =>
  nftText
    .split('\n')
    .filter((l) => !l.startsWith('delete table') && l !== 'table inet wp_isosvc' && !drop(l))
    .map((l) => l.replace('meta l4proto tcp th dport', 'tcp dport').replace(' counter ', ' counter packets 0 bytes 0 '));

const link = (ifindex: number, ifname: string, up = true, extra: Record<string, unknown> = {}) => ({
  ifindex,
  ifname,
  flags: up ? ['BROADCAST', 'UP', 'LOWER_UP'] : ['BROADCAST'],
  mtu: 1500,
  operstate: up ? 'UP' : 'DOWN',
  addr_info: [],
  ...extra,
});
const addr = (local: string, prefixlen = 24) => ({ family: 'inet', local, prefixlen, scope: 'global' });

/** Live evidence of the healthy example; `change` edits it per test. */
function healthy(): Map<string, EvidenceSection[]> {
  const fwd = (v: string): EvidenceSection => ({ kind: 'sysctl', arg: '', body: [`net/ipv4/ip_forward = ${v}`, 'net/ipv6/conf/all/forwarding = 0'] });
  return new Map<string, EvidenceSection[]>([
    [
      factKey('host', ''),
      [
        { kind: 'addr', arg: '', body: [JSON.stringify([link(3, 'br0', true, { addr_info: [addr('10.10.0.1')] }), link(4, 'br1', true, { addr_info: [addr('10.20.0.1')] }), link(5, 'v-svc', true, { master: 'br0' }), link(6, 'v-client', true, { master: 'br1' })])] },
        fwd('1'),
        { kind: 'route', arg: '10.10.0.10', body: ['[{"dst":"10.10.0.10","dev":"br0","prefsrc":"10.10.0.1","flags":[]}]'] },
        { kind: 'route', arg: '10.20.0.10', body: ['[{"dst":"10.20.0.10","dev":"br1","prefsrc":"10.20.0.1","flags":[]}]'] },
        { kind: 'nft', arg: '', body: listed() },
      ],
    ],
    [factKey('host', 'client'), [{ kind: 'addr', arg: '', body: [JSON.stringify([link(2, 'eth0', true, { addr_info: [addr('10.20.0.10')] })])] }, fwd('0'), { kind: 'route', arg: '10.10.0.10', body: ['[{"dst":"10.10.0.10","gateway":"10.20.0.1","dev":"eth0","flags":[]}]'] }]],
    [factKey('host', 'svc'), [{ kind: 'addr', arg: '', body: [JSON.stringify([link(2, 'eth0', true, { addr_info: [addr('10.10.0.10')] })])] }, fwd('0'), { kind: 'route', arg: '10.20.0.10', body: ['[{"dst":"10.20.0.10","gateway":"10.10.0.1","dev":"eth0","flags":[]}]'] }]],
  ]);
}

function explain(e: Expectation, live: Map<string, EvidenceSection[]>, reached: boolean): string[] {
  const evidence: EvidenceMap = new Map([...live].map(([k, v]) => [k, parseEvidence(v)]));
  const outcome = e.probe.kind === 'tcp' ? tcpOutcome(reached ? 0 : 124, reached ? 'connected banner=' : '') : pingOutcome(reached ? 0 : 1, '');
  const listeners = new Map<string, ListenerState>();
  const row: CheckRow = { expectation: e, outcome, ok: false };
  return diagnose(row, evidence, firewalls, listeners, design.tag, design);
}

describe('explaining a disagreement from live state', () => {
  const e = exp('host/client -> 10.10.0.10:80');

  it('forwarding off on the router', () => {
    const live = healthy();
    live.get(factKey('host', ''))![1] = { kind: 'sysctl', arg: '', body: ['net/ipv4/ip_forward = 0'] };
    expect(explain(e, live, false)[0]).toBe('ip_forward is 0 in host (the design turns it on), so it does not route between its interfaces');
  });

  it('the accepting rule deleted: the live firewall\'s deciding rule, and the designed rule that is missing', () => {
    const live = healthy();
    live.get(factKey('host', ''))![4] = { kind: 'nft', arg: '', body: listed((l) => l.includes('th dport 80 counter accept')) };
    expect(explain(e, live, false)).toEqual([
      'the firewall in host drops it: rule `ip daddr 10.10.0.0/24 drop` (comment "wireplan:isosvc:svc-guard") in table inet wp_isosvc chain forward',
      'the designed rule `ip daddr 10.10.0.0/24 tcp dport 80 accept` ("only http into the service segment") is missing from chain forward of table inet wp_isosvc in host',
    ]);
  });

  it('the whole table removed', () => {
    const live = healthy();
    live.get(factKey('host', ''))![4] = { kind: 'nft', arg: '', body: [] };
    const blocked = exp('host/client -> 10.10.0.10:22');
    expect(explain(blocked, live, true)).toEqual(expect.arrayContaining([expect.stringMatching(/the firewall in host lets it through .* but the design says: policy "only http/), 'the firewall table inet wp_isosvc is missing in host']));
  });

  it('a missing route at the source, a port not on its bridge, a missing namespace', () => {
    let live = healthy();
    live.get(factKey('host', 'client'))![2] = { kind: 'route', arg: '10.10.0.10', body: ['RTNETLINK answers: Network is unreachable'] };
    expect(explain(e, live, false)[0]).toBe('host/client has no route to 10.10.0.10 (ip route get: RTNETLINK answers: Network is unreachable); the design routes it default via 10.20.0.1 dev eth0');

    live = healthy();
    live.get(factKey('host', ''))![0] = { kind: 'addr', arg: '', body: [JSON.stringify([link(3, 'br0'), link(4, 'br1'), link(5, 'v-svc'), link(6, 'v-client', true, { master: 'br1' })])] };
    expect(explain(e, live, false)[0]).toBe('interface v-svc in host is not a port of any bridge; the design puts it on bridge br0');

    live = healthy();
    live.set(factKey('host', 'svc'), [{ kind: 'missing', arg: '', body: [] }]);
    expect(explain(e, live, false)[0]).toBe('namespace "svc" does not exist on host host');
  });

  it('someone else\'s firewall: an input chain with policy drop where it is delivered', () => {
    const live = healthy();
    live.get(factKey('host', 'svc'))!.push({ kind: 'nft', arg: '', body: ['table inet filter {', '\tchain input {', '\t\ttype filter hook input priority filter; policy drop;', '\t\tct state established accept', '\t}', '}'] });
    expect(explain(e, live, false)).toContain('the firewall in host/svc drops it on the input hook: the drop policy of chain input in table inet filter');
  });

  it('nothing wrong on the path but strict reverse-path filtering', () => {
    const live = healthy();
    live.get(factKey('host', ''))![1] = { kind: 'sysctl', arg: '', body: ['net/ipv4/ip_forward = 1', 'net/ipv4/conf/all/rp_filter = 1'] };
    expect(explain(e, live, false)).toEqual(['reverse-path filtering is strict (rp_filter=1) in host; it drops packets whose reply would leave by another interface']);
  });

  it('hostile text from the host stays text', () => {
    const live = healthy();
    live.get(factKey('host', 'client'))![2] = { kind: 'route', arg: '10.10.0.10', body: ['<img src=x onerror=alert(1)> $(id)'] };
    expect(explain(e, live, false)[0]).toContain('(ip route get: <img src=x onerror=alert(1)> $(id))');
  });
});

describe('probe outcomes and judging', () => {
  it('reads ping and bash /dev/tcp results', () => {
    expect(pingOutcome(0, '1 packets transmitted, 1 received')).toMatchObject({ reached: true });
    expect(pingOutcome(1, '1 packets transmitted, 0 received')).toMatchObject({ reached: false, failure: 'no-reply' });
    expect(pingOutcome(2, 'ping: connect: Network is unreachable')).toMatchObject({ failure: 'no-route' });
    expect(pingOutcome(255, 'Cannot open network namespace "x": No such file or directory')).toMatchObject({ failure: 'netns-missing' });
    expect(tcpOutcome(0, 'connected banner=wpchk L3 10.0.0.3')).toMatchObject({ reached: true, listener: 'L3', seenFrom: '10.0.0.3' });
    expect(tcpOutcome(97, 'wp-tcp: connect: Connection refused wp-tcp: line 1: /dev/tcp/10.0.0.1/80: Connection refused')).toMatchObject({ reached: false, failure: 'refused' });
    expect(tcpOutcome(97, 'connect: No route to host')).toMatchObject({ failure: 'host-unreachable' });
    expect(tcpOutcome(124, '')).toMatchObject({ reached: false, failure: 'timeout' });
  });

  it('a TCP probe must land on the listener the design sends it to, and masquerade must show', () => {
    const e = exp('host/client -> 10.20.0.1:80');
    expect(e.landsAt).toMatchObject({ address: '10.10.0.10', port: 80 });
    const listeners = new Map<string, ListenerState>(
      m.matrix.listeners.map((l) => [l.id, { spec: l, ready: true, detail: 'ready' }]),
    );
    const target = m.matrix.listeners.find((l) => l.address === '10.10.0.10' && l.port === 80)!;
    const host = m.matrix.listeners.find((l) => l.address === '10.20.0.1' && l.port === 80)!;
    expect(judge(e, tcpOutcome(0, `connected banner=wpchk ${target.id} 10.20.0.10`), listeners)).toEqual({ ok: true });
    expect(judge(e, tcpOutcome(0, `connected banner=wpchk ${host.id} 10.20.0.10`), listeners)).toEqual({ ok: false, problem: 'connected, but to host 10.20.0.1:80 instead of host/svc 10.10.0.10:80' });
    expect(judge(e, tcpOutcome(124, ''), listeners).ok).toBe(false);
    expect(judge(e, undefined, listeners).problem).toMatch(/did not run/);
    const blocked = exp('host/client -> 10.10.0.10:22');
    expect(judge(blocked, tcpOutcome(124, ''), listeners)).toEqual({ ok: true });
    expect(judge(blocked, tcpOutcome(0, 'connected banner='), listeners).problem).toBe('expected blocked, but it got through');
  });
});
