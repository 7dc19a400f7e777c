import { describe, expect, it } from 'vitest';
import { fixture } from '../../tests/fixtures/observe/load';
import { parseIptablesSave, tokenizeIptablesArgs } from './iptables';
import { parseNftJson, parseNftText, withTableComments } from './nft';

function value<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('nft -j list ruleset (nftables 1.0.6, captured)', () => {
  const rs = value(parseNftJson(fixture('root.nft.json')));

  it('reads tables, base chains and the version', () => {
    expect(rs.version).toBe('1.0.6');
    expect(rs.tables.map((t) => `${t.family} ${t.name}`)).toEqual(['inet wp_lab1', 'ip foreign', 'ip filter', 'ip nat', 'ip6 filter']);
    expect(rs.chains.find((c) => c.table === 'wp_lab1' && c.name === 'prerouting')).toMatchObject({ type: 'nat', hook: 'prerouting', prio: -100, policy: 'accept' });
    expect(rs.chains.find((c) => c.table === 'filter' && c.family === 'ip' && c.name === 'FORWARD')!.policy).toBe('drop');
  });

  it('does NOT show table comments in JSON (so it says it could not see them)', () => {
    expect(rs.tables.find((t) => t.name === 'wp_lab1')!.comment).toBeUndefined();
    expect(rs.tableCommentsObserved).toBe(false);
  });

  it('reads rule counters, comments (hostile ones as data) and a summary', () => {
    const pol1 = rs.rules.find((r) => r.comment === 'wireplan:lab1:pol1')!;
    expect(pol1.counter).toEqual({ packets: 7, bytes: 588 });
    expect(pol1.summary).toBe('iifname br0 oifname up0 counter packets 7 bytes 588 accept');
    const probe = rs.rules.find((r) => r.comment === 'wireplan:lab1:probe')!;
    expect(probe.counter!.packets).toBeGreaterThan(0);
    expect(rs.rules.find((r) => r.comment === '<img src=x onerror=alert(1)> $(id)')!.summary).toBe(
      'ip6 daddr fd10::/64 tcp dport { 22, 443 } ct state new counter packets 0 bytes 0 accept',
    );
    expect(rs.rules.find((r) => r.comment === 'wireplan:lab1:pf1')!.summary).toContain('dnat ip to 10.10.0.2:80');
    // iptables-nft rules are opaque xt matches here; their comments only show in iptables-save.
    const xt = rs.rules.filter((r) => r.table === 'nat' && r.family === 'ip');
    expect(xt.every((r) => r.comment === undefined && r.summary.includes('xt match "comment"'))).toBe(true);
  });

  it('a namespace ruleset and an empty one', () => {
    const ns1 = value(parseNftJson(fixture('ns1.nft.json')));
    expect(ns1.rules).toHaveLength(1);
    expect(ns1.rules[0]).toMatchObject({ chain: 'input', comment: 'wireplan:lab1:ns1-in' });
    expect(ns1.rules[0]!.counter!.packets).toBeGreaterThan(0);
    const ns2 = value(parseNftJson(fixture('ns2.nft.json')));
    expect(ns2).toMatchObject({ tables: [], rules: [], tableCommentsObserved: true });
  });

  it('rejects non-rulesets and skips malformed items', () => {
    expect(parseNftJson('[]').ok).toBe(false);
    expect(parseNftJson('Error: Could not process rule').ok).toBe(false);
    const r = parseNftJson('{"nftables":[{"table":{"family":"inet"}},{"rule":{"family":"inet","table":"t","chain":"c","expr":[{"counter":{"packets":1,"bytes":2}}]}},{"set":{"name":"s"}},5]}');
    expect(value(r).rules[0]!.counter).toEqual({ packets: 1, bytes: 2 });
    expect(value(r).otherObjects).toBe(1);
    expect(r.warnings).toHaveLength(2);
  });
});

describe('nft list ruleset text', () => {
  const rs = value(parseNftText(fixture('root.nft.txt')));

  it('shows the table comment Wireplan relies on', () => {
    expect(rs.tables.find((t) => t.name === 'wp_lab1')).toEqual({ family: 'inet', name: 'wp_lab1', handle: 1, comment: 'wireplan:lab1:0123456789abcdef' });
    expect(rs.tables.find((t) => t.name === 'foreign')!.comment).toBeUndefined();
    expect(rs.tableCommentsObserved).toBe(true);
  });

  it('reads chains and rules with counters, comments and handles', () => {
    expect(rs.chains.find((c) => c.table === 'wp_lab1' && c.name === 'forward')).toMatchObject({ type: 'filter', hook: 'forward', prio: 'filter', policy: 'accept', handle: 3 });
    const pol1 = rs.rules.find((r) => r.comment === 'wireplan:lab1:pol1')!;
    expect(pol1).toMatchObject({ handle: 7, counter: { packets: 7, bytes: 588 }, summary: 'iifname "br0" oifname "up0" counter packets 7 bytes 588 accept' });
    expect(rs.rules.find((r) => r.comment === '<img src=x onerror=alert(1)> $(id)')!.handle).toBe(9);
    const json = value(parseNftJson(fixture('root.nft.json')));
    expect(rs.rules).toHaveLength(json.rules.length);
    // Same rules in the same order (counters are live: IPv6 ND kept ticking between captures).
    expect(rs.rules.map((r) => r.comment)).toEqual(json.rules.map((r) => r.comment));
    expect(rs.rules.every((r) => r.counter !== undefined)).toBe(true);
    expect(rs.rules.map((r) => r.handle)).toEqual(json.rules.map((r) => r.handle));
  });

  it('a counter-looking comment is not a counter; sets are skipped', () => {
    const text = [
      'table inet t {',
      '  set s {',
      '    type ipv4_addr',
      '    elements = { 10.0.0.1,',
      '      10.0.0.2 }',
      '  }',
      '  chain c {',
      '    accept comment "counter packets 5 bytes 6 # handle 9"',
      '  }',
      '}',
    ].join('\n');
    const r = value(parseNftText(text));
    expect(r.otherObjects).toBe(1);
    expect(r.rules).toEqual([{ family: 'inet', table: 't', chain: 'c', summary: 'accept', comment: 'counter packets 5 bytes 6 # handle 9' }]);
  });

  it('empty output is an empty ruleset; garbage is an error', () => {
    expect(value(parseNftText(fixture('ns2.nft.txt'))).tables).toEqual([]);
    expect(parseNftText('Error: syntax error\n').ok).toBe(false);
  });

  it('withTableComments fills what the JSON could not show', () => {
    const merged = withTableComments(value(parseNftJson(fixture('root.nft.json'))), rs);
    expect(merged.tables.find((t) => t.name === 'wp_lab1')!.comment).toBe('wireplan:lab1:0123456789abcdef');
    expect(merged.tableCommentsObserved).toBe(true);
    expect(merged.rules).toHaveLength(15);
  });
});

describe('iptables-save -c (iptables 1.8.9 nf_tables, captured)', () => {
  const rs = value(parseIptablesSave(fixture('root.iptables-save.txt')));

  it('reads version/backend, tables, chains with policy and counters', () => {
    expect(rs).toMatchObject({ version: '1.8.9', backend: 'nf_tables' });
    expect(rs.tables.map((t) => t.name)).toEqual(['filter', 'nat']);
    const filter = rs.tables[0]!;
    expect(filter.chains.find((c) => c.name === 'FORWARD')).toEqual({ name: 'FORWARD', builtin: true, policy: 'DROP', counter: { packets: 0, bytes: 0 } });
    expect(filter.chains.find((c) => c.name === 'WP-LAB1')).toEqual({ name: 'WP-LAB1', builtin: false, counter: { packets: 0, bytes: 0 } });
  });

  it('reads rules with [pkts:bytes], comments and targets; hostile comments byte-for-byte', () => {
    const filter = rs.tables[0]!;
    const hostile = filter.rules.find((r) => r.args.includes('9'))!;
    expect(hostile).toMatchObject({ chain: 'OUTPUT', target: 'ACCEPT', comment: '<img src=x onerror=alert(1)> "q" $(id)' });
    expect(hostile.counter!.packets).toBeGreaterThan(0);
    // A newline in a comment is printed raw: the rule spans two lines.
    expect(filter.rules.find((r) => r.args.includes('10'))!.comment).toBe('line1\nline2');
    expect(filter.rules.find((r) => r.comment === 'wireplan:lab1:fw2')!.args).toEqual([
      '-o', 'br0', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-m', 'comment', '--comment', 'wireplan:lab1:fw2', '-j', 'ACCEPT',
    ]);
    const nat = rs.tables[1]!;
    expect(nat.rules.find((r) => r.comment === 'wireplan:lab1:nat1')).toMatchObject({ chain: 'POSTROUTING', target: 'MASQUERADE', counter: { packets: 1, bytes: 40 } });
  });

  it('ip6tables-save too', () => {
    const v6 = value(parseIptablesSave(fixture('root.ip6tables-save.txt')));
    expect(v6.tables[0]!.rules[0]).toMatchObject({ chain: 'FORWARD', comment: 'wireplan:lab1:fw6' });
    expect(v6.tables[0]!.rules[0]!.counter!.packets).toBeGreaterThan(0);
  });

  it('tokenizer unescapes \\" and \\\\ and reports an open quote', () => {
    expect(tokenizeIptablesArgs('-m comment --comment "a \\"b\\" \\\\ c" -j X')).toEqual({ tokens: ['-m', 'comment', '--comment', 'a "b" \\ c', '-j', 'X'], open: false });
    expect(tokenizeIptablesArgs('--comment "open').open).toBe(true);
  });

  it('skips malformed lines with warnings; garbage is an error', () => {
    const r = parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n[x:y] -A INPUT -j ACCEPT\n-A INPUT --comment "never closed\nCOMMIT\n');
    expect(r.ok).toBe(true);
    expect(r.warnings.length).toBeGreaterThanOrEqual(1);
    expect(parseIptablesSave('iptables: command not found\n').ok).toBe(false);
    expect(value(parseIptablesSave(''))).toEqual({ tables: [] });
  });
});
