import { bad, good, warn, type Case } from '../case';
import { el, make } from '../designs';

export const routingCases: Case[] = [
  bad('route-no-target', 'neither via nor dev', (d) => { el(d, 'namespaces', 'ns-app2').routes.push({ to: '10.9.0.0/16' }); }, { elementId: 'ns-app2', field: 'routes[1]' }),
  good('route-no-target', 'dev only, by derived name', (d) => { el(d, 'namespaces', 'ns-app2').routes.push({ to: '10.9.0.0/16', dev: 'app2-a' }); }),

  bad('route-duplicate', 'a second IPv4 default', (d) => { el(d, 'namespaces', 'ns-app1').routes.push({ to: 'default', via: '10.0.1.1' }); }, { elementId: 'ns-app1', field: 'routes[2]' }),
  bad('route-duplicate', 'IPv6 metric 1024 is the default metric', (d) => { el(d, 'namespaces', 'ns-app1').routes.push({ to: 'default', via: 'fd00:1::1', metric: 1024 }); }, { elementId: 'ns-app1', field: 'routes[2]' }),
  bad('route-duplicate', 'one prefix written two ways', (d) => { el(d, 'namespaces', 'ns-app1').routes.push({ to: '10.8.0.0/16', via: '10.0.1.1' }, { to: '10.8.0.0/16', via: '10.0.1.11' }); }, { elementId: 'ns-app1', field: 'routes[3]' }),
  good('route-duplicate', 'a backup default with a higher metric', (d) => { el(d, 'namespaces', 'ns-app1').routes.push({ to: 'default', via: '10.0.1.11', metric: 100 }); }),

  bad('route-shadows-connected', 'a metric-0 route onto the connected subnet', (d) => { el(d, 'namespaces', 'ns-app1').routes.push({ to: '10.0.1.0/24', via: '10.0.1.1' }); }, { elementId: 'ns-app1', field: 'routes[2].to' }),
  good('route-shadows-connected', 'with a metric', (d) => { el(d, 'namespaces', 'ns-app1').routes.push({ to: '10.0.1.0/24', via: '10.0.1.1', metric: 10 }); }),
  good('route-shadows-connected', 'IPv6 (connected routes have metric 256)', (d) => { el(d, 'namespaces', 'ns-app1').routes.push({ to: 'fd00:1::/64', via: 'fd00:1::1' }); }),

  bad('gateway-unreachable', 'a gateway off every subnet of a namespace', (d) => { el(d, 'namespaces', 'ns-app2').routes[0]!.via = '10.0.5.1'; }, { elementId: 'ns-app2', field: 'routes[0].via' }),
  bad('gateway-unreachable', 'a gateway on another interface than dev', (d) => { el(d, 'namespaces', 'ns-app1').routes.push({ to: '10.7.0.0/16', via: '10.0.1.1', dev: 'lo' }); }, { elementId: 'ns-app1', field: 'routes[2].via' }),
  bad('gateway-unreachable', 'root namespace with NICs: only a warning', (d) => { el(d, 'hosts', 'h1').routes.push({ to: '10.99.0.0/16', via: '10.0.9.1' }); }, warn('h1', 'routes[1].via')),
  bad('gateway-unreachable', 'a link-local gateway without dev', (d) => { el(d, 'namespaces', 'ns-app1').routes[1]!.via = 'fe80::1'; }, { elementId: 'ns-app1', field: 'routes[1].via' }),
  good('gateway-unreachable', 'a link-local gateway with dev', (d) => { el(d, 'namespaces', 'ns-app1').routes[1] = { to: 'default', via: 'fe80::1', dev: 'app1-a' }; }),
  good('gateway-unreachable', 'a root route through a NIC', (d) => { el(d, 'hosts', 'h1').routes.push({ to: '10.99.0.0/16', via: '10.0.9.1', dev: 'eth0' }); }),

  bad('gateway-local', 'the namespace\'s own address', (d) => { el(d, 'namespaces', 'ns-app1').routes[0]!.via = '10.0.1.10'; }, { elementId: 'ns-app1', field: 'routes[0].via' }),
  good('gateway-local', 'the bridge address'),

  bad('gateway-not-forwarding', 'the host routes for namespaces without ip_forward', (d) => { el(d, 'hosts', 'h1').sysctls.ipForward = false; }, warn('h1', 'sysctls.ipForward')),
  bad('gateway-not-forwarding', 'IPv6 forwarding off', (d) => { el(d, 'hosts', 'h1').sysctls.ipv6Forward = false; }, warn('h1', 'sysctls.ipv6Forward')),
  bad('gateway-not-forwarding', 'a namespace used as a router', (d) => { el(d, 'namespaces', 'ns-app2').routes.push({ to: '10.50.0.0/16', via: '10.0.1.10' }); }, warn('ns-app1', 'sysctls.ipForward')),
  good('gateway-not-forwarding', 'a namespace router that forwards', (d) => {
    el(d, 'namespaces', 'ns-app2').routes.push({ to: '10.50.0.0/16', via: '10.0.1.10' });
    el(d, 'namespaces', 'ns-app1').sysctls.ipForward = true;
  }),

  bad('forwarding-off', 'NAT, a port forward and a policy on a host without ip_forward', (d) => { el(d, 'hosts', 'h1').sysctls.ipForward = false; }, { elementId: 'nat-app', field: 'at' }, { elementId: 'web', field: 'at' }, warn('db-guard', 'at')),
  bad('forwarding-off', 'NAT in a namespace router', (d) => { d.masquerades.push(make.masquerade({ id: 'nat-ns', name: 'nat-ns', at: 'ns-app1', source: '10.9.0.0/24' })); }, { elementId: 'nat-ns', field: 'at' }),
  bad('forwarding-off', 'an IPv6 port forward needs IPv6 forwarding', (d) => { el(d, 'hosts', 'h1').sysctls.ipv6Forward = false; el(d, 'portForwards', 'web').to = 'fd00:1::10'; }, { elementId: 'web', field: 'at' }),
  good('forwarding-off', 'NAT in a namespace router that forwards', (d) => {
    d.masquerades.push(make.masquerade({ id: 'nat-ns', name: 'nat-ns', at: 'ns-app1', source: '10.9.0.0/24' }));
    el(d, 'namespaces', 'ns-app1').sysctls.ipForward = true;
  }),
];
