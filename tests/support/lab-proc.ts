// Runs a local helper program (ip, ssh-keygen, nsenter ...) for the lab-host harness and
// collects its output. Argument vectors only: nothing here goes through a shell unless
// the caller asks for `bash -c` explicitly.
import { spawn } from 'node:child_process';

export interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runProc(argv: readonly string[], input?: string | Buffer, env?: Record<string, string>): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    if (!file) throw new Error('runProc: empty argv');
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(env ? { env: { ...process.env, ...env } } : {}) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    // A helper that does not read stdin must not die of EPIPE on our side.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** Like runProc, but a non-zero exit is an error that carries the command and its stderr. */
export async function mustRun(argv: readonly string[], input?: string | Buffer, env?: Record<string, string>): Promise<string> {
  const r = await runProc(argv, input, env);
  if (r.code !== 0) {
    throw new Error(`${argv.join(' ')} -> exit ${r.code ?? r.signal}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}
