// The connectivity check as text: one line per probe (expected, actual, agreement, the
// design's reason), then every disagreement with the live host's explanation.
import { parseAddress } from '../net/ip';
import { expectationWhy } from './diagnose';
import type { CheckReport, CheckRow } from './report';
import type { Expectation, ProbeSpec } from './types';

const bracket = (a: string) => (a.includes(':') ? `[${a}]` : a);

export function probeTarget(p: ProbeSpec): string {
  return p.kind === 'tcp' ? `${bracket(p.to)}:${p.port} tcp` : `${p.to} ping`;
}

function actual(row: CheckRow): string {
  if (!row.outcome) return 'not run';
  return row.outcome.reached ? 'reach' : 'blocked';
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** The reason chain of an expectation, one line per step (forward path, then reply). */
export function reasonLines(e: Expectation): string[] {
  return e.reasons.map((r) => `${r.dir === 'reply' ? '<-' : '->'} ${r.text}`);
}

export interface FormatOptions {
  /** Full reason chains for every probe, not only a short why. */
  verbose?: boolean;
  /** Characters per line for the short why (default 100). */
  width?: number;
}

export function formatReport(report: CheckReport, opts: FormatOptions = {}): string {
  const lines: string[] = [];
  const s = report.summary;
  lines.push(`connectivity check of "${report.design.name}": ${s.probes} probe(s), ${s.agree} as designed, ${s.disagree} not`);
  for (const h of report.hosts) {
    const started = h.listeners.filter((l) => l.ready).length;
    const parts = [`host ${h.hostName}:`];
    if (h.error) parts.push(`NOT CHECKED (${h.error})`);
    else parts.push(`${h.listeners.length ? `${started} of ${h.listeners.length} listener(s) started` : 'no listeners needed'}${h.tool ? ` (${h.tool})` : ''}`);
    lines.push(parts.join(' '));
  }
  lines.push('', ...grid(report), '');
  const rows = report.rows.map((r) => ({
    id: r.expectation.probe.id,
    from: r.expectation.probe.from.name,
    to: probeTarget(r.expectation.probe),
    expect: r.expectation.expect,
    actual: actual(r),
    status: r.ok ? 'ok' : 'MISMATCH',
    why: expectationWhy(r.expectation),
    row: r,
  }));
  const w = {
    id: Math.max(5, ...rows.map((r) => r.id.length)),
    from: Math.max(4, ...rows.map((r) => r.from.length)),
    to: Math.max(2, ...rows.map((r) => r.to.length)),
  };
  lines.push(`${pad('probe', w.id)}  ${pad('from', w.from)}  ${pad('to', w.to)}  expect   actual   result    why (design)`);
  for (const r of rows) {
    lines.push(`${pad(r.id, w.id)}  ${pad(r.from, w.from)}  ${pad(r.to, w.to)}  ${pad(r.expect, 7)}  ${pad(r.actual, 7)}  ${pad(r.status, 8)}  ${clip(r.why, opts.width ?? 100)}`);
    if (opts.verbose) {
      lines.push(`${' '.repeat(w.id + 2)}target: ${r.row.expectation.probe.target}`);
      for (const l of reasonLines(r.row.expectation)) lines.push(`${' '.repeat(w.id + 4)}${l}`);
      if (r.row.outcome) lines.push(`${' '.repeat(w.id + 2)}live: ${r.row.outcome.summary}`);
    }
  }
  const bad = report.rows.filter((r) => !r.ok);
  if (bad.length) {
    lines.push('', `mismatches (${bad.length}):`);
    for (const r of bad) {
      const p = r.expectation.probe;
      lines.push(`  ${p.id}  ${p.from.name} -> ${probeTarget(p)}  (${p.target})`);
      lines.push(`      expected ${r.expectation.expect}: ${expectationWhy(r.expectation)}`);
      lines.push(`      actual: ${r.outcome ? r.outcome.summary : 'not run'}${r.problem ? ` — ${r.problem}` : ''}`);
      for (const x of r.explanation ?? []) lines.push(`      - ${x}`);
    }
  }
  const notes = [...report.notes, ...report.rows.filter((r) => r.note).map((r) => `${r.expectation.probe.id}: ${r.note}`)];
  if (notes.length) {
    lines.push('', 'notes:');
    for (const n of notes) lines.push(`  - ${n}`);
  }
  return lines.join('\n');
}

/**
 * The ping probes as a grid (sources down, addresses across) when it fits on a screen:
 * "+" reaches and should, "-" blocked and should be, "!" not as designed, "." not probed.
 */
export function grid(report: CheckReport, maxColumns = 12): string[] {
  const pings = report.rows.filter((r) => r.expectation.probe.kind === 'ping');
  const order = (a: string) => parseAddress(a) ?? { family: 4, value: 0n };
  const cols = [...new Set(pings.map((r) => r.expectation.probe.to))].sort((a, b) => {
    const x = order(a);
    const y = order(b);
    return x.family - y.family || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0);
  });
  if (cols.length === 0 || cols.length > maxColumns) return [];
  const sources = [...new Set(pings.map((r) => r.expectation.probe.from.name))];
  const cell = new Map(pings.map((r) => [`${r.expectation.probe.from.name}|${r.expectation.probe.to}`, r]));
  const w0 = Math.max(4, ...sources.map((x) => x.length));
  const widths = cols.map((c) => Math.max(3, c.length));
  const out = [`ping: + reaches as designed, - blocked as designed, ! not as designed, . not probed`];
  out.push(`${pad('from', w0)}  ${cols.map((c, i) => pad(c, widths[i]!)).join('  ')}`);
  for (const src of sources) {
    const marks = cols.map((c, i) => {
      const r = cell.get(`${src}|${c}`);
      const m = !r ? '.' : !r.ok ? '!' : r.expectation.expect === 'reach' ? '+' : '-';
      return pad(m, widths[i]!);
    });
    out.push(`${pad(src, w0)}  ${marks.join('  ')}`.trimEnd());
  }
  return out;
}
