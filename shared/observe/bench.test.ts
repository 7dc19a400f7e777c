// The benchmark's synthetic input must parse like the real thing (no timing asserted here;
// `benchObserveParse` is for the bench script).
import { describe, expect, it } from 'vitest';
import { benchObserveParse, synthesizeHostOutput, synthesizeNamespaceBatch } from './bench';
import { observeHost, resolveLinkPeer } from './host';
import { parseIpBatch, RECOMMENDED_BATCH_COMMANDS } from './ip-batch';

describe('observe benchmark input', () => {
  it('a synthetic namespace batch parses cleanly with the recommended commands', () => {
    const r = parseIpBatch(synthesizeNamespaceBatch(7), { commands: RECOMMENDED_BATCH_COMMANDS });
    if (!r.ok) throw new Error(r.error);
    expect(r.warnings).toEqual([]);
    expect(r.value.links!.map((l) => l.ifname)).toEqual(['lo', 'eth0']);
    expect(r.value.routes!.filter((x) => x.table === 'main').map((x) => x.dst)).toContain('::/0');
  });

  it('a synthetic host resolves every veth peer across namespaces', () => {
    const host = observeHost(synthesizeHostOutput(20));
    expect(host.warnings).toEqual([]);
    expect(host.namespaces).toHaveLength(21);
    const root = host.namespaces[0]!;
    const h5 = root.links.find((l) => l.ifname === 'h5')!;
    const peer = resolveLinkPeer(host, root, h5)!;
    expect(`${peer.namespace.name}/${peer.link.ifname}`).toBe('ns5/eth0');
  });

  it('benchObserveParse reports counts (small run)', () => {
    let t = 0;
    const r = benchObserveParse({ namespaces: 10, rounds: 2, now: () => t++ });
    expect(r).toMatchObject({ namespaces: 10, rounds: 2, links: 2 + 10 + 20, peersResolved: 20, medianMs: 1 });
    expect(r.bytes).toBeGreaterThan(10 * 3000);
  });
});
