// `wireplan check FILE --ssh ...` against a real SSH lab host: an example applied with its
// exported script, checked over SSH (exit 0, the matrix printed, --json parseable); then
// forwarding turned off by hand: exit 1 and the cause printed. Usage errors exit 2.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCommand, checkSubcommand } from '../../electron/cli/commands/check';
import { UsageError } from '../../electron/cli/args';
import type { CliIo } from '../../electron/cli/io';
import { hostScript } from '../../shared/export/script';
import type { CheckReport } from '../../shared/reach/report';
import { featuresOf, planOf } from '../support/design-check';
import { EXAMPLES_DIR, loadExample } from '../support/examples';
import { shapeLab } from '../support/lab-apply';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { missingFeatures } from '../support/sandbox';

const skip = sshLabSkip('check-cli');
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

const FILE = join(EXAMPLES_DIR, 'isolated-service.wireplan.json');

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  try {
    return { code: await checkCommand(argv, io), out, err };
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, out, err: `${err}${e.message}\n` };
    throw e;
  }
}

describe('wireplan check: arguments', () => {
  it('has help, and refuses a bad --ssh before reading anything', async () => {
    expect(checkSubcommand.help).toContain('usage: wireplan check FILE');
    const r = await cli(['/nonexistent/x.wireplan.json', '--ssh', 'lab=root@$(id)']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('"$(id)" is neither an IP address nor a host name');
  });

  it('exit 2: no file, an unreadable file, an unknown host, a bad option', async () => {
    expect((await cli([])).code).toBe(2);
    const missing = await cli(['/nonexistent/x.wireplan.json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such file/);
    const unknown = await cli([FILE, '--host', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no host "nope" in this design/);
    expect((await cli([FILE, '--max-probes', '0'])).code).toBe(2);
    expect((await cli([FILE, '--ssh', 'host=root@bad;addr'])).code).toBe(2);
  });
});

describe.skipIf(skip)('wireplan check over SSH: a lab host', () => {
  it('exit 0 when the host is as designed, exit 1 naming the cause after forwarding is turned off by hand', async (ctx) => {
    const design = loadExample('isolated-service.wireplan.json');
    const reason = await missingFeatures(featuresOf(design));
    if (reason) {
      console.warn(`[skip] check-cli: ${reason}`);
      ctx.skip();
      return;
    }
    scope = new LabScope();
    const lab = await scope.lab();
    const { host } = await shapeLab(lab, design.hosts[0]!.nics.map((n) => n.name));
    const plan = planOf(design);
    const up = await host.run(hostScript(plan, plan.hosts[0]!), ['up']);
    expect(up.code, up.stderr).toBe(0);
    const args = [FILE, '--ssh', `host=root@${lab.address}:${lab.port}`, '-i', lab.clientKeyPath, '--known-hosts', scope.knownHostsFor(lab)];

    const ok = await cli(args);
    expect(ok.code, `${ok.out}\n${ok.err}`).toBe(0);
    expect(ok.out).toMatch(/connectivity check of "Isolated service behind a forwarding policy": \d+ probe\(s\), \d+ as designed, 0 not/);
    expect(ok.out).toMatch(/host\/client\s+10\.10\.0\.10:22 tcp\s+blocked\s+blocked\s+ok\s+policy "only http into the service segment" at host drops it/);
    expect(ok.out).toMatch(/host\/client\s+10\.10\.0\.10:80 tcp\s+reach\s+reach\s+ok/);

    const json = await cli([...args, '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out) as CheckReport;
    expect(report.summary.disagree).toBe(0);
    expect(report.hosts[0]!.listeners.every((l) => l.ready)).toBe(true);

    const off = await host.run('sysctl -qw net.ipv4.ip_forward=0');
    expect(off.code, off.stderr).toBe(0);
    const bad = await cli(args);
    expect(bad.code, bad.out).toBe(1);
    expect(bad.out).toMatch(/host\/client\s+10\.10\.0\.10:80 tcp\s+reach\s+blocked\s+MISMATCH/);
    expect(bad.out).toMatch(/mismatches \(\d+\):/);
    expect(bad.out).toContain('- ip_forward is 0 in host (the design turns it on), so it does not route between its interfaces');
  });

  it('exit 1 when the host cannot be reached (nothing is checked)', async () => {
    scope = new LabScope();
    const lab = await scope.lab();
    // A lab that is up but whose sshd does not know the key we offer: refused login.
    const other = await scope.lab();
    const r = await cli([FILE, '--ssh', `host=root@${lab.address}:${lab.port}`, '-i', other.clientKeyPath, '--known-hosts', scope.knownHostsFor(lab)]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/host host: .*(denied|auth|publickey)/i);
    expect(r.err).toContain('no host could be reached; nothing was checked');
  });
});
