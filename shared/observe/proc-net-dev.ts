// /proc/net/dev: every interface's counters of the reading process's namespace in one
// small text file (~150 bytes an interface). A shell reads it without starting a process
// (`$(</proc/net/dev)`), which makes it the cheapest source for 1 Hz traffic rates.
//
//   Inter-|   Receive                                                |  Transmit
//    face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
//       lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
//
// Interface names cannot contain ':' or whitespace (the kernel refuses them), so the first
// ':' after the leading blanks ends the name.
import { fail, guard, ok, type ParseResult } from './result';
import type { LinkStats } from './types';

export interface DevCounters {
  ifname: string;
  stats: LinkStats;
}

export function parseProcNetDev(text: string): ParseResult<DevCounters[]> {
  return guard('/proc/net/dev', () => {
    if (typeof text !== 'string') return fail('/proc/net/dev: input is not text');
    const out: DevCounters[] = [];
    const warnings: string[] = [];
    const lines = text.split('\n');
    let header = false;
    for (const [i, raw] of lines.entries()) {
      const line = raw.replace(/^\s+/, '');
      if (line === '') continue;
      if (line.startsWith('Inter-|') || line.startsWith('face |')) {
        header = true;
        continue;
      }
      const colon = line.indexOf(':');
      const fields = colon > 0 ? line.slice(colon + 1).trim().split(/\s+/).map(Number) : [];
      if (colon <= 0 || fields.length < 16 || fields.some((n) => !Number.isFinite(n) || n < 0)) {
        warnings.push(`/proc/net/dev: line ${i + 1} skipped`);
        continue;
      }
      const [rxBytes, rxPackets, rxErrors, rxDropped, , , , , txBytes, txPackets, txErrors, txDropped] = fields as [number, number, number, number, number, number, number, number, number, number, number, number];
      out.push({ ifname: line.slice(0, colon), stats: { rxBytes, rxPackets, txBytes, txPackets, rxErrors, rxDropped, txErrors, txDropped } });
    }
    if (!header && out.length === 0) return fail('/proc/net/dev: not the expected format', warnings);
    return ok(out, warnings);
  });
}
