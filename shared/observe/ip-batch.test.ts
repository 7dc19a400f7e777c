import { describe, expect, it } from 'vitest';
import { fixture, fixtureLines } from '../../tests/fixtures/observe/load';
import { BASIC_BATCH_COMMANDS, batchPart, parseIpBatch, RECOMMENDED_BATCH_COMMANDS } from './ip-batch';
import { parseIpAddr } from './ip-addr';
import { parseIpLink } from './ip-link';
import { parseIpRoute } from './ip-route';
import { splitJsonValues } from './json';

describe('what `ip -j -batch` prints (iproute2 6.1, captured)', () => {
  it('is one JSON array per successful command, each on its own line', () => {
    const text = fixture('ns1.batch-full.json');
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1)).toHaveLength(4);
    for (const line of lines.slice(0, -1)) expect(line.startsWith('[') && line.endsWith(']')).toBe(true);
    expect(splitJsonValues(text).chunks).toHaveLength(4);
  });

  it('prints nothing for a failing line; stderr names it; without -force ip stops there', () => {
    expect(splitJsonValues(fixture('ns1.batch-error.json')).chunks).toHaveLength(1);
    expect(fixture('ns1.batch-error.json.stderr')).toMatch(/Command failed -:2/);
    expect(splitJsonValues(fixture('ns1.batch-error-force.json')).chunks).toHaveLength(3);
  });
});

describe('parseIpBatch', () => {
  it('reads clean output in one parse and anything else value by value, with the same result', () => {
    const text = fixture('ns1.batch-full.json');
    const commands = fixtureLines('batch-full.in');
    // A blank line between arrays is harmless but not "one array per line": the careful path.
    const careful = text.replace('\n', '\n\n');
    expect(careful).not.toBe(text);
    expect(parseIpBatch(careful, { commands })).toEqual(parseIpBatch(text, { commands }));
    // Two arrays on one line, or a raw newline inside a value, still come out right.
    const lines = text.trimEnd().split('\n');
    expect(parseIpBatch(`${lines[0]}${lines[1]}\n${lines.slice(2).join('\n')}\n`, { commands })).toEqual(parseIpBatch(text, { commands }));
  });

  it('matches the separate commands exactly (links, addresses, both-family routes, nsids)', () => {
    const r = parseIpBatch(fixture('ns1.batch-full.json'), { commands: fixtureLines('batch-full.in') });
    if (!r.ok) throw new Error(r.error);
    expect(r.warnings).toEqual([]);
    expect(r.value.missing).toEqual([]);
    const links = parseIpLink(fixture('ns1.link.json'));
    const addrs = parseIpAddr(fixture('ns1.addr.json'));
    const routes = parseIpRoute(fixture('ns1.route-all.json'));
    if (!links.ok || !addrs.ok || !routes.ok) throw new Error('fixture parse');
    const strip = (ls: typeof links.value) => ls.map(({ stats: _s, ...l }) => l);
    expect(strip(r.value.links!)).toEqual(strip(links.value));
    expect(r.value.addresses!.map((a) => a.cidr)).toEqual(addrs.value.addresses.map((a) => a.cidr));
    // The batch ran with -d (explicit protocol/scope), the single command without it.
    const key = (x: { dst: string; table: string; type: string; gateway?: string; dev?: string; metric?: number }) => [x.dst, x.table, x.type, x.gateway, x.dev, x.metric].join(' ');
    expect(r.value.routes!.map(key)).toEqual(routes.value.map(key));
    expect(r.value.routes!.some((x) => x.family === 6)).toBe(true);
    expect(r.value.nsids).toEqual([{ nsid: 0 }, { nsid: 1, name: 'ns2' }]);
  });

  it('the basic form (link/addr/route show) gives IPv4 routes only', () => {
    const r = parseIpBatch(fixture('ns1.batch-basic.json'), { commands: BASIC_BATCH_COMMANDS });
    if (!r.ok) throw new Error(r.error);
    expect(r.warnings).toEqual([]);
    expect(r.value.links!.map((l) => l.ifname)).toEqual(['lo', 'eth0', 'x12']);
    expect(r.value.routes!.length).toBeGreaterThan(0);
    expect(r.value.routes!.every((x) => x.family === 4)).toBe(true);
  });

  it('handles the root namespace with hostile names and raw control characters', () => {
    const r = parseIpBatch(fixture('root.batch-full.json'), { commands: RECOMMENDED_BATCH_COMMANDS });
    if (!r.ok) throw new Error(r.error);
    expect(r.warnings).toEqual([]);
    expect(r.value.links!.find((l) => l.ifname === 'vx1')!.alias).toBe('esc\x1b[31mred\x01ctl\ttab\x7fdel');
    expect(r.value.nsids).toEqual([{ nsid: 0, name: 'ns1' }, { nsid: 1, name: 'ns2' }]);
  });

  it('a failed line (no -force) with stderr: links kept, the rest reported missing', () => {
    const r = parseIpBatch(fixture('ns1.batch-error.json'), { commands: fixtureLines('batch-error.in'), stderr: fixture('ns1.batch-error.json.stderr') });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.links!.map((l) => l.ifname)).toEqual(['lo', 'eth0', 'x12']);
    expect(r.value.addresses).toBeUndefined();
    expect(r.value.routes).toBeUndefined();
    expect(r.value.missing).toEqual([2, 3, 4]);
    expect(r.warnings[0]).toBe('ip batch: line 2 ("link show dev no-such-dev") failed: Device "no-such-dev" does not exist.');
  });

  it('a failed line with -force and no stderr: outputs are matched by content, not position', () => {
    const r = parseIpBatch(fixture('ns1.batch-error-force.json'), { commands: fixtureLines('batch-error.in') });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.links).toHaveLength(3);
    expect(r.value.addresses!.length).toBeGreaterThan(3);
    expect(r.value.routes!.length).toBeGreaterThan(3);
    expect(r.value.missing).toEqual([2]);
  });

  it('an empty route table ([]) goes to the route command', () => {
    const text = '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"]}]\n[{"ifindex":1,"ifname":"lo","flags":[],"addr_info":[]}]\n[]\n';
    const r = parseIpBatch(text, { commands: BASIC_BATCH_COMMANDS });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.routes).toEqual([]);
    expect(r.value.missing).toEqual([]);
  });

  it('uses addr show links when link show produced nothing', () => {
    const text = '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK"],"addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8}]}]\n[]\n';
    const r = parseIpBatch(text, { commands: BASIC_BATCH_COMMANDS });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.links!.map((l) => l.ifname)).toEqual(['lo']);
    expect(r.value.addresses!.map((a) => a.cidr)).toEqual(['127.0.0.1/8']);
    expect(r.value.missing).toEqual([1]);
  });

  it('skips stray text and a truncated tail with warnings; pure garbage is an error', () => {
    const text = 'Warning: something\n[{"ifindex":1,"ifname":"lo","flags":[]}]\n[{"ifindex":1,"ifname":"lo","addr_info":[{"fam';
    const r = parseIpBatch(text, { commands: BASIC_BATCH_COMMANDS });
    expect(r.ok).toBe(true);
    expect(r.warnings.some((w) => w.includes('non-JSON'))).toBe(true);
    expect(r.warnings.some((w) => w.includes('truncated'))).toBe(true);
    const bad = parseIpBatch('Cannot open network namespace "nope": No such file or directory\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toBe('ip batch: no JSON arrays in the output');
    expect(parseIpBatch('').ok).toBe(false);
  });

  it('batchPart understands ip object prefixes', () => {
    expect(batchPart('link show')).toBe('link');
    expect(batchPart('l')).toBe('link');
    expect(batchPart('a s')).toBe('other');
    expect(batchPart('addr show')).toBe('addr');
    expect(batchPart('ro show table all')).toBe('route');
    expect(batchPart('netns list-id')).toBe('netns');
    expect(batchPart('neigh show')).toBe('other');
  });
});
