import { describe, expect, it } from 'vitest';
import { exampleFiles, exampleName, loadExample } from '../../tests/support/examples';
import { formatReport } from './format';
import { expectedMatrix } from './matrix';
import { pingOutcome, tcpOutcome } from './outcome';
import { summarize, type CheckReport, type CheckRow } from './report';

const design = loadExample(exampleFiles().find((f) => exampleName(f) === 'isolated-service')!);
const m = expectedMatrix(design);
if (!m.ok) throw new Error('no matrix');

function report(broken: (id: string) => boolean): CheckReport {
  const rows: CheckRow[] = m.ok
    ? m.matrix.expectations.map((e) => {
        const bad = broken(`${e.probe.from.name} -> ${e.probe.to}${e.probe.port ? `:${e.probe.port}` : ''}`);
        const reached = (e.expect === 'reach') !== bad;
        const outcome = e.probe.kind === 'ping' ? pingOutcome(reached ? 0 : 1, '') : tcpOutcome(reached ? 0 : 124, reached ? 'connected banner=' : '');
        return { expectation: e, outcome, ok: !bad, ...(bad ? { problem: 'expected to reach, but: no reply', explanation: ['ip_forward is 0 in host (the design turns it on)'] } : {}) };
      })
    : [];
  return { design: { name: design.name, tag: design.tag }, rows, hosts: [{ hostId: 'host', hostName: 'host', tool: 'perl', listeners: [] }], notes: ['a note'], summary: summarize(rows) };
}

describe('the printed report', () => {
  it('a grid of pings, one line per probe with expected/actual/why, then each mismatch explained', () => {
    const text = formatReport(report((k) => k === 'host/svc -> 10.20.0.10'));
    expect(text).toContain('connectivity check of "Isolated service behind a forwarding policy": 15 probe(s), 14 as designed, 1 not');
    expect(text).toContain('from         10.10.0.1  10.10.0.10  10.20.0.1  10.20.0.10');
    expect(text).toContain('\nhost/client  +          -           +          .\n');
    expect(text).toContain('\nhost/svc     +          .           +          !\n');
    expect(text).toMatch(/host\/client\s+10\.10\.0\.10:22 tcp\s+blocked\s+blocked\s+ok\s+policy "only http into the service segment" at host drops it by its default action \(drop\)/);
    expect(text).toMatch(/host\/svc\s+10\.20\.0\.10 ping\s+reach\s+blocked\s+MISMATCH\s+routed by host/);
    expect(text).toContain('mismatches (1):');
    expect(text).toContain('      - ip_forward is 0 in host (the design turns it on)');
    expect(text).toContain('notes:\n  - a note');
  });
});
