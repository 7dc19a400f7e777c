// How a designed program becomes a plan command (docs/programs.md). The runtime's
// wp_prog_start takes everything as separate words, so the program's argv, directory and
// environment reach the host quoted one by one and are never parsed by a shell there:
//   wp_prog_start NAME DIGEST RESTART CWD PORTS NENV [K=V ...] ARGV...
// (PORTS: the TCP ports it serves, comma-separated: up waits until it listens there.)
import type { Program } from '../model/schema';
import { sha256Hex } from '../util/sha256';
import type { Argv } from './plan';

/** The `env` pairs in document order, as `KEY=VALUE` words. */
function envWords(p: Program): string[] {
  return Object.entries(p.env).map(([k, v]) => `${k}=${v}`);
}

/**
 * What the running program was started from: its command line, directory, environment and
 * restart setting. A re-apply with the same digest leaves the program running; another
 * digest restarts it. (Its ports only say where it listens: not part of it.)
 */
export function programDigest(p: Program): string {
  const spec = JSON.stringify([p.command, p.cwd ?? '/', envWords(p), p.restart]);
  return sha256Hex(`wireplan-program\u001e${spec}`).slice(0, 16);
}

export function programStartArgv(p: Program): Argv {
  const env = envWords(p);
  return ['wp_prog_start', p.name, programDigest(p), p.restart ? '1' : '0', p.cwd ?? '/', p.ports.join(','), String(env.length), ...env, ...p.command];
}
