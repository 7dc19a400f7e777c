// Link impairments -> `tc qdisc` commands. One place says which qdiscs an impairment
// becomes, so the compiler, validation and the docs agree.
//
// The shape follows Mininet's TCLink: a rate limit is a token bucket filter (tbf) at the
// root of the end's egress, and netem (delay, jitter, loss, duplicate, corrupt, reorder)
// is tbf's child, so packets are delayed and then paced. netem's own `rate` is not used:
// it needs netem (absent on some kernels, ours included, while tbf is everywhere) and a
// rate-only link should not depend on it. Without a rate, netem is the root qdisc.
//
// Qdiscs carry no ownership tag, so Wireplan's are known by their handles: each shape uses
// its own root handle. `tc qdisc replace` with the same handle and kind changes values in
// place; a root of another kind under another handle is replaced whole by the kernel.
import type { Impair } from '../model/schema';

/** Root tbf (rate, maybe with a netem child). */
export const TBF_HANDLE = '5770:';
/** Root netem (no rate). */
export const NETEM_ROOT_HANDLE = '5771:';
/** netem as the child of the root tbf (its class 5770:1). */
export const NETEM_CHILD_HANDLE = '5772:';

/** The qdiscs an impairment becomes: what the runtime's probe expects to find. */
export type QdiscShape = 'tbf' | 'netem' | 'tbf+netem';

/** Bounds each field is checked against (validation) and documented with. */
export const IMPAIR_LIMITS = {
  /** 8 kbit/s .. 100 Gbit/s: below, one full-size frame takes over a second; above, no veth gets there. */
  rateKbit: { min: 8, max: 100_000_000, unit: 'kbit/s' },
  /** netem keeps delays well beyond this, but a minute is no network anyone emulates. */
  delayMs: { min: 0, max: 60_000, unit: 'ms' },
  jitterMs: { min: 0, max: 60_000, unit: 'ms' },
  lossPct: { min: 0, max: 100, unit: '%' },
  duplicatePct: { min: 0, max: 100, unit: '%' },
  corruptPct: { min: 0, max: 100, unit: '%' },
  reorderPct: { min: 0, max: 100, unit: '%' },
} as const satisfies Record<keyof Impair, { min: number; max: number; unit: string }>;

export const IMPAIR_FIELDS = Object.keys(IMPAIR_LIMITS) as (keyof Impair)[];

const set = (v: number | undefined): v is number => v !== undefined && v > 0;

/** Whether any field asks netem for something (a zero asks for nothing). */
function needsNetem(i: Impair): boolean {
  return set(i.delayMs) || set(i.lossPct) || set(i.duplicatePct) || set(i.corruptPct) || set(i.reorderPct);
}

/** Whether the impairment changes anything at all (all-zero or empty is no qdisc). */
export function impairs(i: Impair | undefined): i is Impair {
  return i !== undefined && (set(i.rateKbit) || needsNetem(i));
}

/** A duration in whole microseconds, as tc reads it ("50000us"). */
function micros(ms: number): string {
  return `${Math.round(ms * 1000)}us`;
}

/** A percentage as tc reads it: plain decimal, no exponent, no trailing zeros ("0.5%"). */
function pct(v: number): string {
  return `${Number(v.toFixed(6)).toString().replace(/e.*$/, '')}%`;
}

/** tbf's bucket: 10 ms at the rate, at least 16000 bytes (a few full frames: less stalls a veth). */
export function tbfBurst(rateKbit: number): number {
  return Math.max(16000, Math.ceil((rateKbit * 1000) / 8 / 100));
}

function netemArgs(i: Impair): string[] {
  const out: string[] = [];
  if (set(i.delayMs)) {
    out.push('delay', micros(i.delayMs));
    if (set(i.jitterMs)) out.push(micros(i.jitterMs));
  }
  if (set(i.lossPct)) out.push('loss', pct(i.lossPct));
  if (set(i.duplicatePct)) out.push('duplicate', pct(i.duplicatePct));
  if (set(i.corruptPct)) out.push('corrupt', pct(i.corruptPct));
  if (set(i.reorderPct) && set(i.delayMs)) out.push('reorder', pct(i.reorderPct));
  return out;
}

export interface QdiscPlan {
  shape: QdiscShape;
  /** `tc` argv, root first: each a `tc qdisc replace`, so running them again changes values in place. */
  commands: string[][];
}

/** The tc commands that give interface `ifname` this impairment (undefined: nothing to do). */
export function qdiscPlan(ifname: string, i: Impair | undefined): QdiscPlan | undefined {
  if (!impairs(i)) return undefined;
  const netem = needsNetem(i) ? netemArgs(i) : undefined;
  if (!set(i.rateKbit)) {
    return { shape: 'netem', commands: [['tc', 'qdisc', 'replace', 'dev', ifname, 'root', 'handle', NETEM_ROOT_HANDLE, 'netem', ...netem!]] };
  }
  // latency bounds tbf's own queue (rate x 50 ms + burst); tc requires it or a limit.
  const tbf = ['tc', 'qdisc', 'replace', 'dev', ifname, 'root', 'handle', TBF_HANDLE, 'tbf', 'rate', `${Math.round(i.rateKbit)}kbit`, 'burst', String(tbfBurst(i.rateKbit)), 'latency', '50ms'];
  if (!netem) return { shape: 'tbf', commands: [tbf] };
  return {
    shape: 'tbf+netem',
    commands: [tbf, ['tc', 'qdisc', 'replace', 'dev', ifname, 'parent', `${TBF_HANDLE}1`, 'handle', NETEM_CHILD_HANDLE, 'netem', ...netem]],
  };
}

/** One line for plan descriptions and the inspector: "1000 kbit/s, delay 50 ms ±10 ms, loss 1%". */
export function describeImpair(i: Impair): string {
  const parts: string[] = [];
  if (set(i.rateKbit)) parts.push(`${i.rateKbit} kbit/s`);
  if (set(i.delayMs)) parts.push(`delay ${i.delayMs} ms${set(i.jitterMs) ? ` ±${i.jitterMs} ms` : ''}`);
  if (set(i.lossPct)) parts.push(`loss ${i.lossPct}%`);
  if (set(i.duplicatePct)) parts.push(`duplicate ${i.duplicatePct}%`);
  if (set(i.corruptPct)) parts.push(`corrupt ${i.corruptPct}%`);
  if (set(i.reorderPct)) parts.push(`reorder ${i.reorderPct}%`);
  return parts.join(', ');
}
