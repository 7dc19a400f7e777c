import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIfname, utf8Length } from '../model/identifiers';
import { DesignSchema } from '../model/schema';
import { resolveNames, sanitizeIfname } from './names';

function designWithVeths(names: string[]) {
  return DesignSchema.parse({
    wireplan: 2,
    tag: 'lab',
    name: 'names',
    hosts: [{ id: 'h', name: 'h', target: { kind: 'sandbox' }, nics: [{ name: 'eth0' }] }],
    namespaces: [{ id: 'n', name: 'n', host: 'h' }],
    bridges: [{ id: 'br', name: 'br', at: 'h' }],
    veths: names.map((name, i) => ({ id: `v${i}`, name, a: { at: 'n' }, b: { at: 'br' } })),
  });
}

describe('interface name derivation', () => {
  it('sanitizes logical names into kernel-safe text', () => {
    expect(sanitizeIfname('App 1 Uplink!')).toBe('app-1-uplink');
    expect(sanitizeIfname('---')).toBe('if');
    expect(sanitizeIfname('ünïcode')).toBe('n-code');
  });

  it('derives valid, unique (per namespace), deterministic names for any logical names', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 12 }), (names) => {
        const d = designWithVeths(names);
        const a = resolveNames(d);
        expect(resolveNames(structuredClone(d))).toEqual(a);
        const seen = new Set<string>();
        for (const r of a) {
          expect(isIfname(r.ifname), r.ifname).toBe(true);
          expect(utf8Length(r.ifname)).toBeLessThanOrEqual(15);
          const key = `${r.hostId}/${r.ns}/${r.ifname}`;
          expect(seen.has(key), key).toBe(false);
          seen.add(key);
        }
        // NIC names of the host are taken too.
        expect(a.some((r) => r.ns === '' && r.ifname === 'eth0')).toBe(false);
      }),
    );
  });

  it('breaks a collision with a short hash and never renames the first holder', () => {
    const names = resolveNames(designWithVeths(['a-very-long-link-name-one', 'a-very-long-link-name-two']));
    const ends = names.filter((r) => r.end === 'a');
    expect(ends[0]!.ifname).toBe('a-very-long-l-a');
    expect(ends[1]!.ifname).toMatch(/^a-very-lon-[0-9a-f]{4}$/);
  });

  it('keeps explicit names as written and maps logical to kernel names', () => {
    const d = designWithVeths(['x']);
    d.veths[0]!.a.ifname = 'eth0';
    const r = resolveNames(d);
    expect(r.find((x) => x.element === 'v0' && x.end === 'a')).toMatchObject({ ifname: 'eth0', ns: 'n', logical: 'x (a)' });
    expect(r.find((x) => x.element === 'br')).toMatchObject({ ifname: 'br', ns: '' });
  });
});
