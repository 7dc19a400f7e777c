// One `ip -n NS -j [-d] [-s] [-force] -batch -` process per namespace.
//
// What iproute2 6.1 prints (verified on this machine): each batch line that succeeds prints
// one complete JSON array followed by "\n", so the output is concatenated arrays, one per
// line: `[{..},{..}]\n[{..}]\n[]\n`. An empty result prints `[]`. A FAILING line prints
// nothing at all on stdout (not even `[]`); stderr gets the error followed by
// `Command failed -:N` (N = 1-based input line) and, without -force, ip stops there, so
// later lines print nothing either. Raw control characters in aliases/names are not escaped.
// With -force, ip goes on after a failure and exits 1 at the end.
//
// So arrays are matched to the commands that were sent by their content (link objects,
// link objects with addr_info, routes with "dst", netns entries), in order, not by position
// alone; `[]` goes to the next expected command; stderr (optional) pins failed lines.
import { linksFromArray } from './ip-link';
import { addressesFromArray } from './ip-addr';
import { routesFromArray } from './ip-route';
import { netnsFromArray } from './ip-netns';
import { isRecord, parseJson, splitJsonValues, visibleControls } from './json';
import { excerpt, fail, guard, ok, type ParseResult } from './result';
import type { NetnsId, ObservedAddress, ObservedLink, ObservedRoute } from './types';

export type BatchPart = 'link' | 'addr' | 'route' | 'netns' | 'other';

/** The lines we recommend the backend sends (one process per namespace, both IP families). */
export const RECOMMENDED_BATCH_COMMANDS: readonly string[] = ['link show', 'addr show', 'route show table all', 'netns list-id'];

/** The minimal form (IPv4 routes only: `route show` without -6 lists no IPv6 routes). */
export const BASIC_BATCH_COMMANDS: readonly string[] = ['link show', 'addr show', 'route show'];

export interface IpBatchOutput {
  links?: ObservedLink[];
  addresses?: ObservedAddress[];
  routes?: ObservedRoute[];
  nsids?: NetnsId[];
  /** 1-based batch lines that produced no output (failed, or never ran after a failure). */
  missing: number[];
}

export interface IpBatchOptions {
  /** The batch lines that were sent, in order (default BASIC_BATCH_COMMANDS). */
  commands?: readonly string[];
  /** ip's stderr, if captured: pins `Command failed -:N` lines. */
  stderr?: string;
}

const SHOW_VERBS = new Set(['', 'show', 'sh', 'list', 'lst', 'ls', 'l', 'list-id']);

/** Which output a batch line produces (ip's object names accept prefixes: `l`, `a`, `ro`...). */
export function batchPart(command: string): BatchPart {
  const words = command.trim().split(/\s+/);
  const obj = words[0] ?? '';
  const verb = words[1] ?? '';
  if (obj === 'netns' && (verb === 'list' || verb === 'list-id' || verb === 'show' || verb === '')) return 'netns';
  if (!SHOW_VERBS.has(verb)) return 'other';
  if (obj.length >= 1 && 'link'.startsWith(obj)) return 'link';
  if (obj.length >= 1 && 'address'.startsWith(obj)) return 'addr';
  if (obj.length >= 1 && 'route'.startsWith(obj)) return 'route';
  return 'other';
}

type Shape = Exclude<BatchPart, 'other'> | 'empty' | 'unknown';

function shapeOf(value: unknown): Shape {
  if (!Array.isArray(value)) return 'unknown';
  const first = value.find(isRecord);
  if (value.length === 0) return 'empty';
  if (!first) return 'unknown';
  if ('addr_info' in first) return 'addr';
  if ('dst' in first) return 'route';
  if ('ifindex' in first && 'ifname' in first) return 'link';
  if ('nsid' in first || 'name' in first) return 'netns';
  return 'unknown';
}

function failedLines(stderr: string | undefined): Map<number, string> {
  const failed = new Map<number, string>();
  if (typeof stderr !== 'string') return failed;
  const lines = stderr.split('\n');
  let pending: string[] = [];
  for (const line of lines) {
    const m = /^Command failed (.*):(\d+)\s*$/.exec(line);
    if (m) {
      failed.set(Number(m[2]), visibleControls(pending.join(' ').trim()).slice(0, 300));
      pending = [];
    } else if (line.trim() !== '') {
      pending.push(line.trim());
    }
  }
  return failed;
}

/**
 * The usual case in one native parse: every line one JSON array, nothing else (a raw
 * control character, a truncated value or stray text makes it undefined, and the careful
 * path below takes over). Most of a big host's poll is this.
 */
function cleanArrays(text: string): ParseResult<unknown>[] | undefined {
  const body = text.trimEnd();
  if (body.charCodeAt(0) !== 91) return undefined;
  let all: unknown;
  try {
    all = JSON.parse(`[${body.replaceAll('\n', ',')}]`);
  } catch {
    return undefined;
  }
  if (!Array.isArray(all) || !all.every(Array.isArray)) return undefined;
  return all.map((value) => ok(value));
}

/** Value by value, with a warning for whatever is not JSON. */
function splitValues(text: string, warnings: string[]): ParseResult<unknown>[] {
  const { chunks, garbage, truncated } = splitJsonValues(text);
  for (const g of garbage) warnings.push(`ip batch: ignored non-JSON text at offset ${g.start}: ${excerpt(g.text, 0, 60)}`);
  if (truncated) warnings.push(`ip batch: output ends inside a JSON value (truncated?) at offset ${truncated.start}; ignored`);
  return chunks.map((chunk, k) => parseJson(chunk.text, `ip batch output ${k + 1}`));
}

export function parseIpBatch(text: string, options: IpBatchOptions = {}): ParseResult<IpBatchOutput> {
  return guard('ip batch', () => {
    if (typeof text !== 'string') return fail('ip batch: input is not text');
    const commands = options.commands ?? BASIC_BATCH_COMMANDS;
    const warnings: string[] = [];
    const failed = failedLines(options.stderr);
    for (const [line, why] of failed) {
      const cmd = commands[line - 1];
      warnings.push(`ip batch: line ${line}${cmd !== undefined ? ` (${JSON.stringify(cmd)})` : ''} failed${why ? `: ${why}` : ''}`);
    }
    const expected = commands
      .map((command, i) => ({ line: i + 1, command, part: batchPart(command) }))
      .filter((c) => !failed.has(c.line));

    const values = cleanArrays(text) ?? splitValues(text, warnings);
    if (values.length === 0) {
      return fail(text.trim() === '' ? 'ip batch: empty output' : 'ip batch: no JSON arrays in the output', warnings);
    }

    const out: IpBatchOutput = { missing: [...failed.keys()] };
    // addr show repeats every link: they stand in when no link listing came through.
    let addrLinks: ObservedLink[] | undefined;
    const addrLinkWarnings: string[] = [];
    const assign = (part: BatchPart, line: number, value: unknown[]) => {
      const what = `ip batch line ${line}`;
      switch (part) {
        case 'link':
          if (out.links) warnings.push(`${what}: a second link listing; the first one is kept`);
          else out.links = linksFromArray(value, what, warnings);
          break;
        case 'addr': {
          if (out.addresses) {
            warnings.push(`${what}: a second address listing; the first one is kept`);
            break;
          }
          addrLinks = linksFromArray(value, what, addrLinkWarnings, false);
          out.addresses = addressesFromArray(value, what, warnings);
          break;
        }
        case 'route':
          out.routes = [...(out.routes ?? []), ...routesFromArray(value, what, warnings)];
          break;
        case 'netns':
          out.nsids = [...(out.nsids ?? []), ...netnsFromArray(value, what, warnings)];
          break;
        case 'other':
          break;
      }
    };

    let p = 0;
    values.forEach((parsed, k) => {
      if (!parsed.ok) {
        warnings.push(parsed.error);
        return;
      }
      const shape = shapeOf(parsed.value);
      const value = Array.isArray(parsed.value) ? parsed.value : [];
      if (shape === 'empty') {
        if (p < expected.length) {
          assign(expected[p]!.part, expected[p]!.line, value);
          p++;
        } else warnings.push(`ip batch: output ${k + 1} ([]) matches no command; ignored`);
        return;
      }
      let q = p;
      const wanted = shape === 'unknown' ? 'other' : shape;
      while (q < expected.length && expected[q]!.part !== wanted) q++;
      if (q >= expected.length) {
        warnings.push(`ip batch: output ${k + 1} (${shape}) matches no remaining command; ignored`);
        return;
      }
      for (let s = p; s < q; s++) out.missing.push(expected[s]!.line);
      assign(expected[q]!.part, expected[q]!.line, value);
      p = q + 1;
    });
    for (let s = p; s < expected.length; s++) out.missing.push(expected[s]!.line);
    out.missing = [...new Set(out.missing)].sort((a, b) => a - b);
    for (const line of out.missing) {
      if (!failed.has(line)) {
        warnings.push(`ip batch: no output for line ${line} (${JSON.stringify(commands[line - 1] ?? '')}): it failed or never ran`);
      }
    }
    if (!out.links && addrLinks) {
      out.links = addrLinks;
      warnings.push(...addrLinkWarnings);
    }
    return ok(out, warnings);
  });
}
