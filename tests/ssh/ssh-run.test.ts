// SshExecutor against a real sshd: exit statuses, streaming, stdin, concurrency limits.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelFailed, Timeout, Cancelled, type SshExecutor } from '../../electron/backend/executor';
import { shellCommand } from '../../shared/export/quote';
import type { LabHost } from '../support/labhost';
import { LabScope, sshLabSkip } from '../support/lab-ssh';

const skip = sshLabSkip('ssh-run');
const scope = new LabScope();
let lab: LabHost;
let ex: SshExecutor;

beforeAll(async () => {
  if (skip) return;
  lab = await scope.lab({ user: { name: 'wprun' } });
  ex = scope.executor(lab);
});
afterAll(() => scope.cleanup());

describe.skipIf(skip)('SshExecutor run', () => {
  it('connects, runs, and reports exit statuses exactly', async () => {
    const t = performance.now();
    await ex.connect();
    const connectMs = performance.now() - t;
    expect(await ex.run('echo hello; echo oops >&2')).toEqual({ code: 0, stdout: 'hello\n', stderr: 'oops\n' });
    expect((await ex.run('exit 3')).code).toBe(3);
    expect((await ex.run('exit 255')).code).toBe(255);
    expect((await ex.run('false')).code).toBe(1);
    // Death by signal: no exit status, the signal is named.
    const killed = await ex.run('kill -TERM $$');
    expect(killed.code).toBeNull();
    expect(killed.signal).toBe('SIGTERM');
    // Arguments built with the project's one quoting function survive the trip.
    const nasty = ["it's", 'a $HOME `x` "q"', '', 'ü\\n'];
    const echoed = await ex.run(shellCommand(['printf', '%s\\n', ...nasty]));
    expect(echoed.stdout).toBe(nasty.map((a) => `${a}\n`).join(''));
    expect(ex.describe()).toBe(`ssh root@${lab.address}:22`);
    console.log(`[ssh-run] connect to ready ${connectMs.toFixed(1)} ms`);
  });

  it('streams a 1 MiB script and 1 MiB of data on stdin, not in argv', async () => {
    const lines = ['set -e', 'n=0'];
    const line = `n=$((n + 1)) # ${'x'.repeat(40)}`;
    for (let size = 0; size < 1024 * 1024; size += line.length + 1) lines.push(line);
    lines.push('echo "ran $n"');
    const script = `${lines.join('\n')}\n`;
    expect(script.length).toBeGreaterThanOrEqual(1024 * 1024);
    const r = await ex.run('bash -s', { stdin: script });
    expect(r).toEqual({ code: 0, stdout: `ran ${lines.length - 3}\n`, stderr: '' });

    const data = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) & 255;
    const sum = await ex.run('sha256sum', { stdin: data });
    expect(sum.stdout.split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('streams stdout and stderr as they come, and drains large outputs on both', async () => {
    const events: string[] = [];
    // The command goes on only once the test has seen its first line (a flag file it waits
    // for): "second" can only come if "first" was streamed while the command still ran.
    const flag = `/tmp/wp-stream-${process.pid}`;
    await ex.run(shellCommand(['rm', '-f', flag]));
    let release: Promise<unknown> | undefined;
    const r = await ex.run(
      shellCommand(['bash', '-c', 'echo first; echo err1 >&2; for i in $(seq 400); do [ -e "$1" ] && { echo second; exit 0; }; sleep 0.05; done; echo "not streamed"', 'wp', flag]),
      {
        onStdout: (c) => {
          events.push(c);
          if (c.includes('first') && !release) release = ex.run(shellCommand(['touch', flag]));
        },
        onStderr: (c) => events.push(`E:${c}`),
      },
    );
    await release;
    await ex.run(shellCommand(['rm', '-f', flag]));
    expect(r.stdout).toBe('first\nsecond\n');
    expect(events.some((e) => e === 'E:err1\n')).toBe(true);

    // 4 MiB on each stream at once: an undrained stream would block the command forever.
    const big = await ex.run('head -c 4194304 /dev/zero | tr "\\0" a & head -c 4194304 /dev/zero | tr "\\0" b >&2; wait');
    expect(big.code).toBe(0);
    expect(big.stdout.length).toBe(4 * 1024 * 1024);
    expect(big.stderr.length).toBe(4 * 1024 * 1024);

    // Multi-byte characters split across packets are decoded whole.
    const utf = await ex.run('for i in $(seq 20000); do printf "é€"; done');
    expect(utf.stdout).toBe('é€'.repeat(20000));
  });

  it('runs 30 operations in a row on one connection', async () => {
    const before = (lab.sshdLog().match(/Accepted publickey/g) ?? []).length;
    const t = performance.now();
    for (let i = 0; i < 30; i++) {
      const r = await ex.run(`echo ${i}`);
      expect(r.stdout).toBe(`${i}\n`);
    }
    const perOp = (performance.now() - t) / 30;
    expect((lab.sshdLog().match(/Accepted publickey/g) ?? []).length).toBe(before); // no new login
    console.log(`[ssh-run] sequential exec round trip ${perOp.toFixed(2)} ms`);
  });

  it('keeps 20 concurrent runs within 8 channels, so MaxSessions 10 is never exhausted', async () => {
    await ex.run('rm -rf /tmp/conc && mkdir /tmp/conc');
    // Each command counts the commands running beside it on the host.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ex.run(`touch /tmp/conc/${i}; ls /tmp/conc | wc -l; sleep 0.2; rm /tmp/conc/${i}; echo ${i} >&2`)),
    );
    expect(results.every((r) => r.code === 0)).toBe(true);
    expect(results.map((r) => r.stderr)).toEqual(Array.from({ length: 20 }, (_, i) => `${i}\n`));
    const peak = Math.max(...results.map((r) => Number(r.stdout.trim())));
    expect(peak).toBeLessThanOrEqual(8);
    expect(peak).toBeGreaterThanOrEqual(2); // they really overlapped
  });

  it('without the limit, sshd refuses channels past MaxSessions (why the semaphore exists)', async () => {
    const greedy = scope.executor(lab, { maxChannels: 20 });
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => greedy.run('sleep 1.5')));
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r).toBeInstanceOf(ChannelFailed);
      expect((r as ChannelFailed).openRefused).toBe(true);
    }
    expect(lab.sshdLog()).toContain('no more sessions');
    await greedy.close();
  });

  it('times out and cancels runs with typed errors', async () => {
    await expect(ex.run('sleep 10', { timeoutMs: 300 })).rejects.toBeInstanceOf(Timeout);

    const ctl = new AbortController();
    const running = ex.run('echo started; sleep 10', { signal: ctl.signal, onStdout: () => ctl.abort() });
    await expect(running).rejects.toBeInstanceOf(Cancelled);
    // The connection is still good afterwards.
    expect((await ex.run('echo ok')).stdout).toBe('ok\n');
  });

  it('cancelling kills the remote command group where sshd allows it (non-root logins)', async () => {
    // OpenSSH honours "signal" requests only under privilege separation, i.e. not for root.
    const user = scope.executor(lab, { username: 'wprun' });
    const ctl = new AbortController();
    const running = user.run('echo started; sleep 77; echo never', { signal: ctl.signal, onStdout: () => ctl.abort() });
    await expect(running).rejects.toBeInstanceOf(Cancelled);
    // The process table is the signal: both the shell and its sleep disappear.
    const deadline = Date.now() + 5000;
    let left = '';
    do left = (await lab.exec('ps -eo args= | grep -c "[s]leep 77" || true')).stdout.trim();
    while (left !== '0' && Date.now() < deadline);
    expect(left).toBe('0');
  });
});
