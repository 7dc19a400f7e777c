// Link impairments (docs/impairments.md): values tc can take and that mean something.
// Each impossible value gets its own message naming the field and the allowed range, so
// the inspector can point at it; netem options that only work on top of a delay say so.
import { IMPAIR_FIELDS, IMPAIR_LIMITS } from '../../compile/impair';
import type { Impair, Veth } from '../../model/schema';
import { error, warning, type Finding } from '../rule';
import type { Rule } from '../rule';

function checkOne(v: Veth, impair: Impair, path: string, where: string, out: Finding[]): void {
  const field = (k: string) => `${path}impair.${k}`;
  for (const k of IMPAIR_FIELDS) {
    const value = impair[k];
    if (value === undefined) continue;
    const { min, max, unit } = IMPAIR_LIMITS[k];
    if (!Number.isFinite(value)) {
      out.push(error('impair-range', v.id, field(k), `${where}: ${k} is not a number`, `enter a number from ${min} to ${max} ${unit}`));
    } else if (value < 0) {
      out.push(error('impair-range', v.id, field(k), `${where}: ${k} ${value} is negative`, `enter a number from ${min} to ${max} ${unit}`));
    } else if (k === 'rateKbit' && value < min) {
      out.push(error('impair-range', v.id, field(k), `${where}: a rate of ${value} kbit/s is below ${min} kbit/s (one full-size frame would take over a second)`, `use at least ${min} kbit/s, or remove the rate`));
    } else if (value > max) {
      const why = unit === '%' ? `more than ${max}%` : `more than ${max} ${unit}`;
      out.push(error('impair-range', v.id, field(k), `${where}: ${k} ${value} is ${why}`, `enter a number from ${min} to ${max} ${unit}`));
    }
  }
  const delay = impair.delayMs ?? 0;
  if ((impair.jitterMs ?? 0) > 0 && !(delay > 0)) {
    out.push(error('impair-needs-delay', v.id, field('jitterMs'), `${where}: jitter ${impair.jitterMs} ms without a delay (netem varies a delay; there is none to vary)`, 'set a delay, or remove the jitter'));
  }
  if ((impair.reorderPct ?? 0) > 0 && !(delay > 0)) {
    out.push(error('impair-needs-delay', v.id, field('reorderPct'), `${where}: reordering ${impair.reorderPct}% without a delay (netem reorders by sending some packets ahead of the delayed ones)`, 'set a delay, or remove the reordering'));
  }
  if ((impair.jitterMs ?? 0) > delay && delay > 0) {
    out.push(warning('impair-needs-delay', v.id, field('jitterMs'), `${where}: jitter ${impair.jitterMs} ms is larger than the delay ${delay} ms; delays below zero become zero and packets are reordered`, `use a jitter of at most ${delay} ms`));
  }
}

/** An impairment object with at least one field (the inspector leaves `{}` behind when all are cleared). */
const given = (i: Impair | undefined): i is Impair => i !== undefined && Object.values(i).some((x) => x !== undefined);

export const impairments: Rule = ({ design }) => {
  const out: Finding[] = [];
  for (const v of design.veths) {
    if (v.impair) checkOne(v, v.impair, '', `link "${v.name}"`, out);
    for (const end of ['a', 'b'] as const) {
      const own = v[end].impair;
      if (!own) continue;
      checkOne(v, own, `${end}.`, `link "${v.name}" end ${end}`, out);
      if (given(v.impair) && given(own)) {
        out.push(error('impair-both', v.id, `${end}.impair`, `link "${v.name}" has impairments on the whole link and on end ${end}; which apply to end ${end} is ambiguous`, `set them on the link (both directions) or on its ends (one direction each), not both`));
      }
    }
  }
  return out;
};
