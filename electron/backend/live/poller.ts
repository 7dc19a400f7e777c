// One poll over a HostExecutor: run the poll program, check it finished, split its output.
import { randomBytes } from 'node:crypto';
import type { HostExecutor } from '../executor';
import { parseFrames, type PollOutput } from './frames';
import { buildPoll, type PollRequest } from './poll-script';

/** The poll program ran but did not produce a complete result (exit status, truncated output). */
export class PollFailed extends Error {
  override readonly name = 'PollFailed';
}

export interface PollResult {
  output: PollOutput;
  batch: readonly string[];
  /** UTF-8 bytes of stdout. */
  bytes: number;
  wallMs: number;
}

export async function runPoll(executor: HostExecutor, req: PollRequest, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<PollResult> {
  const nonce = randomBytes(8).toString('hex');
  const built = buildPoll(req, nonce);
  const t0 = performance.now();
  const r = await executor.run(built.command, {
    stdin: built.stdin,
    ...(opts.signal ? { signal: opts.signal } : {}),
    timeoutMs: opts.timeoutMs ?? 60_000,
  });
  const wallMs = performance.now() - t0;
  const output = parseFrames(r.stdout, nonce, built.entries, r.stderr);
  if (r.code !== 0 || !output.complete) {
    const why = r.code !== 0 ? `exit status ${r.code ?? r.signal ?? 'missing'}` : 'output ended early';
    const stderr = r.stderr.split(`@@${nonce}:`).join('').trim();
    throw new PollFailed(`${executor.describe()}: poll failed (${why})${stderr ? `: ${stderr.slice(0, 400)}` : ''}`);
  }
  return { output, batch: built.batch, bytes: Buffer.byteLength(r.stdout), wallMs };
}
