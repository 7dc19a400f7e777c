// Reaching into the local sandbox host of a `wireplan serve` process, the way its own
// executor does (nsenter into the sandbox's init): for changing the "host" by hand in a
// test. Only processes under our own serve child are looked at.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Init PIDs of the sandboxes under `servePid` (the single child of each `unshare` holder). */
export function sandboxInits(servePid: number): number[] {
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const c of children(pid)) {
      if (comm(c) === 'unshare') out.push(...children(c));
      else walk(c);
    }
  };
  walk(servePid);
  return out;
}

/** Runs a bash command inside the one sandbox of `servePid`; returns stdout (throws on failure). */
export function inSandbox(servePid: number, command: string): string {
  const inits = sandboxInits(servePid);
  if (inits.length !== 1) throw new Error(`expected one sandbox under wireplan serve ${servePid}, found ${inits.length}`);
  return execFileSync('nsenter', ['-t', String(inits[0]), '--user', '--net', '--mount', '--pid', '--preserve-credentials', '--', 'bash', '-c', command], { encoding: 'utf8' });
}
