import { bad, good, warn, type Case } from '../case';
import { el } from '../designs';

export const nameCases: Case[] = [
  bad('ifname-length', '16 characters', (d) => { el(d, 'bridges', 'br-db').ifname = 'bridge-database1'; }, { elementId: 'br-db', field: 'ifname' }),
  bad('ifname-length', '15 characters but 16 bytes', (d) => { el(d, 'bridges', 'br-db').ifname = 'brücke-database'; }, { elementId: 'br-db', field: 'ifname' }),
  bad('ifname-length', 'on a veth end', (d) => { el(d, 'veths', 'app1').a.ifname = 'x'.repeat(16); }, { elementId: 'app1', field: 'a.ifname' }),
  good('ifname-length', '15 bytes', (d) => { el(d, 'bridges', 'br-db').ifname = 'bridge-database'; }),

  bad('ifname-syntax', 'a colon (alias syntax)', (d) => { el(d, 'bridges', 'br-db').ifname = 'br:db'; }, { elementId: 'br-db', field: 'ifname' }),
  bad('ifname-syntax', 'a leading dash', (d) => { el(d, 'vlans', 'v10').ifname = '-v10'; }, { elementId: 'v10', field: 'ifname' }),
  bad('ifname-syntax', 'reserved "all"', (d) => { el(d, 'bridges', 'br-db').ifname = 'all'; }, { elementId: 'br-db', field: 'ifname' }),
  good('ifname-syntax', 'dots, dashes and underscores', (d) => { el(d, 'bridges', 'br-db').ifname = 'br.db_1-x'; }),

  bad('ifname-duplicate', 'a NIC name in the root namespace', (d) => { el(d, 'bridges', 'br-db').ifname = 'eth0'; }, { elementId: 'br-db', field: 'ifname' }),
  bad('ifname-duplicate', 'two explicit names', (d) => { el(d, 'bridges', 'br-db').ifname = 'x1'; el(d, 'vlans', 'v10').ifname = 'x1'; }, { elementId: 'br-db', field: 'ifname' }, { elementId: 'v10', field: 'ifname' }),
  bad('ifname-duplicate', 'lo', (d) => { el(d, 'veths', 'app1').a.ifname = 'lo'; }, { elementId: 'app1', field: 'a.ifname' }),
  good('ifname-duplicate', 'an explicit name wins over a derived one (which gets a suffix)', (d) => { el(d, 'bridges', 'br-db').ifname = 'br-app'; }),
  good('ifname-duplicate', 'eth0 inside two namespaces', (d) => { el(d, 'veths', 'app1').a.ifname = 'eth0'; el(d, 'veths', 'app2').a.ifname = 'eth0'; }),

  bad('ifname-ref-syntax', 'a masquerade egress with a command', (d) => { el(d, 'masquerades', 'nat-app').egress = 'eth0;reboot'; }, { elementId: 'nat-app', field: 'egress' }),
  bad('ifname-ref-syntax', 'a route dev with a space', (d) => { el(d, 'namespaces', 'ns-app1').routes[0]!.dev = 'app1 a'; }, { elementId: 'ns-app1', field: 'routes[0].dev' }),
  bad('ifname-ref-syntax', 'a bridge NIC', (d) => { el(d, 'bridges', 'br-db').nics = ['$(id)']; }, { elementId: 'br-db', field: 'nics[0]' }),
  bad('ifname-ref-syntax', 'a policy rule out-interface', (d) => { el(d, 'policies', 'db-guard').rules[0]!.out = 'br0;id'; }, { elementId: 'db-guard', field: 'rules[0].out' }),
  bad('ifname-ref-syntax', 'a port forward ingress', (d) => { el(d, 'portForwards', 'web').ingress = 'eth0 '; }, { elementId: 'web', field: 'ingress' }),
  good('ifname-ref-syntax', 'VLAN-style names', (d) => { el(d, 'masquerades', 'nat-app').egress = 'eth1.100'; }),

  bad('mac-syntax', 'a non-hex digit', (d) => { el(d, 'veths', 'app1').a.mac = '02:00:00:00:01:1g'; }, { elementId: 'app1', field: 'a.mac' }),
  good('mac-syntax', 'upper case (the compiler writes lower case)', (d) => { el(d, 'veths', 'app1').a.mac = '02:00:00:00:01:AA'; }),
  bad('mac-syntax', 'all zero', (d) => { el(d, 'bridges', 'br-db').mac = '00:00:00:00:00:00'; }, { elementId: 'br-db', field: 'mac' }),
  good('mac-syntax', 'a locally administered MAC', (d) => { el(d, 'bridges', 'br-db').mac = '02:ab:cd:ef:00:01'; }),

  bad('mac-multicast', 'first octet odd', (d) => { el(d, 'veths', 'app1').a.mac = '01:00:5e:00:00:01'; }, { elementId: 'app1', field: 'a.mac' }),
  good('mac-multicast', 'first octet even'),

  bad('mac-duplicate', 'two veth ends with one MAC', (d) => { el(d, 'veths', 'app2').a.mac = '02:00:00:00:01:10'; }, warn('app1', 'a.mac'), warn('app2', 'a.mac')),
  good('mac-duplicate', 'different MACs', (d) => { el(d, 'veths', 'app2').a.mac = '02:00:00:00:01:11'; }),
];
