// Where a shell opened on a design element runs: a namespace's shell runs inside its
// network namespace on its host; a host's runs in the host's root namespace. Shared by
// the backend (which opens it), the CLI (`wireplan shell FILE NAMESPACE`) and the canvas
// (which elements offer "Open shell").
import type { Design, Host } from './schema';

export type ShellTarget = { host: Host; namespace?: string; title: string } | { error: string };

export function shellTarget(design: Design, elementId: string): ShellTarget {
  const ns = design.namespaces.find((n) => n.id === elementId);
  if (ns) {
    const host = design.hosts.find((h) => h.id === ns.host);
    if (!host) return { error: `namespace ${ns.name} is on host ${ns.host}, which the design does not have` };
    return { host, namespace: ns.name, title: `${ns.name} on ${host.name}` };
  }
  const host = design.hosts.find((h) => h.id === elementId);
  if (host) return { host, title: `${host.name} (root namespace)` };
  return { error: `a shell opens on a namespace or a host; the design has none with id ${JSON.stringify(elementId)}` };
}

/** The same, by the name the user types on the command line (a namespace name, or a host's id or name). */
export function shellTargetByName(design: Design, name: string): ShellTarget {
  const byName = design.namespaces.filter((n) => n.name === name);
  if (byName.length > 1) return { error: `${byName.length} namespaces are named ${name} (on hosts ${byName.map((n) => n.host).join(', ')}); give the namespace's id instead` };
  if (byName[0]) return shellTarget(design, byName[0].id);
  const hostByName = design.hosts.find((h) => h.name === name);
  if (hostByName) return shellTarget(design, hostByName.id);
  const t = shellTarget(design, name);
  if ('error' in t) {
    const names = design.namespaces.map((n) => n.name);
    return { error: `the design has no namespace or host ${JSON.stringify(name)}${names.length ? ` (namespaces: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''})` : ''}` };
  }
  return t;
}
