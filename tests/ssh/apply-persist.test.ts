// apply --persist over SSH to a lab host: the exported script and wireplan-TAG.service are
// installed and the unit enabled (its multi-user.target.wants link exists); a simulated
// reboot (a fresh network and mount namespace inside the lab: no namespaces, an empty
// /run, the uplink up as at network-online) runs the INSTALLED unit's ExecStart, which
// rebuilds the design; destroy removes script, unit and link again.
// The lab gets private tmpfs copies of /etc/systemd/system and /usr/local/lib, so the test
// never writes this machine's own systemd configuration.
import { afterEach, describe, expect, it } from 'vitest';
import { shellCommand } from '../../shared/export/quote';
import { designMismatches } from '../support/design-check';
import { EXAMPLES_DIR, loadExample } from '../support/examples';
import { shapeLab } from '../support/lab-apply';
import { runCli } from '../support/cli-run';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { join } from 'node:path';
import { runPoll } from '../../electron/backend/live/poller';

const skip = sshLabSkip('apply-persist');
const example = join(EXAMPLES_DIR, 'two-namespaces-nat.wireplan.json');
const UNIT = '/etc/systemd/system/wireplan-twons.service';
const WANTS = '/etc/systemd/system/multi-user.target.wants/wireplan-twons.service';
const SCRIPT = '/usr/local/lib/wireplan/wireplan-twons.sh';
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

async function sh(lab: LabHost, cmd: string): Promise<string> {
  const r = await lab.exec(cmd);
  if (r.code !== 0) throw new Error(`${cmd}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

const exists = async (lab: LabHost, path: string) => (await lab.exec(`test -e ${path} || test -L ${path}`)).code === 0;

describe.skipIf(skip)('apply --persist / destroy over SSH', () => {
  it('installs and enables the boot unit, a reboot rebuilds the lab from it, destroy removes it', async () => {
    scope = new LabScope();
    const lab = await scope.lab();
    await sh(lab, 'mount -t tmpfs -o mode=0755 tmpfs /etc/systemd/system && mount -t tmpfs -o mode=0755 tmpfs /usr/local/lib');
    const { host } = await shapeLab(lab, ['eth0']);
    const ssh = ['--ssh', `lab=root@${lab.address}:${lab.port}`, '-i', lab.clientKeyPath, '--known-hosts', scope.knownHostsFor(lab)];

    const applied = await runCli(['apply', example, ...ssh, '--yes', '--persist']);
    expect(applied.code, applied.err + applied.out).toBe(0);
    expect(applied.out).toContain(`persistent: ${UNIT} enabled (${WANTS}), runs ${SCRIPT} up at boot`);
    expect(await designMismatches(host.sb, loadExample('two-namespaces-nat.wireplan.json'), 'lab')).toEqual([]);
    expect(await sh(lab, `readlink ${WANTS}`)).toBe(`${UNIT}\n`);
    expect(await sh(lab, `stat -c %a ${SCRIPT}`)).toBe('755\n');
    // Live state's poll says the design is persistent (the host frame's badge).
    const live = scope.executor(lab);
    expect((await runPoll(live, { entries: [], unit: 'twons' })).output.persistent).toBe(true);
    const unit = await sh(lab, `cat ${UNIT}`);
    expect(unit).toContain(`ExecStart=/bin/bash ${SCRIPT} up`);

    // The boot: ExecStart of the installed unit, in a network namespace with nothing in it.
    const execStart = unit.split('\n').find((l) => l.startsWith('ExecStart='))!.slice('ExecStart='.length);
    const boot = [
      'set -e',
      'mount -t tmpfs -o mode=0755 tmpfs /run',
      'ip link set lo up',
      'test -z "$(ip netns list)"',
      // The design's uplink, up as at network-online.target.
      'ip link add eth0 type veth peer name w-eth0',
      'ip addr add 203.0.113.2/24 dev eth0',
      'ip link set eth0 up && ip link set w-eth0 up',
      execStart,
      'echo "@netns $(ip netns list | cut -d" " -f1 | sort | tr "\\n" " ")"',
      'ip netns exec app1 ip -br addr show',
    ].join('\n');
    const rebooted = await sh(lab, shellCommand(['unshare', '--net', '--mount', '--propagation', 'private', 'bash', '-c', boot]));
    expect(rebooted).toMatch(/@wp result converged changed=[1-9]/);
    expect(rebooted).toMatch(/@netns app1 app2 /);
    expect(rebooted).toMatch(/10\.0\.0\.\d+\/24/);

    const json = await runCli(['destroy', example, ...ssh, '--yes', '--json']);
    expect(json.code, json.err + json.out).toBe(0);
    const hostLine = json.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.type === 'host')!;
    expect(new Set(hostLine.unpersisted as string[])).toEqual(new Set([WANTS, UNIT, SCRIPT]));
    for (const f of [WANTS, UNIT, SCRIPT]) expect(await exists(lab, f), f).toBe(false);
    expect((await runPoll(live, { entries: [], unit: 'twons' })).output.persistent).toBe(false);

    // Destroying again finds no boot unit to remove and still succeeds.
    const again = await runCli(['destroy', example, ...ssh, '--yes']);
    expect(again.code, again.err + again.out).toBe(0);
    expect(again.out).not.toContain('boot unit removed');
  });
});

describe('apply --persist to the local sandbox', () => {
  it('is refused with the reason: nothing rebuilds a sandbox at boot', async () => {
    const r = await runCli(['apply', example, '--yes', '--persist']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--persist is for SSH hosts: lab is a local sandbox, which nothing rebuilds at boot');
  });
});
