// Canvas positions for elements that no longer exist: harmless, but a sign of an edit
// that went wrong (or a hand-edited file). Veth ends may be placed as "<id>.a"/"<id>.b".
import { warning, type Finding, type Rule } from '../rule';

export const layout: Rule = ({ design, index }) => {
  const out: Finding[] = [];
  const exists = (key: string) => index.byId.has(key) || (/\.(a|b)$/.test(key) && index.get('veths', key.slice(0, -2)) !== undefined);
  for (const part of ['nodes', 'frames'] as const) {
    for (const key of Object.keys(design.layout[part]).sort()) {
      if (!exists(key)) out.push(warning('dangling-layout', undefined, `layout.${part}.${key}`, `the layout has a position for "${key}", which is not an element of the design`, 'save the design again from Wireplan to drop stale layout entries'));
    }
  }
  return out;
};
