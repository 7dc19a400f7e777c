// `wireplan link FILE LINK down|up` against a real SSH lab host, on a design with a rate
// limit applied over SSH by `wireplan apply` (a changed rate converges in place): the cut
// stops ping across the link, restore brings it back, the impairment stays as designed
// throughout (status), usage errors exit 2 without a host, and `destroy` leaves no trace.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../electron/cli/args';
import { linkCommand, linkSubcommand } from '../../electron/cli/commands/link';
import type { CliIo } from '../../electron/cli/io';
import { compile } from '../../shared/compile/compile';
import { hostScript } from '../../shared/export/script';
import { DesignSchema, type DesignInput } from '../../shared/model/schema';
import { runCli } from '../support/cli-run';
import { shapeLab } from '../support/lab-apply';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { missingFeatures } from '../support/sandbox';

const skip = sshLabSkip('link-cli');
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

const DESIGN: DesignInput = {
  wireplan: 2,
  tag: 'cutssh',
  name: 'cut over ssh',
  hosts: [{ id: 'lab', name: 'lab', target: { kind: 'ssh', address: '192.0.2.1' } }],
  namespaces: [
    { id: 'a', name: 'a', host: 'lab' },
    { id: 'b', name: 'b', host: 'lab' },
  ],
  veths: [
    {
      id: 'wan',
      name: 'wan',
      a: { at: 'a', ifname: 'wan0', addresses: ['10.9.0.1/30'], impair: { rateKbit: 5000 } },
      b: { at: 'b', ifname: 'wan0', addresses: ['10.9.0.2/30'] },
    },
  ],
};

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  try {
    return { code: await linkCommand(argv, io), out, err };
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, out, err: `${err}${e.message}\n` };
    throw e;
  }
}

describe('wireplan link: arguments', () => {
  it('exit 2 for a missing argument, a state other than down/up, an unknown link, a sandbox host', async () => {
    scope = new LabScope();
    const file = join(scope.dir, 'cut.wireplan.json');
    writeFileSync(file, JSON.stringify(DESIGN));
    expect(linkSubcommand.help).toContain('usage: wireplan link FILE LINK down|up');
    expect((await cli([file, 'wan'])).code).toBe(2);
    const state = await cli([file, 'wan', 'sideways']);
    expect(state).toMatchObject({ code: 2, err: 'the link state is "down" (cut) or "up" (restore), not "sideways"\n' });
    const unknown = await cli([file, 'lan', 'down']);
    expect(unknown).toMatchObject({ code: 2, err: 'no link "lan" in this design (links: wan)\n' });
    const sandboxed = structuredClone(DESIGN);
    sandboxed.hosts[0]!.target = { kind: 'sandbox' };
    writeFileSync(file, JSON.stringify(sandboxed));
    expect(await cli([file, 'wan', 'down'])).toMatchObject({
      code: 2,
      err: 'host "lab" is a sandbox, which lives only inside the app or wireplan serve: cut the link there (its inspector), or give --ssh lab=USER@ADDRESS for a real host\n',
    });
  });
});

describe.skipIf(skip)('wireplan link over SSH: a lab host', () => {
  it('cuts and restores the link (ping fails, then works), the impairment stays, destroy leaves no trace', async (ctx) => {
    const reason = await missingFeatures(['veth', 'tbf']);
    if (reason) {
      console.warn(`[skip] link-cli: ${reason}`);
      ctx.skip();
      return;
    }
    scope = new LabScope();
    const lab = await scope.lab();
    const { host } = await shapeLab(lab, []);
    const file = join(scope.dir, 'cut.wireplan.json');
    writeFileSync(file, JSON.stringify(DESIGN));
    const r = compile(DesignSchema.parse(DESIGN));
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const script = hostScript(r.plan, r.plan.hosts[0]!);
    const ssh = ['--ssh', `lab=root@${lab.address}:${lab.port}`, '-i', lab.clientKeyPath, '--known-hosts', scope.knownHostsFor(lab)];
    // Applied over SSH by the apply engine: first a slower rate, then the designed one
    // (the edit converges in place).
    const slower = structuredClone(DESIGN);
    slower.veths![0]!.a.impair = { rateKbit: 1000 };
    writeFileSync(file, JSON.stringify(slower));
    const up1 = await runCli(['apply', file, ...ssh, '--yes']);
    expect(up1.code, up1.err).toBe(0);
    expect(await host.execOk(['tc', 'qdisc', 'show', 'dev', 'wan0'], { ns: 'a' })).toMatch(/^qdisc tbf 5770: root .*rate 1Mbit/m);
    writeFileSync(file, JSON.stringify(DESIGN));
    const up2 = await runCli(['apply', file, ...ssh, '--yes']);
    expect(up2.code, up2.err).toBe(0);
    expect(await host.execOk(['tc', 'qdisc', 'show', 'dev', 'wan0'], { ns: 'a' })).toMatch(/^qdisc tbf 5770: root .*rate 5Mbit/m);
    const pings = async () => (await host.exec(['ping', '-n', '-q', '-c', '2', '-i', '0.2', '-W', '1', '10.9.0.2'], { ns: 'a' })).code === 0;
    expect(await pings()).toBe(true);

    const cut = await cli([file, 'wan', 'down', ...ssh]);
    expect(cut, cut.err).toMatchObject({ code: 0, out: 'link "wan" cut on host lab: wan0 in a, wan0 in b down\n' });
    expect(await pings()).toBe(false);
    const st = await host.run(script, ['status']);
    expect(st.code).toBe(3);
    expect(st.stdout).toMatch(/^missing +wan0 up +\(link-state:a:wan0\)$/m);
    expect(st.stdout).toMatch(/^present +impair wan0 in a /m);

    const restore = await cli([file, 'wan', 'up', ...ssh]);
    expect(restore, restore.err).toMatchObject({ code: 0, out: 'link "wan" restored on host lab: wan0 in a, wan0 in b up\n' });
    expect(await pings()).toBe(true);
    expect((await host.run(script, ['status'])).code).toBe(0);

    const destroyed = await runCli(['destroy', file, ...ssh, '--yes']);
    expect(destroyed.code, destroyed.err).toBe(0);
    expect(await host.execOk(['ip', 'netns', 'list'])).not.toMatch(/^(a|b)\b/m);
    // Not applied any more: refused on the host (exit 3), nothing made.
    const gone = await cli([file, 'wan', 'down', ...ssh]);
    expect(gone).toMatchObject({ code: 3, err: 'link "wan" not cut: wan0 is not in a: apply the design first\n' });
  }, 90_000);
});
