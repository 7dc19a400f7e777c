// The compiled plan: per host, an ordered list of steps as data. Export turns it into a
// bash script; apply (electron/backend) ships that script and reads its step markers;
// reconcile compares each step's probe with observed state.

/** One command as an argument vector. argv[0] is a tool or a wp_* helper of the script runtime. */
export type Argv = readonly string[];

/** A command and the namespace it runs in ("" = the host's root namespace). */
export interface Command {
  ns: string;
  argv: Argv;
}

/**
 * Properties of an interface that a step sets and its probe checks (absent: not designed).
 * The runtime sets drifted ones in place (`ip link set dev IF mtu M address MAC`).
 */
export interface LinkProps {
  mtu?: number;
  /** Lower-case MAC address. */
  mac?: string;
}

/** Where the other end of a veth must be: its namespace, kernel name and ownership tag. */
export interface LinkRef {
  ns: string;
  ifname: string;
  owner: string;
}

/**
 * How to tell whether a step's effect is already on the host, without running it.
 * The script runtime and the backend's reconcile both evaluate these.
 */
export type Probe =
  | { type: 'netns'; name: string; owner: string }
  | ({ type: 'link'; ns: string; ifname: string; owner: string; peer?: LinkRef } & LinkProps)
  /** The ownership tag on an interface created by an earlier step (a veth peer, a namespace's lo). */
  | ({ type: 'alias'; ns: string; ifname: string; owner: string } & LinkProps)
  | { type: 'link-state'; ns: string; ifname: string; master?: string; up: boolean }
  | { type: 'addr'; ns: string; ifname: string; cidr: string }
  | { type: 'route'; ns: string; to: string; via?: string; dev?: string; metric?: number; takeOver?: true }
  | { type: 'sysctl'; ns: string; key: string; value: string }
  | { type: 'nft'; ns: string; table: string; digest: string }
  | { type: 'bridge-vlan'; ns: string; ifname: string; pvid: number }
  /**
   * Wireplan's qdiscs on an interface (link impairments, compile/impair.ts): the shape the
   * runtime finds by handle, and the digest of the tc commands it recorded after running them.
   */
  | { type: 'qdisc'; ns: string; ifname: string; shape: 'tbf' | 'netem' | 'tbf+netem'; digest: string }
  /**
   * A program running in `ns` under this design (docs/programs.md), started from the
   * command line whose digest this is: another digest means the design changed it.
   */
  | { type: 'program'; ns: string; name: string; digest: string };

export type StepKind = Probe['type'];

export interface Step {
  /** Stable, unique within the plan: "<kind>:<ns>:<object>". */
  id: string;
  kind: StepKind;
  /** Design element the step realises. */
  element: string;
  /** Netns name the commands run in; "" is the host's root namespace. */
  ns: string;
  description: string;
  do: Command[];
  /** Inverse commands (used by rollback and destroy). */
  undo: Command[];
  /**
   * Ids of steps whose undo also removes this step's effect (an address dies with its
   * interface, everything inside a namespace dies with it). Destroy skips this step's
   * undo when one of them is being undone anyway; that keeps teardown to one command
   * per namespace.
   */
  coveredBy: string[];
  probe: Probe;
}

/** Logical element -> kernel interface name, shown to the user. */
export interface NameMapping {
  element: string;
  /** "a"/"b" for veth ends; absent otherwise. */
  end?: 'a' | 'b';
  logical: string;
  /** Netns name, "" for the root namespace. */
  ns: string;
  ifname: string;
}

export interface HostPlan {
  host: { id: string; name: string };
  steps: Step[];
  names: NameMapping[];
  /** Root-namespace sysctls this plan writes; their prior values are recorded on the host and restored. */
  restoredSysctls: string[];
  /** Netns names this plan creates, in creation order. */
  namespaces: string[];
  /** Hex digest of the canonical plan text; a stale plan (hash mismatch) is refused. */
  hash: string;
}

export interface Plan {
  design: { name: string; tag: string };
  wireplanVersion: string;
  hosts: HostPlan[];
}
