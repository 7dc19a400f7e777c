// `wireplan serve` for end-to-end specs: the real backend process on a free loopback
// port with its own workspace and config folder. Ready when it prints its address (it
// prints it only once the server listens); stopped by its own child handle.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Serve {
  url: string;
  origin: string;
  workspace: string;
  configDir: string;
  pid: number;
  stderr(): string;
  stop(): Promise<void>;
}

export async function startServe(extraArgs: string[] = []): Promise<Serve> {
  const tmp = mkdtempSync(join(tmpdir(), 'wp-e2e-serve-'));
  const workspace = join(tmp, 'workspace');
  const configDir = join(tmp, 'config');
  const env = { ...process.env, WIREPLAN_CONFIG_DIR: configDir };
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(ROOT, 'bin/wireplan.mjs'), 'serve', '--port', '0', '--dir', workspace, ...extraArgs], { cwd: ROOT, env });
  let out = '';
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(out);
      if (m) resolveUrl(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`wireplan serve exited with ${String(code)} before listening:\n${err}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    workspace,
    configDir,
    pid: child.pid!,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM'); // our own child, by its handle: it closes its sandboxes
        await exited;
      }
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
