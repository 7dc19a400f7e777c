import { bad, good, warn, type Case } from '../case';
import { el } from '../designs';

export const identityCases: Case[] = [
  bad('design-tag', 'upper case and a dash', (d) => { d.tag = 'Lab-1'; }, { field: 'tag' }),
  bad('design-tag', 'longer than 12', (d) => { d.tag = 'abcdefghijklm'; }, { field: 'tag' }),
  good('design-tag', '12 characters', (d) => { d.tag = 'abcdefghijkl'; }),

  bad('element-id-syntax', 'spaces and capitals', (d) => { el(d, 'masquerades', 'nat-app').id = 'NAT app'; }, { elementId: 'NAT app', field: 'id' }),
  good('element-id-syntax', '32 characters', (d) => { el(d, 'masquerades', 'nat-app').id = `n${'a'.repeat(31)}`; }),

  bad('element-id-duplicate', 'a masquerade reusing a port forward id', (d) => { el(d, 'masquerades', 'nat-app').id = 'web'; }, { elementId: 'web', field: 'id' }),
  good('element-id-duplicate', 'distinct ids'),

  bad('host-name-duplicate', 'two hosts called lab1', (d) => { el(d, 'hosts', 'h2').name = 'lab1'; }, { elementId: 'h2', field: 'name' }),
  good('host-name-duplicate', 'names differing in case', (d) => { el(d, 'hosts', 'h2').name = 'LAB1'; }),

  bad('netns-name-syntax', 'a path in the name', (d) => { el(d, 'namespaces', 'ns-mv').name = '../etc'; }, { elementId: 'ns-mv', field: 'name' }),
  good('netns-name-syntax', 'dots, dashes and underscores', (d) => { el(d, 'namespaces', 'ns-mv').name = 'mv.lan_1-a'; }),

  bad('netns-name-duplicate', 'two namespaces app1 on one host', (d) => { el(d, 'namespaces', 'ns-app2').name = 'app1'; }, { elementId: 'ns-app2', field: 'name' }),
  good('netns-name-duplicate', 'one name on two hosts', (d) => { el(d, 'namespaces', 'ns-remote').name = 'app1'; }),

  bad('nic-name-syntax', 'longer than 15 bytes', (d) => { el(d, 'hosts', 'h1').nics.push({ name: 'enp0s31f6-uplink0', management: false }); }, { elementId: 'h1', field: 'nics[3].name' }),
  bad('nic-name-syntax', 'shell characters', (d) => { el(d, 'hosts', 'h1').nics.push({ name: 'eth$(id)', management: false }); }, { elementId: 'h1', field: 'nics[3].name' }),
  good('nic-name-syntax', 'a predictable NIC name', (d) => { el(d, 'hosts', 'h1').nics.push({ name: 'enp0s31f6', management: false }); }),

  bad('nic-name-duplicate', 'eth1 declared twice', (d) => { el(d, 'hosts', 'h1').nics.push({ name: 'eth1', management: false }); }, { elementId: 'h1', field: 'nics[3].name' }),
  good('nic-name-duplicate', 'eth0 on two hosts'),

  bad('ssh-address', 'empty', (d) => { const t = el(d, 'hosts', 'h2').target; if (t.kind === 'ssh') t.address = ''; }, { elementId: 'h2', field: 'target.address' }),
  bad('ssh-address', 'shell characters', (d) => { const t = el(d, 'hosts', 'h2').target; if (t.kind === 'ssh') t.address = 'lab2;reboot'; }, { elementId: 'h2', field: 'target.address' }),
  good('ssh-address', 'an IPv6 address', (d) => { const t = el(d, 'hosts', 'h2').target; if (t.kind === 'ssh') t.address = 'fd00::2'; }),

  good('ssh-user', 'upper case (POSIX allows it)', (d) => { const t = el(d, 'hosts', 'h2').target; if (t.kind === 'ssh') t.user = 'Admin.Lab'; }),
  good('ssh-user', 'a DOMAIN\\user name', (d) => { const t = el(d, 'hosts', 'h2').target; if (t.kind === 'ssh') t.user = 'CORP\\jdoe'; }),
  bad('ssh-user', 'a shell character', (d) => { const t = el(d, 'hosts', 'h2').target; if (t.kind === 'ssh') t.user = 'ad$min'; }, { elementId: 'h2', field: 'target.user' }),
  bad('ssh-user', 'a space', (d) => { const t = el(d, 'hosts', 'h2').target; if (t.kind === 'ssh') t.user = 'ad min'; }, { elementId: 'h2', field: 'target.user' }),
  bad('ssh-user', 'an option', (d) => { const t = el(d, 'hosts', 'h2').target; if (t.kind === 'ssh') t.user = '-oProxyCommand=x'; }, { elementId: 'h2', field: 'target.user' }),
  good('ssh-user', 'with a dash', (d) => { const t = el(d, 'hosts', 'h2').target; if (t.kind === 'ssh') t.user = 'lab-admin'; }),

  bad('ssh-host-duplicate', 'two hosts on one address', (d) => { const t = el(d, 'hosts', 'h2').target; if (t.kind === 'ssh') t.address = '10.255.0.1'; }, warn('h2', 'target.address')),
  good('ssh-host-duplicate', 'one address, two ports', (d) => { const t = el(d, 'hosts', 'h2').target; if (t.kind === 'ssh') { t.address = '10.255.0.1'; t.port = 2222; } }),

  bad('sandbox-management-nic', 'a sandbox with a management NIC', (d) => { el(d, 'hosts', 'h2').target = { kind: 'sandbox' }; }, { elementId: 'h2', field: 'nics[0].management' }),
  good('sandbox-management-nic', 'a sandbox without one', (d) => { const h = el(d, 'hosts', 'h2'); h.target = { kind: 'sandbox' }; h.nics[0]!.management = false; }),
];
