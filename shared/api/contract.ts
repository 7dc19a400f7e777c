// The ONE interface between the renderer and the backend (DESIGN.md §2).
// Methods return promises; events are `onX(listener) => unsubscribe`; every argument and
// result is plain, structured-cloneable data (no functions, no class instances).
// The Electron preload exposes exactly these names as `window.wireplan`; the main side
// checks the sender and validates every argument. In a plain browser (tests, dev) the
// renderer uses a browser-local implementation of the same interface.

import type { CheckReport } from '../reach/report';
import type { CaptureEvent, CaptureRequest, CaptureStart, OpenInWiresharkResult } from './capture';

export type { CaptureEvent, CaptureRequest, CaptureStart, OpenInWiresharkResult, PacketRow } from './capture';

// ---------------------------------------------------------------- files

/**
 * Which contents of a file the app has seen: its modification time and a SHA-256 of its
 * bytes. openDesign returns it and saveDesign takes it back as a precondition; the file
 * counts as changed on disk when its bytes differ (a mere touch is not a change).
 */
export interface FileVersion {
  /** Milliseconds since the epoch (fractional where the file system has it). */
  mtimeMs: number;
  size: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
}

export type OpenResult =
  /** `version`: absent only in the browser-only preview, which cannot see the disk. */
  | { ok: true; path: string; text: string; version?: FileVersion }
  | { ok: false; canceled: true }
  | { ok: false; canceled: false; error: string };

/**
 * What a save may replace (saveDesign's precondition):
 * - `{ ifVersion }`: the file must still hold the contents of that version (or, with
 *   `null`, must not exist yet); otherwise the save is refused with a `conflict`.
 * - `{ overwrite: true }`: replace whatever is there (the user chose Overwrite).
 * Omitted: the same as `{ ifVersion: null }`, so a save never silently replaces a file
 * the app has not seen.
 */
export type SaveCondition = { ifVersion: FileVersion | null } | { overwrite: true };

export type SaveResult =
  | { ok: true; path: string; version?: FileVersion; backup?: string }
  | { ok: false; canceled: true }
  /**
   * `conflict`: saveDesign's precondition failed: the file changed on disk (`current` is
   * what is there now), appeared, or was deleted (`current` absent) since it was read.
   * `exists`: exportFile would replace an existing file; ask the user, then call again
   * with `overwrite: true`.
   */
  | { ok: false; canceled: false; error: string; reason?: 'conflict' | 'exists'; path?: string; current?: FileVersion };

export interface RecentFile {
  path: string;
  /** Display name (file name without folders). */
  name: string;
  /** ISO 8601 time of the last open or save. */
  openedAt: string;
}

export interface AutosaveEntry {
  /** Serialized design (what Save would write). */
  text: string;
  /** The file the unsaved design belongs to, if it was ever saved or opened. */
  path?: string;
  /** ISO 8601 time the entry was written. */
  savedAt: string;
  /** The version of `path` the unsaved changes were made on (a later save checks it). */
  version?: FileVersion;
}

/** Anything the user exports from the app: a script, a diagram. */
export interface ExportFileRequest {
  suggestedName: string;
  /** Text (script, SVG) or bytes (PNG). */
  data: string | Uint8Array;
  mimeType: string;
  /** The user confirmed replacing an existing file of that name (after an `exists` answer). */
  overwrite?: boolean;
  /**
   * Where to write, chosen in the page's own Save dialog (headless mode only): a path in the
   * workspace, relative to it. Without it the backend's dialog picks the place.
   */
  path?: string;
}

/**
 * The folders of the headless workspace, for the page's own Save dialogs (the desktop app
 * has native dialogs and answers with an error). `folders` are relative to `root`, with ""
 * for the workspace itself; hidden folders and symbolic links are left out.
 */
export type FolderListResult = { ok: true; root: string; folders: string[] } | { ok: false; error: string };

// ---------------------------------------------------------------- examples

export interface ExampleInfo {
  /** Stable id: the file name without `.wireplan.json`. */
  id: string;
  /** Design name from the file. */
  title: string;
  description?: string;
}

export type ReadExampleResult = { ok: true; text: string } | { ok: false; error: string };

// ---------------------------------------------------------------- hosts

export interface SshTarget {
  address: string;
  port: number;
  user: string;
  keyPath?: string;
  /** An OpenSSH config Host alias: HostName, User, Port and keys come from the ssh config. */
  alias?: string;
  /** Jump hosts, `user@jump[:port],...` (as ssh -J). */
  jump?: string;
  /** The inventory server these fields came from: a key trusted in the test is recorded in its entry. */
  server?: string;
}

/** Forgetting an inventory server's trusted host key (`endpoint`: host:port as filed in known_hosts). */
export type ForgetServerKeyResult = { ok: true; removed: number; endpoint: string } | { ok: false; error: string };

/** One server of the inventory kept apart from designs (hosts.json in the config folder). */
export interface InventoryServer {
  name: string;
  /** An address, or an ssh config alias when user and port are absent. */
  target: string;
  user?: string;
  port?: number;
  jump?: string;
  keyPath?: string;
  sudo: 'none' | 'nopasswd' | 'password';
  fingerprints: string[];
}

export type ConnectionTestResult =
  | {
      ok: true;
      /** OpenSSH style: "SHA256:" + unpadded base64 of the host key hash. */
      fingerprint: string;
      /** Key type, e.g. "ssh-ed25519". */
      keyType: string;
      /** Whether the fingerprint matches the one stored for this host. */
      known: boolean;
      latencyMs: number;
      /** How the login becomes root: it is root, sudo without a password, or sudo with the password given (kept for the session). */
      sudo?: 'root' | 'nopasswd' | 'password';
      /** How an alias was resolved from the ssh config, and by what (`ssh -G` or the built-in parser). */
      resolvedBy?: string;
      /** Where a secret given with the test was kept (see ConnectionTestOptions.rememberSecret). */
      secretStored?: 'encrypted' | 'plaintext' | 'session';
      /** With a sudo password: where it is kept now; `keychainRefused` says why not in the keychain when that was asked. */
      sudoStored?: 'keychain' | 'session';
      keychainRefused?: string;
    }
  | {
      ok: false;
      error: string;
      fingerprint?: string;
      /** Key type of the offered host key, when the failure is about an untrusted key. */
      keyType?: string;
      /** Set when the host offered a key nobody has trusted yet: ask, then test again with trustFingerprint. */
      hostKeyUnknown?: boolean;
      /** sudo wants a password (none given, or the one given was refused): ask, then test again with sudoPassword. */
      needsSudoPassword?: boolean;
      /** A secret is missing or wrong: the key's passphrase, or the login password. */
      needsSecret?: 'passphrase' | 'password';
    };

/** Optional inputs of a connection test (all additive; an empty object is the plain test). */
export interface ConnectionTestOptions {
  /**
   * The fingerprint the user approved for a host key that was not known. It is recorded in
   * Wireplan's known_hosts only if the host really offers that key.
   */
  trustFingerprint?: string;
  /** The key file's passphrase (with keyPath), or the login password (without). */
  secret?: string;
  /**
   * Keep the secret for later connections. It is stored encrypted by the OS keyring; on a
   * system whose only backend is plain text it is kept for this session only, unless the
   * user explicitly accepted plain-text storage.
   */
  rememberSecret?: boolean;
  /**
   * The login user's sudo password: checked on the host (sudo -S, on stdin only) before it is
   * accepted, then kept in memory for this session for every run on this login. Never stored.
   */
  sudoPassword?: string;
  /** Also store the sudo password in the OS keychain (never in plain text; refused, with the reason, where there is none). */
  rememberSudoPassword?: boolean;
}

/** Import from host: read one host of the open design as it really is now. */
export interface ImportHostRequest {
  /** The open design: the host is reached as it would be for a run (its sandbox is the design's own). */
  designText: string;
  hostId: string;
}

export type ImportHostResult =
  | {
      ok: true;
      /** The observed host as a serialized design. */
      text: string;
      /** What could not be modelled, and what was changed on the way (host data: render as text). */
      notes: { level: 'warning' | 'info'; message: string }[];
      /** What was imported, by kind. */
      counts: Record<string, number>;
    }
  | { ok: false; error: string };

// ---------------------------------------------------------------- sudo before a run

/**
 * Asked before a run (the apply dialog's sudo prompt): how a design host's login becomes
 * root. With `password`, that sudo password is first checked on the host (sudo -S, on
 * stdin only), then kept in memory for this session for every run on this login.
 */
export interface SudoRequest {
  designText: string;
  hostId: string;
  password?: string;
  /** Also store it in the OS keychain (Electron safeStorage). Never in plain text: where there is no keychain it is refused, with the reason. */
  remember?: boolean;
}

/** Whether this Wireplan can store a sudo password in the OS keychain, and if not, why. */
export type KeychainState = { available: true } | { available: false; reason: string };

export type SudoResult =
  | {
      ok: true;
      /** root: logs in as root; local: a sandbox, no login at all. */
      sudo: 'root' | 'nopasswd' | 'password' | 'local';
      /** With a password: where it is kept now. */
      stored?: 'keychain' | 'session';
      /** remember was asked but there is no keychain: why (the password is kept for the session only). */
      keychainRefused?: string;
    }
  | {
      ok: false;
      error: string;
      /** sudo wants a password (none known, or the one given was refused): ask, then call again with it. */
      needsSudoPassword?: boolean;
      keychain?: KeychainState;
    };

// ---------------------------------------------------------------- apply / destroy

export interface ApplyRequest {
  /** Serialized design: the backend recompiles it and never runs a plan it was sent. */
  designText: string;
  /** Hosts to touch; all hosts of the design when omitted. */
  hostIds?: string[];
  /** Plan hash per host as previewed by the renderer; a mismatch refuses the run. */
  planHashes: Record<string, string>;
  /** Keep completed steps after a failure instead of rolling them back. */
  keepPartial?: boolean;
  /**
   * Allow steps that touch the management path (the interface and route carrying the SSH
   * session). Accepted only together with confirmWithinS, so an unconfirmed change reverts.
   */
  allowManagementChange?: boolean;
  /**
   * Commit-confirmed: each host arms a timer before the run and, once the run has ended,
   * undoes it by itself unless the backend confirms over a FRESH connection within this
   * many seconds (CONFIRM_WITHIN_S bounds). Required for allowManagementChange.
   */
  confirmWithinS?: number;
  /**
   * After every host converged, install the exported script and wireplan-TAG.service on
   * each host and enable the unit, so the lab is rebuilt at boot (SSH hosts only).
   */
  persist?: boolean;
}

/** Bounds of ApplyRequest.confirmWithinS (whole seconds), the same as the CLI's --confirm-within. */
export const CONFIRM_WITHIN_S = { min: 1, max: 3600 } as const;

export interface DestroyRequest {
  designText: string;
  hostIds?: string[];
}

export type RunStart = { ok: true; runId: string } | { ok: false; error: string };

export type RunPhase = 'preflight' | 'running' | 'rolling-back' | 'verifying' | 'done' | 'failed' | 'canceled';

/** Streamed while a run is under way: one event per step marker or phase change. */
export interface RunProgressEvent {
  runId: string;
  hostId: string;
  kind: 'apply' | 'destroy';
  phase: RunPhase;
  /** Step id from the plan, when the event is about a step. */
  stepId?: string;
  stepIndex?: number;
  stepCount?: number;
  status?: 'started' | 'ok' | 'failed' | 'skipped' | 'rolled-back';
  message?: string;
  /** Command output (stderr first) for a failed step. */
  output?: string;
  /** On a host's final event ('done' / 'failed'): how the run ended, as data. */
  outcome?: RunOutcome;
  /** ISO 8601. */
  at: string;
}

/** What apply with `persist` installed on a host (its boot unit), or why it could not. */
export type RunPersist = { ok: true; unit: string; wants: string; script: string } | { ok: false; error: string };

/** A step a run stopped at (1-based index in the host's plan). */
export interface RunFailedStep {
  index: number;
  stepId: string;
  description: string;
}

/**
 * How one host's apply or destroy ended (the final event's `outcome`). The final event's
 * phase follows from it: 'done' for converged/removed, 'canceled' for canceled, else 'failed'.
 */
export type RunOutcome =
  /** `confirmed`: a confirm window was used and a fresh connection confirmed it. */
  | { kind: 'converged'; changed: number; nothingToDo: boolean; pruned: string[]; warnings?: string[]; confirmed?: boolean; persist?: RunPersist }
  | { kind: 'removed'; undone: number; nothingToDo: boolean; pruned: string[]; warnings?: string[] }
  | { kind: 'rolled-back' | 'partial'; failedStep?: RunFailedStep; output: string; warnings?: string[] }
  | { kind: 'locked'; holder: string }
  /** `managementPath`: refused because the plan touches the SSH session's interface or route (a confirm window would allow it). */
  | { kind: 'refused'; reasons: string[]; managementPath?: boolean; warnings?: string[] }
  /** Undone by Wireplan after the run because another host of the same run failed. */
  | { kind: 'reverted'; reason: string }
  /** Commit-confirmed: no confirmation arrived within the window, and the host undid this run by itself. */
  | { kind: 'reverted-by-timer'; reason: string; confirmWithinS?: number; warnings?: string[] }
  /**
   * The user canceled. `startedOnHost`: the on-host run had begun; it goes on there and
   * converges or rolls back by itself (Wireplan only stopped following it). Else nothing changed.
   */
  | { kind: 'canceled'; startedOnHost: boolean; detail: string }
  /** Applied, but observing the host afterwards still differs from the plan (after bounded re-checks). */
  | { kind: 'drifted'; changed: number; differences: { stepId: string; index: number; description: string; state: 'present' | 'missing' | 'drifted' | 'foreign'; detail?: string }[]; warnings?: string[] }
  | { kind: 'failed'; error: string };

// ---------------------------------------------------------------- live status

export type HostConnection = 'disconnected' | 'connecting' | 'connected' | 'error' | 'rebooted';

export interface HostStatus {
  hostId: string;
  connection: HostConnection;
  /** Kernel boot id; a change means the host rebooted since the last observation. */
  bootId?: string;
  /** ISO 8601 time of the last full observation. */
  observedAt?: string;
  error?: string;
  /** With connection 'rebooted': the boot id seen before the reboot. */
  previousBootId?: string;
  /** The design's boot unit (wireplan-TAG.service, apply with persist) is installed and enabled: the host rebuilds it at boot. */
  persistent?: boolean;
  /**
   * Objects on the host that are not Wireplan's but matter to the design (an nft table in
   * a router namespace, an untagged interface inside one of the design's namespaces...).
   * Host data: render as text.
   */
  foreign?: string[];
  /**
   * How changes reach the app: 'events' (ip/nft monitor, within a fraction of a second) or
   * 'polling' (only at the full-poll cadence, e.g. while the monitor channel restarts).
   */
  updates?: 'events' | 'polling';
  /** Design namespaces whose changes are only seen at the poll cadence (no nsid in the root). */
  polledOnly?: string[];
  /** Non-fatal observation problems (a tool missing, a namespace that could not be read). */
  warnings?: string[];
}

/** State of one design element (or veth end) as observed on its host. */
export type ElementPresence = 'present' | 'missing' | 'drifted' | 'unknown' | 'foreign';

/** Packet/byte counters of the firewall rules one element owns (by rule comment). */
export interface RuleCounter {
  /** nft chain (or iptables chain) holding the rule. */
  chain: string;
  /** The rule as the host prints it (host data: render as text). */
  rule: string;
  /** Absent when the rule has no counter statement. */
  packets?: number;
  bytes?: number;
  /** Per second, from the previous observation of the same rule. */
  packetRate?: number;
  byteRate?: number;
}

export interface ElementStatus {
  /** Design element id; veth ends are "<id>.a" / "<id>.b". */
  elementId: string;
  presence: ElementPresence;
  operState?: 'up' | 'down' | 'unknown';
  /** Bytes per second, from counters. */
  rxRate?: number;
  txRate?: number;
  /** Human-readable differences from the design. */
  drift?: string[];
  /** Firewall elements (masquerade, port forward, policy): their rules' counters. */
  rules?: RuleCounter[];
  /** Namespaces with programs (docs/programs.md): each one's state on the host. */
  programs?: ProgramStatus[];
}

/** A designed program as live state sees it: running (pid), exited (code), gone (no exit recorded) or not started. */
export interface ProgramStatus {
  name: string;
  state: 'running' | 'exited' | 'gone' | 'absent';
  pid?: number;
  exitCode?: number;
  /** Started from another command line than the design's (apply restarts it). */
  stale?: true;
}

/** A batch of live updates; `replace` means the batch is a full snapshot for the host. */
export interface LiveStatusUpdate {
  hostId: string;
  replace: boolean;
  elements: ElementStatus[];
  /** ISO 8601 time of the observation the batch reflects. */
  at?: string;
}

export type WatchResult = { ok: true; hostIds: string[] } | { ok: false; error: string };

// ---------------------------------------------------------------- connectivity check

export interface CheckRequest {
  /** Serialized design, already applied to its hosts. */
  designText: string;
  /** Only probes whose source is on these hosts; every host of the design when omitted. */
  hostIds?: string[];
  /** At most this many probes (bigger designs are sampled); the backend's default when omitted. */
  maxProbes?: number;
}

/**
 * The connectivity check (shared/reach/report.ts): per probe what the design expects,
 * what the host showed, whether they agree, and for each disagreement the live evidence.
 */
export type CheckResult = { ok: true; report: CheckReport } | { ok: false; error: string };

// ---------------------------------------------------------------- shells (terminal tabs)

/**
 * Opens an interactive shell (a pty) on a design host: inside a namespace's network
 * namespace, or the host's root namespace for a host. Root (sudo as for runs). What the
 * user types travels only through shellInput and is never logged.
 */
export interface ShellRequest {
  /** The open design: the host is reached as it would be for a run (a sandbox is the design's own). */
  designText: string;
  /** A namespace id (its shell runs inside it) or a host id (the host's root namespace). */
  elementId: string;
  /** Terminal size in cells (SHELL_SIZE bounds). */
  cols: number;
  rows: number;
}

/** Bounds of a shell's terminal size. */
export const SHELL_SIZE = { cols: { min: 2, max: 1000 }, rows: { min: 1, max: 500 } } as const;

export type ShellStart =
  /** `title`: what the tab shows, e.g. "ns1 on lab". */
  | { ok: true; shellId: string; title: string }
  | { ok: false; error: string };

/** Output of a shell, and its end (exactly one 'end' per shell, the last event for it). */
export type ShellEvent =
  | { shellId: string; kind: 'data'; data: string }
  | {
      shellId: string;
      kind: 'end';
      /** exit: the shell exited (`code`); lost: the host went away; closed: Wireplan closed it. */
      reason: 'exit' | 'lost' | 'closed';
      code?: number | null;
      /** One line for people, e.g. "the connection to lab was lost: ...". */
      message: string;
    };

// ---------------------------------------------------------------- cut / restore a link

/**
 * A runtime action on an applied design: both ends of a veth link set down (cut) or up
 * (restore) on its host, after checking they carry the design's tag. It changes neither the
 * design nor undo history; live status then shows the link down.
 */
export interface LinkStateRequest {
  designText: string;
  /** The veth's id. */
  linkId: string;
  state: 'up' | 'down';
}

export type LinkStateResult = { ok: true; message: string } | { ok: false; error: string };

// ---------------------------------------------------------------- the API

export type Unsubscribe = () => void;

export interface WireplanApi {
  // files
  /** Without a path: shows an open dialog. */
  openDesign(path?: string): Promise<OpenResult>;
  /**
   * Atomic write (temp file + rename; saves of one file in order). Without a path: shows a
   * save dialog (Save As). `condition`: see SaveCondition; a failed one is a `conflict`.
   * Overwriting a file of an older format first keeps it as NAME.bak (`backup`).
   */
  saveDesign(path: string | undefined, text: string, suggestedName?: string, condition?: SaveCondition): Promise<SaveResult>;
  recentFiles(): Promise<RecentFile[]>;
  readAutosave(): Promise<AutosaveEntry | undefined>;
  writeAutosave(entry: AutosaveEntry): Promise<void>;
  clearAutosave(): Promise<void>;
  /** Never replaces an existing file unless `request.overwrite` (answers `exists` instead). */
  exportFile(request: ExportFileRequest): Promise<SaveResult>;
  /** The workspace's folders for the page's Save dialogs; optional: only `wireplan serve` has a workspace. */
  listFolders?(): Promise<FolderListResult>;

  // examples
  listExamples(): Promise<ExampleInfo[]>;
  readExample(id: string): Promise<ReadExampleResult>;

  // hosts
  testConnection(target: SshTarget, options?: ConnectionTestOptions): Promise<ConnectionTestResult>;
  /** The server inventory (`wireplan hosts`), for the Hosts panel to pick from. */
  listServers(): Promise<InventoryServer[]>;
  /**
   * Forgets the host key trusted for an inventory server (Wireplan's own known_hosts and the
   * entry's fingerprints; never ~/.ssh/known_hosts). The page asks the user to confirm first.
   */
  forgetServerKey(name: string): Promise<ForgetServerKeyResult>;
  /**
   * Reads one host of the design as it is (Import from host…). Optional: the browser-only
   * preview cannot reach hosts.
   */
  importHost?(request: ImportHostRequest): Promise<ImportHostResult>;
  hostStatus(hostIds?: string[]): Promise<HostStatus[]>;
  /**
   * Watch the live state of this design's hosts (all, or the given ones), replacing the
   * design watched before; without a design, stop watching. Status then arrives through
   * onHostStatus / onLiveStatus. Optional: the browser-only preview has no live state.
   */
  watchLive?(designText: string | undefined, hostIds?: string[]): Promise<WatchResult>;
  /**
   * Runs the connectivity check on the design's hosts (ping and TCP probes inside the
   * namespaces, compared with what the design says). Optional: the browser-only preview
   * can only show what the design expects.
   */
  checkConnectivity?(request: CheckRequest): Promise<CheckResult>;

  // runs
  apply(request: ApplyRequest): Promise<RunStart>;
  destroy(request: DestroyRequest): Promise<RunStart>;
  /** Before a run: how the host's login becomes root; with a password, checks and keeps it (see SudoRequest). */
  prepareSudo(request: SudoRequest): Promise<SudoResult>;
  cancelRun(runId: string): Promise<void>;
  /** Cuts or restores a link on its host (see LinkStateRequest). Optional: the browser-only preview has no hosts. */
  setLinkState?(request: LinkStateRequest): Promise<LinkStateResult>;

  // shells (optional: the browser-only preview has no hosts)
  openShell?(request: ShellRequest): Promise<ShellStart>;
  /** Keystrokes and pastes for a shell (ignored once it has ended). */
  shellInput?(shellId: string, data: string): Promise<void>;
  resizeShell?(shellId: string, cols: number, rows: number): Promise<void>;
  /** Hangs the shell up; its 'end' event follows. Unknown or ended shells are ignored. */
  closeShell?(shellId: string): Promise<void>;

  // packet capture (optional: the browser-only preview has no hosts); see capture.ts
  /** Starts tcpdump on the element's host; resolves once it listens. Rows and the end arrive as onCaptureEvent. */
  startCapture?(request: CaptureRequest): Promise<CaptureStart>;
  /** Stops tcpdump on the host; the capture's 'end' event follows. Unknown or ended captures are ignored. */
  stopCapture?(captureId: string): Promise<void>;
  /** Opens a stopped capture's .pcap in Wireshark on this machine (CaptureStart.wireshark says whether it is installed). */
  openInWireshark?(captureId: string): Promise<OpenInWiresharkResult>;

  // events
  onRunProgress(listener: (event: RunProgressEvent) => void): Unsubscribe;
  onHostStatus(listener: (status: HostStatus) => void): Unsubscribe;
  onLiveStatus(listener: (update: LiveStatusUpdate) => void): Unsubscribe;
  /** Output and end of the shells opened with openShell. */
  onShellEvent?(listener: (event: ShellEvent) => void): Unsubscribe;
  /** Packet rows and the end of the captures started with startCapture. */
  onCaptureEvent?(listener: (event: CaptureEvent) => void): Unsubscribe;
  /**
   * The shell asks the designer to open a file: a design given on the command line, a
   * double-clicked file (file association), `wireplan serve FILE`, or a menu command
   * (`{ command }`). Optional: the browser-only preview has no source of such requests.
   */
  onAppRequest?(listener: (request: AppRequest) => void): Unsubscribe;
}

/** What the shell (native menus, command line, file association) asks the designer to do. */
export type AppRequest = { kind: 'open-file'; path: string } | { kind: 'menu'; command: MenuCommand };

/** Native menu commands without a keyboard shortcut in the designer. */
export type MenuCommand = 'new' | 'open-example' | 'open-recent' | 'export-script' | 'help' | 'auto-layout';

/** Method and event names the preload must expose (and nothing else). */
export const API_METHODS = [
  'openDesign',
  'saveDesign',
  'recentFiles',
  'readAutosave',
  'writeAutosave',
  'clearAutosave',
  'exportFile',
  'listFolders',
  'listExamples',
  'readExample',
  'testConnection',
  'listServers',
  'forgetServerKey',
  'importHost',
  'hostStatus',
  'watchLive',
  'checkConnectivity',
  'apply',
  'destroy',
  'prepareSudo',
  'cancelRun',
  'setLinkState',
  'openShell',
  'shellInput',
  'resizeShell',
  'closeShell',
  'startCapture',
  'stopCapture',
  'openInWireshark',
] as const satisfies readonly (keyof WireplanApi)[];

export const API_EVENTS = ['onRunProgress', 'onHostStatus', 'onLiveStatus', 'onAppRequest', 'onShellEvent', 'onCaptureEvent'] as const satisfies readonly (keyof WireplanApi)[];

export type ApiMethod = (typeof API_METHODS)[number];
export type ApiEvent = (typeof API_EVENTS)[number];

/** The payload type each event delivers. */
export interface ApiEventPayload {
  onRunProgress: RunProgressEvent;
  onHostStatus: HostStatus;
  onLiveStatus: LiveStatusUpdate;
  onAppRequest: AppRequest;
  onShellEvent: ShellEvent;
  onCaptureEvent: CaptureEvent;
}

// ---------------------------------------------------------------- the wire (headless mode)
// `wireplan serve` carries the same API over a loopback WebSocket. One JSON text frame per
// message; byte arrays travel as { "$bytes": "<base64>" }. The Electron IPC path needs no
// encoding (structured clone) but uses the same envelopes for results.

/** Subprotocols the client offers: the version, then the per-launch token. */
export const WIRE_PROTOCOL = 'wireplan.v1';
export const WIRE_TOKEN_PREFIX = 'wireplan.token.';

export type WireRequest =
  | { type: 'call'; id: number; method: string; params: unknown[] }
  | { type: 'subscribe'; event: string }
  | { type: 'unsubscribe'; event: string };

/** How every call ends: a value, or an error a user can read (never a stack trace). */
export type CallOutcome =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: 'invalid-arguments' | 'unknown-method' | 'internal' | 'unavailable'; message: string } };

export type WireResponse =
  | ({ type: 'result'; id: number } & CallOutcome)
  | { type: 'event'; event: ApiEvent; payload: unknown }
  | { type: 'error'; message: string };

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += B64[a >> 2]! + B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : B64[c & 63]!;
  }
  return out;
}

function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || clean.length % 4 === 1) throw new Error('bad base64');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let n = 0;
  for (const ch of clean) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** JSON text for a wire message; Uint8Array values become { $bytes }. */
export function encodeWire(message: WireRequest | WireResponse): string {
  return JSON.stringify(message, (_key, value: unknown) => (value instanceof Uint8Array ? { $bytes: toBase64(value) } : value));
}

/** Parses a wire message; { $bytes } objects become Uint8Array again. Throws on bad JSON. */
export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const bytes = (value as { $bytes?: unknown }).$bytes;
      if (keys.length === 1 && typeof bytes === 'string') return fromBase64(bytes);
    }
    return value;
  });
}
