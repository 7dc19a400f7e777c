import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../shared/compile/compile';
import { parseDesign } from '../../../shared/model/parse';
import type { Design } from '../../../shared/model/schema';
import { featuresOf } from './features';
import { forwardDropWarnings, type FirewallFacts } from './forward-policy';
import { managementConflicts, type ManagementPath } from './mgmt-guard';
import { parsePreflight } from './preflight';

const examples = join(__dirname, '../../../resources/examples');
function load(file: string, edit?: (d: Design) => void) {
  const r = parseDesign(readFileSync(join(examples, file), 'utf8'));
  if (!r.ok) throw new Error(file);
  edit?.(r.design);
  const c = compile(r.design);
  if (!c.ok) throw new Error(JSON.stringify(c.diagnostics));
  return c.plan.hosts[0]!;
}

const mgmt: ManagementPath = { client: '10.231.0.1', server: '10.231.0.2', sshPort: 22, ifaces: ['eth0'], route: '10.231.0.1 dev eth0 src 10.231.0.2' };

describe('management guard', () => {
  it('passes the examples that only masquerade or publish other ports through the uplink', () => {
    for (const f of ['two-namespaces-nat', 'lxc-bridge', 'isolated-service']) expect(managementConflicts(load(`${f}.wireplan.json`), mgmt), f).toEqual([]);
    // Forward-policy drops that name the uplink filter routed traffic, not the session to the host.
    expect(managementConflicts(load('isolated-lxc.wireplan.json'), mgmt)).toEqual([]);
  });

  it('refuses enslaving the interface that carries the session', () => {
    // Bridged mode on the NIC that carries the session (its masquerade would now match a bridge port).
    const host = load('lxc-bridge.wireplan.json', (d) => {
      d.bridges[0]!.nics.push('eth0');
      d.masquerades = [];
    });
    const c = managementConflicts(host, mgmt);
    expect(c.map((x) => x.reason)).toEqual(['enslaves management interface eth0 to lxcbr0 and moves its addresses and routes there']);
    expect(c[0]!.stepId).toBe('link-state:root:eth0');
  });

  it('refuses readdressing it, a route over the client, a passthru macvlan and an SSH-port DNAT', () => {
    const host = load('macvlan-shim.wireplan.json', (d) => {
      d.macvlans = [d.macvlans[0]!];
      d.macvlans[0]!.mode = 'passthru';
      d.hosts[0]!.routes = [{ to: '10.231.0.0/30', via: '10.50.0.1' }];
    });
    const reasons = managementConflicts(host, { ...mgmt, ifaces: ['eth1'] }).map((c) => c.reason);
    expect(reasons).toContain('a passthru macvlan takes over management interface eth1');
    expect(reasons).toContain('route 10.231.0.0/30 covers the SSH client 10.231.0.1 and may take over the session\'s return path');
    const dnat = load('two-namespaces-nat.wireplan.json', (d) => (d.portForwards[0]!.port = 22));
    expect(managementConflicts(dnat, mgmt).map((c) => c.reason)).toEqual([
      "redirects tcp/22, the SSH port: new SSH connections (Wireplan's confirm included) would go elsewhere",
    ]);
    const elsewhere = load('two-namespaces-nat.wireplan.json', (d) => {
      d.portForwards[0]!.port = 22;
      d.portForwards[0]!.ingress = 'br0';
    });
    expect(managementConflicts(elsewhere, mgmt)).toEqual([]);
  });
});

describe('preflight facts', () => {
  it('reads the probe output, including the session path found under sudo', () => {
    const facts = parsePreflight(
      [
        'uid 0',
        'tool ip /usr/sbin/ip',
        'tool nft -',
        'tail-pid 1',
        'iptables-version iptables v1.8.9 (nf_tables)',
        'iptables-forward -P FORWARD DROP',
        'iptables-docker-user yes',
        'nft-forward-drop ip filter FORWARD',
        'bridge-nf 1',
        'ssh-connection 10.231.0.1 50022 10.231.0.2 22',
        'mgmt-route 10.231.0.1 dev br0 src 10.231.0.2 uid 0',
        'mgmt-if br0',
        'mgmt-if eth0',
        'mgmt-if br0',
        'feature veth ok',
        'feature vlan missing: Error: Unknown device type.',
      ].join('\n'),
    );
    expect(facts.uid).toBe(0);
    expect(facts.tools).toEqual({ ip: '/usr/sbin/ip', nft: null });
    expect(facts.firewall).toMatchObject({ backend: 'iptables-nft', iptablesForward: '-P FORWARD DROP', dockerUser: true, bridgeNfCall: true });
    expect(facts.management).toEqual({ client: '10.231.0.1', server: '10.231.0.2', sshPort: 22, ifaces: ['br0', 'eth0'], route: '10.231.0.1 dev br0 src 10.231.0.2 uid 0' });
    expect(facts.features).toEqual({ veth: 'ok', vlan: 'missing: Error: Unknown device type.' });
  });

  it('names the kernel features a plan needs', () => {
    expect(featuresOf(load('two-namespaces-nat.wireplan.json'))).toEqual(['veth', 'bridge', 'nftables']);
    expect(featuresOf(load('macvlan-shim.wireplan.json'))).toEqual(['macvlan']);
  });
});

describe('FORWARD policy DROP', () => {
  const docker: FirewallFacts = { backend: 'iptables-nft', iptablesForward: '-P FORWARD DROP', dockerUser: true, nftForwardDrop: ['ip filter FORWARD'], bridgeNfCall: true };
  it('warns with the exact rules for the interfaces this plan routes through', () => {
    const w = forwardDropWarnings(load('two-namespaces-nat.wireplan.json'), docker);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('iptables -I DOCKER-USER -i br0 -j ACCEPT');
    expect(w[0]).toContain('iptables -I DOCKER-USER -o br0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  });
  it('uses nft syntax for a native nft chain, and says nothing when the policy accepts', () => {
    const nft: FirewallFacts = { backend: 'nft', dockerUser: false, nftForwardDrop: ['inet filter forward'], bridgeNfCall: false };
    expect(forwardDropWarnings(load('lxc-bridge.wireplan.json'), nft)[0]).toContain('nft insert rule inet filter forward iifname "lxcbr0" accept');
    expect(forwardDropWarnings(load('lxc-bridge.wireplan.json'), { ...docker, iptablesForward: '-P FORWARD ACCEPT', nftForwardDrop: [] })).toEqual([]);
  });
});
