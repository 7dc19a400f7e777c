// The connectivity check against real hosts: derive the probes from the design, run them
// on each host through its HostExecutor (one probe script per host, streamed on stdin;
// plus a "serve" run on hosts whose listeners probes from other hosts need), compute the
// expectations with the facts the hosts reported, compare, and for every disagreement
// read the live state along the expected path (one evidence script per host) and say why.
import { compile } from '../../../shared/compile/compile';
import type { Design } from '../../../shared/model/schema';
import { diagnose, parseEvidence, type EvidenceMap, type ExpectedFirewalls } from '../../../shared/reach/diagnose';
import { expectedMatrix, listenersFor } from '../../../shared/reach/matrix';
import { expectProbe } from '../../../shared/reach/expect';
import { judge, pingOutcome, tcpOutcome, type ListenerState, type ProbeOutcome } from '../../../shared/reach/outcome';
import { programFor, programPorts } from '../../../shared/reach/programs';
import { summarize, type CheckReport, type CheckRow, type HostCheckInfo } from '../../../shared/reach/report';
import { factKey, type Facts, type ListenerSpec, type ProbeSpec } from '../../../shared/reach/types';
import type { Diagnostic } from '../../../shared/validation/diagnostic';
import { SandboxExecutor, type HostExecutor, type RunResult } from '../executor';
import { SANDBOX_OUTSIDE_NETNS } from '../executor/sandbox-executor';
import { OUTSIDE_NS, withOutside } from '../../../shared/sandbox/outside-design';
import type { StandInNic } from '../../../shared/sandbox/stand-ins';
import { evidenceBudgetMs, evidenceScript, type EvidenceRequest } from './evidence-script';
import { newNonce, parseProbeRun, readMarkers, type ProbeRunOutput } from './markers';
import { probeScript, probeScriptBudgetMs, serveScript, stopServeCommand, type ScriptListener } from './probe-script';

export interface RunCheckOptions {
  /** At most this many probes (default 400). */
  maxProbes?: number;
  /** Only probes whose source is on these hosts (id or name); default every host with an executor. */
  hosts?: readonly string[];
  signal?: AbortSignal;
  /** Progress lines (for the CLI or the app log). */
  log?: (line: string) => void;
  /** Most namespaces per host whose live state is read to explain disagreements (default 64). */
  maxEvidenceScopes?: number;
}

export type RunCheckResult = { ok: true; report: CheckReport } | { ok: false; diagnostics: Diagnostic[] };

const RUN_SCRIPT = 'bash -s';

interface HostRun {
  hostId: string;
  hostName: string;
  exec: HostExecutor;
  probes: ProbeSpec[];
  local: ScriptListener[];
  served: ScriptListener[];
  /** Listeners a program of the design is (the check starts none there). */
  programs: ScriptListener[];
  factScopes: string[];
  /** Namespaces with IPv6 design addresses, when IPv6 is probed. */
  settleScopes: string[];
  nonce: string;
  output?: ProbeRunOutput;
  error?: string;
}

/**
 * A scope's namespace as the host's scripts name it: the hidden outside namespace of a
 * sandbox's stand-in NICs (see withOutside) is a path there, every other one a netns name.
 */
type NsOnHost = (hostId: string, ns: string) => string;

function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function runCheck(given: Design, executors: ReadonlyMap<string, HostExecutor>, opts: RunCheckOptions = {}): Promise<RunCheckResult> {
  const log = opts.log ?? (() => undefined);
  // Sandbox hosts with stand-in NICs: checked with the network beyond those NICs modelled,
  // so probes also come from outside (a client beyond the NIC) and go out to it.
  const standIns = new Map<string, StandInNic[]>();
  for (const [hostId, ex] of executors) if (ex instanceof SandboxExecutor) standIns.set(hostId, ex.standIns());
  const { design, outside, notes: outsideNotes } = withOutside(given, standIns);
  const nsOn: NsOnHost = (hostId, ns) => (ns === OUTSIDE_NS && outside.has(hostId) ? SANDBOX_OUTSIDE_NETNS : ns);
  const toScript = (l: ListenerSpec): ScriptListener => ({ id: l.id, ns: nsOn(l.scope.hostId, l.scope.ns), address: l.address, port: l.port });
  const reachable = design.hosts.filter((h) => executors.has(h.id));
  const wanted = opts.hosts?.length ? opts.hosts : reachable.map((h) => h.id);
  const planned = expectedMatrix(design, { ...(opts.maxProbes !== undefined ? { maxProbes: opts.maxProbes } : {}), hosts: wanted });
  if (!planned.ok) return planned;
  const { world, matrix } = planned;
  const probes = matrix.probes;
  const probeById = new Map(probes.map((p) => [p.id, p]));

  // Listeners for every landing the expectations could name, with bridge netfilter on or off.
  const bridgeScopes = new Map<string, string[]>();
  for (const i of world.ctx.ifaces) {
    if (i.collection !== 'bridges' || !i.host) continue;
    const list = bridgeScopes.get(i.host.id) ?? [];
    const ns = i.ns?.name ?? '';
    if (!list.includes(ns)) list.push(ns);
    bridgeScopes.set(i.host.id, list);
  }
  const allOn: Facts = {};
  for (const [hostId, list] of bridgeScopes) for (const ns of list) allOn[factKey(hostId, ns)] = { bridgeNetfilter4: true, bridgeNetfilter6: true };
  const listeners = listenersFor(world, [...matrix.expectations, ...probes.map((p) => expectProbe(world, allOn, p))]);
  // Where a designed program serves the port, the probe connects to it (docs/programs.md).
  const ports = programPorts(design);

  const v6Scopes = (hostId: string) =>
    [...world.scopes.values()].filter((s) => s.ref.hostId === hostId && s.addrs.some((a) => a.prefix.family === 6)).map((s) => s.ref.ns);
  const runs: HostRun[] = [];
  for (const host of reachable) {
    const mine = listeners.filter((l) => l.scope.hostId === host.id && programFor(ports, l) === undefined);
    const remote = (l: ListenerSpec) => l.probes.some((id) => probeById.get(id)?.from.hostId !== host.id);
    runs.push({
      hostId: host.id,
      hostName: host.name,
      exec: executors.get(host.id)!,
      probes: probes.filter((p) => p.from.hostId === host.id),
      local: mine.filter((l) => !remote(l)).map(toScript),
      served: mine.filter(remote).map(toScript),
      programs: listeners.filter((l) => l.scope.hostId === host.id && programFor(ports, l) !== undefined).map(toScript),
      factScopes: bridgeScopes.get(host.id) ?? [],
      settleScopes: probes.some((p) => p.family === 6) ? v6Scopes(host.id).map((ns) => nsOn(host.id, ns)) : [],
      nonce: newNonce(),
    });
  }
  const toScriptProbe = (p: ProbeSpec) => ({ id: p.id, kind: p.kind, ns: nsOn(p.from.hostId, p.from.ns), address: p.to, ...(p.port !== undefined ? { port: p.port } : {}) });
  const budget = Math.max(10_000, ...runs.map((r) => probeScriptBudgetMs({ listeners: r.local, probes: r.probes.map(toScriptProbe), factScopes: r.factScopes })));
  const listenSeconds = Math.ceil(budget / 1000) + 15;

  // Listeners other hosts' probes need: up and ready before any probe runs.
  const serving = await Promise.all(runs.filter((r) => r.served.length > 0).map((r) => startServe(r, listenSeconds, opts.signal, log)));
  try {
    await Promise.all(
      runs.map(async (r) => {
        if (r.probes.length === 0 && r.local.length === 0 && r.factScopes.length === 0) return;
        log(`${r.hostName}: ${r.probes.length} probe(s), ${r.local.length + r.served.length} listener(s)`);
        const script = probeScript({ nonce: r.nonce, factScopes: r.factScopes, settleScopes: r.settleScopes, listeners: r.local, probes: r.probes.map(toScriptProbe), listenSeconds });
        try {
          const res = await r.exec.run(RUN_SCRIPT, { stdin: script, timeoutMs: budget + 10_000, ...(opts.signal ? { signal: opts.signal } : {}) });
          r.output = parseProbeRun(res.stdout, r.nonce);
          if (r.output.fatal) r.error = `the probe script failed on the host: ${r.output.fatal}`;
          else if (!r.output.done) r.error = `the probe script did not finish (exit ${res.code ?? res.signal}): ${lastLines(res)}`;
        } catch (e) {
          r.error = describeError(e);
        }
      }),
    );
  } finally {
    await Promise.all(serving.map((s) => s.stop()));
  }
  for (const s of serving) {
    const r = runs.find((x) => x.hostId === s.hostId)!;
    const out = s.output();
    for (const [id, st] of out.listeners) (r.output ??= { facts: new Map(), listeners: new Map(), probes: new Map(), done: true }).listeners.set(id, st);
    if (s.error) r.error ??= s.error;
  }

  // Expectations with the facts the hosts reported.
  const facts: Facts = {};
  for (const r of runs) {
    r.factScopes.forEach((ns, i) => {
      const f = r.output?.facts.get(i);
      if (f) facts[factKey(r.hostId, ns)] = { ...(f.v4 !== undefined ? { bridgeNetfilter4: f.v4 } : {}), ...(f.v6 !== undefined ? { bridgeNetfilter6: f.v6 } : {}) };
    });
  }
  const expectations = probes.map((p) => expectProbe(world, facts, p));
  const listenerStates = new Map<string, ListenerState>();
  for (const l of listeners) {
    const program = programFor(ports, l);
    if (program !== undefined) {
      listenerStates.set(l.id, { spec: l, ready: true, detail: `program "${program}" of the design serves it`, program });
      continue;
    }
    const st = runs.find((r) => r.hostId === l.scope.hostId)?.output?.listeners.get(l.id);
    listenerStates.set(l.id, { spec: l, ready: st?.ready ?? false, detail: st?.detail ?? 'not started' });
  }
  const rows: CheckRow[] = expectations.map((e) => {
    const run = runs.find((r) => r.hostId === e.probe.from.hostId);
    const raw = run?.output?.probes.get(e.probe.id);
    const outcome: ProbeOutcome | undefined = raw ? (raw.kind === 'ping' ? pingOutcome(raw.rc, raw.text) : tcpOutcome(raw.rc, raw.text)) : undefined;
    if (e.predictable === false) {
      return { expectation: e, ...(outcome ? { outcome } : {}), ok: true, note: 'with the facts read from the host, the design cannot predict this one' };
    }
    const j = judge(e, outcome, listenerStates);
    const row: CheckRow = { expectation: e, ok: j.ok, ...(outcome ? { outcome } : {}) };
    if (j.problem) row.problem = run?.error && !outcome ? `not checked: ${run.error}` : j.problem;
    if (j.note) row.note = j.note;
    return row;
  });

  const bad = rows.filter((r) => !r.ok && r.outcome);
  if (bad.length > 0) {
    const evidence = await gatherEvidence(runs, bad, opts, log, nsOn);
    const firewalls = expectedFirewalls(design);
    for (const row of bad) row.explanation = diagnose(row, evidence, firewalls, listenerStates, design.tag, design);
  }

  const hosts: HostCheckInfo[] = runs.map((r) => ({
    hostId: r.hostId,
    hostName: r.hostName,
    ...(r.output?.tool ? { tool: r.output.tool } : {}),
    ...(r.error ? { error: r.error } : {}),
    listeners: [...r.local, ...r.served, ...r.programs].map((l) => {
      const st = listenerStates.get(l.id);
      return { id: l.id, where: `${l.ns || 'root'} ${l.address}:${l.port}`, ready: st?.ready ?? false, detail: st?.detail ?? 'not started' };
    }),
  }));
  const notes = [...matrix.notes, ...outsideNotes];
  for (const [hostId, nics] of outside) {
    const h = design.hosts.find((x) => x.id === hostId);
    notes.push(`host "${h?.name ?? hostId}": its stand-in NIC(s) ${nics.map((n) => n.name).join(', ')} are modelled as veths into the sandbox's hidden "${OUTSIDE_NS}" namespace, so probes also run from and to the network beyond them`);
  }
  for (const h of design.hosts) if (!executors.has(h.id)) notes.push(`host "${h.name}" was not checked (no connection given for it)`);
  if (runs.some((r) => r.output?.tool === 'none')) notes.push('a host has neither perl nor python3: TCP probes ran without the check\'s listeners');
  return {
    ok: true,
    report: { design: matrix.design, rows, hosts, notes, summary: summarize(rows) },
  };
}

function lastLines(r: RunResult): string {
  return (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ') || 'no output';
}

interface Serving {
  hostId: string;
  stop(): Promise<void>;
  output(): ProbeRunOutput;
  error?: string;
}

/** Starts a host's serve run and resolves once it says "serving" (or has ended). */
async function startServe(r: HostRun, listenSeconds: number, signal: AbortSignal | undefined, log: (l: string) => void): Promise<Serving> {
  let stdout = '';
  let dir: string | undefined;
  let announce: () => void = () => undefined;
  const announced = new Promise<void>((resolve) => (announce = resolve));
  const tag = `@wpchk-${r.nonce} serving `;
  const s: Serving = {
    hostId: r.hostId,
    output: () => parseProbeRun(stdout, r.nonce),
    stop: async () => {
      const cmd = dir && stopServeCommand(dir);
      if (cmd) await r.exec.run(cmd, { timeoutMs: 10_000 }).catch(() => undefined);
      await done;
    },
  };
  log(`${r.hostName}: serving ${r.served.length} listener(s) for probes from other hosts`);
  const done = r.exec
    .run(RUN_SCRIPT, {
      stdin: serveScript({ nonce: r.nonce, listeners: r.served, listenSeconds, settleScopes: r.settleScopes }),
      timeoutMs: listenSeconds * 1000 + 10_000,
      ...(signal ? { signal } : {}),
      onStdout: (chunk) => {
        stdout += chunk;
        const at = stdout.indexOf(tag);
        if (at >= 0 && dir === undefined) {
          const end = stdout.indexOf('\n', at);
          if (end > 0) {
            dir = stdout.slice(at + tag.length, end);
            announce();
          }
        }
      },
    })
    .then(
      (res) => {
        stdout = res.stdout || stdout;
      },
      (e: unknown) => {
        s.error = `serving listeners failed: ${describeError(e)}`;
      },
    )
    .finally(() => announce());
  await announced;
  return s;
}

/** Per host, the namespaces on the expected paths of the disagreeing probes, with the destinations to route. */
async function gatherEvidence(runs: HostRun[], bad: CheckRow[], opts: RunCheckOptions, log: (l: string) => void, nsOn: NsOnHost): Promise<EvidenceMap> {
  const cap = opts.maxEvidenceScopes ?? 64;
  const want = new Map<string, Map<string, Set<string>>>();
  const need = (hostId: string, ns: string, dst?: string) => {
    const host = want.get(hostId) ?? new Map<string, Set<string>>();
    want.set(hostId, host);
    if (!host.has(ns) && host.size >= cap) return;
    const set = host.get(ns) ?? new Set<string>();
    host.set(ns, set);
    if (dst) set.add(dst);
  };
  for (const row of bad) {
    const e = row.expectation;
    need(e.probe.from.hostId, e.probe.from.ns, e.probe.to);
    for (const hop of [...e.path, ...e.reply]) {
      need(hop.scope.hostId, hop.scope.ns, hop.role === 'send' || hop.role === 'forward' || hop.role === 'drop' ? hop.dst : undefined);
      for (const s of hop.segment ?? []) need(s.hostId, s.ns);
    }
    if (e.landsAt) need(e.landsAt.scope.hostId, e.landsAt.scope.ns);
  }
  const evidence: EvidenceMap = new Map();
  await Promise.all(
    runs.map(async (r) => {
      const scopes = want.get(r.hostId);
      if (!scopes || scopes.size === 0) return;
      const requests: EvidenceRequest[] = [...scopes.entries()].map(([ns, dsts]) => ({ ns, routes: [...dsts] }));
      const nonce = newNonce();
      log(`${r.hostName}: reading live state of ${requests.length} namespace(s) to explain ${bad.length} disagreement(s)`);
      try {
        const res = await r.exec.run(RUN_SCRIPT, { stdin: evidenceScript(nonce, requests.map((q) => ({ ...q, ns: nsOn(r.hostId, q.ns) }))), timeoutMs: evidenceBudgetMs(requests), ...(opts.signal ? { signal: opts.signal } : {}) });
        const sections = new Map<number, { kind: string; arg: string; body: string[] }[]>();
        for (const m of readMarkers(res.stdout, nonce)) {
          if (m.kind !== 'ev') continue;
          const [idx, kind, ...arg] = m.args;
          const list = sections.get(Number(idx)) ?? [];
          list.push({ kind: kind ?? '', arg: arg.join(' '), body: m.body });
          sections.set(Number(idx), list);
        }
        requests.forEach((req, i) => evidence.set(factKey(r.hostId, req.ns), parseEvidence(sections.get(i) ?? [])));
      } catch (e) {
        log(`${r.hostName}: could not read live state: ${describeError(e)}`);
      }
    }),
  );
  return evidence;
}

/** The nftables text the plan loads per (host, netns), to tell which designed rules are missing live. */
function expectedFirewalls(design: Design): ExpectedFirewalls {
  const out: ExpectedFirewalls = new Map();
  const c = compile(design);
  if (!c.ok) return out;
  for (const h of c.plan.hosts) {
    for (const s of h.steps) {
      if (s.kind !== 'nft') continue;
      const text = s.do[0]?.argv[1];
      if (text !== undefined) out.set(factKey(h.host.id, s.ns), text);
    }
  }
  return out;
}
