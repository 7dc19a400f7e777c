// Synthetic designs for benchmarks: N namespaces, each with a veth to one of B bridges
// (10.B.x.y addressing) and a default route via its bridge.
import { DesignSchema, type Design } from '../shared/model/schema';

export function starDesign(namespaces: number, bridges = 10, tag = 'bench'): Design {
  const hostId = 'h';
  return DesignSchema.parse({
    wireplan: 2,
    tag,
    name: `bench ${namespaces} namespaces`,
    hosts: [{ id: hostId, name: 'bench', target: { kind: 'sandbox' }, sysctls: { ipForward: true } }],
    bridges: Array.from({ length: bridges }, (_, b) => ({ id: `br${b}`, name: `br${b}`, at: hostId, addresses: [`10.${b}.0.1/16`] })),
    namespaces: Array.from({ length: namespaces }, (_, i) => ({
      id: `n${i}`,
      name: `n${i}`,
      host: hostId,
      routes: [{ to: 'default', via: `10.${i % bridges}.0.1` }],
    })),
    veths: Array.from({ length: namespaces }, (_, i) => {
      const b = i % bridges;
      const k = Math.floor(i / bridges) + 2;
      return {
        id: `l${i}`,
        name: `l${i}`,
        a: { at: `n${i}`, ifname: 'eth0', addresses: [`10.${b}.${k >> 8}.${k & 255}/16`] },
        b: { at: `br${b}`, ifname: `vb${i}` },
      };
    }),
  });
}
