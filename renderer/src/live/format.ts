// Live values for people: rates, presence words, drift lines split into field / actual /
// expected. Everything here is host data rendered as text (React escapes it).
import type { ElementPresence } from '../../../shared/api/contract';

export function rate(bytesPerSecond: number | undefined): string {
  if (bytesPerSecond === undefined) return '–';
  const b = Math.max(0, bytesPerSecond);
  if (b < 1000) return `${Math.round(b)} B/s`;
  if (b < 1e6) return `${(b / 1e3).toFixed(b < 1e4 ? 1 : 0)} kB/s`;
  if (b < 1e9) return `${(b / 1e6).toFixed(b < 1e7 ? 1 : 0)} MB/s`;
  return `${(b / 1e9).toFixed(1)} GB/s`;
}

export const PRESENCE_TEXT: Record<ElementPresence, string> = {
  present: 'present',
  missing: 'missing',
  drifted: 'drifted',
  foreign: 'foreign',
  unknown: 'unknown',
};

export const PRESENCE_HINT: Record<ElementPresence, string> = {
  present: 'on the host as designed',
  missing: 'not on the host',
  drifted: 'on the host, but different from the design',
  foreign: 'the name is taken by an object that is not this design\'s',
  unknown: 'not observed (host not connected)',
};

export interface DriftLine {
  /** The whole line as the backend said it. */
  text: string;
  field?: string;
  actual?: string;
  expected?: string;
}

/**
 * "mtu is 1400, want 1500" -> field mtu, actual 1400, expected 1500. Also "X has A, want B",
 * "have A, want B", "key = A, want B", with an optional "end a: " prefix.
 */
export function parseDrift(text: string): DriftLine {
  const m = /^(?:(end [ab]): )?(?:(.*?) (?:is|has|=) |have )(.*), want (.*)$/.exec(text);
  if (!m) return { text };
  const field = [m[1], m[2]].filter(Boolean).join(' ') || 'routes';
  return { text, field, actual: m[3]!, expected: m[4]! };
}
