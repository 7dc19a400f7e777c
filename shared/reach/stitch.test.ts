// The connectivity model across a stretched segment: ports on the far host are on the
// bridge's segment, so namespaces on both hosts and the gateway on the home host reach
// each other at layer 2.
import { describe, expect, it } from 'vitest';
import { loadExample } from '../../tests/support/examples';
import { expectedMatrix } from './matrix';

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
  });
});
