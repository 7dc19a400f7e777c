import { describe, expect, it } from 'vitest';
import { setElementField } from './edit';
import { propagateName } from './rename';
import { build } from './testing';

describe('a new name carries its derived names along', () => {
  it('link names and the kernel names made from the old name follow; names set by hand stay', () => {
    let d = build([{ add: 'namespace' }, { add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }, { connect: ['ns2', 'br0'] }]);
    expect(d.veths.map((v) => [v.name, v.b.ifname])).toEqual([
      ['ns1-br0', 'v-ns1'],
      ['ns2-br0', 'v-ns2'],
    ]);
    d = setElementField(d, 'veth2', ['name'], 'uplink of two');
    d = propagateName(setElementField(d, 'ns1', ['name'], 'netns0'), 'ns1', 'ns1', 'netns0');
    d = propagateName(setElementField(d, 'ns2', ['name'], 'netns1'), 'ns2', 'ns2', 'netns1');
    expect(d.veths.map((v) => [v.name, v.b.ifname])).toEqual([
      ['netns0-br0', 'v-netns0'],
      ['uplink of two', 'v-netns1'],
    ]);
    // The bridge's rename reaches the link names that carry it.
    d = propagateName(setElementField(d, 'br0', ['name'], 'lan'), 'br0', 'br0', 'lan');
    expect(d.veths[0]!.name).toBe('netns0-lan');
  });
});
