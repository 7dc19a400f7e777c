// Firewall status from nft text alone (the interfaces' status is covered by the kernel and
// lab tests): rules matched by comment, counters and their rates, foreign and missing rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../compile/compile';
import { parseDesign } from '../model/parse';
import { assembleHost } from './assemble';
import { observeNamespace } from './host';
import { evaluateStatus, prepareStatus, sameElementStatus } from './status';
import { compareFirewall } from './status-firewall';

const design = (() => {
  const r = parseDesign(readFileSync(join(__dirname, '../../resources/examples/two-namespaces-nat.wireplan.json'), 'utf8'));
  if (!r.ok) throw new Error('example');
  return r.design;
})();
const plan = (() => {
  const c = compile(design);
  if (!c.ok) throw new Error('compile');
  return c.plan;
})();
const loadText = plan.hosts[0]!.steps.find((s) => s.kind === 'nft')!.do[0]!.argv[1]!;
const digest = /comment "(wireplan:twons:[0-9a-f]+)"/.exec(loadText)![1]!;

function ruleset(extra: string[] = [], packets = 7): string {
  return [
    'table inet wp_twons {',
    `\tcomment "${digest}"`,
    '\tchain guard {',
    '\t\ttype filter hook prerouting priority raw; policy accept;',
    '\t\tiifname != "lo" ip daddr 127.0.0.0/8 counter packets 0 bytes 0 drop comment "wireplan:twons:web"',
    '\t}',
    '\tchain prerouting {',
    '\t\ttype nat hook prerouting priority dstnat; policy accept;',
    `\t\tfib daddr type local tcp dport 8080 counter packets ${packets} bytes ${packets * 60} dnat ip to 10.0.0.2:80 comment "wireplan:twons:web"`,
    '\t}',
    '\tchain output {',
    '\t\ttype nat hook output priority -100; policy accept;',
    '\t\tfib daddr type local tcp dport 8080 dnat ip to 10.0.0.2:80 comment "wireplan:twons:web"',
    '\t}',
    '\tchain postrouting {',
    '\t\ttype nat hook postrouting priority srcnat; policy accept;',
    '\t\tip saddr 127.0.0.0/8 ip daddr 10.0.0.2 tcp dport 80 ct status dnat masquerade comment "wireplan:twons:web"',
    '\t\tip saddr 10.0.0.0/24 ip daddr 10.0.0.2 tcp dport 80 ct status dnat masquerade comment "wireplan:twons:web"',
    '\t\tip saddr 10.0.0.0/24 ip daddr != 10.0.0.0/24 oifname "eth0" masquerade comment "wireplan:twons:nat-out"',
    ...extra,
    '\t}',
    '}',
    'table inet other {',
    '}',
    '',
  ].join('\n');
}

function hostWith(text: string, at: number) {
  return assembleHost({ collectedAt: at, namespaces: [observeNamespace({ name: '', nftText: text })] });
}

describe('firewall status', () => {
  const model = prepareStatus(design, plan, 'lab');

  it('matches rules to elements by comment, with counters and rates', () => {
    const first = evaluateStatus(model, hostWith(ruleset(), 0), { at: 0 });
    const web = first.elements.find((e) => e.elementId === 'web')!;
    expect(web.presence).toBe('present');
    expect(web.rules).toEqual([
      { chain: 'guard', rule: 'iifname != "lo" ip daddr 127.0.0.0/8 counter drop', packets: 0, bytes: 0 },
      { chain: 'prerouting', rule: 'fib daddr type local tcp dport 8080 counter dnat ip to 10.0.0.2:80', packets: 7, bytes: 420 },
      { chain: 'output', rule: 'fib daddr type local tcp dport 8080 dnat ip to 10.0.0.2:80' },
      { chain: 'postrouting', rule: 'ip saddr 127.0.0.0/8 ip daddr 10.0.0.2 tcp dport 80 ct status dnat masquerade' },
      { chain: 'postrouting', rule: 'ip saddr 10.0.0.0/24 ip daddr 10.0.0.2 tcp dport 80 ct status dnat masquerade' },
    ]);
    const second = evaluateStatus(model, hostWith(ruleset([], 17), 2000), { at: 2000, previousRuleCounters: first.ruleCounters });
    expect(second.elements.find((e) => e.elementId === 'web')!.rules![1]).toMatchObject({ packets: 17, packetRate: 5, byteRate: 300 });
    expect(first.foreign).toEqual(['nft table inet "other" in the root namespace is not Wireplan\'s']);
  });

  it('a rule added to our table is foreign drift; a removed one is missing', () => {
    const extra = evaluateStatus(model, hostWith(ruleset(['\t\tip saddr 10.9.9.0/24 masquerade']), 0));
    expect(extra.elements.find((e) => e.elementId === 'nat-out')).toMatchObject({
      presence: 'drifted',
      drift: ['foreign rule in chain "postrouting" of table inet "wp_twons": "ip saddr 10.9.9.0/24 masquerade"'],
    });
    const cmp = compareFirewall(hostWith(ruleset().replace(/\t\tip saddr 10.0.0.0\/24 ip daddr != .*\n/, ''), 0).namespaces[0]!.nft!, 'wp_twons', loadText);
    expect(cmp.findings).toEqual([{ owner: 'wireplan:twons:nat-out', message: '1 rule missing from chain "postrouting" of table inet "wp_twons"' }]);
  });

  it('compares statuses field by field', () => {
    expect(sameElementStatus({ elementId: 'a', presence: 'present', drift: ['x'] }, { elementId: 'a', presence: 'present', drift: ['x'] })).toBe(true);
    expect(sameElementStatus({ elementId: 'a', presence: 'present', rxRate: 1 }, { elementId: 'a', presence: 'present', rxRate: 2 })).toBe(false);
  });

  it('counts policy rules that match interfaces and conntrack states, and a masquerade out of all but br0', () => {
    const d = structuredClone(design);
    d.masquerades[0]!.egress = undefined;
    d.masquerades[0]!.egressExcept = 'br0';
    d.policies.push({
      id: 'iso',
      name: 'isolated',
      at: 'lab',
      protects: ['0.0.0.0/0'],
      defaultAction: 'accept',
      allowEstablished: false,
      rules: [
        { in: 'eth0', to: '10.0.0.2/32', protocol: 'tcp', ports: '80', action: 'accept' },
        { in: 'br0', state: ['new', 'invalid'], protocol: 'any', action: 'drop' },
      ],
    });
    const c = compile(d);
    if (!c.ok) throw new Error(JSON.stringify(c.diagnostics));
    const load = c.plan.hosts[0]!.steps.find((st) => st.kind === 'nft')!.do[0]!.argv[1]!;
    const tableDigest = /comment "(wireplan:twons:[0-9a-f]+)"/.exec(load)![1]!;
    // What nft lists for that table (its own spelling: tcp dport, /32 dropped, counters).
    const listing = [
      'table inet wp_twons {',
      `\tcomment "${tableDigest}"`,
      ...load
        .split('\n')
        .slice(3, -2)
        .filter((l) => !l.includes('comment "wireplan:twons:') || !l.trim().startsWith('comment'))
        .map((l) =>
          l
            .replace(/^ {4}/, '\t\t')
            .replace(/^ {2}/, '\t')
            .replace('meta l4proto tcp th dport', 'tcp dport')
            .replace('10.0.0.2/32', '10.0.0.2')
            .replace(/counter (?=(accept|drop))/, 'counter packets 3 bytes 180 '),
        ),
      '}',
      '',
    ].join('\n');
    const m = prepareStatus(d, c.plan, 'lab');
    const st = evaluateStatus(m, hostWith(listing, 0), { at: 0 });
    const iso = st.elements.find((e) => e.elementId === 'iso')!;
    expect(iso.presence).toBe('present');
    expect(iso.rules).toEqual([
      { chain: 'forward', rule: 'iifname "eth0" ip daddr 10.0.0.2 tcp dport 80 counter accept', packets: 3, bytes: 180 },
      { chain: 'forward', rule: 'iifname "br0" ip daddr 0.0.0.0/0 ct state invalid,new counter drop', packets: 3, bytes: 180 },
    ]);
    expect(st.elements.find((e) => e.elementId === 'nat-out')).toMatchObject({ presence: 'present', rules: [{ chain: 'postrouting', rule: 'ip saddr 10.0.0.0/24 ip daddr != 10.0.0.0/24 oifname != "br0" counter masquerade' }] });
  });
});
