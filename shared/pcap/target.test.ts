// Which kernel interface a capture taps, from the same names the compiler gives the plan.
import { describe, expect, it } from 'vitest';
import { DesignSchema } from '../model/schema';
import { resolveCaptureTarget } from './target';

const design = DesignSchema.parse({
  wireplan: 2,
  tag: 'cap',
  name: 'capture targets',
  hosts: [{ id: 'lab', name: 'Lab', target: { kind: 'sandbox' }, nics: [{ name: 'eth0' }] }],
  namespaces: [{ id: 'app1', name: 'app1', host: 'lab' }],
  bridges: [{ id: 'br0', name: 'br0', at: 'lab' }],
  veths: [{ id: 'link-app1', name: 'app1 uplink', a: { at: 'app1', ifname: 'eth0' }, b: { at: 'br0' } }],
  macvlans: [{ id: 'shim', name: 'shim', kind: 'macvlan', at: 'lab', parent: 'eth0', mode: 'bridge' }],
});

const ok = (element: string) => {
  const r = resolveCaptureTarget(design, element);
  if (!r.ok) throw new Error(r.error);
  return r.target;
};

describe('capture targets', () => {
  it('veth ends (by id or name; a veth alone is end a), bridges, macvlans and host NICs', () => {
    expect(ok('link-app1.a')).toEqual({ hostId: 'lab', netns: 'app1', ifname: 'eth0', label: 'veth app1 uplink end a (eth0 in app1 on Lab)' });
    expect(ok('link-app1.b')).toMatchObject({ netns: '', ifname: 'app1-uplink-b' });
    expect(ok('link-app1')).toMatchObject({ netns: 'app1', ifname: 'eth0' });
    expect(ok('app1 uplink.b')).toMatchObject({ ifname: 'app1-uplink-b' });
    expect(ok('br0')).toEqual({ hostId: 'lab', netns: '', ifname: 'br0', label: 'bridge br0 (br0 on Lab)' });
    expect(ok('shim')).toMatchObject({ ifname: 'shim', label: 'macvlan shim (shim on Lab)' });
    expect(ok('lab:eth0')).toEqual({ hostId: 'lab', netns: '', ifname: 'eth0', label: 'NIC eth0 on Lab' });
    expect(ok('Lab:eth0')).toMatchObject({ hostId: 'lab' });
  });

  it('says why anything else is not a capture target', () => {
    const err = (element: string) => {
      const r = resolveCaptureTarget(design, element);
      return r.ok ? 'resolved' : r.error;
    };
    expect(err('app1')).toBe('app1 is a namespace: capture on a link end, bridge, macvlan, VLAN, VXLAN or a host NIC (HOST:NIC)');
    expect(err('lab')).toBe('lab is a host: capture on a link end, bridge, macvlan, VLAN, VXLAN or a host NIC (HOST:NIC)');
    expect(err('nothere')).toBe('no element "nothere" to capture on in the design');
    expect(err('br0.a')).toBe('br0 is not a veth: it has no end "a"');
    expect(err('lab:eth9')).toBe('host lab has no NIC "eth9" in the design (NICs: eth0)');
    expect(err('far:eth0')).toBe('no host "far" in the design (hosts: lab)');
  });
});
