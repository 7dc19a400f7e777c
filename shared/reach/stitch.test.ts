// The connectivity model across a stretched segment: ports on the far host are on the
// bridge's segment, so namespaces on both hosts and the gateway on the home host reach
// each other at layer 2, through the stretch bridge and the stitch VXLANs.
import { describe, expect, it } from 'vitest';
import { loadExample } from '../../tests/support/examples';
import { compile } from '../compile/compile';
import type { Design } from '../model/schema';
import { make } from '../validation/testing/designs';
import { expectedMatrix } from './matrix';

/** Kernel name of the example's one stitch VXLAN (from the compiled plan). */
function vxlanName(design: Design): string {
  const r = compile(design);
  if (!r.ok) throw new Error('does not compile');
  const step = r.plan.hosts[0]!.steps.find((s) => s.id.startsWith('link:root:vx'))!;
  return step.id.slice('link:root:'.length);
}

describe('reach over a stretched segment', () => {
  it('namespaces on the far host reach the home namespace, each other and the gateway', () => {
    const design = loadExample('stretched-segment-two-hosts.wireplan.json');
    const r = expectedMatrix(design, { facts: {} });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const verdict = (from: string, to: string) => r.matrix.expectations.find((e) => e.probe.from.name === from && e.probe.to === to && e.probe.kind === 'ping')?.expect;
    expect(verdict('lab-b/app-b1', '10.70.0.10')).toBe('reach');
    expect(verdict('lab-b/app-b1', '10.70.0.1')).toBe('reach');
    expect(verdict('lab-b/app-b2', '10.70.0.21')).toBe('reach');
    expect(verdict('lab-a/app-a', '10.70.0.22')).toBe('reach');
    const path = (from: string, to: string) => {
      const e = r.matrix.expectations.find((x) => x.probe.from.name === from && x.probe.to === to)!;
      return e.path[0]!.segment!.map((s) => `${s.hostId}:${s.ifname}${s.master ? `@${s.master}` : ''}`);
    };
    // Across hosts the frame crosses the stretch and both ends of the tunnel; on host b it stays on the stretch.
    const vx = vxlanName(design);
    expect(path('lab-b/app-b1', '10.70.0.10')).toEqual(['b:eth0', 'b:v-app-b1@br-lan', 'b:br-lan', `b:${vx}@br-lan`, `a:${vx}@br-lan`, 'a:br-lan', 'a:v-app-a@br-lan', 'a:eth0']);
    expect(path('lab-b/app-b2', '10.70.0.21')).toEqual(['b:eth0', 'b:v-app-b2@br-lan', 'b:br-lan', 'b:v-app-b1@br-lan', 'b:eth0']);
  });

  it('names the far ports\' real bridge when the stretch had to take another name', () => {
    const design = structuredClone(loadExample('stretched-segment-two-hosts.wireplan.json'));
    design.bridges.push(make.bridge({ id: 'own', name: 'br-lan', at: 'b' }));
    const r = expectedMatrix(design, { facts: {} });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const e = r.matrix.expectations.find((x) => x.probe.from.name === 'lab-b/app-b1' && x.probe.to === '10.70.0.10')!;
    const port = e.path[0]!.segment!.find((s) => s.ifname === 'v-app-b1')!;
    expect(port.master).toMatch(/^br-lan-[0-9a-f]{4}$/);
    expect(e.expect).toBe('reach');
  });
});
