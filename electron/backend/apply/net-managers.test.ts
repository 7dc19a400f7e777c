// NetworkManager / systemd-networkd detection: the parser over captured outputs (nmcli's
// terse device status from a Debian 12 desktop, networkd link state files as networkd
// writes them), the interfaces a plan touches, and the real program in a sandbox host,
// where state files made the way networkd and NetworkManager write them are found.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxExecutor } from '../executor';
import { compile } from '../../../shared/compile/compile';
import { parseDesign } from '../../../shared/model/parse';
import { netManagersCommand, parseNetManagers, splitTerse, touchedRootInterfaces } from './net-managers';

// `nmcli -t -f DEVICE,STATE,CONNECTION device status` (NetworkManager 1.42), as the program prefixes it.
const NMCLI = [
  'nmcli enp1s0:connected:Wired connection 1',
  'nmcli wlp2s0:connected:Home\\: 5 GHz',
  'nmcli lo:connected (externally):lo',
  'nmcli docker0:connected (externally):docker0',
  'nmcli br0:disconnected:',
  'nmcli veth3f2a1:unmanaged:',
  'nmcli eth1:unavailable:',
].join('\n');

function plan(example: string) {
  const d = parseDesign(readFileSync(join('resources/examples', example), 'utf8'));
  if (!d.ok) throw new Error('example does not parse');
  const c = compile(d.design);
  if (!c.ok) throw new Error('example does not compile');
  return c.plan.hosts[0]!;
}

describe('parseNetManagers', () => {
  it('reports every asked-about device nmcli does not call unmanaged, with its state and connection', () => {
    const got = parseNetManagers(NMCLI, ['enp1s0', 'br0', 'veth3f2a1', 'eth1', 'wlp2s0']);
    expect(got).toEqual([
      { ifname: 'br0', manager: 'NetworkManager', state: 'disconnected' },
      { ifname: 'enp1s0', manager: 'NetworkManager', state: 'connected', config: 'Wired connection 1' },
      { ifname: 'eth1', manager: 'NetworkManager', state: 'unavailable' },
      { ifname: 'wlp2s0', manager: 'NetworkManager', state: 'connected', config: 'Home: 5 GHz' },
    ]);
  });
  it('ignores devices the plan does not touch', () => {
    expect(parseNetManagers(NMCLI, ['v-app1'])).toEqual([]);
  });
  it('reads networkd admin states: configured and configuring are managed, unmanaged and linger are not', () => {
    const out = ['networkd eth0 configured /etc/systemd/network/10-eth0.network', 'networkd eth1 unmanaged -', 'networkd br0 configuring -', 'networkd eth2 linger -'].join('\n');
    expect(parseNetManagers(out, ['eth0', 'eth1', 'br0', 'eth2'])).toEqual([
      { ifname: 'br0', manager: 'systemd-networkd', state: 'configuring' },
      { ifname: 'eth0', manager: 'systemd-networkd', state: 'configured', config: '/etc/systemd/network/10-eth0.network' },
    ]);
  });
  it("trusts nmcli over NetworkManager's state file when both speak", () => {
    const out = ['nm-file eth1 managed=true', 'nm-file eth2 managed=true', 'nm-file eth3 managed=false', 'nmcli eth1:unmanaged:'].join('\n');
    expect(parseNetManagers(out, ['eth1', 'eth2', 'eth3'])).toEqual([{ ifname: 'eth2', manager: 'NetworkManager', state: 'managed' }]);
  });
  it('splits terse lines on unescaped colons only', () => {
    expect(splitTerse('a\\:b:c\\\\:')).toEqual(['a:b', 'c\\', '']);
  });
});

describe('touchedRootInterfaces', () => {
  it("names a macvlan's parent NIC and the root-namespace ends of veths and bridges", () => {
    expect(touchedRootInterfaces(plan('macvlan-shim.wireplan.json'))).toContain('eth1');
    expect(touchedRootInterfaces(plan('two-namespaces-nat.wireplan.json'))).toEqual(['br0', 'v-app1', 'v-app2']);
  });
  it('passes only allowlisted interface names to the host', () => {
    expect(netManagersCommand(['eth0', 'x;reboot', 'a'.repeat(16)]).command).toBe("bash -s -- eth0");
  });
});

let sb: SandboxExecutor | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('net-managers.sh in a sandbox', () => {
  it("finds the daemons' state files by ifindex and skips interfaces that do not exist yet", async () => {
    sb = await SandboxExecutor.start({ name: 'netmgr' });
    const setup = [
      'ip link add eth0 type veth peer name eth0p',
      'ip link add eth1 type veth peer name eth1p',
      'mkdir -p /run/systemd/netif/links /run/NetworkManager/devices',
      // What systemd-networkd writes for a link it configured, and NetworkManager's device state.
      'printf "# This is private data. Do not parse.\\nADMIN_STATE=configured\\nOPER_STATE=routable\\nNETWORK_FILE=/etc/systemd/network/10-eth0.network\\n" > /run/systemd/netif/links/$(cat /sys/class/net/eth0/ifindex)',
      'printf "[device]\\nmanaged=true\\nperm-hw-addr-fake=false\\n" > /run/NetworkManager/devices/$(cat /sys/class/net/eth1/ifindex)',
      'printf "ADMIN_STATE=unmanaged\\n" > /run/systemd/netif/links/$(cat /sys/class/net/eth1/ifindex)',
    ].join(' && ');
    const r0 = await sb.run(setup);
    expect(r0.code, r0.stderr).toBe(0);
    const { command, stdin } = netManagersCommand(['eth0', 'eth1', 'br9']);
    const r = await sb.run(command, { stdin });
    expect(r.code, r.stderr).toBe(0);
    expect(parseNetManagers(r.stdout, ['eth0', 'eth1', 'br9'])).toEqual([
      { ifname: 'eth0', manager: 'systemd-networkd', state: 'configured', config: '/etc/systemd/network/10-eth0.network' },
      { ifname: 'eth1', manager: 'NetworkManager', state: 'managed' },
    ]);
  });
});
