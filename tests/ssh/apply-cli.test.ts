// `wireplan apply | diff | destroy` against a real lab host, through the CLI's own entry
// point: --ssh/-i/--known-hosts overrides, --dry-run, the --yes rule without a terminal,
// the question on a terminal, host-key consent, and the local sandbox target.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PromptIo } from '../../electron/cli/commands/apply-targets';
import { main } from '../../electron/cli/main';
import { designMismatches } from '../support/design-check';
import { EXAMPLES_DIR, loadExample } from '../support/examples';
import { shapeLab } from '../support/lab-apply';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { diffSnapshots, snapshot } from '../support/sandbox';

const skip = sshLabSkip('apply-cli');
const example = join(EXAMPLES_DIR, 'two-namespaces-nat.wireplan.json');
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

async function cli(argv: string[], tty?: { answer: string }): Promise<{ code: number; out: string; err: string; asked: string[] }> {
  let out = '';
  let err = '';
  const asked: string[] = [];
  const io: PromptIo = {
    out: (t) => void (out += `${t}\n`),
    err: (t) => void (err += `${t}\n`),
    isTTY: tty !== undefined,
    ask: async (q) => {
      asked.push(q);
      return tty?.answer ?? '';
    },
  };
  const code = await main(argv, io);
  return { code, out, err, asked };
}

describe.skipIf(skip)('wireplan apply / diff / destroy over SSH', () => {
  it('applies, reports in sync, re-applies with nothing to do, destroys to the exact snapshot', async () => {
    scope = new LabScope();
    const lab = await scope.lab();
    const { host } = await shapeLab(lab, ['eth0']);
    const ssh = ['--ssh', `lab=root@${lab.address}:${lab.port}`, '-i', lab.clientKeyPath, '--known-hosts', scope.knownHostsFor(lab)];
    const before = await snapshot(host.sb);

    const refused = await cli(['apply', example, ...ssh]);
    expect(refused.code, 'no terminal, no --yes').toBe(2);
    expect(refused.err).toContain('pass --yes');

    const dry = await cli(['apply', example, ...ssh, '--dry-run']);
    expect(dry.code, dry.err + dry.out).toBe(0);
    expect(dry.out).toMatch(/lab \(ssh root@[\d.]+:22\): would run 22 step\(s\)/);
    expect(diffSnapshots(before, await snapshot(host.sb)), 'dry run changes nothing').toEqual([]);

    const no = await cli(['apply', example, ...ssh], { answer: 'n' });
    expect(no.asked).toEqual(['Apply to 1 host(s)? [y/N] ']);
    expect(no.code).toBe(2);
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);

    const yes = await cli(['apply', example, ...ssh], { answer: 'y' });
    expect(yes.code, yes.err + yes.out).toBe(0);
    expect(yes.out).toMatch(/lab \(ssh root@[\d.]+:22\): converged: 22 step\(s\) run/);
    expect(yes.err).toContain('lab: [22/22] route default via 10.0.0.1 in app2');
    expect(await designMismatches(host.sb, loadExample('two-namespaces-nat.wireplan.json'), 'lab')).toEqual([]);

    const diff = await cli(['diff', example, ...ssh]);
    expect(diff.code, diff.out).toBe(0);
    expect(diff.out).toContain('in sync (22 steps present)');
    const again = await cli(['apply', example, ...ssh, '--yes']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('in sync: nothing to do');

    const destroy = await cli(['destroy', example, ...ssh, '--yes']);
    expect(destroy.code, destroy.err + destroy.out).toBe(0);
    expect(destroy.out).toContain('removed');
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
    const diffAfter = await cli(['diff', example, ...ssh]);
    expect(diffAfter.code).toBe(1);
    expect(diffAfter.out).toContain('0/22 steps present');
  });

  it('an unknown host key is refused without consent (fingerprint shown) and recorded with --trust-new-host-key', async () => {
    scope = new LabScope();
    const lab = await scope.lab();
    const kh = join(mkdtempSync(join(tmpdir(), 'wp-cli-kh-')), 'known_hosts');
    writeFileSync(kh, '');
    const ssh = ['--ssh', `lab=${lab.address}`, '-i', lab.clientKeyPath, '--known-hosts', kh];
    const r = await cli(['diff', example, ...ssh]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(lab.hostKeySha256);
    expect(readFileSync(kh, 'utf8')).toBe('');
    const t = await cli(['diff', example, ...ssh, '--trust-new-host-key']);
    expect(t.code, t.out).toBe(1); // reachable now; the design is simply not applied there
    expect(readFileSync(kh, 'utf8')).toContain(lab.hostPublicKey.split(' ')[1]);
  });
});

describe('wireplan apply to the local sandbox target', () => {
  it('applies a sandbox host of the design with --yes (the sandbox lives while the command runs)', async () => {
    const r = await cli(['apply', example, '--yes']);
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toMatch(/lab \(sandbox lab \(lives only while this command runs\)\): converged: 22 step\(s\) run/);
  });
});
