// The capture context menu's entries per canvas element.
import { describe, expect, it } from 'vitest';
import { DesignSchema } from '../../../shared/model/schema';
import { captureChoices } from './captureTargets';

const design = DesignSchema.parse({
  wireplan: 2,
  tag: 'menu',
  name: 'menu',
  hosts: [{ id: 'lab', name: 'Lab', target: { kind: 'sandbox' }, nics: [{ name: 'eth0' }] }],
  namespaces: [{ id: 'app1', name: 'app1', host: 'lab' }],
  bridges: [{ id: 'br0', name: 'br0', at: 'lab' }],
  veths: [{ id: 'link-app1', name: 'app1 uplink', a: { at: 'app1' }, b: { at: 'br0' } }],
});

describe('capture menu entries', () => {
  it('a link offers both ends by where they sit; a bridge and a NIC one entry each', () => {
    expect(captureChoices(design, 'link-app1').map((c) => [c.element, c.menu])).toEqual([
      ['link-app1.a', 'Capture on the app1 end of app1 uplink'],
      ['link-app1.b', 'Capture on the br0 end of app1 uplink'],
    ]);
    expect(captureChoices(design, 'br0')).toEqual([{ element: 'br0', menu: 'Capture on bridge br0', title: 'bridge br0' }]);
    expect(captureChoices(design, 'nic:lab:eth0')).toEqual([{ element: 'lab:eth0', menu: 'Capture on NIC eth0 of Lab', title: 'NIC eth0 on Lab' }]);
  });

  it('namespaces, hosts and unknown NICs have none (they keep their own menus)', () => {
    expect(captureChoices(design, 'app1')).toEqual([]);
    expect(captureChoices(design, 'lab')).toEqual([]);
    expect(captureChoices(design, 'nic:lab:eth9')).toEqual([]);
  });
});
