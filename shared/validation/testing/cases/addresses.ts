import { bad, good, warn, type Case } from '../case';
import { el, make } from '../designs';

export const addressCases: Case[] = [
  bad('address-syntax', 'an interface address without length', (d) => { el(d, 'bridges', 'br-db').addresses = ['10.0.2.1']; }, { elementId: 'br-db', field: 'addresses[0]' }),
  bad('address-syntax', 'a gateway with a length', (d) => { el(d, 'namespaces', 'ns-app2').routes[0]!.via = '10.0.1.1/24'; }, { elementId: 'ns-app2', field: 'routes[0].via' }),
  bad('address-syntax', 'a route to a bare address', (d) => { el(d, 'namespaces', 'ns-remote').routes[0]!.to = '10.1.0.0'; }, { elementId: 'ns-remote', field: 'routes[0].to' }),
  bad('address-syntax', 'a masquerade source without length', (d) => { el(d, 'masquerades', 'nat-app').source = '10.0.1.0'; }, { elementId: 'nat-app', field: 'source' }),
  bad('address-syntax', 'a forward target with a port', (d) => { el(d, 'portForwards', 'web').to = '10.0.1.10:80'; }, { elementId: 'web', field: 'to' }),
  bad('address-syntax', 'a VXLAN remote host name', (d) => { el(d, 'vxlans', 'vx1').remote = 'lab2'; }, { elementId: 'vx1', field: 'remote' }),
  bad('address-syntax', 'an underlay octet above 255', (d) => { el(d, 'hosts', 'h1').underlay = '192.0.2.256'; }, { elementId: 'h1', field: 'underlay' }),
  bad('address-syntax', 'a short protected prefix', (d) => { el(d, 'policies', 'db-guard').protects = ['10.0.2/24']; }, { elementId: 'db-guard', field: 'protects[0]' }),
  bad('address-syntax', 'a rule source "any"', (d) => { el(d, 'policies', 'db-guard').rules[0]!.from = 'any'; }, { elementId: 'db-guard', field: 'rules[0].from' }),
  bad('address-syntax', 'a prefix length above 32', (d) => { el(d, 'veths', 'app1').a.addresses = ['10.0.1.10/33']; }, { elementId: 'app1', field: 'a.addresses[0]' }),
  good('address-syntax', 'IPv6 and IPv4-mapped forms', (d) => { el(d, 'bridges', 'br-db').addresses = ['10.0.2.1/24', 'fd00:2::1/64', '::ffff:10.0.2.1/128']; }),

  bad('prefix-host-bits', 'a route destination (kernel refuses)', (d) => { el(d, 'namespaces', 'ns-remote').routes[0]!.to = '10.0.0.1/16'; }, { elementId: 'ns-remote', field: 'routes[0].to' }),
  bad('prefix-host-bits', 'a masquerade source', (d) => { el(d, 'masquerades', 'nat-app').source = '10.0.1.5/24'; }, warn('nat-app', 'source')),
  good('prefix-host-bits', 'network addresses'),

  bad('address-special', 'the network address', (d) => { el(d, 'bridges', 'br-db').addresses = ['10.0.2.0/24']; }, warn('br-db', 'addresses[0]')),
  bad('address-special', 'the broadcast address', (d) => { el(d, 'bridges', 'br-db').addresses = ['10.0.2.255/24']; }, warn('br-db', 'addresses[0]')),
  bad('address-special', 'a multicast address', (d) => { el(d, 'veths', 'db').a.addresses = ['224.0.0.5/24']; }, { elementId: 'db', field: 'a.addresses[0]' }),
  bad('address-special', 'the unspecified address', (d) => { el(d, 'veths', 'db').a.addresses = ['::/64']; }, { elementId: 'db', field: 'a.addresses[0]' }),
  bad('address-special', 'loopback', (d) => { el(d, 'veths', 'db').a.addresses = ['127.0.0.2/8']; }, warn('db', 'a.addresses[0]')),
  good('address-special', 'a /31 point-to-point pair (RFC 3021)', (d) => { el(d, 'veths', 'app1').a.addresses = ['10.9.0.0/31']; el(d, 'bridges', 'br-app').addresses = ['10.9.0.1/31']; }),

  bad('family-mismatch', 'an IPv4 route via IPv6', (d) => { el(d, 'namespaces', 'ns-remote').routes[0]!.via = 'fd00::1'; }, { elementId: 'ns-remote', field: 'routes[0].via' }),
  bad('family-mismatch', 'VXLAN remote and local', (d) => { el(d, 'vxlans', 'vx1').local = 'fd00::1'; }, { elementId: 'vx1', field: 'remote' }),
  bad('family-mismatch', 'forward listen and target', (d) => { el(d, 'portForwards', 'web').listen = 'fd00::1'; }, { elementId: 'web', field: 'to' }),
  bad('family-mismatch', 'policy rule source and destination', (d) => { el(d, 'policies', 'db-guard').rules[0]!.to = 'fd00:2::/64'; }, { elementId: 'db-guard', field: 'rules[0].to' }),
  good('family-mismatch', 'a default route via IPv6'),

  bad('address-repeated', 'one address twice on one bridge', (d) => { el(d, 'bridges', 'br-db').addresses = ['10.0.2.1/24', '10.0.2.1/25']; }, { elementId: 'br-db', field: 'addresses[1]' }),
  good('address-repeated', 'two addresses on one bridge', (d) => { el(d, 'bridges', 'br-db').addresses = ['10.0.2.1/24', '10.0.2.2/24']; }),

  bad('address-duplicate-segment', 'two namespaces on one bridge', (d) => { el(d, 'veths', 'app2').a.addresses = ['10.0.1.10/24']; }, { elementId: 'app1', field: 'a.addresses[0]' }, { elementId: 'app2', field: 'a.addresses[0]' }),
  bad('address-duplicate-segment', 'a namespace using the bridge address', (d) => { el(d, 'veths', 'app2').a.addresses = ['10.0.1.1/24']; }, { elementId: 'br-app', field: 'addresses[0]' }, { elementId: 'app2', field: 'a.addresses[0]' }),
  bad('address-duplicate-segment', 'across hosts over VXLAN', (d) => { el(d, 'veths', 'remote').a.addresses = ['10.20.0.1/24']; }, { elementId: 'br-ov', field: 'addresses[0]' }, { elementId: 'remote', field: 'a.addresses[0]' }),
  good('address-duplicate-segment', 'one address on isolated segments', (d) => {
    d.veths.push(make.veth({ id: 'iso', name: 'iso', a: { at: 'ns-mv', addresses: ['10.0.1.10/24'] }, b: { at: 'ns-db', addresses: ['10.0.1.11/24'] } }));
  }),

  bad('address-duplicate-namespace', 'a /32 repeating the bridge address', (d) => { el(d, 'vlans', 'v10').addresses = ['10.0.1.1/32']; }, warn('br-app', 'addresses[0]'), warn('v10', 'addresses[0]')),
  good('address-duplicate-namespace', 'one address in two namespaces', (d) => {
    d.veths.push(make.veth({ id: 'iso', name: 'iso', a: { at: 'ns-mv', addresses: ['10.0.1.1/24'] }, b: { at: 'ns-db', addresses: ['10.0.1.2/24'] } }));
  }),

  bad('subnet-overlap', 'two bridges with 10.0.1.0/24', (d) => { el(d, 'bridges', 'br-db').addresses = ['10.0.1.254/24']; }, { elementId: 'br-app', field: 'addresses[0]' }, { elementId: 'br-db', field: 'addresses[0]' }),
  bad('subnet-overlap', 'a /16 covering two bridges', (d) => { el(d, 'vlans', 'v10').addresses = ['10.0.0.1/16']; }, warn('br-app', 'addresses[0]'), warn('br-db', 'addresses[0]'), warn('v10', 'addresses[0]')),
  good('subnet-overlap', 'one subnet in two namespaces', (d) => {
    d.veths.push(make.veth({ id: 'iso', name: 'iso', a: { at: 'ns-mv', addresses: ['10.0.1.1/24'] }, b: { at: 'ns-db', addresses: ['10.0.1.2/24'] } }));
  }),
  good('subnet-overlap', 'a /32 inside another subnet', (d) => { el(d, 'vlans', 'v10').addresses = ['10.0.1.200/32']; }),

  bad('subnet-mismatch', 'a namespace on the wrong subnet', (d) => { el(d, 'veths', 'app2').a.addresses = ['10.0.3.11/24']; }, warn('app2', 'a.addresses[0]')),
  good('subnet-mismatch', 'a /32 on a segment', (d) => { el(d, 'veths', 'app2').a.addresses = ['10.0.3.11/32']; }),
  good('subnet-mismatch', 'a wider prefix containing the neighbours', (d) => { el(d, 'veths', 'app2').a.addresses = ['10.0.1.11/16']; }),
];
