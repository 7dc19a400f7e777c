// containerlab topology -> design (wireplan import --clab): the subset that maps back.
// Pure; the caller parses the YAML (the CLI uses js-yaml) and passes the raw text too, so
// the name map a Wireplan export writes in its header restores the design's interface
// and veth names.
//
//   kind: linux   -> a namespace; its exec lines that set addresses, MTU, MAC, routes and
//                    forwarding become the namespace's settings
//   kind: bridge  -> a bridge in the host's root namespace
//   links         -> veth pairs; "host:IF" is an end in the root namespace
//
// Anything else (other node kinds, exec lines it does not understand, link types other
// than veth, containerlab's management network) is listed in `notes`, never dropped silently.
import { importLayout } from '../observe/import-layout';
import { DESIGN_TAG, IFNAME, NETNS_NAME } from '../model/identifiers';
import { CURRENT_VERSION, type DesignInput } from '../model/schema';

export interface ClabImport {
  /** Unvalidated design input: the caller runs it through loadDesign (zod) and the validator. */
  design: DesignInput;
  notes: string[];
}

export interface ClabImportOptions {
  /** Design tag; default: the one a Wireplan export put in `name` ("TAG-HOST"), else "clab". */
  tag?: string;
  /** Design name; default "Imported from containerlab topology NAME". */
  name?: string;
}

type End = { at: string; ifname: string; addresses: string[]; mtu?: number; mac?: string };
type Route = { to: string; via?: string; dev?: string; metric?: number };

const HOST_ID = 'host';
/** The image Wireplan's export gives linux nodes (containerlab requires one). */
export const CLAB_PLACEHOLDER_IMAGE = 'alpine:3';
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "#   ns: designIf -> ethN (veth name)" lines of a Wireplan export's header. */
function headerNames(text: string): Map<string, { ifname: string; veth: string }> {
  const out = new Map<string, { ifname: string; veth: string }>();
  for (const line of text.split('\n')) {
    const m = /^# {3}(\S+): (\S+) -> (eth\d+) \((.*)\)$/.exec(line);
    if (m) out.set(`${m[1]}:${m[3]}`, { ifname: m[2]!, veth: m[4]! });
  }
  return out;
}

/** A link's two endpoints as "node:interface", in the brief or the extended veth form. */
function linkEndpoints(link: unknown): [string, string] | string {
  if (!isObj(link)) return 'not a mapping';
  if (link['type'] !== undefined && link['type'] !== 'veth') return `link type ${JSON.stringify(link['type'])} (only veth links map to veth pairs)`;
  const eps = link['endpoints'];
  if (!Array.isArray(eps) || eps.length !== 2) return 'a link needs exactly two endpoints';
  const one = (e: unknown): string | undefined => (typeof e === 'string' ? e : isObj(e) && typeof e['node'] === 'string' && typeof e['interface'] === 'string' ? `${e['node']}:${e['interface']}` : undefined);
  const a = one(eps[0]);
  const b = one(eps[1]);
  return a && b ? [a, b] : 'endpoints must be "node:interface" or {node, interface}';
}

export function containerlabToDesign(doc: unknown, text: string, opts: ClabImportOptions = {}): ClabImport {
  if (!isObj(doc)) throw new Error('not a containerlab topology: the file is not a YAML mapping');
  const topo = doc['topology'];
  if (!isObj(topo)) throw new Error('not a containerlab topology: it has no "topology" mapping');
  const rawNodes = topo['nodes'] ?? {};
  if (!isObj(rawNodes)) throw new Error('not a containerlab topology: "topology.nodes" is not a mapping');
  const labName = typeof doc['name'] === 'string' ? doc['name'] : 'lab';
  const notes: string[] = [];
  const fromName = /^([a-z][a-z0-9]{0,11})-(.+)$/.exec(labName);
  const tag = opts.tag ?? (fromName && DESIGN_TAG.test(fromName[1]!) ? fromName[1]! : 'clab');
  if (!DESIGN_TAG.test(tag)) throw new Error(`bad design tag ${JSON.stringify(tag)}: 1-12 lower-case letters and digits, starting with a letter`);
  const hostName = (fromName?.[2] ?? labName).slice(0, 64);
  const names = headerNames(text);
  const kindDefault = isObj(topo['defaults']) ? topo['defaults']['kind'] : undefined;
  if (doc['mgmt'] !== undefined) notes.push('mgmt: containerlab\'s management network is not carried over');

  const ids = new Set<string>([HOST_ID]);
  const newId = (prefix: string, name: string) => {
    const base = `${prefix}-${name.toLowerCase().replace(/[^a-z0-9_-]/g, '-')}`.slice(0, 28);
    let id = base;
    for (let i = 2; ids.has(id); i++) id = `${base}-${i}`;
    ids.add(id);
    return id;
  };
  const namespaces: { id: string; name: string; host: string; routes: Route[]; sysctls: { ipForward?: boolean; ipv6Forward?: boolean } }[] = [];
  const bridges: { id: string; name: string; at: string }[] = [];
  const place = new Map<string, { id: string; kind: 'linux' | 'bridge' }>();
  const execs = new Map<string, string[]>();
  for (const [node, raw] of Object.entries(rawNodes)) {
    const n = isObj(raw) ? raw : {};
    const kind = n['kind'] ?? kindDefault;
    if (kind === 'linux') {
      if (!NETNS_NAME.test(node)) {
        notes.push(`node ${node}: not a usable namespace name (letters, digits, '.', '_', '-'; at most 32)`);
        continue;
      }
      const id = newId('ns', node);
      namespaces.push({ id, name: node, host: HOST_ID, routes: [], sysctls: {} });
      place.set(node, { id, kind: 'linux' });
      const exec = n['exec'];
      execs.set(node, Array.isArray(exec) ? exec.filter((e): e is string => typeof e === 'string') : []);
      // A namespace has no image: only Wireplan's own placeholder image goes without a note.
      if (n['image'] !== undefined && n['image'] !== CLAB_PLACEHOLDER_IMAGE) notes.push(`node ${node}: "image" is not carried over (a namespace runs the host's own programs)`);
      for (const k of Object.keys(n)) if (!['kind', 'image', 'exec'].includes(k)) notes.push(`node ${node}: "${k}" is not carried over`);
    } else if (kind === 'bridge') {
      if (!IFNAME.test(node)) {
        notes.push(`node ${node}: not a usable bridge name (an interface name of at most 15 bytes)`);
        continue;
      }
      const id = newId('br', node);
      bridges.push({ id, name: node, at: HOST_ID });
      place.set(node, { id, kind: 'bridge' });
    } else notes.push(`node ${node}: kind ${JSON.stringify(kind ?? 'none')} has no Wireplan equivalent (only linux and bridge nodes map back)`);
  }

  // Links: veth pairs, interface names restored from the header's name map where given.
  const veths: { id: string; name: string; a: End; b: End }[] = [];
  const ends = new Map<string, End>(); // "node:ifname as containerlab names it" -> end
  const links = topo['links'] ?? [];
  for (const [i, link] of (Array.isArray(links) ? links : []).entries()) {
    const eps = linkEndpoints(link);
    if (typeof eps === 'string') {
      notes.push(`link ${i + 1}: ${eps}`);
      continue;
    }
    const made = eps.map((ep) => {
      const c = ep.indexOf(':');
      const node = ep.slice(0, c);
      const ifname = ep.slice(c + 1);
      const mapped = names.get(ep);
      const kernel = mapped?.ifname ?? ifname;
      if (c <= 0 || !IFNAME.test(kernel)) return `endpoint ${ep}: not "node:interface" with a usable interface name`;
      if (node === 'host') return { at: HOST_ID, ifname: kernel, addresses: [] } as End;
      const p = place.get(node);
      if (!p) return `endpoint ${ep}: node ${node} is not carried over`;
      return { at: p.id, ifname: kernel, addresses: [] } as End;
    });
    const [a, b] = made;
    if (typeof a === 'string' || typeof b === 'string') {
      notes.push(`link ${eps.join(' - ')}: ${[a, b].filter((x) => typeof x === 'string').join('; ')}`);
      continue;
    }
    const vethName = names.get(eps[0])?.veth ?? names.get(eps[1])?.veth ?? `${eps[0].split(':')[0]}-${eps[1].split(':')[0]}`;
    veths.push({ id: newId('veth', vethName), name: vethName.slice(0, 64), a: a!, b: b! });
    ends.set(eps[0], a!);
    ends.set(eps[1], b!);
  }

  // exec lines: what they set on the namespace's interfaces, routes and sysctls.
  for (const ns of namespaces) {
    const ifnameOf = (clabIf: string) => ends.get(`${ns.name}:${clabIf}`)?.ifname ?? clabIf;
    for (const line of execs.get(ns.name) ?? []) {
      const w = line.trim().split(/\s+/);
      const end = (clabIf: string | undefined) => (clabIf ? ends.get(`${ns.name}:${clabIf}`) : undefined);
      let m: RegExpExecArray | null;
      if (w[0] === 'ip' && w[1] === 'addr' && w[2] === 'add' && w[4] === 'dev' && w.length === 6 && end(w[5])) end(w[5])!.addresses.push(w[3]!);
      else if (w[0] === 'ip' && w[1] === 'link' && w[2] === 'set' && w[4] === 'mtu' && w.length === 6 && end(w[3]) && /^\d+$/.test(w[5]!)) end(w[3])!.mtu = Number(w[5]);
      else if (w[0] === 'ip' && w[1] === 'link' && w[2] === 'set' && w[4] === 'address' && w.length === 6 && end(w[3])) end(w[3])!.mac = w[5]!;
      else if (line.trim() === 'sysctl -w net.ipv4.ip_forward=1') ns.sysctls.ipForward = true;
      else if (line.trim() === 'sysctl -w net.ipv6.conf.all.forwarding=1') ns.sysctls.ipv6Forward = true;
      else if (/^ip (-6 )?route del default$/.test(line.trim())) continue; // containerlab's default via eth0 (management)
      else if ((m = /^ip (?:-6 )?route add (\S+)((?: (?:via|dev|metric) \S+)*)$/.exec(line.trim()))) {
        const r: Route = { to: m[1]! };
        const opt = (m[2] ?? '').trim().split(/\s+/).filter(Boolean);
        for (let k = 0; k < opt.length; k += 2) {
          if (opt[k] === 'via') r.via = opt[k + 1]!;
          else if (opt[k] === 'dev') r.dev = ifnameOf(opt[k + 1]!);
          else if (opt[k] === 'metric') r.metric = Number(opt[k + 1]);
        }
        ns.routes.push(r);
      } else notes.push(`node ${ns.name}: exec line not carried over: ${line}`);
    }
  }

  const base = {
    hosts: [{ id: HOST_ID, name: hostName, target: { kind: 'sandbox' as const }, nics: [], routes: [], sysctls: { interfaces: [] } }],
    namespaces: namespaces.map((n) => ({ ...n, loopback: true, programs: [] })),
    bridges: bridges.map((b) => ({ ...b, addresses: [], up: true, stp: false, vlanFiltering: false, nics: [] })),
    macvlans: [],
    vlans: [],
    vxlans: [],
    masquerades: [],
    portForwards: [],
    policies: [],
  };
  notes.push(`host ${hostName} targets the local sandbox: point it at a real host (Hosts panel, or --ssh when applying)`);
  return {
    design: {
      wireplan: CURRENT_VERSION,
      tag,
      name: (opts.name ?? `Imported from containerlab topology ${labName}`).slice(0, 128),
      description: `Imported by Wireplan from the containerlab topology "${labName}".`,
      ...base,
      veths: veths.map((v) => ({ ...v, a: { ...v.a, up: true }, b: { ...v.b, up: true } })),
      layout: importLayout(base),
    },
    notes,
  };
}
