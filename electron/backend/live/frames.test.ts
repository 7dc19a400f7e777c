// The poll program's framing: markers carry a per-poll nonce, so host data that looks
// like a marker (an alias, an iptables comment with a raw newline) stays inside its frame.
import { describe, expect, it } from 'vitest';
import { countCpus, parseFrames } from './frames';
import { NamespaceCache, rawOf } from './namespace-cache';
import { buildPoll, passableNetnsName, qdiscDevice } from './poll-script';

const N = '0123456789abcdef';
const m = (h: string) => `\n@@${N}:${h}\n`;

describe('parseFrames', () => {
  const entries = [{ ns: '', ip: true, nft: true }, { ns: 'a$(id)', ip: true }, { ns: 'gone', ip: true }];

  it('splits each tool output into its namespace entry', () => {
    const out = [
      m('boot').slice(1), '39fc8a0e-64de-4932-ad0e-e66f97841688\n', m('cpus'), '0-1\n', m('names'), 'a$(id)\u0000nl\nx\u0000',
      m('t:0:1795274409.165101'), m('ip:0'), '[{"ifindex":1}]\n', m('nft:0'), 'table inet x {\n}\n', m('nftj:0'), '{"nftables":[]}\n',
      m('t:1:1795274409.2'), m('ip:1'), '[]\n', m('iperr:1:1'), 'Cannot open network namespace',
      m('gone:2'), m('cpu'), '0m0.010s 0m0.020s\n0m1.200s 0m0.300s\n', m('end'),
    ].join('');
    const r = parseFrames(out, N, entries);
    expect(r.complete).toBe(true);
    expect(r.bootId).toBe('39fc8a0e-64de-4932-ad0e-e66f97841688');
    expect(r.cpus).toBe(2);
    expect(r.names).toEqual(['a$(id)', 'nl\nx']);
    expect(r.entries[0]).toMatchObject({ hostTime: 1795274409165.101, ip: '[{"ifindex":1}]\n', nftText: 'table inet x {\n}\n', nftJson: '{"nftables":[]}\n' });
    expect(r.entries[1]).toMatchObject({ ip: '[]\n', ipError: { code: 1, stderr: 'Cannot open network namespace' } });
    expect(r.entries[2]!.gone).toBe(true);
    expect(r.hostCpuMs).toBeCloseTo(1530);
    expect(r.warnings).toEqual([]);
  });

  it('cannot be fooled by host data that imitates a marker without the nonce', () => {
    const alias = '"ifalias":"x\\n@@ffffffffffffffff:end"';
    const out = [m('ip:0').slice(1), `[{"ifindex":1,${alias}}]\n`, '\n@@ffffffffffffffff:gone:1\n', m('end')].join('');
    const r = parseFrames(out, N, entries);
    expect(r.entries[0]!.ip).toContain('@@ffffffffffffffff:gone:1');
    expect(r.entries[1]!.gone).toBe(false);
    expect(r.complete).toBe(true);
  });

  it("takes ip's stderr from its own frames on the error stream", () => {
    const out = [m('ip:0').slice(1), '[]\n', m('ip:1'), m('iperr:1:255'), m('end')].join('');
    const err = `\n@@${N}:err:0\n\n@@${N}:err:1\nCannot open network namespace "a$(id)": No such file or directory\n`;
    const r = parseFrames(out, N, entries, err);
    expect(r.entries[0]!.ipError).toBeUndefined();
    expect(r.entries[0]!.ipStderr).toBeUndefined();
    expect(r.entries[1]!.ipError).toEqual({ code: 255, stderr: 'Cannot open network namespace "a$(id)": No such file or directory\n' });
  });

  it('reports truncated output (no end marker) and a failed nft', () => {
    const r = parseFrames([m('nft:0').slice(1), 'partial', m('nfterr:0:1'), 'Operation not permitted'].join(''), N, entries);
    expect(r.complete).toBe(false);
    expect(r.entries[0]!.nftText).toBeUndefined();
    expect(r.entries[0]!.nftError).toContain('Operation not permitted');
  });

  it('counts CPUs from /sys/devices/system/cpu/online', () => {
    expect(countCpus('0-1\n')).toBe(2);
    expect(countCpus('0,2-3,8')).toBe(4);
    expect(countCpus('x')).toBeUndefined();
  });
});

describe('buildPoll', () => {
  it('sends namespace names on stdin, never in the command line', () => {
    const p = buildPoll({ entries: [{ ns: 'a$(id)', ip: true }, { ns: "it's", nft: true, sysctl: true }, { ns: 'bad/name', ip: true }], sysctlKeys: ['net/ipv4/ip_forward'] }, N);
    expect(p.command).not.toContain('a$(id)');
    expect(p.command).not.toContain("it's");
    expect(p.stdin).toBe("l/a$(id)\u0000ns/it's\u0000K/net/ipv4/ip_forward\u0000");
    expect(p.entries.map((e) => e.ns)).toEqual(['a$(id)', "it's"]);
    expect(passableNetnsName('..')).toBe(false);
    // A targeted read of one root interface; names ip's batch tokenizer could mangle are refused.
    const d = buildPoll({ entries: [{ ns: '', device: 'v-app1' }, { ns: '', device: 'a"b' }, { ns: 'x', device: 'eth0' }] }, N);
    expect(d.stdin).toBe('a/v-app1\u0000');
    expect(passableNetnsName('')).toBe(true);
  });
});

describe('qdiscs (link impairments)', () => {
  it('buildPoll: each interface as a Q entry after its namespace; names the kernel would refuse, and invalid tags, are not sent', () => {
    const p = buildPoll({ entries: [{ ns: 'a$(id)', ip: true, qdiscs: ['wan0', 'a b', 'x/y', '..', 'wan0', 'x'.repeat(16)] }, { ns: '', ip: true }], qdiscRecords: 'imp' }, N);
    expect(p.stdin).toBe('lq/a$(id)\u0000Q/wan0\u0000l/\u0000');
    expect(p.entries[0]!.qdiscs).toEqual(['wan0']);
    expect(p.command).toMatch(/ q- imp$/);
    expect(qdiscDevice('eth0.10')).toBe(true);
    expect(qdiscDevice('é'.repeat(8))).toBe(false); // 16 bytes
    const bad = buildPoll({ entries: [{ ns: 'a', qdiscs: ['wan0'] }], qdiscRecords: '$(id)' }, N);
    expect(bad.command).not.toContain('$(id)');
    expect(bad.command).toMatch(/ -$/);
  });

  it('parseFrames: tc output, tc failure and the record per interface; a marker for another interface is a warning', () => {
    const entries = [{ ns: 'a', ip: true, qdiscs: ['wan0', 'gone0'] }];
    const out = [
      m('t:0:1795274409.1').slice(1), m('ip:0'), '[]\n',
      m('tc:0:0'), 'qdisc tbf 5770: root refcnt 3 rate 1Mbit burst 16000b lat 50ms \n', m('tcrec:0:0'), 'abc\nqdisc tbf 5770: root rate 1Mbit burst 16000b lat 50ms\n',
      m('tc:0:1'), m('tcerr:0:1:1'), m('tc:0:2'), 'x', m('end'),
    ].join('');
    const r = parseFrames(out, N, entries);
    expect(r.entries[0]!.qdiscs).toEqual([
      { show: 'qdisc tbf 5770: root refcnt 3 rate 1Mbit burst 16000b lat 50ms \n', record: 'abc\nqdisc tbf 5770: root rate 1Mbit burst 16000b lat 50ms\n' },
      { show: '', code: 1 },
    ]);
    expect(r.warnings).toHaveLength(1);
    const { raw } = rawOf(r.entries[0]!, ['addr show']);
    expect(raw.qdiscs).toEqual([
      { ifname: 'wan0', show: 'qdisc tbf 5770: root refcnt 3 rate 1Mbit burst 16000b lat 50ms \n', record: 'abc\nqdisc tbf 5770: root rate 1Mbit burst 16000b lat 50ms\n' },
      { ifname: 'gone0', show: '', code: 1 },
    ]);
    // A changed qdisc is a changed namespace for the parse cache.
    const cache = new NamespaceCache();
    const first = cache.parse(raw);
    expect(first.qdiscs?.[0]?.record?.digest).toBe('abc');
    expect(cache.parse({ ...raw, qdiscs: [{ ...raw.qdiscs![0]!, show: 'qdisc tbf 5770: root refcnt 3 rate 5Mbit burst 16000b lat 50ms \n' }] }).qdiscs?.[0]?.show).toContain('5Mbit');
    expect(cache.misses).toBe(2);
  });
});
