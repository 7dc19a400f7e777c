import { describe, expect, it } from 'vitest';
import { parseProcNetDev } from './proc-net-dev';

const TEXT = [
  'Inter-|   Receive                                                |  Transmit',
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
  '    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0',
  'v-app1: 1234567890123     456    1    2    0     0          0         0     7890      12    3    4    0     0       0          0',
  'a$(id):      10       1    0    0    0     0          0         0       20       2    0    0    0     0       0          0',
  'garbage line',
].join('\n');

describe('parseProcNetDev', () => {
  it('reads every interface, names as data, counters beyond 32 bits', () => {
    const r = parseProcNetDev(TEXT);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.map((d) => d.ifname)).toEqual(['lo', 'v-app1', 'a$(id)']);
    expect(r.value[1]!.stats).toEqual({ rxBytes: 1234567890123, rxPackets: 456, rxErrors: 1, rxDropped: 2, txBytes: 7890, txPackets: 12, txErrors: 3, txDropped: 4 });
    expect(r.warnings).toEqual(['/proc/net/dev: line 6 skipped']);
  });

  it('refuses text that is not /proc/net/dev', () => {
    expect(parseProcNetDev('hello').ok).toBe(false);
  });
});
