// The lab-host harness itself: it must come up fast, be reachable only through its own
// veth, run many at once, and leave nothing behind.
import { existsSync, readlinkSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runProc } from '../support/lab-proc';
import { startLabHost, type LabHost } from '../support/labhost';
import { sshLabSkip } from '../support/lab-ssh';
import { processesInPidNs } from '../support/sandbox-proc';

const skip = sshLabSkip('labhost');
const started: LabHost[] = [];

afterAll(async () => {
  await Promise.allSettled(started.map((l) => l.stop()));
});

async function linkExists(ifname: string): Promise<boolean> {
  return (await runProc(['ip', 'link', 'show', 'dev', ifname])).code === 0;
}

describe.skipIf(skip)('lab host', () => {
  it('starts a private host with sshd listening only on its address, and stops without leftovers', async () => {
    const lab = await startLabHost();
    started.push(lab);
    expect(lab.address).toMatch(/^10\.231\.\d+\.\d+$/);
    expect(lab.hostKeySha256).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);

    const inside = await lab.exec('hostname; id -u; ls -A /root | wc -l; ip -4 -o addr show dev eth0; ls /run/netns 2>/dev/null | wc -l');
    expect(inside.code).toBe(0);
    const [hostname, uid, rootFiles, addr] = inside.stdout.split('\n');
    expect(hostname).toBe(lab.name);
    expect(uid).toBe('0');
    expect(rootFiles).toBe('0'); // an empty /root: no .bashrc to slow every exec down
    expect(addr).toContain(`${lab.address}/30`);

    // sshd listens on the lab address only.
    const listen = await lab.exec('ss -Hltn');
    expect(listen.stdout).toContain(`${lab.address}:22`);
    expect(listen.stdout).not.toMatch(/(0\.0\.0\.0|\*|\[::\]):22\b/);

    // `ip netns add` inside stays inside (fresh /run).
    expect((await lab.exec('ip netns add inner && ip netns list')).stdout).toContain('inner');
    expect(existsSync('/run/netns/inner')).toBe(false);

    const pid = lab.pid;
    await lab.stop();
    await lab.stop(); // idempotent
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(await linkExists(lab.hostIfname)).toBe(false);
    console.log(`[labhost] up ${lab.timings.upMs.toFixed(0)} ms, down ${lab.timings.downMs?.toFixed(0)} ms`);
  });

  it('runs several labs at once, each on its own /30 and interface', async () => {
    const labs = await Promise.all([1, 2, 3, 4].map(() => startLabHost()));
    started.push(...labs);
    expect(new Set(labs.map((l) => l.address)).size).toBe(4);
    expect(new Set(labs.map((l) => l.hostIfname)).size).toBe(4);
    // Each lab sees only its own interface.
    for (const l of labs) {
      const links = (await l.exec('ip -o link show | grep -c ": eth0@"')).stdout.trim();
      expect(links).toBe('1');
    }
    const t = performance.now();
    await Promise.all(labs.map((l) => l.stop()));
    console.log(
      `[labhost] 4 parallel: up ${labs.map((l) => l.timings.upMs.toFixed(0)).join('/')} ms, all down in ${(performance.now() - t).toFixed(0)} ms`,
    );
    for (const l of labs) expect(await linkExists(l.hostIfname)).toBe(false);
  });

  it('reaps orphans and kills everything inside on stop', async () => {
    const lab = await startLabHost();
    started.push(lab);
    const pidNs = readlinkSync(`/proc/${lab.pid}/ns/pid`);
    // A short-lived orphan (its parent shell exits at once) and a long-lived background process.
    await lab.exec('(sleep 0.05 &); (sleep 1000 </dev/null >/dev/null 2>&1 &); true');
    // Orphans are reparented to the init, which must reap them: wait until the short sleep
    // has finished (the process table is the signal) and check no zombie is left.
    const deadline = Date.now() + 5000;
    let ps = '';
    do {
      ps = (await lab.exec('ps -eo stat=,args=')).stdout;
    } while (/sleep 0\.05/.test(ps) && Date.now() < deadline);
    expect(ps).not.toMatch(/sleep 0\.05/);
    expect(ps.split('\n').filter((l) => l.startsWith('Z'))).toEqual([]);
    expect(ps).toContain('sleep 1000');
    expect(processesInPidNs(pidNs).length).toBeGreaterThanOrEqual(3); // init, sshd, sleep
    await lab.stop();
    expect(processesInPidNs(pidNs)).toEqual([]);
  });

  it('restarts sshd with a new host key at the same address', async () => {
    const lab = await startLabHost({ hostKeyType: 'ecdsa' });
    started.push(lab);
    const before = lab.hostKeySha256;
    expect(lab.hostKeyType).toBe('ecdsa-sha2-nistp256');
    await lab.restartSshd({ newHostKey: true });
    expect(lab.hostKeySha256).not.toBe(before);
    expect(lab.sshdLog().match(/Server listening on/g)?.length).toBe(2);
    await lab.stop();
  });
});
