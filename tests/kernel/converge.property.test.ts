// Convergence, as DESIGN.md §3 defines it, checked on the real kernel for random designs
// (issue 10): for a pair (D1, D2) sharing a tag, D2 an edit of D1,
//   - up(D1) then up(D2) leaves the same normalized state as up(D2) on a fresh sandbox;
//   - a further up(D2) executes nothing (`@wp result converged changed=0`);
//   - down(D2) returns the sandbox to its exact pre-up snapshot.
// The designs (tests/support/converge-designs.ts) have 0-6 namespaces in any order,
// bridges in the root and in namespaces, veths between any two places with their ends in
// either order, addresses, MTUs, routes (defaults via a neighbour too), masquerades, port
// forwards and policies. The snapshot covers every namespace: links (kind, master, MTU,
// state, veth peer), addresses, all routing tables and rules, bridge ports and vlans,
// sysctls, the nft ruleset (DNAT targets included).
//
// Budget: a fixed number of pairs (WP_CONVERGE_RUNS, default 40: about 2 min of the suite's
// 20; explore more by hand with WP_CONVERGE_RUNS=100 or more), each in two throwaway
// sandboxes side by side (the edited one and the fresh one). The seed is printed (fixed on
// CI, new on every run by hand); replay a
// failure with WP_CONVERGE_SEED=<seed>. A failure is shrunk to a minimal pair for at most
// WP_CONVERGE_SHRINK_MS (default 4 min) and reported with both designs spelled out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostScript } from '../../shared/export/script';
import type { Design } from '../../shared/model/schema';
import { applyEdits, buildDesign, comparable, describeDesign, designSpec, edit, HOST_NIC, snapshotAfterUp as now, unusable, type Edit } from '../support/converge-designs';
import { planOf } from '../support/design-check';
import { createSandbox, diffSnapshots, missingFeatures, snapshot, type Sandbox, type Snapshot } from '../support/sandbox';

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : fallback;
}

const RUNS = envInt('WP_CONVERGE_RUNS', 40);
// CI replays one known seed, so a red run always means a change broke something; a run
// by hand explores a new one each time (set WP_CONVERGE_SEED to pin it).
const CI_SEED = 1173179190;
const SEED = envInt('WP_CONVERGE_SEED', process.env['CI'] ? CI_SEED : (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0);
const SHRINK_MS = envInt('WP_CONVERGE_SHRINK_MS', 240_000);
/** The host's NIC is the sandbox's fake uplink (IPv4 only: no DAD to wait for on it). */
const SANDBOX = { uplink: { name: HOST_NIC, address6: null } } as const;
const NOOP = '@wp result converged changed=0';

function scriptOf(d: Design): string {
  const plan = planOf(d);
  return hostScript(plan, plan.hosts[0]!);
}

function tail(text: string, lines = 12): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** The steps a run executed (`@wp step i/n run ID ...`). */
function ranSteps(stdout: string): string[] {
  return stdout.split('\n').filter((l) => / run /.test(l) && l.startsWith('@wp step '));
}

async function sandboxes(n: number): Promise<Sandbox[]> {
  const made = await Promise.allSettled(Array.from({ length: n }, () => createSandbox(SANDBOX)));
  const ok = made.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = made.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(ok.map((sb) => sb.close()));
    throw failed.reason;
  }
  return ok;
}


/** up(D1), up(D2), up(D2) again, down(D2) in one sandbox. Returns the state after up(D2). */
async function edited(sb: Sandbox, s1: string, s2: string, problems: string[]): Promise<Snapshot | null> {
  const before = await snapshot(sb, { iptables: false });
  const up1 = await sb.run(s1, ['up']);
  if (up1.code !== 0) {
    problems.push(`up(D1) failed (exit ${up1.code ?? up1.signal}):\n${tail(up1.stderr)}`);
    return null;
  }
  const up2 = await sb.run(s2, ['up']);
  if (up2.code !== 0) {
    problems.push(`up(D2) after up(D1) failed (exit ${up2.code ?? up2.signal}):\n${tail(up2.stderr)}`);
    return null;
  }
  const afterUp = await now(sb);
  const again = await sb.run(s2, ['up']);
  if (again.code !== 0 || !again.stdout.includes(NOOP)) {
    problems.push(
      `a further up(D2) did not execute nothing (exit ${again.code ?? again.signal}, ${again.stdout.match(/@wp result .*/)?.[0] ?? 'no result line'}):\n` +
        `${ranSteps(again.stdout).join('\n')}\n${tail(again.stderr, 4)}`.trim(),
    );
  }
  const down = await sb.run(s2, ['down']);
  if (down.code !== 0) problems.push(`down(D2) failed (exit ${down.code ?? down.signal}):\n${tail(down.stderr)}`);
  const diff = diffSnapshots(before, await snapshot(sb, { iptables: false }));
  if (diff.length) problems.push(`down(D2) after up(D1), up(D2) did not restore the pre-up state (before -> after):\n  ${diff.join('\n  ')}`);
  return afterUp;
}

async function fresh(sb: Sandbox, s2: string, problems: string[]): Promise<Snapshot | null> {
  const up = await sb.run(s2, ['up']);
  if (up.code !== 0) {
    problems.push(`up(D2) on a fresh sandbox failed (exit ${up.code ?? up.signal}):\n${tail(up.stderr)}`);
    return null;
  }
  return now(sb);
}

/** Every way the pair fails the property, as readable paragraphs (empty: it holds). */
async function checkPair(d1: Design, d2: Design): Promise<string[]> {
  const s1 = scriptOf(d1);
  const s2 = scriptOf(d2);
  const problems: string[] = [];
  const [a, b] = await sandboxes(2);
  try {
    const [afterEdit, afterFresh] = await Promise.all([edited(a!, s1, s2, problems), fresh(b!, s2, problems)]);
    if (afterEdit && afterFresh) {
      const diff = diffSnapshots(comparable(afterFresh), comparable(afterEdit));
      if (diff.length) problems.push(`up(D1) then up(D2) differs from up(D2) on a fresh sandbox (fresh -> edited):\n  ${diff.join('\n  ')}`);
    }
  } finally {
    await Promise.all([a!.close(), b!.close()]);
  }
  return problems;
}

function report(d1: Design, d2: Design, edits: readonly Edit[], problems: string[]): string {
  return [
    `${problems.length} problem(s) with this pair:`,
    ...problems.map((p) => `- ${p}`),
    '',
    `D1:\n${describeDesign(d1)}`,
    '',
    `edits: ${JSON.stringify(edits)}`,
    `D2:\n${describeDesign(d2)}`,
  ].join('\n');
}

describe('convergence on a real kernel (property)', () => {
  it(`up(D1)+up(D2) = fresh up(D2), up(D2) again changes nothing, down restores: ${RUNS} random pairs`, async (ctx) => {
    const missing = await missingFeatures(['bridge', 'veth', 'nft']);
    if (missing) {
      console.warn(`[skip] convergence property: ${missing}`);
      ctx.skip();
      return;
    }
    console.log(`[converge] seed ${SEED}, ${RUNS} pairs (replay: WP_CONVERGE_SEED=${SEED})`);
    const t0 = performance.now();
    let executed = 0;
    let firstFailure: number | null = null;
    const property = fc.asyncProperty(designSpec, fc.array(edit, { minLength: 1, maxLength: 3 }), async (spec, edits) => {
      const d1 = buildDesign(spec);
      const d2 = buildDesign(applyEdits(spec, edits));
      fc.pre(unusable(d1) === null && unusable(d2) === null);
      // Shrinking budget spent: count further candidates as passing, so the smallest
      // failure found so far is the one reported.
      if (firstFailure !== null && performance.now() - firstFailure > SHRINK_MS) return;
      executed++;
      const problems = await checkPair(d1, d2);
      if (problems.length) {
        firstFailure ??= performance.now();
        throw new Error(report(d1, d2, edits, problems));
      }
    });
    try {
      await fc.assert(property, { numRuns: RUNS, seed: SEED, endOnFailure: false });
    } finally {
      const s = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(`[converge] seed ${SEED}: ${executed} pairs on the kernel in ${s} s${firstFailure === null ? '' : ' (includes shrinking)'}`);
    }
    expect(executed).toBeGreaterThanOrEqual(RUNS);
  }, 45 * 60_000);
});
