// A "lab host" for SSH tests (DESIGN.md §5): a throwaway Linux machine made of root-owned
// namespaces around a tiny init, running the real Debian sshd, reached from the root
// namespace over a veth pair with a /30 of its own. Killing the init takes down every
// process inside and with them the network namespace and the veth pair.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountFiles, makeKeyPair, sshdConfig, type KeyPair, type LabKeyType, type LabUserSpec } from './lab-files';
import { mustRun, runProc, type ProcResult } from './lab-proc';

export type { LabUserSpec } from './lab-files';

export interface LabHostOptions {
  /** Host name inside the lab (UTS namespace); also the prefix of log lines. */
  name?: string;
  /** Extra sshd_config lines; they win over the harness defaults (Match blocks go last). */
  sshdConfig?: readonly string[];
  hostKeyType?: LabKeyType;
  /** Encrypts the generated client key with this passphrase. */
  clientKeyPassphrase?: string;
  /** A second, non-root account (with optional password and sudo rights). */
  user?: LabUserSpec;
  /** sshd's port inside the lab (default 22). */
  port?: number;
}

export interface LabHost {
  readonly name: string;
  /** The lab's address (sshd listens only here). */
  readonly address: string;
  readonly port: number;
  /** The root-namespace end of the veth pair and its address. */
  readonly hostIfname: string;
  readonly hostAddress: string;
  /** Current host key (changes after restartSshd({ newHostKey: true })). */
  hostKeyPath: string;
  hostPublicKey: string;
  hostKeyType: string;
  /** OpenSSH-style fingerprint, as printed by ssh-keygen -l. */
  hostKeySha256: string;
  /** Private key authorized for root (and for the second user, if any). */
  readonly clientKeyPath: string;
  readonly clientPublicKey: string;
  readonly clientKeyPassphrase?: string;
  readonly user?: LabUserSpec & { uid: number; home: string };
  /** PID (in the root PID namespace) of the lab's init. */
  readonly pid: number;
  readonly timings: { upMs: number; downMs?: number };
  /** Runs `bash -c cmd` inside the lab as root, without SSH (nsenter into every namespace). */
  exec(cmd: string): Promise<ProcResult>;
  /** sshd's log (LogLevel VERBOSE) so far. */
  sshdLog(): string;
  /** Stops the listening sshd (sessions stay) and starts it again, optionally with a new host key. */
  restartSshd(opts?: { newHostKey?: boolean }): Promise<void>;
  /** Idempotent; resolves once nothing of the lab is left. */
  stop(): Promise<void>;
}

const LAB_NET_SIZE = 16384; // /30s in 10.231.0.0/16
const READY_DEADLINE_MS = 10_000;
const REQUIRED = ['/usr/sbin/sshd', '/usr/bin/unshare', '/usr/bin/nsenter', '/usr/bin/setsid', '/usr/bin/ssh-keygen'];

/** Why lab hosts cannot run here, or undefined when they can. */
export function labHostSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'lab hosts need root (real sshd logins need root-made namespaces)';
  const missing = REQUIRED.filter((p) => !existsSync(p));
  if (missing.length > 0) return `lab hosts need ${missing.join(', ')} (Debian: openssh-server, openssh-client, util-linux)`;
  if (!existsSync('/usr/sbin/ip') && !existsSync('/sbin/ip')) return 'lab hosts need ip (Debian: iproute2)';
  return undefined;
}

// The init: mounts the lab's private filesystems, says "ready", then blocks reading its
// stdin. Bash reaps every child (orphans included) on SIGCHLD while it waits, and when
// stdin closes (the test process died) it exits and the whole lab goes with it.
const INIT = String.raw`
set -eu
work=$1; name=$2; user=$3
echo "$name" > /proc/sys/kernel/hostname
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -m 0755 /run/lab /run/sshd /run/home
mount --bind "$work" /run/lab
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=0755 tmpfs /var/log
mount -t tmpfs -o mode=0700 tmpfs /root
for f in passwd group shadow sudoers hosts; do
  if [ -e "/run/lab/etc/$f" ] && [ -e "/etc/$f" ]; then mount --bind "/run/lab/etc/$f" "/etc/$f"; fi
done
if [ -n "$user" ]; then
  IFS=: read -r uid home <<<"$user"
  mkdir -m 0700 "$home"; chown "$uid:$uid" "$home"
fi
ip link set lo up
echo ready
while read -r _; do :; done
`;

let nextIndex = (process.pid * 37) % LAB_NET_SIZE;
let serial = 0;
const live = new Set<{ pid: number; work: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort if a test file forgets stop(): kill our own inits by PID.
  process.once('exit', () => {
    for (const l of live) {
      try {
        process.kill(l.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      rmSync(l.work, { recursive: true, force: true });
    }
  });
}

function labAddresses(index: number): { host: string; lab: string } {
  const base = index * 4;
  const a = `10.231.${base >> 8}`;
  return { host: `${a}.${(base & 255) + 1}`, lab: `${a}.${(base & 255) + 2}` };
}

/** Resolves with the first stdout line of the child, or rejects if it exits first. */
function firstLine(child: ChildProcessWithoutNullStreams, deadlineMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`lab init gave no ready line in ${deadlineMs} ms: ${err}`)), deadlineMs);
    const onOut = (b: Buffer) => {
      out += b.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) done(() => resolve(out.slice(0, nl)));
    };
    const onErr = (b: Buffer) => {
      err += b.toString();
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(new Error(`lab init exited (${code ?? signal}) before ready: ${err.trim()}`));
    const done = (f: () => void) => {
      clearTimeout(timer);
      child.stdout.off('data', onOut);
      child.off('exit', onExit);
      f();
    };
    const fail = (e: Error) => done(() => reject(e));
    child.stdout.on('data', onOut);
    child.stderr.on('data', onErr);
    child.on('exit', onExit);
  });
}

function childPidOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  if (children.length !== 1) throw new Error(`expected one child of unshare ${pid}, found [${children.join(' ')}]`);
  return Number(children[0]);
}

/** Creates the veth pair, claiming an index whose interface name is still free (safe across processes). */
async function claimVeth(initPid: number): Promise<{ index: number; ifname: string }> {
  for (let attempt = 0; attempt < 64; attempt++) {
    const index = nextIndex;
    nextIndex = (nextIndex + 1) % LAB_NET_SIZE;
    const ifname = `wplab${index}h`;
    // The peer is created directly in the lab's namespace (DESIGN §5: ~35x cheaper than moving it).
    const r = await runProc(['ip', 'link', 'add', ifname, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(initPid)]);
    if (r.code === 0) return { index, ifname };
    if (!/File exists/.test(r.stderr)) throw new Error(`ip link add ${ifname}: ${r.stderr.trim()}`);
  }
  throw new Error('no free lab interface index after 64 attempts');
}

/** Resolves when `needle` appears in the file after byte `from` (sshd's own readiness line). */
async function waitForLogLine(path: string, from: number, needle: string, deadlineMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const text = existsSync(path) ? readFileSync(path).subarray(from).toString('utf8') : '';
    if (text.includes(needle)) return;
    if (/fatal|error:/i.test(text) && !alive()) throw new Error(`sshd did not start: ${text.trim()}`);
    if (Date.now() > deadline) throw new Error(`sshd not listening after ${deadlineMs} ms; log:\n${text}`);
    await new Promise((r) => setTimeout(r, 5)); // re-read the log; the line itself is the signal
  }
}

/**
 * Removes work directories of labs whose test process died without cleaning up (the lab
 * itself died with it: its init exits when its stdin closes).
 */
function sweepStaleWorkDirs(): void {
  for (const d of readdirSync(tmpdir())) {
    if (!d.startsWith('wplab-')) continue;
    const owner = join(tmpdir(), d, 'owner.pid');
    if (!existsSync(owner)) continue;
    const pid = Number(readFileSync(owner, 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && !existsSync(`/proc/${pid}`)) rmSync(join(tmpdir(), d), { recursive: true, force: true });
  }
}

export async function startLabHost(opts: LabHostOptions = {}): Promise<LabHost> {
  const reason = labHostSkipReason();
  if (reason) throw new Error(reason);
  installExitHook();
  sweepStaleWorkDirs();
  const t0 = performance.now();
  const name = opts.name ?? `wplab-${process.pid}-${++serial}`;
  const port = opts.port ?? 22;
  const work = mkdtempSync(join(tmpdir(), 'wplab-'));
  // Inside the lab this directory is /run/lab; sshd's StrictModes wants it root-owned, 0755.
  chmodSync(work, 0o755);
  writeFileSync(join(work, 'owner.pid'), String(process.pid));
  mkdirSync(join(work, 'authorized_keys'), { mode: 0o755 });
  mkdirSync(join(work, 'etc'), { mode: 0o755 });
  const record = { pid: 0, work };
  live.add(record);

  let child: ChildProcessWithoutNullStreams | undefined;
  let initPid = 0;
  let ifname: string | undefined;
  try {
    const hostKeyType = opts.hostKeyType ?? 'ed25519';
    // The account files must exist before the init bind-mounts them; the keys are only
    // needed by sshd, so they are made while the namespaces come up.
    const accounts = opts.user ? await accountFiles(opts.user, name) : undefined;
    let userSpec = '';
    if (opts.user && accounts) {
      for (const f of ['passwd', 'group', 'hosts'] as const) writeFileSync(join(work, 'etc', f), accounts[f], { mode: 0o644 });
      writeFileSync(join(work, 'etc', 'shadow'), accounts.shadow, { mode: 0o640 });
      writeFileSync(join(work, 'etc', 'sudoers'), accounts.sudoers, { mode: 0o440 });
      userSpec = `${accounts.uid}:${accounts.home}`;
    }
    const keys = Promise.all([
      makeKeyPair(join(work, 'host_key_1'), hostKeyType, `${name}-host`),
      makeKeyPair(join(work, 'client_key'), 'ed25519', `${name}-client`, opts.clientKeyPassphrase ?? ''),
    ]);
    keys.catch(() => {}); // awaited below; a failure there must not be unhandled meanwhile

    // A script file rather than `bash -c`, so the lab's process list stays readable.
    // bash keeps the file open, so mounting a tmpfs over /tmp later does not disturb it.
    writeFileSync(join(work, 'init.sh'), INIT, { mode: 0o644 });
    child = spawn(
      'setsid',
      ['unshare', '--net', '--mount', '--pid', '--uts', '--ipc', '--fork', '--kill-child', '--mount-proc', '--propagation', 'private',
        'bash', join(work, 'init.sh'), work, name, userSpec],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const line = await firstLine(child, READY_DEADLINE_MS);
    if (line !== 'ready') throw new Error(`lab init said ${JSON.stringify(line)}`);
    initPid = childPidOf(child.pid!);
    record.pid = initPid;

    const [hostKey, clientKey] = await keys;
    writeFileSync(join(work, 'authorized_keys', 'root'), `${clientKey.publicLine}\n`, { mode: 0o644 });
    if (opts.user) writeFileSync(join(work, 'authorized_keys', opts.user.name), `${clientKey.publicLine}\n`, { mode: 0o644 });

    const veth = await claimVeth(initPid);
    ifname = veth.ifname;
    const addr = labAddresses(veth.index);
    await mustRun(['ip', '-batch', '-'], `addr add ${addr.host}/30 dev ${ifname}\nlink set ${ifname} up\n`);

    const pidFile = '/run/lab/sshd.pid';
    const writeConfig = (hostKeyFile: string) =>
      writeFileSync(
        join(work, 'sshd_config'),
        sshdConfig({
          address: addr.lab,
          port,
          hostKeyPath: `/run/lab/${hostKeyFile}`,
          authorizedKeysDir: '/run/lab/authorized_keys',
          pidFile,
          passwordAuthentication: opts.user?.password !== undefined,
          extra: opts.sshdConfig ?? [],
        }),
        { mode: 0o644 },
      );
    writeConfig('host_key_1');
    const logPath = join(work, 'sshd.log');
    const nsExec = (cmd: string) => runProc(['nsenter', '-t', String(initPid), '-a', 'bash', '-c', cmd]);
    const listening = `Server listening on ${addr.lab} port ${port}.`;
    const alive = () => existsSync(join(work, 'sshd.pid'));
    const startSshd = async (before = '') => {
      const from = existsSync(logPath) ? readFileSync(logPath).length : 0;
      const r = await nsExec(`${before}/usr/sbin/sshd -f /run/lab/sshd_config -E /run/lab/sshd.log`);
      if (r.code !== 0) throw new Error(`sshd failed to start (${r.code}): ${r.stderr.trim()}`);
      await waitForLogLine(logPath, from, listening, READY_DEADLINE_MS, alive);
    };
    // One process for the lab side: its address, then sshd (which binds to that address).
    await startSshd(`ip addr add ${addr.lab}/30 dev eth0 && ip link set eth0 up && `);

    const proc = child;
    const exited = new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
    // The harness must not keep the test worker alive on its own.
    proc.unref();
    for (const s of [proc.stdin, proc.stdout, proc.stderr]) (s as unknown as { unref?: () => void }).unref?.();
    proc.stdout.resume();
    proc.stderr.resume();

    let hostKeySerial = 1;
    let stopping: Promise<void> | undefined;
    const lab: LabHost = {
      name,
      address: addr.lab,
      port,
      hostIfname: ifname,
      hostAddress: addr.host,
      hostKeyPath: hostKey.privatePath,
      hostPublicKey: hostKey.publicLine,
      hostKeyType: hostKey.type,
      hostKeySha256: hostKey.sha256,
      clientKeyPath: clientKey.privatePath,
      clientPublicKey: clientKey.publicLine,
      ...(opts.clientKeyPassphrase !== undefined ? { clientKeyPassphrase: opts.clientKeyPassphrase } : {}),
      ...(opts.user && accounts ? { user: { ...opts.user, uid: accounts.uid, home: accounts.home } } : {}),
      pid: initPid,
      timings: { upMs: 0 },
      exec: (cmd) => {
        if (stopping) return Promise.reject(new Error(`lab ${name} is stopped`));
        return nsExec(cmd);
      },
      sshdLog: () => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''),
      async restartSshd(o = {}) {
        // sshd accepts connections a moment before it has written its pid file: wait for
        // the file itself (bounded), never for a fixed time.
        const pidPath = join(work, 'sshd.pid');
        const deadline = Date.now() + 5000;
        let pid = '';
        while (!/^\d+$/.test(pid)) {
          if (Date.now() > deadline) throw new Error(`bad sshd pid file: ${JSON.stringify(pid)}`);
          pid = existsSync(pidPath) ? readFileSync(pidPath, 'utf8').trim() : '';
          if (!/^\d+$/.test(pid)) await new Promise((r) => setImmediate(r));
        }
        // Our own listener, by the PID it wrote (a PID inside the lab's PID namespace).
        const k = await nsExec(`kill ${pid} && while kill -0 ${pid} 2>/dev/null; do sleep 0.01; done`);
        if (k.code !== 0) throw new Error(`could not stop sshd ${pid}: ${k.stderr.trim()}`);
        if (o.newHostKey) {
          const file = `host_key_${++hostKeySerial}`;
          const key: KeyPair = await makeKeyPair(join(work, file), hostKeyType, `${name}-host-${hostKeySerial}`);
          writeConfig(file);
          lab.hostKeyPath = key.privatePath;
          lab.hostPublicKey = key.publicLine;
          lab.hostKeyType = key.type;
          lab.hostKeySha256 = key.sha256;
        }
        await startSshd();
      },
      stop() {
        stopping ??= (async () => {
          const t = performance.now();
          try {
            process.kill(initPid, 'SIGKILL');
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
          }
          proc.ref(); // keep the event loop alive until the lab is really gone
          proc.stdin.destroy();
          await exited;
          await removeVeth(ifname!);
          if (existsSync(`/proc/${initPid}`)) throw new Error(`lab ${name}: init ${initPid} still exists after stop`);
          rmSync(work, { recursive: true, force: true });
          live.delete(record);
          lab.timings.downMs = performance.now() - t;
        })();
        return stopping;
      },
    };
    lab.timings.upMs = performance.now() - t0;
    return lab;
  } catch (e) {
    // Partial start: undo what exists, then report the original failure.
    if (initPid) {
      try {
        process.kill(initPid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    if (child && child.exitCode === null && child.signalCode === null) {
      const c = child;
      child.stdin.destroy();
      await new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));
    }
    if (ifname) await removeVeth(ifname).catch(() => {});
    rmSync(work, { recursive: true, force: true });
    live.delete(record);
    throw e;
  }
}

/** Deletes the root-side veth if the dying namespace has not taken it yet, then proves it is gone. */
async function removeVeth(ifname: string): Promise<void> {
  const del = await runProc(['ip', 'link', 'del', ifname]);
  if (del.code !== 0 && !/Cannot find device|does not exist|No such device/.test(del.stderr)) {
    throw new Error(`ip link del ${ifname}: ${del.stderr.trim()}`);
  }
  const show = await runProc(['ip', 'link', 'show', 'dev', ifname]);
  if (show.code === 0) throw new Error(`veth ${ifname} still present after stop`);
}
