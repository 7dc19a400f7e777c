import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nftRuleset } from '../compile/nft';
import { PolicySchema, type Policy } from '../model/schema';
import { parseNftText } from '../observe/nft';
import { forwardVerdict, masqueradeFor, outputDnat, preroutingDnat, type Packet } from './firewall';
import { forwardHookVerdict, normalizeRule } from './nft-eval';

const policy = (p: Partial<Policy> & { id: string }): Policy => PolicySchema.parse({ name: p.id, at: 'h', protects: [], ...p });

/** The compiled table for these policies, parsed back as `nft list ruleset` would show it. */
function liveTable(policies: Policy[]) {
  const { text } = nftRuleset('wp_t', 't', { masquerades: [], portForwards: [], policies }, (id) => `wireplan:t:${id}`);
  // nft prints "meta l4proto tcp th dport N" as "tcp dport N"; the evaluator reads both.
  const body = text.split('\n').filter((l) => !l.startsWith('delete table') && l !== 'table inet wp_t');
  const r = parseNftText(body.join('\n'));
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('forward-chain semantics', () => {
  const guard = policy({
    id: 'g',
    protects: ['10.10.0.0/24', 'fd10::/64'],
    rules: [
      { protocol: 'tcp', ports: '80', action: 'accept' },
      { from: '10.20.0.0/24', protocol: 'icmp', action: 'accept' },
      { to: '10.30.0.0/24', protocol: 'tcp', ports: '22', action: 'drop' },
    ],
  });
  const pkt = (p: Partial<Packet>): Packet => ({ family: 4, proto: 'tcp', src: '10.20.0.5', dst: '10.10.0.7', sport: 40000, dport: 80, ...p });

  it('rules in order, then the default drop for what is protected, then accept', () => {
    expect(forwardVerdict([guard], pkt({}), { established: false })).toMatchObject({ verdict: 'accept', how: 'rule', rule: 0 });
    expect(forwardVerdict([guard], pkt({ dport: 22 }), { established: false })).toMatchObject({ verdict: 'drop', how: 'default' });
    expect(forwardVerdict([guard], pkt({ proto: 'icmp', dport: undefined }), { established: false })).toMatchObject({ verdict: 'accept', rule: 1 });
    expect(forwardVerdict([guard], pkt({ proto: 'icmp', dport: undefined, src: '10.99.0.1' }), { established: false })).toMatchObject({ verdict: 'drop', how: 'default' });
    // A rule's own `to` applies even outside what the policy protects (as the compiler writes it).
    expect(forwardVerdict([guard], pkt({ dst: '10.30.0.9', dport: 22 }), { established: false })).toMatchObject({ verdict: 'drop', how: 'rule', rule: 2 });
    expect(forwardVerdict([guard], pkt({ dst: '10.40.0.1', dport: 22 }), { established: false })).toMatchObject({ verdict: 'accept', how: 'none' });
    expect(forwardVerdict([guard], pkt({ dport: 22 }), { established: true })).toMatchObject({ verdict: 'accept', how: 'established' });
    const strict = { ...guard, allowEstablished: false };
    expect(forwardVerdict([strict], pkt({ dport: 22 }), { established: true })).toMatchObject({ verdict: 'drop' });
    expect(forwardVerdict([guard], { family: 6, proto: 'tcp', src: 'fd20::1', dst: 'fd10::7', dport: 80 }, { established: false })).toMatchObject({ verdict: 'accept', rule: 0 });
    expect(forwardVerdict([guard], { family: 6, proto: 'icmp', src: 'fd20::1', dst: 'fd10::7' }, { established: false }), 'rule 2 is IPv4-only (its from)').toMatchObject({ verdict: 'drop', how: 'default' });
  });

  it('the design semantics and the compiled nftables table agree on every packet (property)', () => {
    const v4 = fc.constantFrom('10.10.0.7', '10.10.0.200', '10.20.0.5', '10.30.0.9', '10.40.0.1');
    const prefix = fc.constantFrom('10.10.0.0/24', '10.20.0.0/24', '10.30.0.0/24', '10.0.0.0/8', '10.10.0.128/25');
    const rule = fc.record(
      {
        from: fc.option(prefix, { nil: undefined }),
        to: fc.option(prefix, { nil: undefined }),
        protocol: fc.constantFrom('any', 'tcp', 'icmp', 'udp'),
        ports: fc.option(fc.constantFrom('80', '22', '8000-8100'), { nil: undefined }),
        in: fc.option(fc.constantFrom('eth0', 'br0'), { nil: undefined }),
        out: fc.option(fc.constantFrom('eth0', 'br0'), { nil: undefined }),
        state: fc.option(fc.subarray(['new', 'established', 'related', 'invalid'] as const, { minLength: 1 }), { nil: undefined }),
        action: fc.constantFrom('accept', 'drop'),
      },
      { requiredKeys: ['protocol', 'action'] },
    );
    const policyArb = fc.record({
      protects: fc.array(prefix, { minLength: 1, maxLength: 2 }),
      defaultAction: fc.constantFrom('drop', 'accept'),
      allowEstablished: fc.boolean(),
      rules: fc.array(rule, { maxLength: 4 }),
    });
    const packet = fc.record({
      proto: fc.constantFrom('tcp', 'icmp'),
      src: v4,
      dst: v4,
      dport: fc.constantFrom(22, 80, 8050, 9999),
      iif: fc.constantFrom('eth0', 'br0', 'br1'),
      oif: fc.constantFrom('eth0', 'br0'),
      established: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(policyArb, { minLength: 1, maxLength: 2 }), packet, (specs, p) => {
        const policies = specs.map((s, i) =>
          policy({
            id: `p${i}`,
            ...s,
            // ports exist only for tcp/udp (validation refuses the rest)
            rules: s.rules.map((r) => ({ ...r, ports: r.protocol === 'tcp' || r.protocol === 'udp' ? r.ports : undefined })),
          }),
        );
        const packet: Packet = { family: 4, proto: p.proto, src: p.src, dst: p.dst, ...(p.proto === 'tcp' ? { sport: 40000, dport: p.dport } : {}) };
        const designed = forwardVerdict(policies, packet, { iif: p.iif, oif: p.oif, established: p.established }).verdict;
        const live = forwardHookVerdict(liveTable(policies), { ...packet, iif: p.iif, oif: p.oif, established: p.established });
        expect(live.verdict, JSON.stringify({ policies, packet, live })).toBe(designed);
      }),
      { numRuns: 300 },
    );
  });

  it('NAT matches: prerouting DNAT by port, listen address and ingress; output only for local destinations; masquerade by source and egress', () => {
    const pf = { id: 'w', name: 'w', at: 'h', protocol: 'tcp' as const, port: 8080, to: '10.0.0.2', toPort: 80, hostLocal: true };
    const p: Packet = { family: 4, proto: 'tcp', src: '1.2.3.4', dst: '10.0.0.1', dport: 8080 };
    expect(preroutingDnat([pf], p, 'eth0', true)).toBe(pf);
    expect(preroutingDnat([pf], { ...p, dst: '192.0.2.1' }, 'br0', false), 'to an outside server: not a local destination').toBeUndefined();
    expect(preroutingDnat([{ ...pf, listen: '192.0.2.1' }], { ...p, dst: '192.0.2.1' }, 'br0', false), 'a listen address needs no local destination').toBeDefined();
    expect(preroutingDnat([{ ...pf, ingress: 'eth0' }], p, 'br0', true)).toBeUndefined();
    expect(preroutingDnat([{ ...pf, listen: '10.0.0.9' }], p, 'eth0', true)).toBeUndefined();
    expect(preroutingDnat([pf], { ...p, dport: 80 }, 'eth0', true)).toBeUndefined();
    expect(preroutingDnat([pf], { ...p, family: 6, dst: 'fd00::1' }, 'eth0', true), 'an IPv4 target never rewrites IPv6').toBeUndefined();
    expect(outputDnat([pf], p, true)).toBe(pf);
    expect(outputDnat([pf], p, false)).toBeUndefined();
    expect(outputDnat([{ ...pf, hostLocal: false }], p, true)).toBeUndefined();
    const m = { id: 'm', name: 'm', at: 'h', source: '10.0.0.0/24', egress: 'eth0' };
    expect(masqueradeFor([m], { ...p, src: '10.0.0.5', dst: '8.8.8.8' }, 'eth0')).toBe(m);
    expect(masqueradeFor([m], { ...p, src: '10.0.0.5', dst: '10.0.0.9' }, 'eth0')).toBeUndefined();
    expect(masqueradeFor([m], { ...p, src: '10.0.0.5', dst: '8.8.8.8' }, 'br0')).toBeUndefined();
    expect(masqueradeFor([{ ...m, egress: undefined }], { ...p, src: '10.0.0.5', dst: '8.8.8.8' }, 'br0')).toBeDefined();
    const allBut = { ...m, egress: undefined, egressExcept: 'br0' };
    expect(masqueradeFor([allBut], { ...p, src: '10.0.0.5', dst: '8.8.8.8' }, 'eth0'), 'out of anything but br0').toBe(allBut);
    expect(masqueradeFor([allBut], { ...p, src: '10.0.0.5', dst: '10.1.0.9' }, 'br0')).toBeUndefined();
  });

  it('the isolated-LXC policy: in-interface, destination, port and conntrack state', () => {
    const lxc = policy({
      id: 'lxc',
      protects: ['0.0.0.0/0'],
      defaultAction: 'accept',
      allowEstablished: false,
      rules: [
        { in: 'eth0', to: '10.10.20.10/32', protocol: 'tcp', ports: '80', action: 'accept' },
        { in: 'eth0', protocol: 'any', action: 'drop' },
        { in: 'br0', state: ['new', 'invalid'], protocol: 'any', action: 'drop' },
      ],
    });
    const web = pkt({ src: '192.0.2.7', dst: '10.10.20.10', dport: 80 });
    expect(forwardVerdict([lxc], web, { iif: 'eth0', oif: 'br0', established: false })).toMatchObject({ verdict: 'accept', rule: 0 });
    expect(forwardVerdict([lxc], { ...web, dport: 22 }, { iif: 'eth0', oif: 'br0', established: false })).toMatchObject({ verdict: 'drop', rule: 1 });
    const out = pkt({ src: '10.10.20.10', dst: '192.0.2.7', dport: 443 });
    expect(forwardVerdict([lxc], out, { iif: 'br0', oif: 'eth0', established: false }), 'a new connection from br0').toMatchObject({ verdict: 'drop', rule: 2 });
    expect(forwardVerdict([lxc], out, { iif: 'br0', oif: 'eth0', established: true }), 'the reply of the web connection').toMatchObject({ verdict: 'accept', how: 'none' });
    const rs = liveTable([lxc]);
    // As nft would list them (a /32 prints as the bare address): the same normal form.
    expect(normalizeRule('iifname "eth0" ip daddr 10.10.20.10 tcp dport 80 counter packets 1 bytes 60 accept')).toBe(normalizeRule(rs.rules[0]!.summary));
    expect(normalizeRule('ip6 daddr fd00::1/128 drop')).toBe('ip6 daddr fd00::1 drop');
    expect(rs.rules.map((r) => normalizeRule(r.summary))).toEqual([
      'iifname "eth0" ip daddr 10.10.20.10 tcp dport 80 accept',
      'iifname "eth0" ip daddr 0.0.0.0/0 drop',
      'iifname "br0" ip daddr 0.0.0.0/0 ct state invalid,new drop',
    ]);
  });
});

describe('live ruleset evaluation', () => {
  const listing = (text: string) => {
    const r = parseNftText(text);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };
  const pkt = { family: 4 as const, proto: 'tcp' as const, src: '10.20.0.5', dst: '10.10.0.7', dport: 80, iif: 'br1', oif: 'br0', established: false };

  it('reads what nft lists: sets, ranges, !=, l4proto, ct state, counters, jumps, iif/oifname; the deciding rule is named', () => {
    const rs = listing(`table inet wp_x {
	chain forward {
		type filter hook forward priority filter; policy accept;
		ct state established,related accept
		iifname "eth9" drop
		ip daddr { 10.10.0.0/24, 10.11.0.0/24 } tcp dport 8000-8100 counter packets 3 bytes 180 drop comment "wireplan:x:p"
		ip saddr != 10.20.0.0/24 ip daddr 10.10.0.0/24 drop
		meta l4proto icmp jump icmpchk
		ip daddr 10.10.0.0/24 tcp dport { 22, 80 } accept comment "wireplan:x:p"
		ip daddr 10.10.0.0/24 drop comment "wireplan:x:p"
	}
	chain icmpchk {
		ip saddr 10.20.0.0/24 accept
		return
	}
}
table ip filter {
	chain FORWARD {
		type filter hook forward priority 10; policy drop;
		ip daddr 10.10.0.7 accept
	}
}`);
    expect(forwardHookVerdict(rs, pkt)).toMatchObject({ verdict: 'accept' });
    const drop = forwardHookVerdict(rs, { ...pkt, dport: 8050 });
    expect(drop.verdict).toBe('drop');
    expect(drop.text).toBe('rule `ip daddr { 10.10.0.0/24, 10.11.0.0/24 } tcp dport 8000-8100 drop` (comment "wireplan:x:p") in table inet wp_x chain forward');
    expect(forwardHookVerdict(rs, { ...pkt, src: '10.99.0.1' }).text).toMatch(/ip saddr != 10\.20\.0\.0\/24/);
    expect(forwardHookVerdict(rs, { ...pkt, iif: 'eth9' }).verdict).toBe('drop');
    expect(forwardHookVerdict(rs, { ...pkt, proto: 'icmp', dport: undefined }).verdict, 'accepted by the jump target').toBe('accept');
    // Accepted by Wireplan's chain, then dropped by a foreign chain's policy later on the hook.
    const foreign = forwardHookVerdict(rs, { ...pkt, dst: '10.10.0.8' });
    expect(foreign).toMatchObject({ verdict: 'drop', text: 'the drop policy of chain FORWARD in table ip filter' });
    expect(forwardHookVerdict(rs, { ...pkt, dst: '10.10.0.8', established: true }).verdict, 'an accept ends only its own chain').toBe('drop');
  });

  it('says "cannot tell" for statements it does not know instead of guessing', () => {
    const rs = listing(`table inet t {
	chain f {
		type filter hook forward priority 0; policy accept;
		ip dscp cs1 drop
	}
}`);
    expect(forwardHookVerdict(rs, pkt)).toMatchObject({ verdict: 'unknown' });
  });

  it('normalizes the compiler\'s spelling to nft\'s', () => {
    expect(normalizeRule('ip daddr 10.0.0.0/24  meta l4proto tcp th dport 80 accept')).toBe('ip daddr 10.0.0.0/24 tcp dport 80 accept');
  });

  it('ignores counters: the designed `counter` equals the listed `counter packets N bytes M`', () => {
    const designed = normalizeRule('ip daddr 10.0.0.0/24 meta l4proto tcp th dport 80 counter accept');
    expect(designed).toBe('ip daddr 10.0.0.0/24 tcp dport 80 accept');
    expect(normalizeRule('ip daddr 10.0.0.0/24 tcp dport 80 counter packets 12 bytes 960 accept')).toBe(designed);
    expect(normalizeRule('ip daddr 10.0.0.0/24 tcp dport 80 accept')).toBe(designed);
    // A different rule stays different; "counter" inside a word is not a counter.
    expect(normalizeRule('ip daddr 10.0.0.0/24 tcp dport 81 counter packets 1 bytes 60 accept')).not.toBe(designed);
    expect(normalizeRule('iifname "counters" accept')).toBe('iifname "counters" accept');
  });
});
