import { describe, expect, it } from 'vitest';
import { validate } from '../../../shared/validation/validate';
import type { Design } from '../../../shared/model/schema';
import { setElementField } from './edit';
import { fieldPath, gatewayFor, quickFix } from './quickFix';
import { build } from './testing';

function fixesFor(d: Design, rule: string) {
  const list = validate(d).filter((x) => x.rule === rule);
  expect(list.length, `${rule} reported`).toBeGreaterThan(0);
  return list.map((x) => ({ x, fix: quickFix(d, x) }));
}

/** Applies the first fix of `rule` and checks the problem is gone. */
function fixed(d: Design, rule: string): Design {
  const [first] = fixesFor(d, rule);
  expect(first!.fix, `${rule} has a fix`).toBeDefined();
  const next = first!.fix!.apply(d);
  expect(validate(next).filter((x) => x.rule === rule && x.elementId === first!.x.elementId && x.field === first!.x.field)).toEqual([]);
  return next;
}

describe('quick fixes', () => {
  it('parses field paths', () => {
    expect(fieldPath('a.addresses[0]')).toEqual(['a', 'addresses', 0]);
    expect(fieldPath('routes[2].via')).toEqual(['routes', 2, 'via']);
  });

  it('turns on ip_forward on the gateway a namespace routes through', () => {
    const d = build([{ add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }]);
    expect(gatewayFor(d, 'ns1')?.via).toBe('10.0.0.1');
    const next = fixed(d, 'gateway-not-forwarding');
    expect(next.hosts[0]!.sysctls.ipForward).toBe(true);
  });

  it('gives a duplicate address the next free one', () => {
    let d = build([{ add: 'namespace' }, { add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }, { connect: ['ns2', 'br0'] }]);
    d = setElementField(d, 'veth2', ['a', 'addresses', 0], d.veths[0]!.a.addresses[0]);
    fixed(d, 'address-duplicate-segment');
  });

  it('shortens an interface name to 15 bytes', () => {
    let d = build([{ add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }]);
    d = setElementField(d, 'veth1', ['a', 'ifname'], 'a-very-long-name-x');
    const next = fixed(d, 'ifname-length');
    expect(next.veths[0]!.a.ifname).toBe('a-very-long-nam');
  });

  it('fills the gateway of a route without one', () => {
    let d = build([{ add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }]);
    d = setElementField(d, 'ns1', ['routes'], [{ to: '192.168.0.0/16' }]);
    const next = fixed(d, 'route-no-target');
    expect(next.namespaces[0]!.routes[0]).toEqual({ to: '192.168.0.0/16', via: '10.0.0.1' });
  });
});
