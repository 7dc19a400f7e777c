// Glue between lab hosts and SshExecutor for tests: a private known_hosts per test file,
// executors that trust the lab's key up front, and sshd-log helpers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SshExecutor, type SshExecutorOptions } from '../../electron/backend/executor';
import { labHostSkipReason, startLabHost, type LabHost, type LabHostOptions } from './labhost';

/** Labs, executors and temp dirs of one test file, all released by cleanup() (call it in afterAll). */
export class LabScope {
  private tempDir: string | undefined;
  readonly logs: string[] = [];

  /** Created on first use, so a skipped test file leaves nothing behind (its hooks never run). */
  get dir(): string {
    this.tempDir ??= mkdtempSync(join(tmpdir(), 'wplab-ssh-'));
    return this.tempDir;
  }
  private readonly labs: LabHost[] = [];
  private readonly executors: SshExecutor[] = [];

  async lab(opts?: LabHostOptions): Promise<LabHost> {
    const lab = await startLabHost(opts);
    this.labs.push(lab);
    return lab;
  }

  /** A known_hosts file that already trusts the lab's current key (plain "addr" or "[addr]:port" line). */
  knownHostsFor(lab: LabHost, name = `kh-${lab.name}`): string {
    const path = join(this.dir, name);
    const host = lab.port === 22 ? lab.address : `[${lab.address}]:${lab.port}`;
    writeFileSync(path, `${host} ${lab.hostPublicKey}\n`);
    return path;
  }

  /** Root executor with the lab's client key; known_hosts trusts the lab unless overridden. */
  executor(lab: LabHost, opts: Partial<SshExecutorOptions> = {}): SshExecutor {
    const ex = new SshExecutor({
      host: lab.address,
      port: lab.port,
      username: 'root',
      auth: { kind: 'key', path: lab.clientKeyPath, ...(lab.clientKeyPassphrase !== undefined ? { passphrase: lab.clientKeyPassphrase } : {}) },
      knownHostsPath: opts.knownHostsPath ?? this.knownHostsFor(lab),
      userKnownHostsPath: null,
      log: (line) => this.logs.push(line),
      ...opts,
    });
    this.executors.push(ex);
    return ex;
  }

  async cleanup(): Promise<void> {
    const errors: unknown[] = [];
    for (const ex of this.executors) await ex.close().catch((e: unknown) => errors.push(e));
    for (const lab of this.labs) await lab.stop().catch((e: unknown) => errors.push(e));
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
    if (errors.length > 0) throw new AggregateError(errors, 'lab cleanup failed');
  }
}

/** The skip reason for SSH lab tests, printed once so a skipped run says why. */
export function sshLabSkip(file: string): string | undefined {
  const reason = labHostSkipReason();
  if (reason) console.log(`[${file}] skipped: ${reason}`);
  return reason;
}

/** The local port a connection used, from the executor's log ("tcp connected from local port N"). */
export function localPortsIn(logs: readonly string[]): number[] {
  return logs.flatMap((l) => {
    const m = /tcp connected from local port (\d+)/.exec(l);
    return m ? [Number(m[1])] : [];
  });
}

/** sshd's log lines about one client port (the connection it served). */
export function sshdLinesFor(lab: LabHost, port: number): string[] {
  return lab.sshdLog().split('\n').filter((l) => new RegExp(`\\bport ${port}\\b`).test(l));
}

/** Waits until sshd has logged the end of the connection from `port` (its own signal that it is done). */
export async function sshdConnectionEnded(lab: LabHost, port: number, deadlineMs = 5000): Promise<string[]> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const lines = sshdLinesFor(lab, port);
    if (lines.some((l) => /Disconnected from|Connection closed by|Connection reset by/.test(l))) return lines;
    if (Date.now() > deadline) throw new Error(`sshd never logged the end of port ${port}:\n${lab.sshdLog()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
