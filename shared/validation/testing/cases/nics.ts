import type { Design } from '../../../model/schema';
import { bad, good, warn, type Case } from '../case';
import { el, make } from '../designs';

const dropShim = (d: Design) => {
  d.macvlans = d.macvlans.filter((m) => m.id !== 'mv-shim');
  el(d, 'hosts', 'h1').routes = [];
};

export const nicCases: Case[] = [
  bad('macvlan-mode', 'an ipvlan in bridge mode', (d) => {
    d.macvlans.push(make.macvlan({ id: 'ipv', name: 'ipv', kind: 'ipvlan', at: 'ns-app1', parent: 'eth1', mode: 'bridge' }));
  }, { elementId: 'ipv', field: 'mode' }),
  bad('macvlan-mode', 'a macvlan in l3 mode', (d) => { el(d, 'macvlans', 'mv1').mode = 'l3'; }, { elementId: 'mv1', field: 'mode' }),
  good('macvlan-mode', 'an ipvlan in l3s mode', (d) => {
    d.macvlans.push(make.macvlan({ id: 'ipv', name: 'ipv', kind: 'ipvlan', at: 'ns-app1', parent: 'eth1', mode: 'l3s' }));
  }),

  bad('macvlan-no-shim', 'children without a shim', dropShim, warn('mv1', 'parent')),
  good('macvlan-no-shim', 'with a shim'),
  good('macvlan-no-shim', 'a private-mode child', (d) => { dropShim(d); el(d, 'macvlans', 'mv1').mode = 'private'; }),

  bad('macvlan-shim-routes', 'a shim without host routes', (d) => { el(d, 'hosts', 'h1').routes = []; }, warn('mv-shim', undefined)),
  bad('macvlan-shim-routes', 'a host route through another device', (d) => { el(d, 'hosts', 'h1').routes = [{ to: '192.168.50.20/32', dev: 'eth2' }]; }, warn('mv-shim', undefined)),
  good('macvlan-shim-routes', 'a covering route', (d) => { el(d, 'hosts', 'h1').routes = [{ to: '192.168.50.0/25', dev: 'mv-shim' }]; }),
  good('macvlan-shim-routes', 'the shim on the children\'s subnet', (d) => {
    el(d, 'hosts', 'h1').routes = [];
    el(d, 'macvlans', 'mv-shim').addresses = ['192.168.50.250/24'];
  }),

  bad('macvlan-passthru-exclusive', 'passthru next to a shim', (d) => { el(d, 'macvlans', 'mv1').mode = 'passthru'; }, { elementId: 'mv1', field: 'mode' }),
  good('macvlan-passthru-exclusive', 'passthru alone on its NIC', (d) => { dropShim(d); el(d, 'macvlans', 'mv1').mode = 'passthru'; }),

  bad('nic-busy', 'a bridge port that is also a macvlan parent', (d) => { el(d, 'bridges', 'br-db').nics = ['eth2']; },
    { elementId: 'br-db', field: 'nics[0]' }, { elementId: 'mv1', field: 'parent' }, { elementId: 'mv-shim', field: 'parent' }),
  bad('nic-busy', 'one NIC in two bridges', (d) => { el(d, 'bridges', 'br-db').nics = ['eth1']; el(d, 'bridges', 'br-app').nics = ['eth1']; },
    { elementId: 'br-app', field: 'nics[0]' }, { elementId: 'br-db', field: 'nics[0]' }),
  good('nic-busy', 'VLANs and a VXLAN underlay on a bridged NIC', (d) => { el(d, 'bridges', 'br-db').nics = ['eth1']; }),

  bad('vlan-duplicate', 'VLAN 10 twice on eth1', (d) => {
    d.vlans.push(make.vlan({ id: 'v10b', name: 'v10b', parent: 'eth1', vlanId: 10, at: 'ns-app1', addresses: ['10.10.0.2/24'] }));
  }, { elementId: 'v10b', field: 'vlanId' }),
  good('vlan-duplicate', 'VLAN 10 on another NIC', (d) => {
    d.vlans.push(make.vlan({ id: 'v10b', name: 'v10b', parent: 'eth2', vlanId: 10, at: 'ns-app1', addresses: ['10.11.0.2/24'] }));
  }),

  bad('management-nic', 'the management NIC in a bridge', (d) => { el(d, 'bridges', 'br-db').nics = ['eth0']; }, { elementId: 'br-db', field: 'nics[0]' }),
  bad('management-nic', 'a passthru macvlan on the management NIC', (d) => {
    d.macvlans.push(make.macvlan({ id: 'pt', name: 'pt', kind: 'macvlan', at: 'ns-app1', parent: 'eth0', mode: 'passthru' }));
  }, { elementId: 'pt', field: 'mode' }),
  good('management-nic', 'a bridge-mode macvlan on the management NIC', (d) => {
    d.macvlans.push(make.macvlan({ id: 'mvm', name: 'mvm', kind: 'macvlan', at: 'h1', parent: 'eth0', mode: 'bridge' }));
  }),

  bad('management-route', 'a default route in an SSH host\'s root namespace', (d) => { el(d, 'hosts', 'h1').routes.push({ to: 'default', via: '10.0.9.1', dev: 'eth0' }); }, warn('h1', 'routes[1]')),
  good('management-route', 'a default route on a sandbox host', (d) => {
    const h = el(d, 'hosts', 'h2');
    h.target = { kind: 'sandbox' };
    h.nics[0]!.management = false;
    h.routes.push({ to: 'default', via: '10.20.0.10' });
  }),

  bad('management-ssh-port', 'publishing tcp/22 on the management NIC', (d) => { el(d, 'portForwards', 'web').port = 22; }, { elementId: 'web', field: 'port' }),
  bad('management-ssh-port', 'publishing tcp/22 on every interface', (d) => { const p = el(d, 'portForwards', 'web'); p.port = 22; delete p.ingress; }, { elementId: 'web', field: 'port' }),
  good('management-ssh-port', 'tcp/22 on another NIC', (d) => { const p = el(d, 'portForwards', 'web'); p.port = 22; p.ingress = 'eth1'; }),
  good('management-ssh-port', 'udp/22', (d) => { const p = el(d, 'portForwards', 'web'); p.port = 22; p.protocol = 'udp'; }),
];
