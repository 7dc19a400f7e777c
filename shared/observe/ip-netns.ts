// `ip -j netns list` ([{"name":"ns1","id":0},{"name":"ns2"}]) and `ip -j netns list-id`
// ([{"nsid":0,"name":"ns1"},{"nsid":1}]). Ids are as numbered by the namespace ip ran in;
// an id without a name is a namespace with no /run/netns entry (seen from inside a named
// namespace, that is typically the root namespace).
import { isRecord, parseJson, str, uint } from './json';
import { fail, guard, ok, type ParseResult } from './result';
import type { NetnsId } from './types';

export function netnsFromArray(arr: unknown[], what: string, warnings: string[]): NetnsId[] {
  const out: NetnsId[] = [];
  arr.forEach((e, i) => {
    if (!isRecord(e)) {
      warnings.push(`${what}: entry ${i} skipped: not an object`);
      return;
    }
    const entry: NetnsId = {};
    const name = str(e, 'name');
    if (name !== undefined) entry.name = name;
    const nsid = uint(e, 'nsid') ?? uint(e, 'id');
    if (nsid !== undefined) entry.nsid = nsid;
    if (entry.name === undefined && entry.nsid === undefined) {
      warnings.push(`${what}: entry ${i} skipped: neither name nor id`);
      return;
    }
    out.push(entry);
  });
  return out;
}

export function parseIpNetns(text: string): ParseResult<NetnsId[]> {
  return guard('ip netns', () => {
    // `ip netns list` prints nothing at all (not "[]") when /run/netns does not exist.
    if (typeof text === 'string' && text.trim() === '') return ok([]);
    const parsed = parseJson(text, 'ip netns');
    if (!parsed.ok) return parsed;
    if (!Array.isArray(parsed.value)) return fail('ip netns: expected a JSON array');
    const warnings: string[] = [];
    return ok(netnsFromArray(parsed.value, 'ip netns', warnings), warnings);
  });
}
