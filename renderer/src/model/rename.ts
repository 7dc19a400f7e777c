// Renaming an element: the names derived from its name follow it. Its id never changes
// (ids are the keys of references and of ownership tags on hosts, and never shown).
import type { Design } from '../../../shared/model/schema';
import { lookup } from './lookup';
import { distinctName, ifnameFragment, ifnameWithSuffix } from './names';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * After an element's name changed from `oldName` to `newName`: the names Wireplan derived
 * from it follow, unless they were set by hand (no longer look derived). A link's name
 * ("ns1-br0", "ns1-br0-2") and the kernel names made for the element's links on the other
 * side ("v-ns1", "v-ns1-2") change with it.
 */
export function propagateName(design: Design, id: string, oldName: string, newName: string): Design {
  if (!oldName || oldName === newName) return design;
  const { byId } = lookup(design);
  const nameOf = (ref: string) => (byId.get(ref)?.element as { name?: string } | undefined)?.name ?? '';
  const taken = new Set(design.veths.map((v) => v.name));
  const oldFrag = ifnameFragment(oldName);
  const newFrag = ifnameFragment(newName);
  let changed = false;
  const veths = design.veths.map((v) => {
    let out = v;
    const mine = v.a.at === id ? 'a' : v.b.at === id ? 'b' : undefined;
    if (!mine) return v;
    const other = mine === 'a' ? 'b' : 'a';
    const otherName = nameOf(v[other].at);
    // The link's own name.
    for (const [from, to] of [
      [`${oldName}-${otherName}`, `${newName}-${otherName}`],
      [`${otherName}-${oldName}`, `${otherName}-${newName}`],
    ] as const) {
      const m = new RegExp(`^${escapeRe(from)}(-\\d+)?$`).exec(v.name);
      if (m) {
        taken.delete(v.name);
        const base = `${to}`.slice(0, 60);
        let name = `${base}${m[1] ?? ''}`;
        if (taken.has(name)) name = distinctName(base, taken);
        taken.add(name);
        out = { ...out, name };
        break;
      }
    }
    // The kernel name at the other end, made from this element's name.
    const ifname = v[other].ifname;
    if (ifname) {
      for (const suffix of ['', ...Array.from({ length: 30 }, (_, i) => `-${i + 2}`)]) {
        if (ifname !== ifnameWithSuffix(`v-${oldFrag}`, suffix)) continue;
        out = { ...out, [other]: { ...out[other], ifname: ifnameWithSuffix(`v-${newFrag}`, suffix) } };
        break;
      }
    }
    if (out !== v) changed = true;
    return out;
  });
  return changed ? { ...design, veths } : design;
}

/** What a rename of element `id` would carry along (for the inspector's preview). */
export function followingNames(design: Design, id: string): string[] {
  const self = lookup(design).byId.get(id)?.element as { name?: string } | undefined;
  if (!self?.name) return [];
  // Rename to a marker and see what changed.
  const after = propagateName(design, id, self.name, `${self.name}x`);
  const out: string[] = [];
  design.veths.forEach((v, i) => {
    const w = after.veths[i]!;
    if (w.name !== v.name) out.push(`link "${v.name}"`);
    for (const end of ['a', 'b'] as const) if (w[end].ifname !== v[end].ifname && v[end].ifname) out.push(`kernel name ${v[end].ifname}`);
  });
  return out;
}
