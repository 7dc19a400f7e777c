// The connectivity check's result: per probe, what the design expects, what the host
// showed, whether they agree, and for each disagreement an explanation from the host's
// live state.
import type { ProbeOutcome } from './outcome';
import type { Expectation } from './types';

export interface CheckRow {
  expectation: Expectation;
  outcome?: ProbeOutcome;
  ok: boolean;
  /** Why it disagrees (one line). */
  problem?: string;
  /** Something worth knowing that does not make it a disagreement. */
  note?: string;
  /** Evidence from the live host, most likely cause first (disagreements only). */
  explanation?: string[];
}

export interface HostCheckInfo {
  hostId: string;
  hostName: string;
  /** Listener program found on the host (perl, python3, none). */
  tool?: string;
  /** Why this host could not be checked (unreachable, script failed ...). */
  error?: string;
  listeners: { id: string; where: string; ready: boolean; detail: string }[];
}

export interface CheckReport {
  design: { name: string; tag: string };
  rows: CheckRow[];
  hosts: HostCheckInfo[];
  notes: string[];
  summary: { probes: number; agree: number; disagree: number; expectedReach: number; expectedBlocked: number };
}

export function summarize(rows: readonly CheckRow[]): CheckReport['summary'] {
  const agree = rows.filter((r) => r.ok).length;
  return {
    probes: rows.length,
    agree,
    disagree: rows.length - agree,
    expectedReach: rows.filter((r) => r.expectation.expect === 'reach').length,
    expectedBlocked: rows.filter((r) => r.expectation.expect === 'blocked').length,
  };
}
