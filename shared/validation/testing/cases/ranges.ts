import { bad, good, warn, type Case } from '../case';
import { el } from '../designs';

export const rangeCases: Case[] = [
  bad('vlan-id-range', '4095 is reserved', (d) => { el(d, 'vlans', 'v10').vlanId = 4095; }, { elementId: 'v10', field: 'vlanId' }),
  bad('vlan-id-range', '0 is the priority tag', (d) => { el(d, 'vlans', 'v10').vlanId = 0; }, { elementId: 'v10', field: 'vlanId' }),
  good('vlan-id-range', '4094', (d) => { el(d, 'vlans', 'v10').vlanId = 4094; }),

  bad('vni-range', '0', (d) => { el(d, 'vxlans', 'vx1').vni = 0; el(d, 'vxlans', 'vx2').vni = 0; }, { elementId: 'vx1', field: 'vni' }, { elementId: 'vx2', field: 'vni' }),
  bad('vni-range', '2^24', (d) => { el(d, 'vxlans', 'vx1').vni = 16777216; }, { elementId: 'vx1', field: 'vni' }),
  good('vni-range', '2^24 - 1', (d) => { el(d, 'vxlans', 'vx1').vni = 16777215; el(d, 'vxlans', 'vx2').vni = 16777215; }),

  bad('pvid-range', '5000', (d) => { el(d, 'bridges', 'br-app').vlanFiltering = true; el(d, 'veths', 'app1').b.pvid = 5000; }, { elementId: 'app1', field: 'b.pvid' }),
  good('pvid-range', '4094 on a filtering bridge', (d) => { el(d, 'bridges', 'br-app').vlanFiltering = true; el(d, 'veths', 'app1').b.pvid = 4094; }),

  bad('pvid-not-filtering', 'a bridge without VLAN filtering', (d) => { el(d, 'veths', 'app1').b.pvid = 10; }, warn('app1', 'b.pvid')),
  bad('pvid-not-filtering', 'an end that is no bridge port', (d) => { el(d, 'veths', 'app1').a.pvid = 10; }, warn('app1', 'a.pvid')),
  good('pvid-not-filtering', 'a filtering bridge', (d) => { el(d, 'bridges', 'br-app').vlanFiltering = true; el(d, 'veths', 'app1').b.pvid = 10; }),

  bad('mtu-range', 'below 68', (d) => { el(d, 'bridges', 'br-db').mtu = 67; }, { elementId: 'br-db', field: 'mtu' }),
  bad('mtu-range', 'above 65535', (d) => { el(d, 'veths', 'db').a.mtu = 65536; }, { elementId: 'db', field: 'a.mtu' }),
  bad('mtu-range', 'a NIC MTU', (d) => { el(d, 'hosts', 'h1').nics[0]!.mtu = 10; }, { elementId: 'h1', field: 'nics[0].mtu' }),
  bad('mtu-range', 'below 1280 with IPv6', (d) => { el(d, 'bridges', 'br-app').mtu = 1279; }, { elementId: 'br-app', field: 'mtu' }),
  good('mtu-range', '1280 with IPv6 and 68 without', (d) => { el(d, 'bridges', 'br-app').mtu = 1280; el(d, 'bridges', 'br-db').mtu = 68; }),

  bad('port-range', 'port 0', (d) => { el(d, 'portForwards', 'web').port = 0; }, { elementId: 'web', field: 'port' }),
  bad('port-range', 'a target port above 65535', (d) => { el(d, 'portForwards', 'web').toPort = 70000; }, { elementId: 'web', field: 'toPort' }),
  bad('port-range', 'a VXLAN port', (d) => { el(d, 'vxlans', 'vx1').port = 0; }, { elementId: 'vx1', field: 'port' }),
  bad('port-range', 'an SSH port', (d) => { const t = el(d, 'hosts', 'h1').target; if (t.kind === 'ssh') t.port = 65536; }, { elementId: 'h1', field: 'target.port' }),
  good('port-range', '65535', (d) => { el(d, 'portForwards', 'web').port = 65535; }),

  bad('port-spec', 'a reversed range', (d) => { el(d, 'policies', 'db-guard').rules[0]!.ports = '8100-8000'; }, { elementId: 'db-guard', field: 'rules[0].ports' }),
  bad('port-spec', 'a service name', (d) => { el(d, 'policies', 'db-guard').rules[0]!.ports = 'postgres'; }, { elementId: 'db-guard', field: 'rules[0].ports' }),
  bad('port-spec', 'port 0', (d) => { el(d, 'policies', 'db-guard').rules[0]!.ports = '0'; }, { elementId: 'db-guard', field: 'rules[0].ports' }),
  good('port-spec', 'the full range', (d) => { el(d, 'policies', 'db-guard').rules[0]!.ports = '1-65535'; }),

  bad('metric-range', 'negative', (d) => { el(d, 'namespaces', 'ns-app1').routes[0]!.metric = -1; }, { elementId: 'ns-app1', field: 'routes[0].metric' }),
  bad('metric-range', 'above 32 bits', (d) => { el(d, 'hosts', 'h1').routes[0]!.metric = 2 ** 32; }, { elementId: 'h1', field: 'routes[0].metric' }),
  good('metric-range', '0', (d) => { el(d, 'namespaces', 'ns-app1').routes[0]!.metric = 0; }),
];
