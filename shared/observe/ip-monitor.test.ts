// `ip -ts monitor all-nsid` lines as printed by iproute2 6.1 on this machine.
import { describe, expect, it } from 'vitest';
import { parseMonitorLine, triggersRepoll } from './ip-monitor';

describe('parseMonitorLine', () => {
  it('reads the namespace prefix, the object kind and deletions', () => {
    expect(parseMonitorLine('[2026-11-21T15:11:59.613929] [nsid current]2: va@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default ')).toEqual({
      stamp: '2026-11-21T15:11:59.613929',
      nsid: 'current',
      object: 'link',
      deleted: false,
      ifname: 'va',
    });
    expect(parseMonitorLine('[nsid current]4: br0: <BROADCAST,MULTICAST> mtu 1500')?.ifname).toBe('br0');
    expect(parseMonitorLine('[nsid 0]2: va    inet 10.0.0.2/24 scope global eth0')).toMatchObject({ nsid: 0, object: 'addr' });
    expect(parseMonitorLine('[nsid 0]default via 10.0.0.1 dev va ')).toMatchObject({ nsid: 0, object: 'route' });
    expect(parseMonitorLine('[nsid 0]10.0.0.0/24 dev va proto kernel scope link src 10.0.0.2 linkdown ')).toMatchObject({ object: 'route' });
    expect(parseMonitorLine('[nsid 0]Deleted fe80::/64 dev va proto kernel metric 256 pref medium')).toMatchObject({ object: 'route', deleted: true });
    expect(parseMonitorLine('[nsid current]inet va forwarding off rp_filter off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off ')).toMatchObject({ object: 'netconf' });
    expect(parseMonitorLine('[nsid current]dev br0 lladdr 02:d9:be:35:fc:86 PERMANENT ')).toMatchObject({ object: 'neigh' });
    expect(parseMonitorLine('[nsid current]nsid 1 (iproute2 netns name: b)')).toEqual({ nsid: 'current', object: 'nsid', deleted: false, about: { nsid: 1, name: 'b' } });
    expect(parseMonitorLine('[nsid current]Deleted nsid 1 (iproute2 netns name: b)')).toMatchObject({ object: 'nsid', deleted: true, about: { nsid: 1, name: 'b' } });
    expect(parseMonitorLine('[nsid current]Deleted 3: vb@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN group default ')).toMatchObject({ object: 'link', deleted: true });
  });

  it('skips continuation, -t timestamp and blank lines; hostile names stay harmless', () => {
    expect(parseMonitorLine('    link/ether 72:9d:91:66:42:40 brd ff:ff:ff:ff:ff:ff link-netns a')).toBeUndefined();
    expect(parseMonitorLine('Timestamp: Sat Nov 21 15:09:53 2026 809562 usec')).toBeUndefined();
    expect(parseMonitorLine('')).toBeUndefined();
    expect(parseMonitorLine('[nsid current]7: a$(id): <BROADCAST,MULTICAST> mtu 1500')).toMatchObject({ object: 'link' });
    expect(parseMonitorLine('garbage <img src=x onerror=alert(1)>')).toMatchObject({ object: 'other' });
  });

  it('says which events are worth a re-read', () => {
    const ev = (l: string) => parseMonitorLine(l)!;
    expect(triggersRepoll(ev('[nsid 3]2: eth0@if2: <BROADCAST> mtu 1500'))).toBe(true);
    expect(triggersRepoll(ev('[nsid current]dev br0 lladdr 02:d9:be:35:fc:86 PERMANENT '))).toBe(false);
    expect(triggersRepoll(ev('[nsid 0]default via 10.0.0.1 dev va '))).toBe(true);
    expect(triggersRepoll(ev('[nsid 0]10.0.0.0/24 dev va proto kernel scope link src 10.0.0.2 linkdown '))).toBe(false);
    expect(triggersRepoll(ev('[nsid 0]Deleted fe80::/64 dev va proto kernel metric 256 pref medium'))).toBe(false);
    expect(triggersRepoll(ev('[nsid current]local fe80::b064:47ff:fea1:874e dev v-app2 table local proto kernel metric 0 pref medium'))).toBe(false);
  });
});
