// The backend as the renderer sees it: every method of the API contract, implemented once
// for the desktop shell (over IPC) and for `wireplan serve` (over a loopback WebSocket).
// Callers go through dispatch.ts, which validates the arguments and checks that only plain
// data comes back; the methods here may assume well-formed arguments.
import { mkdir, open as openFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import type {
  ApiEvent,
  ApiEventPayload,
  ApplyRequest,
  AppRequest,
  AutosaveEntry,
  CheckRequest,
  CheckResult,
  ConnectionTestOptions,
  ConnectionTestResult,
  DestroyRequest,
  ExampleInfo,
  ExportFileRequest,
  HostStatus,
  MenuCommand,
  OpenResult,
  ReadExampleResult,
  RecentFile,
  RunStart,
  SaveResult,
  SshTarget,
  Unsubscribe,
  WatchResult,
  WireplanApi,
} from '../../../shared/api/contract';
import type { Design } from '../../../shared/model/schema';
import { writeFileAtomic } from '../atomicWrite';
import { installNativeSha256 } from '../native-sha256';
import type { HostExecutor } from '../executor';
import type { Dialogs } from './dialogs';
import { NOT_AVAILABLE, type EngineFactory, type Engines } from './engines';
import * as examples from './examples';
import { FileAccess } from './fileAccess';
import { HostExecutors } from './hostExecutors';
import { JsonFile } from './jsonFile';
import { configFiles } from './paths';
import { prepareRun, RunManager } from './runs';
import { SecretStore, type SecretCipher } from './secrets';
import { testConnection } from './sshLogin';

/** The request/response half of the contract: what dispatch.ts may call. */
export type ApiMethods = Omit<WireplanApi, ApiEvent>;

export interface BackendServiceOptions {
  /** Recent list, autosave, known_hosts, secrets (see paths.ts). */
  configDir: string;
  /** resources/examples of the checkout, or of the installed app. */
  examplesDir: string;
  dialogs: Dialogs;
  /** Headless mode: the workspace folder; the renderer may name files inside it freely. */
  workspaceDirs?: string[];
  /** The OS keyring through Electron's safeStorage; absent in headless mode (secrets stay in memory). */
  secretCipher?: SecretCipher;
  /** Asked before a secret is first stored unencrypted; absent: never. */
  acceptPlaintextSecrets?: () => Promise<boolean>;
  /** The engines, or a factory that gets the service's executors (see defaultEngines.ts). */
  engines?: Engines | EngineFactory;
  /** Default ~/.ssh/known_hosts; null ignores it (tests). */
  userKnownHostsPath?: string | null;
  /** Connection test deadline (default 20 s). */
  connectTimeoutMs?: number;
  /** Diagnostics for the app log (never given a secret). */
  log?: (line: string) => void;
}

const MAX_DESIGN_BYTES = 64 * 1024 * 1024;
const MAX_RECENT = 10;

const RecentSchema = z.object({
  version: z.literal(1),
  files: z.array(z.object({ path: z.string().max(4096), name: z.string().max(255), openedAt: z.string().max(64) })).max(100),
});
const AutosaveSchema = z.object({ text: z.string(), path: z.string().max(4096).optional(), savedAt: z.string().max(64) });

type Listener<E extends ApiEvent> = (payload: ApiEventPayload[E]) => void;

function describeFsError(path: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why =
    err.code === 'ENOENT'
      ? 'no such file'
      : err.code === 'EISDIR'
        ? 'is a directory'
        : err.code === 'EACCES' || err.code === 'EPERM'
          ? 'permission denied'
          : err.code === 'ENOSPC'
            ? 'no space left on the device'
            : err.message;
  return `${path}: ${why}`;
}

/** Atomic write for text or bytes (temp file beside the target, fsync, rename). */
function writeAtomic(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  return writeFileAtomic(path, data, mode);
}

export class BackendService implements ApiMethods {
  private readonly files: ReturnType<typeof configFiles>;
  private readonly recent: JsonFile<typeof RecentSchema>;
  private readonly autosave: JsonFile<typeof AutosaveSchema>;
  private readonly access: FileAccess;
  private readonly secrets: SecretStore;
  private readonly executors: HostExecutors;
  private readonly runs: RunManager;
  private readonly engines: Engines;
  private readonly listeners = new Map<ApiEvent, Set<(payload: never) => void>>();
  /** Open requests made before any window listened (a file given on the command line). */
  private readonly pendingAppRequests: AppRequest[] = [];
  /** Connectivity checks under way (aborted when the service closes). */
  private readonly checks = new Set<AbortController>();
  private readonly unsubscribeLive?: () => void;

  constructor(private readonly opts: BackendServiceOptions) {
    installNativeSha256();
    this.files = configFiles(opts.configDir);
    this.recent = new JsonFile(this.files.recent, RecentSchema);
    this.autosave = new JsonFile(this.files.autosave, AutosaveSchema);
    this.access = new FileAccess(opts.workspaceDirs ?? [], async () => ((await this.recent.read())?.files ?? []).map((f) => f.path));
    this.secrets = new SecretStore({ file: this.files.secrets, ...(opts.secretCipher ? { cipher: opts.secretCipher } : {}), ...(opts.acceptPlaintextSecrets ? { acceptPlaintext: opts.acceptPlaintextSecrets } : {}) });
    this.executors = new HostExecutors({ knownHostsPath: this.files.knownHosts, secrets: this.secrets, ...(opts.log ? { log: opts.log } : {}) });
    const log = opts.log ?? (() => {});
    this.engines =
      typeof opts.engines === 'function'
        ? opts.engines({ executor: (design, host) => this.executors.get(design.tag, host), freshExecutor: (host) => this.executors.fresh(host), log })
        : (opts.engines ?? {});
    this.runs = new RunManager({
      engines: this.engines,
      executor: (design, hostId) => this.executorFor(design, hostId),
      freshExecutor: (design, hostId) => {
        const host = design.hosts.find((h) => h.id === hostId);
        return host ? this.executors.fresh(host) : Promise.reject(new Error(`the design has no host ${hostId}`));
      },
      emit: (e) => this.emit('onRunProgress', e),
    });
    this.unsubscribeLive = this.engines.live?.subscribe({
      hostStatus: (s) => this.emit('onHostStatus', s),
      liveStatus: (u) => this.emit('onLiveStatus', u),
    });
  }

  // ------------------------------------------------------------ events

  subscribe<E extends ApiEvent>(event: E, listener: Listener<E>): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    if (event === 'onAppRequest') {
      for (const r of this.pendingAppRequests.splice(0)) (listener as Listener<'onAppRequest'>)(r);
    }
    return () => void set.delete(listener as (payload: never) => void);
  }

  listenerCount(event: ApiEvent): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  private emit<E extends ApiEvent>(event: E, payload: ApiEventPayload[E]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        (l as Listener<E>)(payload);
      } catch (e) {
        this.opts.log?.(`event listener for ${event} failed: ${(e as Error).message}`);
      }
    }
  }

  /** The shell asks the designer to open a file (command line, double-click, `serve FILE`). */
  requestOpen(path: string): void {
    const abs = this.access.resolvePath(path);
    if (typeof abs !== 'string') return;
    this.access.grant(abs);
    const request: AppRequest = { kind: 'open-file', path: abs };
    if (this.listenerCount('onAppRequest') === 0) this.pendingAppRequests.push(request);
    else this.emit('onAppRequest', request);
  }

  /** A native menu command for the designer. */
  requestMenu(command: MenuCommand): void {
    this.emit('onAppRequest', { kind: 'menu', command });
  }

  /** A path the user chose in a native dialog outside the API (e.g. a menu's Open Recent). */
  grantPath(path: string): void {
    this.access.grant(path);
  }

  // ------------------------------------------------------------ files

  async openDesign(path?: string): Promise<OpenResult> {
    const target = await this.designPath(path, () => this.opts.dialogs.chooseOpen(), 'Wireplan opens only files chosen in a file dialog, given on the command line, or in the recent list');
    if (typeof target !== 'string') return target;
    const abs = target;
    let text: string;
    try {
      const fh = await openFile(abs, 'r');
      try {
        const { size } = await fh.stat();
        if (size > MAX_DESIGN_BYTES) return { ok: false, canceled: false, error: `${abs}: file is larger than 64 MiB; not a Wireplan design` };
        text = await fh.readFile('utf8');
      } finally {
        await fh.close();
      }
    } catch (e) {
      return { ok: false, canceled: false, error: describeFsError(abs, e) };
    }
    await this.remember(abs);
    return { ok: true, path: abs, text };
  }

  async saveDesign(path: string | undefined, text: string, suggestedName?: string): Promise<SaveResult> {
    const target = await this.designPath(path, () => this.opts.dialogs.chooseSave('design', suggestedName ?? 'design.wireplan.json'), 'Wireplan saves only to files chosen in a file dialog or opened before; use Save As');
    if (typeof target !== 'string') return target;
    const abs = target;
    try {
      await writeAtomic(abs, text, 0o644);
    } catch (e) {
      return { ok: false, canceled: false, error: describeFsError(abs, e) };
    }
    await this.remember(abs);
    return { ok: true, path: abs };
  }

  /**
   * The absolute path a file operation may use: one the user just chose in a dialog (which
   * grants it), or a given path the file-access rules allow; else why not.
   */
  private async designPath(
    path: string | undefined,
    choose: () => Promise<string | undefined | { error: string }>,
    refusal: string,
  ): Promise<string | { ok: false; canceled: true } | { ok: false; canceled: false; error: string }> {
    if (path === undefined) {
      const chosen = await choose();
      if (chosen === undefined) return { ok: false, canceled: true };
      if (typeof chosen !== 'string') return { ok: false, canceled: false, error: chosen.error };
      this.access.grant(chosen);
      return chosen;
    }
    const resolved = this.access.resolvePath(path);
    if (typeof resolved !== 'string') return { ok: false, canceled: false, error: resolved.error };
    if (!(await this.access.allowed(resolved))) return { ok: false, canceled: false, error: `${resolved}: ${refusal}` };
    return resolved;
  }

  async recentFiles(): Promise<RecentFile[]> {
    return ((await this.recent.read())?.files ?? []).slice(0, MAX_RECENT);
  }

  private async remember(path: string): Promise<void> {
    try {
      const files = ((await this.recent.read())?.files ?? []).filter((f) => f.path !== path);
      files.unshift({ path, name: basename(path), openedAt: new Date().toISOString() });
      await this.recent.write({ version: 1, files: files.slice(0, MAX_RECENT) });
    } catch (e) {
      this.opts.log?.(`cannot update the recent list: ${(e as Error).message}`);
    }
  }

  async readAutosave(): Promise<AutosaveEntry | undefined> {
    const entry = await this.autosave.read();
    if (!entry) return undefined;
    return entry.path === undefined ? { text: entry.text, savedAt: entry.savedAt } : { text: entry.text, path: entry.path, savedAt: entry.savedAt };
  }

  async writeAutosave(entry: AutosaveEntry): Promise<void> {
    await this.autosave.write(entry.path === undefined ? { text: entry.text, savedAt: entry.savedAt } : { text: entry.text, path: entry.path, savedAt: entry.savedAt });
  }

  async clearAutosave(): Promise<void> {
    await this.autosave.remove();
  }

  async exportFile(request: ExportFileRequest): Promise<SaveResult> {
    const chosen = await this.opts.dialogs.chooseSave('export', request.suggestedName);
    if (chosen === undefined) return { ok: false, canceled: true };
    if (typeof chosen !== 'string') return { ok: false, canceled: false, error: chosen.error };
    const executable = request.mimeType === 'text/x-shellscript' || request.mimeType === 'application/x-sh';
    try {
      await mkdir(dirname(chosen), { recursive: true });
      await writeAtomic(chosen, request.data, executable ? 0o755 : 0o644);
    } catch (e) {
      return { ok: false, canceled: false, error: describeFsError(chosen, e) };
    }
    return { ok: true, path: chosen };
  }

  // ------------------------------------------------------------ examples

  listExamples(): Promise<ExampleInfo[]> {
    return examples.listExamples(this.opts.examplesDir);
  }

  readExample(id: string): Promise<ReadExampleResult> {
    return examples.readExample(this.opts.examplesDir, id);
  }

  // ------------------------------------------------------------ hosts

  testConnection(target: SshTarget, options: ConnectionTestOptions = {}): Promise<ConnectionTestResult> {
    return testConnection(target, options, {
      knownHostsPath: this.files.knownHosts,
      secrets: this.secrets,
      ...(this.opts.userKnownHostsPath !== undefined ? { userKnownHostsPath: this.opts.userKnownHostsPath } : {}),
      ...(this.opts.connectTimeoutMs !== undefined ? { timeoutMs: this.opts.connectTimeoutMs } : {}),
    });
  }

  async hostStatus(hostIds?: string[]): Promise<HostStatus[]> {
    if (this.engines.live) return this.engines.live.status(hostIds);
    return (hostIds ?? []).map((hostId) => ({ hostId, connection: 'disconnected' as const, error: NOT_AVAILABLE.live }));
  }

  async watchLive(designText?: string, hostIds?: string[]): Promise<WatchResult> {
    const live = this.engines.live;
    if (!live?.watch || !live.unwatch) return { ok: false, error: NOT_AVAILABLE.live };
    if (designText === undefined) {
      await live.unwatch();
      return { ok: true, hostIds: [] };
    }
    // The same checks as a run: a design that parses and compiles, hosts that exist.
    const prepared = prepareRun(designText, hostIds);
    if (!prepared.ok) return prepared;
    try {
      await live.watch(prepared.design, hostIds);
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
    return { ok: true, hostIds: prepared.hosts.map((h) => h.host.id) };
  }

  // ------------------------------------------------------------ connectivity check

  async checkConnectivity(request: CheckRequest): Promise<CheckResult> {
    const check = this.engines.check;
    if (!check) return { ok: false, error: NOT_AVAILABLE.check };
    const prepared = prepareRun(request.designText, request.hostIds);
    if (!prepared.ok) return prepared;
    const ctl = new AbortController();
    this.checks.add(ctl);
    try {
      return await check.run({
        design: prepared.design,
        ...(request.hostIds ? { hostIds: request.hostIds } : {}),
        ...(request.maxProbes !== undefined ? { maxProbes: request.maxProbes } : {}),
        executor: (hostId) => this.executorFor(prepared.design, hostId),
        signal: ctl.signal,
      });
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    } finally {
      this.checks.delete(ctl);
    }
  }

  private executorFor(design: Design, hostId: string): Promise<HostExecutor> {
    const host = design.hosts.find((h) => h.id === hostId);
    if (!host) return Promise.reject(new Error(`the design has no host ${hostId}`));
    return this.executors.get(design.tag, host);
  }

  // ------------------------------------------------------------ runs

  apply(request: ApplyRequest): Promise<RunStart> {
    return this.runs.apply(request);
  }

  destroy(request: DestroyRequest): Promise<RunStart> {
    return this.runs.destroy(request);
  }

  async cancelRun(runId: string): Promise<void> {
    this.runs.cancel(runId);
  }

  // ------------------------------------------------------------ lifetime

  /** Cancels runs, stops live monitoring, closes every connection and sandbox. */
  async close(): Promise<void> {
    this.runs.shutdown();
    for (const c of this.checks) c.abort(new Error('the app is shutting down'));
    this.unsubscribeLive?.();
    await this.engines.live?.close?.();
    await this.executors.close();
    this.listeners.clear();
  }
}
