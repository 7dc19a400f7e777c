// wireplan import --clab: every host of every example, exported as a containerlab topology
// and imported back, is a valid design whose own export is the same topology (nodes,
// their exec lines and links); what cannot map back is listed, with the reason.
import yaml from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesign, parseDesign } from '../model/parse';
import type { Design } from '../model/schema';
import { validate } from '../validation/validate';
import { designToContainerlab } from './containerlab';
import { containerlabToDesign } from './containerlab-import';

const examplesDir = join(__dirname, '../../resources/examples');
const load = (file: string): Design => {
  const r = parseDesign(readFileSync(join(examplesDir, file), 'utf8'));
  if (!r.ok) throw new Error(file);
  return r.design;
};
const cases = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.wireplan.json'))
  .flatMap((file) => load(file).hosts.map((h) => [file, h.id] as const));

function importText(text: string) {
  const r = containerlabToDesign(yaml.load(text), text);
  const loaded = loadDesign(r.design);
  if (!loaded.ok) throw new Error(`imported design does not load: ${JSON.stringify(loaded)}`);
  return { design: loaded.design, notes: r.notes };
}

describe('containerlab import round trip', () => {
  it.each(cases)('%s host %s: export, import, export again gives the same topology', (file, hostId) => {
    const d = load(file);
    const { text: first, omitted } = designToContainerlab(d, hostId);
    const { design } = importText(first);
    // A segment stretched to another host is not carried over, so a gateway there is unreachable.
    const errors = validate(design).filter((x) => x.severity === 'error');
    if (omitted.some((o) => o.includes('another host'))) expect(errors.every((e) => e.rule === 'gateway-unreachable')).toBe(true);
    else expect(errors).toEqual([]);
    const host = d.hosts.find((h) => h.id === hostId)!;
    expect(design.tag).toBe(d.tag);
    expect(design.hosts[0]!.name).toBe(host.name);
    const again = designToContainerlab(design, 'host').text;
    expect(yaml.load(again)).toEqual(yaml.load(first));
    // The mappable subset itself: namespaces with their routes and forwarding, bridges, veths.
    expect(design.namespaces.map((n) => n.name).sort()).toEqual(d.namespaces.filter((n) => n.host === hostId).map((n) => n.name).sort());
  });
});

describe('containerlab import of a hand-written topology', () => {
  const text = [
    'name: demo',
    'mgmt:',
    '  network: custom',
    'topology:',
    '  nodes:',
    '    r1:',
    '      kind: linux',
    '      image: frrouting/frr:latest',
    '      exec:',
    '        - ip addr add 10.1.0.1/24 dev eth1',
    '        - sysctl -w net.ipv4.ip_forward=1',
    '        - ip route add 10.9.0.0/16 via 10.1.0.2',
    '        - vtysh -c "conf t"',
    '    sw1:',
    '      kind: bridge',
    '    srl1:',
    '      kind: nokia_srlinux',
    '  links:',
    '    - endpoints: ["r1:eth1", "sw1:p1"]',
    '    - endpoints: ["r1:eth2", "host:r1-uplink"]',
    '    - endpoints: ["srl1:e1-1", "sw1:p2"]',
    '    - type: macvlan',
    '      endpoint: {node: r1, interface: eth3}',
    '      host-interface: eth0',
  ].join('\n');

  it('maps linux and bridge nodes and veth links, and lists everything else', () => {
    const r = containerlabToDesign(yaml.load(text), text);
    const loaded = loadDesign(r.design);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const d = loaded.design;
    expect(d.tag).toBe('clab');
    expect(d.namespaces).toMatchObject([{ name: 'r1', sysctls: { ipForward: true }, routes: [{ to: '10.9.0.0/16', via: '10.1.0.2' }] }]);
    expect(d.bridges.map((b) => b.name)).toEqual(['sw1']);
    expect(d.veths).toHaveLength(2);
    expect(d.veths[0]!.a).toMatchObject({ ifname: 'eth1', addresses: ['10.1.0.1/24'] });
    expect(d.veths[1]!.b).toMatchObject({ at: 'host', ifname: 'r1-uplink' });
    expect(r.notes).toEqual(
      expect.arrayContaining([
        'mgmt: containerlab\'s management network is not carried over',
        'node r1: "image" is not carried over (a namespace runs the host\'s own programs)',
        'node r1: exec line not carried over: vtysh -c "conf t"',
        'node srl1: kind "nokia_srlinux" has no Wireplan equivalent (only linux and bridge nodes map back)',
        'link srl1:e1-1 - sw1:p2: endpoint srl1:e1-1: node srl1 is not carried over',
        'link 4: link type "macvlan" (only veth links map to veth pairs)',
      ]),
    );
  });

  it('refuses what is not a topology with a specific error', () => {
    expect(() => containerlabToDesign(yaml.load('- a\n- b\n'), '')).toThrow('not a containerlab topology: the file is not a YAML mapping');
    expect(() => containerlabToDesign(yaml.load('name: x\n'), '')).toThrow('not a containerlab topology: it has no "topology" mapping');
    expect(() => containerlabToDesign(yaml.load('name: x\ntopology: {}\n'), '', { tag: 'Bad!' })).toThrow('bad design tag "Bad!"');
  });
});
