// SandboxExecutor: a private user+net+mount+pid namespace on this machine that behaves
// like a host (state persists between runs) and vanishes completely on close().
import { existsSync, readlinkSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionLost, SandboxExecutor, Timeout } from '../../electron/backend/executor';
import { runProc } from '../support/lab-proc';
import { processesInNetNs } from '../support/sandbox-proc';

const opened: SandboxExecutor[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

async function sandbox(): Promise<SandboxExecutor> {
  const s = await SandboxExecutor.start({ name: 'test' });
  opened.push(s);
  return s;
}

const unshareWorks = (await runProc(['unshare', '--user', '--map-root-user', '--net', '--mount', 'true'])).code === 0;
if (!unshareWorks) console.log('[sandbox-executor] skipped: unshare --user --map-root-user is not permitted here');

describe.skipIf(!unshareWorks)('SandboxExecutor', () => {
  it('runs `ip netns add` inside; the machine\'s own /run/netns and links are untouched', async () => {
    // Only what this test makes is looked at on the machine (other programs may add and
    // remove namespaces and links here at any time).
    const ns = 'wp-sbexec-x';
    const sb = await sandbox();
    const r = await sb.run(`ip netns add ${ns} && ip link add wpsb0 type veth peer name wpsb1 && ip netns list; id -u`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${ns}\n0\n`);
    // State persists between runs, like a real host.
    expect((await sb.run('ip netns list; ip -br link show wpsb0 | cut -d" " -f1')).stdout).toBe(`${ns}\nwpsb0@wpsb1\n`);
    expect(existsSync(`/run/netns/${ns}`)).toBe(false);
    expect((await runProc(['ip', 'link', 'show', 'wpsb0'])).code).not.toBe(0);
    expect((await runProc(['ip', 'link', 'show', 'wpsb1'])).code).not.toBe(0);
    expect(sb.describe()).toBe('sandbox test');
  });

  it('supports stdin, streaming, exit codes, timeouts and cancel like any host', async () => {
    const sb = await sandbox();
    expect(await sb.run('cat; exit 4', { stdin: 'in\n' })).toEqual({ code: 4, stdout: 'in\n', stderr: '' });
    const chunks: string[] = [];
    await sb.run('echo a; echo b >&2', { onStdout: (c) => chunks.push(c), onStderr: (c) => chunks.push(`E${c}`) });
    expect(chunks.sort()).toEqual(['Eb\n', 'a\n']);
    // The deadline itself is the event: a Timeout, not the command's end 30 s later (which
    // would outlast this test's own timeout).
    await expect(sb.run('sleep 30', { timeoutMs: 200 })).rejects.toBeInstanceOf(Timeout);
    // The timed-out command's whole process group is gone.
    expect((await sb.run('ps -eo args= | grep -c "[s]leep 30" || true')).stdout.trim()).toBe('0');
  });

  it('close() ends every process inside, background ones included', async () => {
    const sb = await sandbox();
    const ns = readlinkSync(`/proc/${sb.pid}/ns/net`);
    // A daemon-like process that outlives its run.
    await sb.run('sleep 1000 </dev/null >/dev/null 2>&1 &');
    expect(processesInNetNs(ns).length).toBeGreaterThanOrEqual(2);
    await sb.close();
    await sb.close(); // idempotent
    expect(processesInNetNs(ns)).toEqual([]);
    expect(existsSync(`/proc/${sb.pid}`)).toBe(false);
    await expect(sb.run('true')).rejects.toBeInstanceOf(ConnectionLost);
  });
});
