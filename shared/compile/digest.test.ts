import { describe, expect, it } from 'vitest';
import { exampleFiles, loadExample } from '../../tests/support/examples';
import { hostScript } from '../export/script';
import { stepTable } from '../export/step-table';
import { portableSha256Hex } from '../util/sha256';
import { compile } from './compile';
import type { Plan } from './plan';

function plan(file: string): Plan {
  const r = compile(loadExample(file));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.plan;
}

describe('plan hash', () => {
  it('is the SHA-256 of tag, host, restored sysctls and the step table the script runs', () => {
    for (const file of exampleFiles()) {
      const p = plan(file);
      for (const h of p.hosts) {
        const table = stepTable(h);
        const canonical = `wireplan-plan\u001e${p.design.tag}\u001e${h.host.id}\u001e${h.restoredSysctls.join(',')}\u001e${table}`;
        expect(h.hash, file).toBe(portableSha256Hex(canonical));
        expect(hostScript(p, h), file).toContain(`\n${table}`);
      }
    }
  });

  it('a plan that crossed a process boundary (JSON) exports the same script as the one compile built', () => {
    for (const file of exampleFiles()) {
      const p = plan(file);
      const copy = JSON.parse(JSON.stringify(p)) as Plan;
      p.hosts.forEach((h, i) => expect(hostScript(copy, copy.hosts[i]!), file).toBe(hostScript(p, h)));
    }
  });

  it('changes with any command, inverse, probe or description, and only the host it belongs to', () => {
    const base = plan('vxlan-two-hosts.wireplan.json');
    const edits: ((p: Plan) => void)[] = [
      (p) => ((p.hosts[0]!.steps[1]!.do[0]!.argv as string[])[2] = 'x'),
      (p) => (p.hosts[0]!.steps[1]!.undo = []),
      (p) => (p.hosts[0]!.steps[1]!.description += ' '),
      (p) => (p.hosts[0]!.steps[1]!.probe = { type: 'netns', name: 'other', owner: 'o' }),
    ];
    for (const edit of edits) {
      const changed = JSON.parse(JSON.stringify(base)) as Plan;
      edit(changed);
      const [a, b] = changed.hosts.map((h) => portableSha256Hex(`wireplan-plan\u001e${changed.design.tag}\u001e${h.host.id}\u001e${h.restoredSysctls.join(',')}\u001e${stepTable(h)}`));
      expect(a).not.toBe(base.hosts[0]!.hash);
      expect(b).toBe(base.hosts[1]!.hash);
    }
  });
});
