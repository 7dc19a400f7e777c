// Link impairments as the host shows them (docs/impairments.md): `tc qdisc show dev IF`
// (text form) and the runtime's record of what Wireplan set (/run/wireplan/TAG/qdisc/NS@IF:
// the design digest, then the `tc qdisc show` text as it read right after). The judgement
// is the runtime's `wp_probe_qdisc` (shared/export/runtime.sh), line for line, so the
// canvas and `status` agree:
//
//   present  our handles in the designed shape, the record's digest is the design's, and
//            the kernel shows what was recorded
//   absent   the kernel's default root qdisc (handle 0:), or tc cannot read the interface
//   foreign  someone else's root qdisc
//   drifted  ours in another shape, no record, another digest, or other values on the host
//
// Pure and never throws.
import type { Probe } from '../compile/plan';
import type { ProbeResult } from './probe';
import { fail, guard, ok, type ParseResult } from './result';
import type { ObservedQdisc, ObservedQdiscs } from './types';

/** Wireplan's handles (compile/impair.ts; repeated here: observe does not depend on the compiler's internals). */
const TBF_ROOT = 'qdisc tbf 5770: root';
const NETEM_ROOT = 'qdisc netem 5771: root';
const NETEM_CHILD = 'qdisc netem 5772: parent 5770:1';

/**
 * `tc qdisc show` text as the runtime's wp_qdisc_text keeps it: trailing newlines gone (as
 * `$(...)` drops them), then per line the first " refcnt N" removed (it changes while the
 * kernel holds the qdisc) and one trailing space (tc ends most lines with one).
 */
export function normalizeQdiscText(raw: string): string {
  // WP_TC_SHOW+="${WP_TC_SHOW:+$WP_NL}${line% }": an empty line adds nothing while the text is empty.
  let out = '';
  for (const line of raw.replace(/\n+$/, '').split('\n')) {
    const l = line.replace(/ refcnt [0-9]+/, '');
    out += (out === '' ? '' : '\n') + (l.endsWith(' ') ? l.slice(0, -1) : l);
  }
  return out;
}

/** One normalized line: "qdisc KIND HANDLE root ..." or "qdisc KIND HANDLE parent P ...". */
function qdiscOf(line: string): ObservedQdisc | undefined {
  const m = /^qdisc (\S+) (\S+) (?:(root)|parent (\S+))(?: |$)(.*)$/.exec(line);
  if (!m) return undefined;
  return { kind: m[1]!, handle: m[2]!, ...(m[3] ? { root: true } : { parent: m[4]! }), options: m[5] ?? '' };
}

/** `tc qdisc show dev IF` (text) -> the qdiscs and the normalized text the runtime records. */
export function parseQdiscShow(ifname: string, raw: string): ParseResult<ObservedQdiscs> {
  return guard('tc qdisc show', () => {
    if (typeof raw !== 'string') return fail('tc qdisc show: no text');
    const show = normalizeQdiscText(raw);
    const qdiscs: ObservedQdisc[] = [];
    const warnings: string[] = [];
    for (const line of show === '' ? [] : show.split('\n')) {
      const q = qdiscOf(line);
      if (q) qdiscs.push(q);
      else warnings.push(`tc qdisc show dev ${JSON.stringify(ifname)}: line not understood: ${JSON.stringify(line.slice(0, 80))}`);
    }
    return ok({ ifname, show, qdiscs }, warnings);
  });
}

/** The runtime's record file: "DIGEST\nTEXT\n" (undefined when it is not one). */
export function parseQdiscRecord(raw: string): { digest: string; show: string } | undefined {
  if (typeof raw !== 'string') return undefined;
  // As bash reads it: `rec=$(<f)` (trailing newlines gone), digest = up to the first
  // newline, text = after it (the whole record when there is none).
  const rec = raw.replace(/\n+$/, '');
  if (rec === '') return undefined;
  const nl = rec.indexOf('\n');
  return { digest: nl < 0 ? rec : rec.slice(0, nl), show: nl < 0 ? rec : rec.slice(nl + 1) };
}

/** "rate 1Mbit -> 5Mbit": the values that differ between the recorded and the current line of one qdisc. */
function valueChanges(recorded: string, now: string): string[] {
  const was = new Map<string, string>();
  for (const line of recorded.split('\n')) {
    const head = /^qdisc \S+ \S+/.exec(line)?.[0];
    if (head) was.set(head, line);
  }
  const out: string[] = [];
  for (const line of now.split('\n')) {
    const head = /^qdisc \S+ \S+/.exec(line)?.[0];
    const before = head !== undefined ? was.get(head) : undefined;
    if (before === undefined || before === line) continue;
    const a = before.split(' ');
    const b = line.split(' ');
    if (a.length !== b.length) continue;
    for (let i = 1; i < b.length; i++) {
      if (a[i] === b[i]) continue;
      // The value's name: the nearest word before it that is not a value (netem prints "delay 40ms  5ms").
      let k = i - 1;
      while (k > 0 && (b[k] === '' || /^[0-9.]/.test(b[k]!))) k--;
      out.push(`${b[k]} ${a[i]} -> ${b[i]}`);
    }
  }
  return out;
}

const q = (s: string) => JSON.stringify(s);

/**
 * A qdisc probe against what the poll read for its interface: wp_probe_qdisc's answer, with
 * its WP_WHY as the detail (prefixed by the interface). `undefined` observed: unobserved.
 */
export function judgeQdisc(probe: Extract<Probe, { type: 'qdisc' }>, observed: ObservedQdiscs | undefined): ProbeResult {
  if (!observed) return { state: 'absent', detail: `qdiscs of ${q(probe.ifname)} were not observed`, unobserved: true };
  const dev = q(probe.ifname);
  // `tc qdisc show` failed (no such interface): the runtime's probe says 1.
  if (observed.error !== undefined) return { state: 'absent', detail: `${dev}: tc cannot read its qdiscs (${observed.error})` };
  let have = '';
  let child = '';
  let other = '';
  // The runtime's `case` per line, first pattern that matches.
  for (const line of observed.show.split('\n')) {
    if (line.startsWith(TBF_ROOT)) have = 'tbf';
    else if (line.startsWith(NETEM_ROOT)) have = 'netem';
    else if (line.startsWith(NETEM_CHILD)) child = '+netem';
    else if (line.startsWith('qdisc ') && line.indexOf(' 0: root', 6) >= 0) continue;
    else if (line.startsWith('qdisc ') && line.indexOf(' root', 6) >= 0) other = line.slice('qdisc '.length);
  }
  if (have === '') {
    if (other === '') return { state: 'absent', detail: `${dev} has the kernel's default qdisc (no impairment)` };
    const at = other.indexOf(' root');
    return { state: 'foreign', detail: `${dev} has root qdisc ${at >= 0 ? other.slice(0, at) : other}` };
  }
  have += child;
  if (have !== probe.shape) return { state: 'drifted', detail: `${dev}: qdiscs ${have}, designed ${probe.shape}` };
  const rec = observed.record;
  if (!rec) return { state: 'drifted', detail: `${dev}: no record of the values Wireplan set` };
  if (rec.digest !== probe.digest) return { state: 'drifted', detail: `${dev}: impairments changed in the design` };
  if (rec.show !== observed.show) {
    const changes = valueChanges(rec.show, observed.show);
    const what = changes.length > 0 ? changes.join(', ') : observed.show.split('\n').join('; ');
    return { state: 'drifted', detail: `${dev}: changed on the host: ${what}` };
  }
  return { state: 'present' };
}
