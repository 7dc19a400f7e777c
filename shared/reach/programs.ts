// The design's programs as the connectivity check sees them (docs/programs.md): a TCP port
// a program of a namespace serves is checked against that program, not a listener of the
// check's own (which could not bind there anyway while the program runs).
import type { Design } from '../model/schema';
import type { ListenerSpec } from './types';

/** "hostId|ns|port" -> the program's name. */
export function programPorts(design: Design): Map<string, string> {
  const out = new Map<string, string>();
  for (const ns of design.namespaces) {
    for (const p of ns.programs) for (const port of p.ports) out.set(`${ns.host}|${ns.name}|${port}`, p.name);
  }
  return out;
}

/** The program serving a listener's namespace and port, if the design has one. */
export function programFor(ports: ReadonlyMap<string, string>, l: ListenerSpec): string | undefined {
  return ports.get(`${l.scope.hostId}|${l.scope.ns}|${l.port}`);
}
