// What a pending rename does to the kernel's names: the netns names and interface names
// the plan would use before the edit and after it, where they differ. Both sides are the
// compiler's own output, so the preview is exactly what the plan will show.
import type { CompileResult } from '../../../shared/compile/compile';
import type { Design } from '../../../shared/model/schema';

export interface KernelNameChange {
  /** What the name belongs to: "netns" or the logical interface (e.g. "app1 uplink (b)"). */
  what: string;
  from: string;
  to: string;
}

function interfaceNames(r: CompileResult): Map<string, { logical: string; name: string }> {
  const out = new Map<string, { logical: string; name: string }>();
  if (!r.ok) return out;
  for (const h of r.plan.hosts) {
    for (const m of h.names) out.set(`${h.host.id}|${m.element}|${m.end ?? ''}`, { logical: m.logical, name: m.ns ? `${m.ifname} in ${m.ns}` : m.ifname });
  }
  return out;
}

export function kernelNameChanges(before: Design, beforePlan: CompileResult, after: Design, afterPlan: CompileResult): KernelNameChange[] {
  const out: KernelNameChange[] = [];
  const oldNs = new Map(before.namespaces.map((n) => [n.id, n.name]));
  for (const n of after.namespaces) {
    const was = oldNs.get(n.id);
    if (was !== undefined && was !== n.name) out.push({ what: 'netns', from: was, to: n.name });
  }
  const old = interfaceNames(beforePlan);
  for (const [key, now] of interfaceNames(afterPlan)) {
    const was = old.get(key);
    if (was && was.name !== now.name) out.push({ what: now.logical, from: was.name, to: now.name });
  }
  return out;
}
