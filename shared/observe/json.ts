// Lenient JSON reading for tool output.
//
// iproute2's JSON writer escapes only \t \n \r \f \b \\ and \" inside strings: any other
// control byte in an interface alias or name (the kernel allows them) comes out raw, which
// strict JSON.parse rejects. We first try JSON.parse as is (fast path), and on failure
// escape raw control characters inside string literals and try again, so hostile data is
// preserved exactly as the kernel holds it instead of failing the whole snapshot.
import { excerpt, fail, ok, type ParseResult } from './result';

export type JsonRecord = Record<string, unknown>;

export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(o: JsonRecord, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

/** A finite number; numeric strings ("0x8001" is not one) are not accepted. */
export function num(o: JsonRecord, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A non-negative integer (ifindex, counters, ids). */
export function uint(o: JsonRecord, key: string): number | undefined {
  const v = num(o, key);
  return v !== undefined && Number.isInteger(v) && v >= 0 ? v : undefined;
}

export function bool(o: JsonRecord, key: string): boolean | undefined {
  const v = o[key];
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  return undefined;
}

export function rec(o: JsonRecord, key: string): JsonRecord | undefined {
  const v = o[key];
  return isRecord(v) ? v : undefined;
}

export function strArray(o: JsonRecord, key: string): string[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Escape raw control characters (U+0000..U+001F) that appear inside JSON string literals. */
export function escapeRawControls(text: string): string {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) {
        i++; // keep the escaped char, whatever it is (a raw control char after \ is invalid anyway)
        continue;
      }
      if (c === 0x22 /* " */) {
        inString = false;
      } else if (c < 0x20) {
        out += text.slice(last, i) + '\\u' + c.toString(16).padStart(4, '0');
        last = i + 1;
      }
    } else if (c === 0x22) {
      inString = true;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Control characters as \uXXXX so a message never carries raw terminal escapes. */
export function visibleControls(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c < 0x20 || c === 0x7f ? `\\u${c.toString(16).padStart(4, '0')}` : text[i];
  }
  return out;
}

function positionOf(message: string): number | undefined {
  const m = /position (\d+)/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** JSON.parse that never throws and tolerates raw control characters inside strings. */
export function parseJson(text: string, what: string): ParseResult<unknown> {
  if (typeof text !== 'string') return fail(`${what}: input is not text`);
  const start = text.search(/\S/);
  if (start < 0) return fail(`${what}: empty output (expected JSON)`);
  // Tool output is always an array or an object. Checking first avoids a thrown SyntaxError
  // for the common garbage case (an error message on stdout), which matters when stack
  // traces are expensive.
  const first = text.charCodeAt(start);
  if (first !== 0x5b && first !== 0x7b) return fail(`${what}: not JSON (expected "[" or "{", got ${excerpt(text.slice(start), 0, 40)})`);
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (first) {
    const escaped = escapeRawControls(text);
    if (escaped !== text) {
      try {
        return ok(JSON.parse(escaped) as unknown);
      } catch {
        // fall through to the original error, which points at the real problem
      }
    }
    // V8's message may echo the input: keep it short and make control characters visible.
    const raw = first instanceof Error ? first.message : String(first);
    const msg = visibleControls(raw.length > 160 ? `${raw.slice(0, 160)}…` : raw);
    const pos = positionOf(raw);
    return fail(`${what}: not valid JSON (${msg})${pos !== undefined ? ` near ${excerpt(text, pos)}` : ''}`);
  }
}

export interface JsonChunk {
  /** Offset of the chunk in the input. */
  start: number;
  text: string;
}

/**
 * Split concatenated top-level JSON values (`[..]\n[..]\n`) as `ip -j -batch` prints them.
 * Text between values that is not JSON (a stray warning line) is reported in `garbage`.
 * An unterminated value at the end (truncated output) is reported in `truncated`.
 */
export function splitJsonValues(text: string): { chunks: JsonChunk[]; garbage: JsonChunk[]; truncated?: JsonChunk } {
  const chunks: JsonChunk[] = [];
  const garbage: JsonChunk[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
      continue;
    }
    if (c !== 0x5b /* [ */ && c !== 0x7b /* { */) {
      // Not the start of a value: skip the rest of the line.
      let j = i;
      while (j < n && text.charCodeAt(j) !== 0x0a) j++;
      garbage.push({ start: i, text: text.slice(i, j) });
      i = j;
      continue;
    }
    let depth = 0;
    let j = i;
    for (; j < n; j++) {
      const d = text.charCodeAt(j);
      if (d === 0x22) {
        // Jump to the closing quote with indexOf (strings are most of the bytes), checking
        // that it is not escaped (odd number of backslashes before it).
        let k = text.indexOf('"', j + 1);
        while (k > 0) {
          let b = k - 1;
          while (text.charCodeAt(b) === 0x5c) b--;
          if ((k - 1 - b) % 2 === 0) break;
          k = text.indexOf('"', k + 1);
        }
        if (k < 0) {
          j = n;
          break;
        }
        j = k;
      } else if (d === 0x5b || d === 0x7b) depth++;
      else if (d === 0x5d || d === 0x7d) {
        depth--;
        if (depth === 0) break;
      }
    }
    if (j >= n) {
      return { chunks, garbage, truncated: { start: i, text: text.slice(i) } };
    }
    chunks.push({ start: i, text: text.slice(i, j + 1) });
    i = j + 1;
  }
  return { chunks, garbage };
}
