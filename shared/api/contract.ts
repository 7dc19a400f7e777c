// The ONE interface between the renderer and the backend (DESIGN.md §2).
// Methods return promises; events are `onX(listener) => unsubscribe`; every argument and
// result is plain, structured-cloneable data (no functions, no class instances).
// The Electron preload exposes exactly these names as `window.wireplan`; the main side
// checks the sender and validates every argument. In a plain browser (tests, dev) the
// renderer uses a browser-local implementation of the same interface.

// ---------------------------------------------------------------- files

export type OpenResult =
  | { ok: true; path: string; text: string }
  | { ok: false; canceled: true }
  | { ok: false; canceled: false; error: string };

export type SaveResult =
  | { ok: true; path: string }
  | { ok: false; canceled: true }
  | { ok: false; canceled: false; error: string };

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
}

/** Anything the user exports from the app: a script, a diagram. */
export interface ExportFileRequest {
  suggestedName: string;
  /** Text (script, SVG) or bytes (PNG). */
  data: string | Uint8Array;
  mimeType: string;
}

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
    }
  | { ok: false; error: string; fingerprint?: string };

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
  /** Allow steps that touch the management interface (applied with an auto-revert timer). */
  allowManagementChange?: boolean;
}

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
  /** ISO 8601. */
  at: string;
}

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
}

/** State of one design element (or veth end) as observed on its host. */
export type ElementPresence = 'present' | 'missing' | 'drifted' | 'unknown';

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
}

/** A batch of live updates; `replace` means the batch is a full snapshot for the host. */
export interface LiveStatusUpdate {
  hostId: string;
  replace: boolean;
  elements: ElementStatus[];
}

// ---------------------------------------------------------------- the API

export type Unsubscribe = () => void;

export interface WireplanApi {
  // files
  /** Without a path: shows an open dialog. */
  openDesign(path?: string): Promise<OpenResult>;
  /** Atomic write (temp file + rename). Without a path: shows a save dialog (Save As). */
  saveDesign(path: string | undefined, text: string, suggestedName?: string): Promise<SaveResult>;
  recentFiles(): Promise<RecentFile[]>;
  readAutosave(): Promise<AutosaveEntry | undefined>;
  writeAutosave(entry: AutosaveEntry): Promise<void>;
  clearAutosave(): Promise<void>;
  exportFile(request: ExportFileRequest): Promise<SaveResult>;

  // examples
  listExamples(): Promise<ExampleInfo[]>;
  readExample(id: string): Promise<ReadExampleResult>;

  // hosts
  testConnection(target: SshTarget): Promise<ConnectionTestResult>;
  hostStatus(hostIds?: string[]): Promise<HostStatus[]>;

  // runs
  apply(request: ApplyRequest): Promise<RunStart>;
  destroy(request: DestroyRequest): Promise<RunStart>;
  cancelRun(runId: string): Promise<void>;

  // events
  onRunProgress(listener: (event: RunProgressEvent) => void): Unsubscribe;
  onHostStatus(listener: (status: HostStatus) => void): Unsubscribe;
  onLiveStatus(listener: (update: LiveStatusUpdate) => void): Unsubscribe;
}

/** Method and event names the preload must expose (and nothing else). */
export const API_METHODS = [
  'openDesign',
  'saveDesign',
  'recentFiles',
  'readAutosave',
  'writeAutosave',
  'clearAutosave',
  'exportFile',
  'listExamples',
  'readExample',
  'testConnection',
  'hostStatus',
  'apply',
  'destroy',
  'cancelRun',
] as const satisfies readonly (keyof WireplanApi)[];

export const API_EVENTS = ['onRunProgress', 'onHostStatus', 'onLiveStatus'] as const satisfies readonly (keyof WireplanApi)[];
