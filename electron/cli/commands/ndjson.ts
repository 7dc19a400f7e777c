// --json for the commands that talk to hosts (apply, destroy, diff): NDJSON on stdout, one
// JSON object per line, written as things happen, so a consumer can act line by line.
//
//   {"type":"step","host":"lab","hostName":"lab","event":"started","index":3,"total":22,"stepId":"...","description":"..."}
//       event: started | done | present (already there, nothing ran) | failed | undone
//   {"type":"output","host":"lab","text":"..."}            a line of the on-host run's output
//   {"type":"phase","host":"lab","phase":"preflight","text":"..."}
//   {"type":"result","host":"lab","text":"converged changed=22"}   the on-host run's final marker
//   {"type":"host","host":"lab","hostName":"lab","target":"...","ok":true,"outcome":{"kind":"converged",...},"text":"...","ms":1234,"warnings":[]}
//   {"type":"diff","host":"lab",...}                        diff: one per host (see diffLine)
//   {"type":"done","command":"apply","ok":true,"exit":0}   always the last line
//
// Human-readable progress and questions never go to stdout in this mode.
import type { ApplyEvent, EventSink, HostReport } from '../../backend/apply';
import { describeOutcome } from '../../backend/apply';
import type { HostDiff, PersistReport } from '../../backend/apply';
import type { CliIo } from '../io';

const STEP_EVENTS: Partial<Record<ApplyEvent['kind'], string>> = {
  'step-start': 'started',
  'step-done': 'done',
  'step-present': 'present',
  'step-failed': 'failed',
  undo: 'undone',
};

/** One line of NDJSON. */
export function emit(io: CliIo, value: Record<string, unknown>): void {
  io.out(JSON.stringify(value));
}

/** The EventSink that streams apply and destroy events as NDJSON lines. */
export function jsonEvents(io: CliIo, names: Map<string, string>): EventSink {
  return (e) => {
    const host = { host: e.host, hostName: names.get(e.host) ?? e.host };
    const step = STEP_EVENTS[e.kind];
    if (step) emit(io, { type: 'step', ...host, event: step, index: e.index, total: e.total, stepId: e.stepId, description: e.description, ...(e.text !== undefined ? { text: e.text } : {}) });
    else if (e.kind === 'output') emit(io, { type: 'output', ...host, text: e.text });
    else if (e.kind === 'phase') emit(io, { type: 'phase', ...host, phase: e.phase, text: e.text });
    else if (e.kind === 'result') emit(io, { type: 'result', ...host, text: e.text });
  };
}

/** A host's outcome as one line; returns whether it succeeded. */
export function hostLine(io: CliIo, r: HostReport & { persist?: PersistReport; unpersisted?: string[] }, target: string, extra: Record<string, unknown> = {}): boolean {
  const d = describeOutcome(r.outcome);
  // persist: apply --persist's boot unit; unpersisted: the files destroy removed.
  const ok = d.ok && r.persist?.ok !== false;
  const more = { ...(r.persist ? { persist: r.persist } : {}), ...(r.unpersisted ? { unpersisted: r.unpersisted } : {}) };
  emit(io, { type: 'host', host: r.host.id, hostName: r.host.name, target, ok, outcome: r.outcome, text: d.text, ms: r.ms, warnings: r.warnings, ...more, ...extra });
  return ok;
}

export function hostLines(io: CliIo, reports: readonly HostReport[], describe: (id: string) => string, extra: Record<string, unknown> = {}): boolean {
  let ok = true;
  for (const r of reports) ok = hostLine(io, r, describe(r.host.id), extra) && ok;
  return ok;
}

/** diff --json: one line per host with every step's state. */
export function diffLine(io: CliIo, d: HostDiff, target: string): void {
  emit(io, {
    type: 'diff',
    host: d.host.id,
    hostName: d.host.name,
    target,
    inSync: d.inSync,
    ...(d.lockedBy !== undefined ? { lockedBy: d.lockedBy } : {}),
    total: d.steps.length,
    present: d.steps.length - d.missing.length - d.foreign.length,
    steps: d.steps.map((s) => ({ index: s.index, stepId: s.id, description: s.description, state: s.state, ...(s.detail ? { detail: s.detail } : {}) })),
    removals: d.removals,
  });
}

export function doneLine(io: CliIo, command: string, exit: number): number {
  emit(io, { type: 'done', command, ok: exit === 0, exit });
  return exit;
}
