// Splits a poll's stdout (see poll-script.ts) at its nonce markers into per-namespace raw
// tool outputs. Pure; never throws. Text between markers is host data and stays data.
import { parseProgramReport } from '../../../shared/observe/program-state';
import type { ObservedProgram } from '../../../shared/observe/types';
import type { PollEntry } from './poll-script';

export interface EntryOutput {
  entry: PollEntry;
  /** The namespace no longer exists (its /run/netns entry is gone). */
  gone: boolean;
  /** Host clock (ms since the epoch) just before the namespace was read, from $EPOCHREALTIME. */
  hostTime?: number;
  ip?: string;
  ipError?: { code: number; stderr: string };
  /** What ip said on stderr although it succeeded (warnings). */
  ipStderr?: string;
  nftText?: string;
  nftJson?: string;
  nftError?: string;
  nftMissing?: boolean;
  sysctl?: string;
  iptables?: string;
  ip6tables?: string;
  iptablesMissing?: boolean;
  /** /proc/net/dev text. */
  dev?: string;
  /** Per interface of entry.qdiscs (same index): `tc qdisc show` text, tc's exit code when it failed, the runtime's record. */
  qdiscs?: { show?: string; code?: number; record?: string }[];
}

export interface PollOutput {
  bootId?: string;
  cpus?: number;
  /** /run/netns names, when listed. */
  names?: string[];
  /** The design's boot unit is installed and enabled (apply --persist), when asked for. */
  persistent?: boolean;
  /** The design's programs (docs/programs.md), when asked for. */
  programs?: ObservedProgram[];
  entries: EntryOutput[];
  /** The program reached its end marker (output complete). */
  complete: boolean;
  /** CPU time the poll cost on the host (the shell and everything it ran), from `times`. */
  hostCpuMs?: number;
  warnings: string[];
}

/** "0-1,4" -> 3. */
export function countCpus(text: string): number | undefined {
  let n = 0;
  for (const part of text.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    n += m[2] === undefined ? 1 : Number(m[2]) - Number(m[1]) + 1;
  }
  return n > 0 ? n : undefined;
}

/** Attach the per-entry stderr frames (`\n@@nonce:err:i\n` + text) to the entries. */
function applyStderr(out: PollOutput, stderr: string, nonce: string): void {
  const marker = `\n@@${nonce}:err:`;
  const text = stderr.startsWith(marker.slice(1)) ? `\n${stderr}` : stderr;
  let at = text.indexOf(marker);
  while (at >= 0) {
    const headEnd = text.indexOf('\n', at + marker.length);
    if (headEnd < 0) break;
    const e = out.entries[Number(text.slice(at + marker.length, headEnd))];
    const next = text.indexOf(marker, headEnd);
    const body = text.slice(headEnd + 1, next < 0 ? text.length : next);
    if (e && body.trim() !== '') {
      if (e.ipError) e.ipError.stderr = body;
      else e.ipStderr = body;
    }
    at = next;
  }
}

export function parseFrames(stdout: string, nonce: string, entries: readonly PollEntry[], stderr = ''): PollOutput {
  const out: PollOutput = {
    entries: entries.map((entry) => ({ entry, gone: false })),
    complete: false,
    warnings: [],
  };
  const marker = `\n@@${nonce}:`;
  // The program starts with a marker; give the first one its leading newline.
  const text = stdout.startsWith(marker.slice(1)) ? `\n${stdout}` : stdout;
  let at = text.indexOf(marker);
  if (at < 0) {
    out.warnings.push('poll output has no markers');
    return out;
  }
  if (at > 0 && text.slice(0, at).trim() !== '') out.warnings.push('poll output starts with unexpected text');
  while (at >= 0) {
    const headStart = at + marker.length;
    const headEnd = text.indexOf('\n', headStart);
    if (headEnd < 0) break;
    const head = text.slice(headStart, headEnd);
    const next = text.indexOf(marker, headEnd);
    const body = text.slice(headEnd + 1, next < 0 ? text.length : next);
    apply(out, head, body);
    at = next;
  }
  if (stderr) applyStderr(out, stderr, nonce);
  return out;
}

function apply(out: PollOutput, head: string, body: string): void {
  const [kind = '', idx, ...rest] = head.split(':');
  const extra = rest.join(':');
  if (kind === 'end') {
    out.complete = true;
    return;
  }
  if (kind === 'cpu') {
    // "0m0.010s 0m0.020s\n0m1.234s 0m2.345s": shell user/sys, then its children's.
    let ms = 0;
    for (const m of body.matchAll(/(\d+)m([\d.]+)s/g)) ms += (Number(m[1]) * 60 + Number(m[2])) * 1000;
    out.hostCpuMs = ms;
    return;
  }
  if (kind === 'boot') {
    out.bootId = body.trim();
    return;
  }
  if (kind === 'cpus') {
    const n = countCpus(body);
    if (n !== undefined) out.cpus = n;
    return;
  }
  if (kind === 'names') {
    out.names = body.split('\u0000').filter((n) => n !== '');
    return;
  }
  if (kind === 'unit') {
    out.persistent = body.trim() === '1';
    return;
  }
  if (kind === 'progs') {
    out.programs = parseProgramReport(body);
    return;
  }
  const i = Number(idx);
  const e = Number.isInteger(i) ? out.entries[i] : undefined;
  if (!e) {
    out.warnings.push(`poll output: marker ${JSON.stringify(head.slice(0, 40))} names no entry`);
    return;
  }
  switch (kind) {
    case 'gone':
      e.gone = true;
      break;
    case 't': {
      const s = Number(idx === undefined ? NaN : rest[0]);
      if (Number.isFinite(s) && s > 0) e.hostTime = s * 1000;
      break;
    }
    case 'ip':
      e.ip = body;
      break;
    case 'iperr':
      e.ipError = { code: Number(extra) || 0, stderr: body };
      break;
    case 'nft':
      e.nftText = body;
      break;
    case 'nftj':
      e.nftJson = body;
      break;
    case 'nfterr':
    case 'nftjerr':
      if (Number(extra) !== 0) {
        e.nftError ??= `nft exited ${extra}: ${body.trim().slice(0, 300)}`;
        if (kind === 'nfterr') delete e.nftText;
        else delete e.nftJson;
      }
      break;
    case 'nonft':
      e.nftMissing = true;
      break;
    case 'sysctl':
      e.sysctl = body;
      break;
    case 'dev':
      e.dev = body;
      break;
    case 'ipt':
      e.iptables = body;
      break;
    case 'ip6t':
      e.ip6tables = body;
      break;
    case 'noipt':
      e.iptablesMissing = true;
      break;
    case 'tc':
    case 'tcerr':
    case 'tcrec': {
      const k = Number(rest[0]);
      if (!Number.isInteger(k) || k < 0 || k >= (e.entry.qdiscs?.length ?? 0)) {
        out.warnings.push(`poll output: marker ${JSON.stringify(head.slice(0, 40))} names no interface`);
        break;
      }
      e.qdiscs ??= [];
      const slot = (e.qdiscs[k] ??= {});
      if (kind === 'tc') slot.show = body;
      else if (kind === 'tcerr') slot.code = Number(rest[1]) || 1;
      else slot.record = body;
      break;
    }
    default:
      out.warnings.push(`poll output: unknown marker kind ${JSON.stringify(kind.slice(0, 20))}`);
  }
}
