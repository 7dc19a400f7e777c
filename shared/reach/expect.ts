// One probe's expected outcome: walk the request from the source, then the reply from
// wherever the request landed, and say reach or blocked with the reasons on the way.
import { walk, newFlow, type WalkResult } from './walk';
import type { Packet } from './firewall';
import type { Expectation, Facts, ProbeSpec, Reason } from './types';
import type { World } from './world';

/** Client port used for TCP probes in the model (any ephemeral port behaves the same). */
const CLIENT_PORT = 40000;

const hostPort = (a: string, port?: number) => (port === undefined ? a : a.includes(':') ? `[${a}]:${port}` : `${a}:${port}`);

export function expectProbe(w: World, facts: Facts, probe: ProbeSpec): Expectation {
  const source = w.scopes.get(probe.from.key);
  const base: Omit<Expectation, 'expect' | 'reasons'> = { probe, path: [], reply: [] };
  if (!source) {
    return { ...base, expect: 'blocked', reasons: [{ code: 'no-source', text: `${probe.from.name} is not in the design`, dir: 'forward' }] };
  }
  const tcp = probe.kind === 'tcp';
  const request: Packet = {
    family: probe.family,
    proto: tcp ? 'tcp' : 'icmp',
    src: '',
    dst: probe.to,
    ...(tcp ? { sport: CLIENT_PORT, dport: probe.port! } : {}),
  };
  const flow = newFlow();
  const fwd = walk(w, facts, source, request, 'forward', flow);
  const out: Expectation = { ...base, expect: 'blocked', reasons: [...fwd.reasons], path: fwd.hops };
  if (!fwd.ok) return unpredictable(out, fwd);
  out.landsAt = { scope: fwd.at.ref, address: fwd.pkt.dst, ...(fwd.pkt.dport !== undefined ? { port: fwd.pkt.dport } : {}) };
  out.seenFrom = fwd.pkt.src;
  if (fwd.reasons.some((r) => r.code === 'masquerade')) out.masqueraded = true;

  const reply: Packet = {
    family: probe.family,
    proto: request.proto,
    src: fwd.pkt.dst,
    dst: fwd.pkt.src,
    ...(tcp ? { sport: fwd.pkt.dport!, dport: fwd.pkt.sport! } : {}),
  };
  const back = walk(w, facts, fwd.at, reply, 'reply', flow);
  out.reply = back.hops;
  out.reasons.push(...back.reasons);
  if (!back.ok) return unpredictable(out, back);
  const add = (r: Omit<Reason, 'dir'>) => out.reasons.push({ ...r, dir: 'reply' });
  if (back.at.scope.key !== source.scope.key) {
    add({ code: 'reply-elsewhere', text: `the reply to ${fwd.pkt.src} is delivered to ${back.at.ref.name}, not to ${source.ref.name}`, at: back.at.ref.name });
    return out;
  }
  if (back.pkt.src !== probe.to || (tcp && back.pkt.sport !== probe.port)) {
    const nat = [...flow.nat.entries()].find(([, n]) => n.dnat);
    const router = nat ? w.scopes.get(nat[0])?.ref.name : undefined;
    add({
      code: 'reply-bypasses-nat',
      text: `the reply reaches ${source.ref.name} from ${hostPort(back.pkt.src, tcp ? back.pkt.sport : undefined)} instead of ${hostPort(probe.to, probe.port)}${router ? `: it does not pass back through ${router}, which rewrote the destination` : ''}, so ${source.ref.name} discards it`,
      at: source.ref.name,
    });
    return out;
  }
  out.expect = 'reach';
  return out;
}

function unpredictable(out: Expectation, r: WalkResult): Expectation {
  if (r.cause === 'outside-design') out.predictable = false;
  return out;
}
