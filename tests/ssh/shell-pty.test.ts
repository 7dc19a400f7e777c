// A shell over SSH (issue 14): a pty exec channel on a connection of its own, as root
// directly or through sudo (with and without a password), inside a network namespace of a
// real OpenSSH lab host. What is typed runs there; resize reaches the pty; a host that
// dies ends the session as lost; the sudo password never shows on the terminal.
import { afterAll, describe, expect, it } from 'vitest';
import type { LabHost } from '../support/labhost';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import { watchShell } from '../support/shell-screen';

const skip = sshLabSkip('shell-pty');
const PASSWORD = 'sentinel-shell-pw-81c3d0';
const scope = new LabScope();
afterAll(() => scope.cleanup());

async function labWithNamespace(opts?: Parameters<LabScope['lab']>[0]): Promise<LabHost> {
  const lab = await scope.lab(opts);
  const r = await lab.exec('set -e; ip netns add wpsh1; ip -n wpsh1 link set lo up; ip -n wpsh1 addr add 10.78.0.1/32 dev lo');
  expect(r.code, r.stderr).toBe(0);
  return lab;
}

describe.skipIf(skip)('shell over SSH', () => {
  it('as root: typed commands run in the namespace; resize, exit code', async () => {
    const lab = await labWithNamespace();
    const ex = scope.executor(lab);
    const s = await ex.openShell({ namespace: 'wpsh1', cols: 100, rows: 30 });
    const screen = watchShell(s);
    s.write('ip -br addr; echo "ns=$(ip netns identify) size=$(stty size)"\n');
    await screen.waitFor(/10\.78\.0\.1\/32[\s\S]*ns=wpsh1 size=30 100/);
    const mark = screen.text().length;
    s.resize({ cols: 140, rows: 44 });
    s.write('echo "size=$(stty size) term=$TERM"\n');
    await screen.waitFor('size=44 140 term=xterm-256color', { from: mark });
    s.write('exit 5\n');
    expect(await s.ended).toEqual({ reason: 'exit', code: 5 });
    // The executor's own connection for runs is untouched and still works.
    expect((await ex.run('echo ok')).stdout).toBe('ok\n');
  });

  it('with a sudo password: a root shell; neither the password nor the handshake is shown', async () => {
    const lab = await labWithNamespace({ user: { name: 'wpshsudo', password: PASSWORD, sudo: 'password' } });
    const ex = scope.executor(lab, { username: 'wpshsudo', sudo: { password: PASSWORD } });
    const s = await ex.openShell({ namespace: 'wpsh1', cols: 80, rows: 24 });
    const screen = watchShell(s);
    // Typed at once, while sudo may still be starting: it waits for the shell.
    s.write('echo "uid=$(id -u) ns=$(ip netns identify)"\n');
    await screen.waitFor('uid=0 ns=wpsh1');
    s.write('echo "echo-is=$(stty -a | grep -o -- " -\\?echo " | head -1)"\n');
    await screen.waitFor('echo-is= echo ');
    s.close();
    expect(await s.ended).toEqual({ reason: 'closed' });
    expect(screen.text()).not.toContain(PASSWORD);
    expect(screen.text()).not.toMatch(/wireplan-pty-/);
    expect(scope.logs.join('\n')).not.toContain(PASSWORD);
  });

  it('with sudo rights that need no password: a root shell in the root namespace', async () => {
    const lab = await labWithNamespace({ user: { name: 'wpshnop', sudo: 'nopasswd' } });
    const ex = scope.executor(lab, { username: 'wpshnop', sudo: true });
    const s = await ex.openShell({ cols: 80, rows: 24 });
    const screen = watchShell(s);
    s.write('echo "uid=$(id -u) ns=[$(ip netns identify)]"; ip netns list\n');
    await screen.waitFor(/uid=0 ns=\[\][\s\S]*wpsh1/);
    s.close();
    await s.ended;
  });

  it('a host that goes away ends the session as lost, with the reason', async () => {
    const lab = await labWithNamespace();
    const ex = scope.executor(lab, { keepaliveIntervalMs: 500, keepaliveCountMax: 2 });
    const s = await ex.openShell({ namespace: 'wpsh1', cols: 80, rows: 24 });
    const screen = watchShell(s);
    s.write('echo ready-$((40+2))\n');
    await screen.waitFor('ready-42');
    await lab.stop();
    const end = await s.ended;
    expect(end.reason).toBe('lost');
    expect(end.reason === 'lost' && end.message).toMatch(/connection|closed|lost/i);
  });
});
