import { describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import type { Design } from '../model/schema';
import { standInNics } from './stand-ins';

function design(extra: Record<string, unknown> = {}, nics: unknown[] = [{ name: 'eth0' }, { name: 'eth1' }], target: unknown = { kind: 'sandbox' }): Design {
  const r = parseDesign(JSON.stringify({ wireplan: 2, tag: 't', name: 't', hosts: [{ id: 'h', name: 'h', target, nics }], ...extra }));
  if (!r.ok) throw new Error('bad test design');
  return r.design;
}

describe('standInNics', () => {
  it('gives each NIC its own /24 of 100.64.0.0/10, NIC at .2 and the outside at .1', () => {
    const r = standInNics(design(), 'h');
    expect(r).toEqual({
      ok: true,
      nics: [
        { name: 'eth0', hostCidr: '100.64.0.2/24', outsideCidr: '100.64.0.1/24', hostAddress: '100.64.0.2', outsideAddress: '100.64.0.1' },
        { name: 'eth1', hostCidr: '100.64.1.2/24', outsideCidr: '100.64.1.1/24', hostAddress: '100.64.1.2', outsideAddress: '100.64.1.1' },
      ],
    });
  });

  it('skips subnets any design address or prefix falls in (but not default-like short prefixes)', () => {
    const d = design({
      namespaces: [{ id: 'n', name: 'n', host: 'h', routes: [{ to: '0.0.0.0/0', via: '100.64.2.9' }] }],
      bridges: [{ id: 'b', name: 'b', at: 'h', addresses: ['100.64.0.1/23'] }],
    });
    const r = standInNics(d, 'h');
    expect(r.ok && r.nics.map((n) => n.hostCidr)).toEqual(['100.64.3.2/24', '100.64.4.2/24']);
  });

  it('makes none for an SSH host, and refuses names the kernel would not take', () => {
    expect(standInNics(design({}, [{ name: 'eth0' }], { kind: 'ssh', address: '192.0.2.1' }), 'h')).toEqual({ ok: true, nics: [] });
    const bad = standInNics(design({}, [{ name: 'eth0; rm -rf /' }]), 'h');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/NIC name "eth0; rm -rf \/" is not a valid interface name/);
    expect(standInNics(design({}, [{ name: 'a-very-long-nic-name' }]), 'h').ok).toBe(false);
    expect(standInNics(design({}, [{ name: 'eth0' }, { name: 'eth0' }]), 'h')).toEqual({ ok: false, error: 'host h: NIC eth0 is listed twice' });
    expect(standInNics(design(), 'nope')).toEqual({ ok: false, error: 'no host "nope" in the design' });
  });
});
