// What one live probe showed, read from its exit status and (flattened) output, and how
// it compares with the expectation. The text comes from a host: it is only matched
// against, and shown as text.
import type { Expectation, ListenerSpec } from './types';

export type ProbeFailure = 'timeout' | 'no-reply' | 'refused' | 'host-unreachable' | 'no-route' | 'netns-missing' | 'not-run' | 'error';

export interface ProbeOutcome {
  reached: boolean;
  /** One line for people: "reply received", "connection refused", "no reply within 2 s". */
  summary: string;
  failure?: ProbeFailure;
  /** Id of the check's listener that answered (TCP). */
  listener?: string;
  /** Client address that listener saw. */
  seenFrom?: string;
  /** The probe's own output (flattened, shortened). */
  raw: string;
}

const has = (text: string, re: RegExp) => re.test(text);

function commonFailure(text: string): { failure: ProbeFailure; summary: string } | undefined {
  if (has(text, /Cannot open network namespace|No such file or directory.*netns|netns.*No such file/i)) return { failure: 'netns-missing', summary: 'the source namespace does not exist' };
  if (has(text, /Network is unreachable/i)) return { failure: 'no-route', summary: 'no route (Network is unreachable)' };
  if (has(text, /No route to host|Destination Host Unreachable|Host is unreachable/i)) return { failure: 'host-unreachable', summary: 'host unreachable (no neighbour answered, or an ICMP unreachable came back)' };
  return undefined;
}

/** `ping -c 1 -w N`: 0 a reply came, 1 none came, 2 an error. */
export function pingOutcome(rc: number, raw: string): ProbeOutcome {
  if (rc === 0) return { reached: true, summary: 'reply received', raw };
  const common = commonFailure(raw);
  if (common) return { reached: false, ...common, raw };
  if (rc === 1) return { reached: false, failure: 'no-reply', summary: 'no reply', raw };
  return { reached: false, failure: 'error', summary: `ping failed (exit ${rc})`, raw };
}

/** bash /dev/tcp under timeout: 0 connected (banner after "banner="), 97 connect failed, 124 timed out. */
export function tcpOutcome(rc: number, raw: string): ProbeOutcome {
  if (rc === 0) {
    const m = /banner=wpchk (L\d+) (\S+)/.exec(raw);
    if (m) return { reached: true, summary: `connected (listener ${m[1]} answered, saw ${m[2]})`, listener: m[1]!, seenFrom: m[2]!, raw };
    return { reached: true, summary: 'connected (to a service that is not the check\'s listener)', raw };
  }
  const common = commonFailure(raw);
  if (common) return { reached: false, ...common, raw };
  if (has(raw, /Connection refused/i)) return { reached: false, failure: 'refused', summary: 'connection refused (the address answered, nothing listens there)', raw };
  if (rc === 124 || rc === 137) return { reached: false, failure: 'timeout', summary: 'no answer (timed out: dropped somewhere)', raw };
  return { reached: false, failure: 'error', summary: `connect failed (exit ${rc})`, raw };
}

export interface Judgement {
  ok: boolean;
  /** Why it is not as expected (one line). */
  problem?: string;
  /** A note that does not make it a mismatch. */
  note?: string;
}

export interface ListenerState {
  spec: ListenerSpec;
  ready: boolean;
  detail: string;
  /** A program of the design serves this port (docs/programs.md): it answers, not the check. */
  program?: string;
}

const where = (l: ListenerSpec) => `${l.scope.name} ${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`;

/** Expected vs actual for one probe. */
export function judge(e: Expectation, o: ProbeOutcome | undefined, listeners: ReadonlyMap<string, ListenerState>): Judgement {
  if (!o) return { ok: false, problem: 'the probe did not run (no result came back from the host)' };
  if (o.failure === 'netns-missing') return { ok: false, problem: `${e.probe.from.name} does not exist on the host` };
  if (e.expect === 'blocked') {
    if (!o.reached) {
      // Blocked as designed; say so when the host stopped it somewhere the design does not.
      const cause = e.reasons.find((r) => r.code === 'no-route' || r.code === 'policy-drop' || r.code === 'forwarding-off');
      if (o.failure === 'no-route' && cause && cause.code !== 'no-route') return { ok: true, note: `blocked as designed, but earlier than designed: ${o.summary} (the design stops it at ${cause.at ?? '?'}: ${cause.text})` };
      return { ok: true };
    }
    const at = o.listener ? listeners.get(o.listener) : undefined;
    return { ok: false, problem: `expected blocked, but it got through${at ? ` (to ${where(at.spec)})` : ''}` };
  }
  if (!o.reached) return { ok: false, problem: `expected to reach, but: ${o.summary}` };
  if (e.probe.kind !== 'tcp' || !e.landsAt) return { ok: true };
  const expected = [...listeners.values()].find(
    (l) => l.spec.scope.key === e.landsAt!.scope.key && l.spec.address === e.landsAt!.address && l.spec.port === e.landsAt!.port,
  );
  if (o.listener !== undefined) {
    const got = listeners.get(o.listener);
    if (expected && o.listener !== expected.spec.id) {
      return { ok: false, problem: `connected, but to ${got ? where(got.spec) : o.listener} instead of ${where(expected.spec)}` };
    }
    if (e.masqueraded && e.seenFrom !== undefined && o.seenFrom !== undefined && o.seenFrom !== e.seenFrom) {
      return { ok: false, problem: `connected, but the destination saw the client as ${o.seenFrom}, not the masqueraded ${e.seenFrom}` };
    }
    return { ok: true };
  }
  // Connected to something that is not our listener: the designed program, or a service already bound there.
  if (expected?.program !== undefined) return { ok: true, note: `answered by program "${expected.program}" of the design` };
  if (expected && !expected.ready) return { ok: true, note: `the check's listener could not start (${expected.detail}); a service already there answered` };
  return { ok: true, note: 'connected, but no listener banner came back' };
}
