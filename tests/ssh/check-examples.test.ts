// The connectivity check over SSH on a lab host, for every single-host example: applied
// with its exported script (the lab's NICs are veths into an inner "world"), then
// `runCheck` through the real SshExecutor. Every expected reach and block holds, in two
// executor runs at most, and nothing of the check stays on the host.
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../electron/backend/check/run-check';
import { hostScript } from '../../shared/export/script';
import { formatReport } from '../../shared/reach/format';
import { featuresOf, planOf } from '../support/design-check';
import { exampleFiles, exampleName, loadExample } from '../support/examples';
import { shapeLab } from '../support/lab-apply';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { missingFeatures } from '../support/sandbox';

const skip = sshLabSkip('check-examples');
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

describe.skipIf(skip)('wireplan check over SSH: every single-host example', () => {
  for (const file of exampleFiles()) {
    const design = loadExample(file);
    if (design.hosts.length !== 1) continue;
    const name = exampleName(file);
    it(`${name}: as designed over SSH, and nothing left behind`, async (ctx) => {
      const reason = await missingFeatures(featuresOf(design));
      if (reason) {
        console.warn(`[skip] ${name}: ${reason}`);
        ctx.skip();
        return;
      }
      scope = new LabScope();
      const lab = await scope.lab();
      const { host } = await shapeLab(lab, design.hosts[0]!.nics.map((n) => n.name));
      const plan = planOf(design);
      const up = await host.run(hostScript(plan, plan.hosts[0]!), ['up']);
      expect(up.code, up.stderr).toBe(0);

      const r = await runCheck(design, new Map([[design.hosts[0]!.id, scope.executor(lab)]]));
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      expect(r.report.summary.disagree, formatReport(r.report, { verbose: true })).toBe(0);
      expect(r.report.rows.every((x) => x.outcome)).toBe(true);
      const procs = (await lab.exec('ps -eo args=')).stdout.split('\n').filter((l) => /IO::Socket|wp_listen|wpcheck/.test(l));
      expect(procs).toEqual([]);
      expect((await lab.exec('ls -d /tmp/wpcheck.* 2>/dev/null || true')).stdout.trim()).toBe('');
    });
  }
});
