// A shell in the local sandbox (issue 14): a real pty (pty-relay.py) inside the sandbox's
// namespaces, in a network namespace or the sandbox's root one. What is typed runs there;
// resize reaches the shell's terminal; exit and close end the session as they should.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHostShell, SandboxExecutor } from '../../electron/backend/executor';
import { watchShell } from '../support/shell-screen';

let sandbox: SandboxExecutor;

beforeAll(async () => {
  sandbox = await SandboxExecutor.start({ name: 'shell' });
  const r = await sandbox.run('set -e; ip netns add wpsh1; ip -n wpsh1 link set lo up; ip -n wpsh1 addr add 10.77.0.1/32 dev lo');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await sandbox?.close();
});

// A login shell reads the user's profile (on this machine root's .bashrc starts pyenv, seconds
// under load): generous per-test limits, the readiness signal is still the output itself.
describe('shell in the sandbox', { timeout: 120_000 }, () => {
  it('runs what is typed inside the namespace and sees its addresses', async () => {
    const s = await openHostShell(sandbox, { namespace: 'wpsh1', cols: 120, rows: 30 });
    const screen = watchShell(s);
    s.write('ip -br addr; echo "ns=$(ip netns identify)"\n');
    await screen.waitFor(/10\.77\.0\.1\/32[\s\S]*ns=wpsh1/);
    s.write('exit 3\n');
    expect(await s.ended).toEqual({ reason: 'exit', code: 3 });
  });

  it('in the root namespace sees no namespace addresses but the namespace list', async () => {
    const s = await openHostShell(sandbox, { cols: 100, rows: 30 });
    const screen = watchShell(s);
    s.write('echo "netns=[$(ip netns identify)]"; ip netns list\n');
    const out = await screen.waitFor(/netns=\[\][\s\S]*wpsh1/);
    expect(out).not.toContain('10.77.0.1');
    s.close();
    expect(await s.ended).toEqual({ reason: 'closed' });
  });

  it('starts at the given size and follows a resize', async () => {
    const s = await openHostShell(sandbox, { namespace: 'wpsh1', cols: 91, rows: 27 });
    const screen = watchShell(s);
    s.write('echo "size=$(stty size)"\n');
    await screen.waitFor('size=27 91');
    const mark = screen.text().length;
    s.resize({ cols: 133, rows: 41 });
    // The shell learns the size from the kernel (SIGWINCH); stty asks the pty itself.
    s.write('echo "size=$(stty size)"\n');
    await screen.waitFor('size=41 133', { from: mark });
    s.close();
    await s.ended;
  });

  it('refuses a bad size and a name that is not a namespace name, before anything runs', async () => {
    await expect(openHostShell(sandbox, { cols: 0, rows: 30 })).rejects.toThrow(/columns must be a whole number from 2 to 1000, got 0/);
    await expect(openHostShell(sandbox, { namespace: 'a;reboot', cols: 80, rows: 24 })).rejects.toThrow(/not a network namespace name/);
  });

  it('a shell in a namespace that does not exist ends with the reason on screen', async () => {
    const s = await openHostShell(sandbox, { namespace: 'nosuchns', cols: 80, rows: 24 });
    const screen = watchShell(s);
    const end = await s.ended;
    expect(end.reason).toBe('exit');
    expect(end.reason === 'exit' && end.code).not.toBe(0);
    expect(screen.text()).toMatch(/nosuchns/);
  });
});
