// The backend as the renderer sees it: every method of the API contract, implemented once
// for the desktop shell (over IPC) and for `wireplan serve` (over a loopback WebSocket).
// Callers go through dispatch.ts, which validates the arguments and checks that only plain
// data comes back; the methods here may assume well-formed arguments.
import { mkdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
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
  InventoryServer,
  LinkStateRequest,
  LinkStateResult,
  DestroyRequest,
  ExampleInfo,
  ExportFileRequest,
  ForgetServerKeyResult,
  FileVersion,
  FolderListResult,
  HostStatus,
  ImportHostRequest,
  ImportHostResult,
  MenuCommand,
  OpenResult,
  ReadExampleResult,
  SudoRequest,
  SudoResult,
  RecentFile,
  RunStart,
  SaveCondition,
  SaveResult,
  ShellRequest,
  ShellStart,
  SshTarget,
  Unsubscribe,
  WatchResult,
  WireplanApi,
} from '../../../shared/api/contract';
import { CURRENT_VERSION, type Design } from '../../../shared/model/schema';
import { removeStaleTemps, withPathLock, writeFileAtomicUnlocked } from '../atomicWrite';
import { installNativeSha256 } from '../native-sha256';
import type { HostExecutor } from '../executor';
import type { Dialogs } from './dialogs';
import { NOT_AVAILABLE, type EngineFactory, type Engines } from './engines';
import * as examples from './examples';
import { FileAccess, type FileKind } from './fileAccess';
import { HostExecutors } from './hostExecutors';
import { JsonFile } from './jsonFile';
import { configFiles } from './paths';
import { prepareRun, RunManager } from './runs';
import { SecretStore, type SecretCipher } from './secrets';
import { ShellManager } from './shells';
import { CaptureManager } from './captures';
import type { CaptureRequest, CaptureStart, OpenInWiresharkResult } from '../../../shared/api/capture';
import { testConnection } from './sshLogin';
import { Inventory, inventoryPath } from '../inventory/inventory';
import { forgetServerKey, recordServerKey } from '../inventory/server-keys';
import { importFromHost } from '../live/snapshot';
import { resolveLink, setLinkState } from '../link/link-action';
import { listWorkspaceFolders } from './workspaceFolders';
import { parseDesign, serializeDesign } from '../../../shared/model/parse';
import { describeFsError, describeLoadFailure } from '../designFile';
import { FileVersionArg } from './args';
import { decodeText, formatOf, readVersioned, versionOf } from './versionedFile';

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
  /** Why there is no secretCipher in the desktop app (safeStorage has no encryption). */
  noKeychainReason?: string;
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

const MAX_RECENT = 10;

const RecentSchema = z.object({
  version: z.literal(1),
  files: z.array(z.object({ path: z.string().max(4096), name: z.string().max(255), openedAt: z.string().max(64) })).max(100),
});
const AutosaveSchema = z.object({ text: z.string(), path: z.string().max(4096).optional(), savedAt: z.string().max(64), version: FileVersionArg.optional() });

type Listener<E extends ApiEvent> = (payload: ApiEventPayload[E]) => void;

type Refusal = { ok: false; canceled: true } | { ok: false; canceled: false; error: string };

const SHELL_MIME = new Set(['text/x-shellscript', 'application/x-sh', 'text/x-sh']);

export class BackendService implements ApiMethods {
  private readonly files: ReturnType<typeof configFiles>;
  private readonly recent: JsonFile<typeof RecentSchema>;
  private readonly autosave: JsonFile<typeof AutosaveSchema>;
  private readonly access: FileAccess;
  private readonly secrets: SecretStore;
  private readonly executors: HostExecutors;
  private readonly runs: RunManager;
  /** Terminal tabs' shells (never logged: see shells.ts). */
  private readonly shells: ShellManager;
  /** Packet captures (tcpdump on a host, saved as .pcap here). */
  private readonly captures: CaptureManager;
  private readonly engines: Engines;
  private readonly listeners = new Map<ApiEvent, Set<(payload: never) => void>>();
  /** Open requests made before any window listened (a file given on the command line). */
  private readonly pendingAppRequests: AppRequest[] = [];
  /** Connectivity checks under way (aborted when the service closes). */
  private readonly checks = new Set<AbortController>();
  private readonly unsubscribeLive?: () => void;
  /** Removal of temporary files that killed saves left behind (started with the service). */
  readonly staleTempsRemoved: Promise<string[]>;

  constructor(private readonly opts: BackendServiceOptions) {
    installNativeSha256();
    this.files = configFiles(opts.configDir);
    this.recent = new JsonFile(this.files.recent, RecentSchema);
    this.autosave = new JsonFile(this.files.autosave, AutosaveSchema);
    const headless = (opts.workspaceDirs ?? []).length > 0;
    this.access = new FileAccess({
      roots: opts.workspaceDirs ?? [],
      configDir: opts.configDir,
      // In headless mode only the workspace (and files given on the command line) count.
      ...(headless ? {} : { known: async () => ((await this.recent.read())?.files ?? []).map((f) => f.path) }),
    });
    this.staleTempsRemoved = this.removeStaleTemps();
    this.secrets = new SecretStore({ file: this.files.secrets, ...(opts.secretCipher ? { cipher: opts.secretCipher } : {}), ...(opts.acceptPlaintextSecrets ? { acceptPlaintext: opts.acceptPlaintextSecrets } : {}), ...(opts.noKeychainReason ? { noKeychainReason: opts.noKeychainReason } : {}) });
    this.executors = new HostExecutors({ knownHostsPath: this.files.knownHosts, secrets: this.secrets, ...(opts.log ? { log: opts.log } : {}) });
    const log = opts.log ?? (() => {});
    this.engines =
      typeof opts.engines === 'function'
        ? opts.engines({ executor: (design, host) => this.executors.get(design, host), freshExecutor: (host) => this.executors.fresh(host), log })
        : (opts.engines ?? {});
    this.shells = new ShellManager({ executor: (design, host) => this.executors.get(design, host), emit: (e) => this.emit('onShellEvent', e), log });
    this.captures = new CaptureManager({
      executor: (design, host) => this.executors.get(design, host),
      emit: (e) => this.emit('onCaptureEvent', e),
      access: this.access,
      // The desktop has no workspace: captures go to a folder of their own in the home folder.
      defaultDir: () => join(homedir(), 'wireplan-captures'),
      log,
    });
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
    const target = await this.usablePath(path, 'design', () => this.opts.dialogs.chooseOpen(), 'Wireplan opens only files chosen in a file dialog, given on the command line, or in the recent list');
    if ('ok' in target) return target;
    let read;
    try {
      read = await readVersioned(target.real);
    } catch (e) {
      return { ok: false, canceled: false, error: describeFsError(target.path, e) };
    }
    if (!read) return { ok: false, canceled: false, error: `${target.path}: no such file` };
    await this.remember(target.path);
    return { ok: true, path: target.path, text: decodeText(read.bytes), version: read.version };
  }

  async saveDesign(path: string | undefined, text: string, suggestedName?: string, condition?: SaveCondition): Promise<SaveResult> {
    const target = await this.usablePath(path, 'design', () => this.opts.dialogs.chooseSave('design', suggestedName ?? 'design.wireplan.json'), 'Wireplan saves only to files chosen in a file dialog or opened before; use Save As');
    if ('ok' in target) return target;
    // A native Save As dialog asked about replacing; a headless one picked a fresh name.
    const cond: SaveCondition = path === undefined && this.opts.dialogs.native ? { overwrite: true } : (condition ?? { ifVersion: null });
    const abs = target.path;
    try {
      return await withPathLock(target.real, async (): Promise<SaveResult> => {
        const current = await readVersioned(target.real);
        if ('ifVersion' in cond) {
          const conflict = this.conflictOf(abs, cond.ifVersion, current?.version);
          if (conflict) return conflict;
        }
        // Replacing a file of an older format: keep the original beside it first.
        let backup: string | undefined;
        const before = current ? formatOf(current.bytes.toString('utf8')) : undefined;
        if (current && before !== undefined && before < CURRENT_VERSION && formatOf(text) !== before) {
          backup = await this.writeBackup(abs, current.bytes, current.mode);
        }
        const bytes = Buffer.from(text, 'utf8');
        try {
          await writeFileAtomicUnlocked(abs, bytes, { mode: 0o644, noClobber: 'ifVersion' in cond && cond.ifVersion === null });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST') return this.conflictOf(abs, null, (await readVersioned(target.real))?.version) ?? { ok: false, canceled: false, error: describeFsError(abs, e) };
          throw e;
        }
        const written = await readVersioned(target.real).catch(() => undefined);
        // Another writer may already have replaced it; report the version this save wrote.
        const version = written && written.version.sha256 === versionOf(bytes, 0).sha256 ? written.version : versionOf(bytes, Date.now());
        return { ok: true, path: abs, version, ...(backup ? { backup } : {}) };
      }).then(async (r) => {
        if (r.ok) await this.remember(abs);
        return r;
      });
    } catch (e) {
      return { ok: false, canceled: false, error: describeFsError(abs, e) };
    }
  }

  /** The conflict result when the file on disk is not the expected version, else undefined. */
  private conflictOf(path: string, expected: FileVersion | null, current: FileVersion | undefined): SaveResult | undefined {
    const base = { ok: false as const, canceled: false as const, reason: 'conflict' as const, path };
    if (expected === null) {
      if (!current) return undefined;
      return { ...base, current, error: `${path}: a file of this name already exists on disk and was not opened in Wireplan; reload it, overwrite it or save under another name` };
    }
    if (!current) return { ...base, error: `${path}: the file was deleted on disk since it was opened or last saved; overwrite to write it again, or save under another name` };
    if (current.sha256 === expected.sha256) return undefined;
    return { ...base, current, error: `${path}: the file changed on disk since it was opened or last saved (modified ${new Date(current.mtimeMs).toISOString()}); reload it, overwrite it or save under another name` };
  }

  /** Writes NAME.bak (or NAME.bak-2 ... if that exists) with the file's original bytes and mode. */
  private async writeBackup(path: string, bytes: Uint8Array, mode: number): Promise<string> {
    for (let n = 1; n < 100; n++) {
      const bak = `${path}.bak${n === 1 ? '' : `-${n}`}`;
      try {
        await writeFileAtomicUnlocked(bak, bytes, { mode, forceMode: true, noClobber: true });
        return bak;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    throw new Error(`${path}: cannot keep a backup of the older file (too many .bak files); not saved`);
  }

  /**
   * The file a file operation may use: one the user just chose in a dialog, or a named path
   * the file-access rules allow; else why not (see fileAccess.ts).
   */
  private async usablePath(
    path: string | undefined,
    kind: FileKind,
    choose: () => Promise<string | undefined | { error: string }>,
    refusal: string,
  ): Promise<{ path: string; real: string } | Refusal> {
    let named = path;
    let trusted = false;
    if (named === undefined) {
      const chosen = await choose();
      if (chosen === undefined) return { ok: false, canceled: true };
      if (typeof chosen !== 'string') return { ok: false, canceled: false, error: chosen.error };
      named = chosen;
      // A native dialog is the user's own choice; a headless "dialog" only names a file in
      // the workspace after a name the page suggested, so the workspace rules apply.
      trusted = this.opts.dialogs.native === true;
    }
    const checked = await this.access.check(named, kind, refusal, trusted);
    if ('error' in checked) return { ok: false, canceled: false, error: checked.error };
    if (trusted) this.access.grant(checked.path);
    return checked;
  }

  /** Removes temporary files of killed saves in the config folder and the workspaces. */
  private async removeStaleTemps(): Promise<string[]> {
    const removed: string[] = [];
    try {
      removed.push(...(await removeStaleTemps(this.opts.configDir)));
      for (const dir of this.opts.workspaceDirs ?? []) removed.push(...(await removeStaleTemps(dir, { depth: 3 })));
    } catch (e) {
      this.opts.log?.(`cannot look for stale temporary files: ${(e as Error).message}`);
    }
    if (removed.length) this.opts.log?.(`removed ${removed.length} temporary file(s) of interrupted saves`);
    return removed;
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
    return { text: entry.text, savedAt: entry.savedAt, ...(entry.path === undefined ? {} : { path: entry.path }), ...(entry.version === undefined ? {} : { version: entry.version }) };
  }

  /** Drafts live in the config folder only: an autosave never touches the user's file. */
  async writeAutosave(entry: AutosaveEntry): Promise<void> {
    await this.autosave.write({ text: entry.text, savedAt: entry.savedAt, ...(entry.path === undefined ? {} : { path: entry.path }), ...(entry.version === undefined ? {} : { version: entry.version }) });
  }

  async clearAutosave(): Promise<void> {
    await this.autosave.remove();
  }

  async listFolders(): Promise<FolderListResult> {
    const root = this.opts.workspaceDirs?.[0];
    if (root === undefined) return { ok: false, error: 'no workspace: the desktop app saves through its file dialogs' };
    try {
      return { ok: true, root, folders: await listWorkspaceFolders(root) };
    } catch (e) {
      return { ok: false, error: describeFsError(root, e) };
    }
  }

  async exportFile(request: ExportFileRequest): Promise<SaveResult> {
    // A path named by the page's own Save dialog passes the workspace rules like any named path.
    const target = await this.usablePath(request.path, 'export', () => this.opts.dialogs.chooseSave('export', request.suggestedName), 'exports are written only where a file dialog chose');
    if ('ok' in target) return target;
    const path = target.path;
    // Executable only when the user asked for a script and it is named as one.
    const executable = SHELL_MIME.has(request.mimeType) && /\.(sh|bash)$/i.test(basename(path));
    // A native dialog asked before replacing; otherwise the page must ask and confirm.
    const overwrite = this.opts.dialogs.native === true || request.overwrite === true;
    try {
      await mkdir(dirname(path), { recursive: true });
      await withPathLock(target.real, () => writeFileAtomicUnlocked(path, request.data, { mode: executable ? 0o755 : 0o644, forceMode: true, noClobber: !overwrite }));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { ok: false, canceled: false, reason: 'exists', path, error: `${path} already exists; replace it?` };
      return { ok: false, canceled: false, error: describeFsError(path, e) };
    }
    return { ok: true, path };
  }

  // ------------------------------------------------------------ examples

  listExamples(): Promise<ExampleInfo[]> {
    return examples.listExamples(this.opts.examplesDir);
  }

  readExample(id: string): Promise<ReadExampleResult> {
    return examples.readExample(this.opts.examplesDir, id);
  }

  // ------------------------------------------------------------ hosts

  /** The server inventory (read afresh each time: `wireplan hosts` may change it meanwhile). */
  private inventory(): Inventory {
    return new Inventory(inventoryPath(this.opts.configDir));
  }

  async listServers(): Promise<InventoryServer[]> {
    return this.inventory().list();
  }

  /** The apply dialog's sudo check before a run (see SudoRequest); the password is never logged. */
  async prepareSudo(request: SudoRequest): Promise<SudoResult> {
    const prepared = prepareRun(request.designText, [request.hostId]);
    if (!prepared.ok) return prepared;
    const host = prepared.design.hosts.find((h) => h.id === request.hostId)!;
    return this.executors.prepareSudo(host, request.password, request.remember === true);
  }

  async forgetServerKey(name: string): Promise<ForgetServerKeyResult> {
    try {
      return await forgetServerKey(this.inventory(), name, this.files.knownHosts);
    } catch (e) {
      return { ok: false, error: `${name}: ${(e as Error).message}` };
    }
  }

  async testConnection(target: SshTarget, options: ConnectionTestOptions = {}): Promise<ConnectionTestResult> {
    const result = await testConnection(target, options, {
      knownHostsPath: this.files.knownHosts,
      secrets: this.secrets,
      ...(this.opts.userKnownHostsPath !== undefined ? { userKnownHostsPath: this.opts.userKnownHostsPath } : {}),
      ...(this.opts.connectTimeoutMs !== undefined ? { timeoutMs: this.opts.connectTimeoutMs } : {}),
    });
    // A sudo password accepted just now: connections made before it are replaced on next use.
    if (result.ok && result.sudo === 'password') await this.executors.forgetLogin(target.user, target.alias ?? target.address, target.port);
    // The inventory keeps the fingerprints trusted for its server (shown in the Hosts panel and `wireplan hosts list`).
    if (result.ok && target.server) await recordServerKey(this.inventory(), target.server, result.fingerprint).catch((e: Error) => this.opts.log?.(`inventory: ${e.message}`));
    return result;
  }

  /**
   * Import from host: the host as the design reaches it for a run, so a sandbox host is the
   * open design's own running sandbox (started empty if nothing ran yet), not a fresh one.
   */
  async importHost(request: ImportHostRequest): Promise<ImportHostResult> {
    const loaded = parseDesign(request.designText);
    if (!loaded.ok) return { ok: false, error: describeLoadFailure('the design', loaded) };
    const host = loaded.design.hosts.find((h) => h.id === request.hostId);
    if (!host) return { ok: false, error: `the design has no host ${JSON.stringify(request.hostId)}` };
    try {
      const executor = await this.executorFor(loaded.design, host.id);
      const t = host.target;
      const result = await importFromHost(executor, {
        hostName: host.name,
        target: t,
        ...(t.kind === 'ssh' && isIP(t.address) ? { managementAddress: t.address } : {}),
      });
      return { ok: true, text: serializeDesign(result.design), notes: result.notes, counts: result.counts };
    } catch (e) {
      return { ok: false, error: `cannot read ${host.name}: ${e instanceof Error ? e.message : String(e)}` };
    }
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

  /** Cut / restore a link (backend/link): a runtime action on the host, nothing else changes. */
  async setLinkState(request: LinkStateRequest): Promise<LinkStateResult> {
    const prepared = prepareRun(request.designText, undefined);
    if (!prepared.ok) return prepared;
    const link = resolveLink(prepared.design, prepared.plan, request.linkId);
    if ('error' in link) return { ok: false, error: link.error };
    try {
      return await setLinkState(await this.executorFor(prepared.design, link.host.id), link, request.state);
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  private executorFor(design: Design, hostId: string): Promise<HostExecutor> {
    const host = design.hosts.find((h) => h.id === hostId);
    if (!host) return Promise.reject(new Error(`the design has no host ${hostId}`));
    return this.executors.get(design, host);
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

  // ------------------------------------------------------------ shells

  openShell(request: ShellRequest): Promise<ShellStart> {
    return this.shells.open(request);
  }

  async shellInput(shellId: string, data: string): Promise<void> {
    this.shells.input(shellId, data);
  }

  async resizeShell(shellId: string, cols: number, rows: number): Promise<void> {
    this.shells.resize(shellId, cols, rows);
  }

  async closeShell(shellId: string): Promise<void> {
    this.shells.close(shellId);
  }

  // ------------------------------------------------------------ packet capture

  startCapture(request: CaptureRequest): Promise<CaptureStart> {
    return this.captures.start(request);
  }

  stopCapture(captureId: string): Promise<void> {
    return this.captures.stop(captureId);
  }

  openInWireshark(captureId: string): Promise<OpenInWiresharkResult> {
    return this.captures.openInWireshark(captureId);
  }

  // ------------------------------------------------------------ lifetime

  /** Cancels runs, stops live monitoring, closes every connection and sandbox. */
  async close(): Promise<void> {
    this.runs.shutdown();
    this.shells.closeAll();
    await this.captures.closeAll();
    for (const c of this.checks) c.abort(new Error('the app is shutting down'));
    this.unsubscribeLive?.();
    await this.engines.live?.close?.();
    await this.executors.close();
    this.listeners.clear();
  }
}
