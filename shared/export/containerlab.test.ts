// containerlab export: every host of every example as a topology that parses as YAML and
// has the shape containerlab's topology schema asks for (name; topology.nodes with kind,
// image, exec; links with two "node:interface" endpoints naming defined nodes or host),
// with everything it cannot carry over listed.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesign } from '../model/parse';
import type { Design } from '../model/schema';
import { designToContainerlab } from './containerlab';

// js-yaml is in the tree (eslint's); containerlab files are YAML.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const examplesDir = join(__dirname, '../../resources/examples');
const load = (file: string): Design => {
  const r = parseDesign(readFileSync(join(examplesDir, file), 'utf8'));
  if (!r.ok) throw new Error(file);
  return r.design;
};
const cases = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.wireplan.json'))
  .flatMap((file) => load(file).hosts.map((h) => [file, h.id] as const));

interface Topology {
  name: string;
  topology: { nodes: Record<string, { kind: string; image?: string; exec?: string[] }>; links: { endpoints: string[] }[] };
}

function checkShape(t: Topology): void {
  expect(Object.keys(t).sort()).toEqual(['name', 'topology']);
  expect(t.name).toMatch(/^[A-Za-z0-9_-]+$/);
  for (const [name, node] of Object.entries(t.topology.nodes)) {
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(['linux', 'bridge']).toContain(node.kind);
    if (node.kind === 'linux') expect(typeof node.image).toBe('string');
    for (const c of node.exec ?? []) expect(typeof c).toBe('string');
  }
  for (const l of t.topology.links) {
    expect(l.endpoints).toHaveLength(2);
    for (const ep of l.endpoints) {
      const [node, ifname] = ep.split(':') as [string, string];
      expect(node === 'host' || node in t.topology.nodes, ep).toBe(true);
      expect(ifname.length, ep).toBeGreaterThan(0);
      expect(ifname.length, ep).toBeLessThanOrEqual(15);
      if (t.topology.nodes[node]?.kind === 'linux') expect(ifname, 'eth0 is containerlab management').not.toBe('eth0');
    }
  }
}

describe('containerlab export', () => {
  it.each(cases)('%s host %s: parses as YAML with containerlab topology shape', (file, hostId) => {
    const d = load(file);
    const { text, omitted } = designToContainerlab(d, hostId);
    const t = yaml.load(text) as Topology;
    checkShape(t);
    for (const ns of d.namespaces.filter((n) => n.host === hostId)) expect(t.topology.nodes[ns.name]).toMatchObject({ kind: 'linux' });
    for (const o of omitted) expect(text).toContain(`#   - ${o}`);
    expect(designToContainerlab(d, hostId).text).toBe(text);
  });

  it('link impairments are named as not carried over (containerlab sets them at run time)', () => {
    const d = load('two-namespaces-nat.wireplan.json');
    d.veths[0]!.impair = { rateKbit: 1000, delayMs: 20 };
    d.veths[1]!.b.impair = { lossPct: 1 };
    const { omitted } = designToContainerlab(d, 'lab');
    expect(omitted.filter((o) => o.startsWith('impairments'))).toEqual([
      'impairments of app1 uplink (link): 1000 kbit/s, delay 20 ms (containerlab tools netem can set them on the running lab)',
      'impairments of app2 uplink (end b): loss 1% (containerlab tools netem can set them on the running lab)',
    ]);
  });

  it('two-namespaces-nat: addresses and default routes on eth1, NAT and the port forward named as not carried over', () => {
    const { text, omitted } = designToContainerlab(load('two-namespaces-nat.wireplan.json'), 'lab');
    const t = yaml.load(text) as Topology;
    expect(t.topology.nodes['app1']!.exec).toEqual(['ip addr add 10.0.0.2/24 dev eth1', 'ip route del default', 'ip route add default via 10.0.0.1']);
    expect(t.topology.nodes['br0']).toEqual({ kind: 'bridge' });
    expect(t.topology.links).toEqual([{ endpoints: ['app1:eth1', 'br0:v-app1'] }, { endpoints: ['app2:eth1', 'br0:v-app2'] }]);
    expect(omitted.some((o) => o.startsWith('NAT (masquerade)'))).toBe(true);
    expect(omitted.some((o) => o.startsWith('port forward'))).toBe(true);
    expect(text).toContain('ip link add br0 type bridge');
  });

  it('a multi-host segment is named as not carried over', () => {
    const { omitted } = designToContainerlab(load('stretched-segment-two-hosts.wireplan.json'), load('stretched-segment-two-hosts.wireplan.json').hosts[1]!.id);
    expect(omitted.join('\n')).toMatch(/other end is on another host|VXLAN/);
  });
});
