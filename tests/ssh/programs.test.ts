// Programs in namespaces over SSH on a lab host (docs/programs.md): the two-namespaces-nat
// example with app1 running `python3 -m http.server 8000` behind the host's port 8080,
// applied by `wireplan apply` through the real SSH executor (the program's supervisor
// must not keep the session open, or the apply would never end). The check reaches the
// program through the forward; the script's status says running; killed by hand, status
// and `wireplan status` (live state) say exited with the code; `wireplan destroy` leaves no
// process of the design on the host.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../electron/backend/check/run-check';
import { hostScript } from '../../shared/export/script';
import type { Design } from '../../shared/model/schema';
import { formatReport } from '../../shared/reach/format';
import { runCli } from '../support/cli-run';
import { planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import { eventually, shapeLab } from '../support/lab-apply';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { missingFeatures } from '../support/sandbox';

const skip = sshLabSkip('programs');
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

function design(): Design {
  const d = loadExample('two-namespaces-nat.wireplan.json');
  d.portForwards[0]!.toPort = 8000;
  d.namespaces.find((n) => n.id === 'app1')!.programs = [{ name: 'web', command: ['python3', '-m', 'http.server', '8000'], env: {}, restart: false, ports: [8000] }];
  return d;
}

describe.skipIf(skip)('programs in namespaces over SSH', () => {
  it('apply starts http.server behind a port forward; check reaches it; status running, then exited 143 after a kill; destroy leaves no process', async (ctx) => {
    const reason = await missingFeatures(['veth', 'bridge', 'nft']);
    if (reason) {
      console.warn(`[skip] programs: ${reason}`);
      ctx.skip();
      return;
    }
    scope = new LabScope();
    const lab = await scope.lab();
    const { host } = await shapeLab(lab, ['eth0']);
    const d = design();
    const file = join(scope.dir, 'programs.wireplan.json');
    writeFileSync(file, JSON.stringify(d));
    const plan = planOf(d);
    const script = hostScript(plan, plan.hosts[0]!);
    const ssh = ['--ssh', `lab=root@${lab.address}:${lab.port}`, '-i', lab.clientKeyPath, '--known-hosts', scope.knownHostsFor(lab)];
    const tagged = async () => (await lab.exec(`grep -lsa 'WIREPLAN_PROGRAM=${d.tag}:' /proc/[0-9]*/environ || true`)).stdout.trim();

    const up = await runCli(['apply', file, ...ssh, '--yes']);
    expect(up.code, up.err).toBe(0);

    const checked = await runCheck(d, new Map([['lab', scope.executor(lab)]]));
    if (!checked.ok) throw new Error(JSON.stringify(checked.diagnostics));
    expect(checked.report.summary.disagree, formatReport(checked.report, { verbose: true })).toBe(0);
    const forward = checked.report.rows.filter((r) => r.expectation.probe.origin?.kind === 'port-forward' && r.expectation.expect === 'reach');
    expect(forward.length).toBeGreaterThan(0);
    for (const row of forward) expect(row.note).toBe('answered by program "web" of the design');

    const running = await host.run(script, ['status']);
    expect(running.code, running.stdout).toBe(0);
    const pid = /^running +program web in app1: python3 -m http.server 8000: pid (\d+)/m.exec(running.stdout)?.[1];
    expect(pid, running.stdout).toBeDefined();

    await lab.exec(`kill -TERM ${pid}`);
    let exited = '';
    await eventually('status says exited', async () => {
      exited = (await host.run(script, ['status'])).stdout;
      return /^exited /m.test(exited);
    }, 10_000);
    expect(exited).toMatch(/^exited +program web in app1: python3 -m http.server 8000: exited with code 143 \(signal TERM\) +\(program:app1:web\)$/m);
    // `wireplan status` reads the host from the design: the same design with the lab as its SSH target.
    const sshFile = join(scope.dir, 'programs-ssh.wireplan.json');
    writeFileSync(sshFile, JSON.stringify({ ...d, hosts: [{ ...d.hosts[0]!, target: { kind: 'ssh', address: lab.address, port: lab.port, user: 'root' } }] }));
    const live = await runCli(['status', sshFile, '-i', lab.clientKeyPath, '--known-hosts', scope.knownHostsFor(lab)]);
    expect(live.out, `${live.code} ${live.err}`).toMatch(/^ {2}app1 +namespace +drifted/m);
    expect(live.out).toContain('program web: exited with code 143 (signal TERM)');

    const destroyed = await runCli(['destroy', file, ...ssh, '--yes']);
    expect(destroyed.code, destroyed.err).toBe(0);
    expect(await tagged()).toBe('');
    expect((await lab.exec(`test -e /run/wireplan/${d.tag}/prog`)).code).not.toBe(0);
  }, 120_000);
});
