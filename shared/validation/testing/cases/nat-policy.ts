import { bad, good, warn, type Case } from '../case';
import { el, make } from '../designs';

const publishDb = (port: number, toPort?: number) =>
  make.portForward({ id: 'dbpub', name: 'dbpub', at: 'h1', protocol: 'tcp', port, to: '10.0.2.10', ...(toPort !== undefined ? { toPort } : {}) });

export const natPolicyCases: Case[] = [
  bad('port-forward-target-unknown', 'nobody has the target address', (d) => { el(d, 'portForwards', 'web').to = '10.0.1.99'; }, warn('web', 'to')),
  bad('port-forward-target-unknown', 'the address is on another host', (d) => { el(d, 'portForwards', 'web').to = '10.20.0.10'; }, warn('web', 'to')),
  good('port-forward-target-unknown', 'a target in another namespace of the host', (d) => { el(d, 'portForwards', 'web').to = '10.0.1.11'; }),

  bad('port-forward-duplicate', 'tcp/8080 twice', (d) => { d.portForwards.push(make.portForward({ id: 'web2', name: 'web2', at: 'h1', protocol: 'tcp', port: 8080, to: '10.0.1.11' })); }, { elementId: 'web2', field: 'port' }),
  good('port-forward-duplicate', 'udp/8080 next to tcp/8080', (d) => { d.portForwards.push(make.portForward({ id: 'web2', name: 'web2', at: 'h1', protocol: 'udp', port: 8080, to: '10.0.1.11' })); }),
  good('port-forward-duplicate', 'one port on two listen addresses', (d) => {
    el(d, 'portForwards', 'web').listen = '10.255.0.1';
    d.portForwards.push(make.portForward({ id: 'web2', name: 'web2', at: 'h1', protocol: 'tcp', port: 8080, listen: '10.255.0.9', to: '10.0.1.11' }));
  }),

  bad('port-forward-unreachable', 'a target the router has no path to', (d) => {
    d.veths.push(make.veth({ id: 'iso', name: 'iso', a: { at: 'ns-mv', addresses: ['10.30.0.1/24'] }, b: { at: 'ns-db', addresses: ['10.30.0.2/24'] } }));
    el(d, 'portForwards', 'web').to = '10.30.0.2';
  }, warn('web', 'to')),
  good('port-forward-unreachable', 'a target on a bridge of the router'),
  good('port-forward-unreachable', 'a target the router routes to', (d) => {
    el(d, 'namespaces', 'ns-app1').sysctls.ipForward = true;
    d.veths.push(make.veth({ id: 'iso', name: 'iso', a: { at: 'ns-app1', addresses: ['10.30.0.1/24'] }, b: { at: 'ns-mv', addresses: ['10.30.0.2/24'] } }));
    el(d, 'hosts', 'h1').routes.push({ to: '10.30.0.0/24', via: '10.0.1.10' });
    el(d, 'namespaces', 'ns-mv').routes.push({ to: 'default', via: '10.30.0.1' });
    el(d, 'portForwards', 'web').to = '10.30.0.2';
  }),

  bad('port-forward-no-return', 'a target namespace without a default route', (d) => { el(d, 'namespaces', 'ns-app1').routes = []; }, warn('web', 'to')),
  bad('port-forward-no-return', 'only an IPv6 default for an IPv4 target', (d) => { el(d, 'namespaces', 'ns-app1').routes.shift(); }, warn('web', 'to')),
  good('port-forward-no-return', 'a default route via the router'),
  good('port-forward-no-return', 'a default route by device', (d) => { el(d, 'namespaces', 'ns-app1').routes = [{ to: 'default', dev: 'app1-a' }]; }),

  bad('policy-blocks-port-forward', 'the default action drops it', (d) => { d.portForwards.push(publishDb(3306)); }, warn('dbpub', 'to'), warn('db-guard', 'defaultAction')),
  bad('policy-blocks-port-forward', 'an explicit drop rule', (d) => {
    d.portForwards.push(publishDb(5432));
    el(d, 'policies', 'db-guard').rules.unshift({ protocol: 'tcp', ports: '5000-6000', action: 'drop' });
  }, warn('dbpub', 'to'), warn('db-guard', 'rules[0].action')),
  bad('policy-blocks-port-forward', 'judged on the target port, not the published one', (d) => { d.portForwards.push(publishDb(5432, 3306)); }, warn('dbpub', 'to'), warn('db-guard', 'defaultAction')),
  good('policy-blocks-port-forward', 'a rule accepts the port from some clients', (d) => { d.portForwards.push(publishDb(15432, 5432)); }),
  good('policy-blocks-port-forward', 'a rule accepts the port from anyone', (d) => {
    d.portForwards.push(publishDb(3306));
    el(d, 'policies', 'db-guard').rules.push({ to: '10.0.2.10/32', protocol: 'tcp', ports: '3306', action: 'accept' });
  }),
  good('policy-blocks-port-forward', 'drops for other interfaces and states leave it to a later accept', (d) => {
    d.portForwards.push(publishDb(3306));
    el(d, 'policies', 'db-guard').rules.push(
      { in: 'eth1', protocol: 'any', action: 'drop' },
      { state: ['invalid'], protocol: 'any', action: 'drop' },
      { to: '10.0.2.10/32', protocol: 'tcp', ports: '3306', action: 'accept' },
    );
  }),
  bad('policy-blocks-port-forward', 'a drop of new connections decides', (d) => {
    d.portForwards.push(publishDb(3306));
    el(d, 'policies', 'db-guard').rules.unshift({ state: ['new'], protocol: 'any', action: 'drop' });
    el(d, 'policies', 'db-guard').defaultAction = 'accept';
  }, warn('dbpub', 'to'), warn('db-guard', 'rules[0].action')),
  good('policy-blocks-port-forward', 'a policy at another router', (d) => {
    d.portForwards.push(publishDb(3306));
    el(d, 'policies', 'db-guard').at = 'ns-db';
    el(d, 'namespaces', 'ns-db').sysctls.ipForward = true;
  }),

  bad('policy-ports-protocol', 'ports with icmp', (d) => { el(d, 'policies', 'db-guard').rules[0]!.protocol = 'icmp'; }, { elementId: 'db-guard', field: 'rules[0].ports' }),
  bad('policy-ports-protocol', 'ports with any', (d) => { el(d, 'policies', 'db-guard').rules[0]!.protocol = 'any'; }, { elementId: 'db-guard', field: 'rules[0].ports' }),
  good('policy-ports-protocol', 'ports with udp', (d) => { el(d, 'policies', 'db-guard').rules[0]!.protocol = 'udp'; }),

  bad('policy-protects-empty', 'nothing protected', (d) => { el(d, 'policies', 'db-guard').protects = []; }, warn('db-guard', 'protects')),
  good('policy-protects-empty', 'one prefix'),

  bad('policy-rule-shadowed', 'a catch-all first', (d) => { el(d, 'policies', 'db-guard').rules.unshift({ protocol: 'any', action: 'accept' }); }, warn('db-guard', 'rules[1]')),
  good('policy-rule-shadowed', 'a catch-all last', (d) => { el(d, 'policies', 'db-guard').rules.push({ protocol: 'any', action: 'drop' }); }),

  bad('policy-overlap', 'two policies for one subnet at one router', (d) => { d.policies.push(make.policy({ id: 'wide', name: 'wide', at: 'h1', protects: ['10.0.0.0/16'] })); }, warn('wide', 'protects')),
  good('policy-overlap', 'disjoint prefixes', (d) => { d.policies.push(make.policy({ id: 'app', name: 'app', at: 'h1', protects: ['10.0.1.0/24'], defaultAction: 'accept' })); }),

  bad('iface-match-bridge-port', 'a policy rule matching a veth end enslaved to a bridge', (d) => {
    el(d, 'veths', 'app1').b.ifname = 'v-app1';
    el(d, 'policies', 'db-guard').rules[0]!.in = 'v-app1';
  }, { elementId: 'db-guard', field: 'rules[0].in' }),
  bad('iface-match-bridge-port', 'a masquerade except a bridge port', (d) => {
    el(d, 'veths', 'app2').b.ifname = 'v-app2';
    el(d, 'masquerades', 'nat-app').egress = undefined;
    el(d, 'masquerades', 'nat-app').egressExcept = 'v-app2';
  }, { elementId: 'nat-app', field: 'egressExcept' }),
  good('iface-match-bridge-port', 'matching the bridge and a NIC', (d) => {
    el(d, 'policies', 'db-guard').rules[0]!.in = 'br-app';
    el(d, 'policies', 'db-guard').rules[0]!.out = 'br-db';
    el(d, 'policies', 'db-guard').rules.push({ in: 'eth0', protocol: 'any', action: 'drop' });
  }),

  bad('masquerade-egress-both', 'egress and an excepted egress', (d) => { el(d, 'masquerades', 'nat-app').egressExcept = 'br-app'; }, { elementId: 'nat-app', field: 'egressExcept' }),
  good('masquerade-egress-both', 'anything but the segment\'s own bridge', (d) => {
    el(d, 'masquerades', 'nat-app').egress = undefined;
    el(d, 'masquerades', 'nat-app').egressExcept = 'br-app';
  }),

  bad('policy-state-empty', 'an empty state list', (d) => { el(d, 'policies', 'db-guard').rules[0]!.state = []; }, { elementId: 'db-guard', field: 'rules[0].state' }),
  good('policy-state-empty', 'new and invalid', (d) => { el(d, 'policies', 'db-guard').rules[0]!.state = ['new', 'invalid']; }),

  bad('policy-state-established', 'established only, behind "allow established"', (d) => { el(d, 'policies', 'db-guard').rules[0]!.state = ['established', 'related']; }, warn('db-guard', 'rules[0].state')),
  good('policy-state-established', 'established only, deciding on its own', (d) => {
    el(d, 'policies', 'db-guard').allowEstablished = false;
    el(d, 'policies', 'db-guard').rules[0]!.state = ['established'];
  }),
];
