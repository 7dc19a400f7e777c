// Builders for renderer unit tests: designs made through the same operations the UI uses.
import type { Design } from '../../../shared/model/schema';
import { connect } from './connect';
import { addNode } from './create';
import { emptyDesign } from './empty';
import type { NodeKind } from './kinds';

export function build(steps: ({ add: NodeKind; at?: [number, number]; host?: string } | { connect: [string, string] })[]): Design {
  let d = emptyDesign('test');
  let n = 0;
  for (const s of steps) {
    if ('add' in s) {
      const [x, y] = s.at ?? [100 + 180 * (n % 3), 120 + 90 * Math.floor(n / 3)];
      n++;
      d = addNode(d, s.add, { x, y }, s.host).design;
    } else {
      const r = connect(d, s.connect[0], s.connect[1]);
      if (!r.ok) throw new Error(r.reason);
      d = r.design;
    }
  }
  return d;
}
