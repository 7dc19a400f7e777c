// Reading the check scripts' output: lines "@wpchk-<nonce> <kind> <args...>", where the
// nonce is fresh per run so nothing a host prints (an interface alias, a rule comment)
// can pass for a marker. Raw sections (evidence) are the lines between two markers.
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(9).toString('hex');
}

export interface MarkerLine {
  kind: string;
  args: string[];
  /** Everything after the kind, as printed. */
  rest: string;
  /** Raw lines printed after this marker, up to the next one. */
  body: string[];
}

export function readMarkers(stdout: string, nonce: string): MarkerLine[] {
  const tag = `@wpchk-${nonce} `;
  const out: MarkerLine[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith(tag)) {
      const text = line.slice(tag.length);
      const sp = text.indexOf(' ');
      const kind = sp < 0 ? text : text.slice(0, sp);
      const rest = sp < 0 ? '' : text.slice(sp + 1);
      out.push({ kind, rest, args: rest.split(' '), body: [] });
    } else if (out.length > 0) {
      out[out.length - 1]!.body.push(line);
    }
  }
  return out;
}

export interface ProbeRunOutput {
  tool?: string;
  /** Bridge netfilter per fact index: true/false, undefined when unreadable. */
  facts: Map<number, { v4?: boolean; v6?: boolean }>;
  listeners: Map<string, { ready: boolean; detail: string }>;
  probes: Map<string, { kind: 'ping' | 'tcp'; rc: number; text: string }>;
  done: boolean;
  fatal?: string;
}

const bit = (v: string | undefined) => (v === '1' ? true : v === '0' ? false : undefined);

export function parseProbeRun(stdout: string, nonce: string): ProbeRunOutput {
  const out: ProbeRunOutput = { facts: new Map(), listeners: new Map(), probes: new Map(), done: false };
  for (const m of readMarkers(stdout, nonce)) {
    switch (m.kind) {
      case 'tool':
        out.tool = m.args[0];
        break;
      case 'fact':
        out.facts.set(Number(m.args[0]), { v4: bit(m.args[1]), v6: bit(m.args[2]) });
        break;
      case 'listen': {
        const [id, ...rest] = m.args;
        const detail = rest.join(' ');
        if (id) out.listeners.set(id, { ready: detail === 'ready', detail });
        break;
      }
      case 'probe': {
        const [id, kind, rc, ...rest] = m.args;
        if (id && (kind === 'ping' || kind === 'tcp')) out.probes.set(id, { kind, rc: Number(rc), text: rest.join(' ') });
        break;
      }
      case 'done':
        out.done = true;
        break;
      case 'fatal':
        out.fatal = m.rest;
        break;
    }
  }
  return out;
}
