// The backend service behind the contract: files and their access rules, autosave, the
// recent list, examples, exports, runs (stale plans refused, engines absent or present),
// live status without a monitor, open requests, and the secret store's storage rules.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppRequest, RunProgressEvent } from '../../../shared/api/contract';
import { compile } from '../../../shared/compile/compile';
import { parseDesign } from '../../../shared/model/parse';
import type { Dialogs } from './dialogs';
import { headlessDialogs, numberedName } from './dialogs';
import { NOT_AVAILABLE, type LiveSink, type RunEngine, type RunJob } from './engines';
import { repoResourcesDir } from './paths';
import { SecretStore, type SecretCipher } from './secrets';
import { BackendService, type BackendServiceOptions } from './service';

const examplesDir = join(repoResourcesDir(), 'examples');
const exampleText = readFileSync(join(examplesDir, 'two-namespaces-nat.wireplan.json'), 'utf8');

let dir: string;
let services: BackendService[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wp-service-'));
});
afterEach(async () => {
  await Promise.all(services.map((s) => s.close()));
  services = [];
  rmSync(dir, { recursive: true, force: true });
});

/** Native-like dialogs that answer from a script, like a user clicking through them. */
function scriptedDialogs(answers: { open?: (string | undefined)[]; save?: (string | undefined)[] }): Dialogs & { asked: string[] } {
  const asked: string[] = [];
  return {
    native: true,
    asked,
    chooseOpen: async () => (asked.push('open'), answers.open?.shift()),
    chooseSave: async (kind, name) => (asked.push(`save:${kind}:${name}`), answers.save?.shift()),
  };
}

function service(opts: Partial<BackendServiceOptions> = {}): BackendService {
  const s = new BackendService({ configDir: join(dir, 'config'), examplesDir, dialogs: scriptedDialogs({}), userKnownHostsPath: null, ...opts });
  services.push(s);
  return s;
}

function hashes(text: string): Record<string, string> {
  const loaded = parseDesign(text);
  if (!loaded.ok) throw new Error('example does not load');
  const c = compile(loaded.design);
  if (!c.ok) throw new Error('example does not compile');
  return Object.fromEntries(c.plan.hosts.map((h) => [h.host.id, h.hash]));
}

describe('files', () => {
  it('Save As asks for a path, writes atomically and remembers the file; Save then needs no dialog', async () => {
    const target = join(dir, 'mine.wireplan.json');
    const dialogs = scriptedDialogs({ save: [target] });
    const s = service({ dialogs });
    const first = await s.saveDesign(undefined, exampleText, 'suggested.wireplan.json');
    expect(first).toMatchObject({ ok: true, path: target, version: { size: Buffer.byteLength(exampleText) } });
    expect(dialogs.asked).toEqual(['save:design:suggested.wireplan.json']);
    expect(readFileSync(target, 'utf8')).toBe(exampleText);
    expect(readdirSync(dir).filter((n) => n.endsWith('.wptmp'))).toEqual([]);
    expect(await s.saveDesign(target, `${exampleText}\n`, undefined, { ifVersion: first.ok ? first.version! : null })).toMatchObject({ ok: true, path: target });
    expect(dialogs.asked).toHaveLength(1);
    const recent = await s.recentFiles();
    expect(recent.map((r) => [r.path, r.name])).toEqual([[target, 'mine.wireplan.json']]);
    expect(Number.isNaN(Date.parse(recent[0]!.openedAt))).toBe(false);
  });

  it('a canceled dialog is reported as canceled, not as an error', async () => {
    const s = service({ dialogs: scriptedDialogs({ open: [undefined], save: [undefined] }) });
    expect(await s.openDesign()).toEqual({ ok: false, canceled: true });
    expect(await s.saveDesign(undefined, 'x')).toEqual({ ok: false, canceled: true });
    expect(await s.exportFile({ suggestedName: 'a.sh', data: 'x', mimeType: 'text/x-shellscript' })).toEqual({ ok: false, canceled: true });
  });

  it('opens a chosen file; a path the user never pointed at is refused', async () => {
    const file = join(dir, 'a.wireplan.json');
    writeFileSync(file, exampleText);
    const secret = join(dir, 'secret.json');
    writeFileSync(secret, '{"wireplan": 2}');
    const s = service({ dialogs: scriptedDialogs({ open: [file] }) });
    expect(await s.openDesign()).toMatchObject({ ok: true, path: file, text: exampleText, version: { size: Buffer.byteLength(exampleText) } });
    // Granted by the dialog, and now in the recent list: opening it again by path works.
    expect((await s.openDesign(file)).ok).toBe(true);
    const refused = await s.openDesign(secret);
    expect(refused).toMatchObject({ ok: false, canceled: false });
    expect(!refused.ok && !refused.canceled && refused.error).toMatch(/opens only files chosen/);
    const write = await s.saveDesign(join(dir, 'elsewhere.json'), 'x');
    expect(!write.ok && !write.canceled && write.error).toMatch(/Save As/);
    expect(() => statSync(join(dir, 'elsewhere.json'))).toThrow();
    expect((await s.openDesign('relative.json')).ok).toBe(false);
  });

  it('files from the recent list of an earlier session stay openable', async () => {
    const file = join(dir, 'kept.wireplan.json');
    writeFileSync(file, exampleText);
    await service({ dialogs: scriptedDialogs({ open: [file] }) }).openDesign();
    const later = service();
    expect(await later.openDesign(file)).toMatchObject({ ok: true, path: file });
  });

  it('a file given on the command line is granted and delivered once a window listens', async () => {
    const file = join(dir, 'argv.wireplan.json');
    writeFileSync(file, exampleText);
    const s = service();
    s.requestOpen(file);
    const got: AppRequest[] = [];
    const off = s.subscribe('onAppRequest', (r) => got.push(r));
    expect(got).toEqual([{ kind: 'open-file', path: file }]);
    expect((await s.openDesign(file)).ok).toBe(true);
    s.requestMenu('open-example');
    off();
    s.requestMenu('help');
    expect(got).toEqual([
      { kind: 'open-file', path: file },
      { kind: 'menu', command: 'open-example' },
    ]);
  });

  it('headless workspace: relative names resolve inside it, only JSON files, no escape through symlinks', async () => {
    const ws = join(dir, 'ws');
    mkdirSync(ws);
    writeFileSync(join(ws, 'notes.txt'), 'private');
    const outside = join(dir, 'outside.json');
    writeFileSync(outside, '{"wireplan":2}');
    symlinkSync(outside, join(ws, 'link.json'));
    symlinkSync(dir, join(ws, 'up'));
    const s = service({ dialogs: headlessDialogs(ws), workspaceDirs: [ws] });
    expect(await s.saveDesign('picked.wireplan.json', exampleText)).toMatchObject({ ok: true, path: join(ws, 'picked.wireplan.json') });
    expect(await s.openDesign(join(ws, 'picked.wireplan.json'))).toMatchObject({ ok: true, text: exampleText });
    expect((await s.openDesign('notes.txt')).ok).toBe(false);
    expect((await s.openDesign('link.json')).ok).toBe(false);
    expect((await s.openDesign('up/outside.json')).ok).toBe(false);
    expect((await s.openDesign('../outside.json')).ok).toBe(false);
    expect((await s.saveDesign('up/new.json', 'x')).ok).toBe(false);
    expect(() => lstatSync(join(dir, 'new.json'))).toThrow();
  });

  it('headless Save As never overwrites: name, name-2, name-3', async () => {
    const ws = join(dir, 'ws');
    const s = service({ dialogs: headlessDialogs(ws), workspaceDirs: [ws] });
    const paths = [];
    for (let i = 0; i < 3; i++) paths.push(((await s.saveDesign(undefined, `v${i}`, 'lab.wireplan.json')) as { path: string }).path);
    expect(paths).toEqual([join(ws, 'lab.wireplan.json'), join(ws, 'lab-2.wireplan.json'), join(ws, 'lab-3.wireplan.json')]);
    expect(readFileSync(paths[0]!, 'utf8')).toBe('v0');
    expect(numberedName('up.sh', 2)).toBe('up-2.sh');
    expect(numberedName('README', 3)).toBe('README-3');
  });

  it('exports text and bytes; a shell script is executable', async () => {
    const ws = join(dir, 'ws');
    const s = service({ dialogs: headlessDialogs(ws), workspaceDirs: [ws] });
    const script = await s.exportFile({ suggestedName: 'lab-up.sh', data: '#!/bin/bash\necho hi\n', mimeType: 'text/x-shellscript' });
    expect(script).toEqual({ ok: true, path: join(ws, 'lab-up.sh') });
    expect(statSync(join(ws, 'lab-up.sh')).mode & 0o777).toBe(0o755);
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 10, 13]);
    const png = await s.exportFile({ suggestedName: 'd.png', data: bytes, mimeType: 'image/png' });
    expect(png.ok).toBe(true);
    expect(new Uint8Array(readFileSync(join(ws, 'd.png')))).toEqual(bytes);
    expect(statSync(join(ws, 'd.png')).mode & 0o777).toBe(0o644);
    // A shell MIME type alone does not make a non-script name executable.
    expect((await s.exportFile({ suggestedName: 'notes.txt', data: 'x', mimeType: 'text/x-shellscript' })).ok).toBe(true);
    expect(statSync(join(ws, 'notes.txt')).mode & 0o111).toBe(0);
  });

  it('headless export never overwrites without confirmation: "exists", then overwrite: true replaces', async () => {
    const ws = join(dir, 'ws');
    const s = service({ dialogs: headlessDialogs(ws), workspaceDirs: [ws] });
    expect((await s.exportFile({ suggestedName: 'lab.sh', data: 'one', mimeType: 'text/x-shellscript' })).ok).toBe(true);
    const again = await s.exportFile({ suggestedName: 'lab.sh', data: 'two', mimeType: 'text/x-shellscript' });
    expect(again).toMatchObject({ ok: false, canceled: false, reason: 'exists', path: join(ws, 'lab.sh') });
    expect(!again.ok && !again.canceled && again.error).toContain('already exists; replace it?');
    expect(readFileSync(join(ws, 'lab.sh'), 'utf8')).toBe('one');
    expect(await s.exportFile({ suggestedName: 'lab.sh', data: 'two', mimeType: 'text/x-shellscript', overwrite: true })).toEqual({ ok: true, path: join(ws, 'lab.sh') });
    expect(readFileSync(join(ws, 'lab.sh'), 'utf8')).toBe('two');
    expect(readdirSync(ws)).toEqual(['lab.sh']);
  });

  it('a write error is reported with the path and the reason', async () => {
    const s = service({ dialogs: scriptedDialogs({ save: [join(dir, 'missing-dir', 'x.json')] }) });
    const r = await s.saveDesign(undefined, 'x');
    expect(r).toMatchObject({ ok: false, canceled: false });
    expect(!r.ok && !r.canceled && r.error).toContain(`the folder ${join(dir, 'missing-dir')} does not exist`);
  });
});

describe('autosave', () => {
  it('round-trips, is private to the user, and clears', async () => {
    const s = service();
    expect(await s.readAutosave()).toBeUndefined();
    const entry = { text: exampleText, path: '/somewhere/x.wireplan.json', savedAt: new Date().toISOString() };
    await s.writeAutosave(entry);
    expect(await s.readAutosave()).toEqual(entry);
    const file = join(dir, 'config', 'autosave.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await s.writeAutosave({ text: 'second', savedAt: entry.savedAt });
    expect(await s.readAutosave()).toEqual({ text: 'second', savedAt: entry.savedAt });
    await s.clearAutosave();
    await s.clearAutosave();
    expect(await s.readAutosave()).toBeUndefined();
  });

  it('a torn or foreign autosave file reads as nothing, not as a crash', async () => {
    const s = service();
    mkdirSync(join(dir, 'config'), { recursive: true });
    writeFileSync(join(dir, 'config', 'autosave.json'), '{"text": 4');
    expect(await s.readAutosave()).toBeUndefined();
    writeFileSync(join(dir, 'config', 'autosave.json'), '{"text": 4, "savedAt": "x"}');
    expect(await s.readAutosave()).toBeUndefined();
  });

  it('concurrent writes land in call order', async () => {
    const s = service();
    const at = new Date().toISOString();
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.writeAutosave({ text: `v${i}`, savedAt: at })));
    expect((await s.readAutosave())?.text).toBe('v19');
  });
});

describe('examples', () => {
  it('lists every bundled example with its title, and reads one', async () => {
    const s = service();
    const list = await s.listExamples();
    const files = readdirSync(examplesDir).filter((n) => n.endsWith('.wireplan.json'));
    expect(list).toHaveLength(files.length);
    expect(list.find((x) => x.id === 'two-namespaces-nat')?.title).toBe(JSON.parse(exampleText).name);
    expect(await s.readExample('two-namespaces-nat')).toEqual({ ok: true, text: exampleText });
    expect(await s.readExample('nope')).toEqual({ ok: false, error: 'no example named nope' });
  });
});

describe('runs', () => {
  const planHashes = hashes(exampleText);

  it('without an apply engine: a clear "not available", never a pretended success', async () => {
    const s = service();
    expect(await s.apply({ designText: exampleText, planHashes })).toEqual({ ok: false, error: NOT_AVAILABLE.apply });
    expect(await s.destroy({ designText: exampleText })).toEqual({ ok: false, error: NOT_AVAILABLE.destroy });
  });

  it('refuses a stale plan, a missing preview, an unknown host and a design with errors', async () => {
    const s = service({ engines: { apply: { run: async () => {} } } });
    const [hostId, hash] = Object.entries(planHashes)[0]!;
    const stale = await s.apply({ designText: exampleText, planHashes: { [hostId]: hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) } });
    expect(stale).toMatchObject({ ok: false });
    expect(!stale.ok && stale.error).toMatch(/changed since it was previewed/);
    const none = await s.apply({ designText: exampleText, planHashes: {} });
    expect(!none.ok && none.error).toMatch(/no previewed plan/);
    const unknown = await s.apply({ designText: exampleText, planHashes, hostIds: ['ghost'] });
    expect(!unknown.ok && unknown.error).toMatch(/no host "ghost"/);
    const broken = JSON.parse(exampleText);
    broken.veths[0].a.ifname = 'much-too-long-interface-name';
    const bad = await s.apply({ designText: JSON.stringify(broken), planHashes });
    expect(!bad.ok && bad.error).toMatch(/the design has errors/);
    const notJson = await s.apply({ designText: '{', planHashes });
    expect(!notJson.ok && notJson.error).toMatch(/not valid JSON/);
  });

  it('hands an engine the backend-compiled plan and streams its progress, stamped', async () => {
    let job: RunJob | undefined;
    const engine: RunEngine = {
      run: async (j) => {
        job = j;
        for (const h of j.hosts) {
          j.progress({ hostId: h.host.id, phase: 'running', stepIndex: 1, stepCount: h.steps.length, status: 'started' });
          j.progress({ hostId: h.host.id, phase: 'done' });
        }
      },
    };
    const s = service({ engines: { apply: engine } });
    const events: RunProgressEvent[] = [];
    s.subscribe('onRunProgress', (e) => events.push(e));
    const start = await s.apply({ designText: exampleText, planHashes, keepPartial: true });
    expect(start.ok).toBe(true);
    const runId = (start as { runId: string }).runId;
    await expect.poll(() => events.length).toBe(2 * Object.keys(planHashes).length);
    expect(job?.plan.hosts.map((h) => h.hash)).toEqual(Object.values(planHashes));
    expect(job?.keepPartial).toBe(true);
    expect(job?.allowManagementChange).toBe(false);
    for (const e of events) {
      expect(e.runId).toBe(runId);
      expect(e.kind).toBe('apply');
      expect(Number.isNaN(Date.parse(e.at))).toBe(false);
    }
    expect(events.at(-1)?.phase).toBe('done');
  });

  it('an engine that throws is reported as a failure of every unfinished host', async () => {
    const s = service({ engines: { destroy: { run: async () => Promise.reject(new Error('host exploded')) } } });
    const events: RunProgressEvent[] = [];
    s.subscribe('onRunProgress', (e) => events.push(e));
    expect((await s.destroy({ designText: exampleText })).ok).toBe(true);
    await expect.poll(() => events.length).toBe(Object.keys(planHashes).length);
    expect(events[0]).toMatchObject({ kind: 'destroy', phase: 'failed', message: 'host exploded' });
  });

  it('cancelRun aborts the job; the hosts end as canceled', async () => {
    const s = service({
      engines: {
        apply: {
          run: (j) =>
            new Promise((_resolve, reject) => {
              j.signal.addEventListener('abort', () => reject(j.signal.reason as Error));
            }),
        },
      },
    });
    const events: RunProgressEvent[] = [];
    s.subscribe('onRunProgress', (e) => events.push(e));
    const start = (await s.apply({ designText: exampleText, planHashes })) as { ok: true; runId: string };
    await s.cancelRun(start.runId);
    await expect.poll(() => events.length).toBe(Object.keys(planHashes).length);
    expect(events[0]).toMatchObject({ phase: 'canceled', message: 'canceled by the user' });
    await s.cancelRun('0000000000-unknown'); // unknown ids are a no-op
  });

  it('hostStatus without a live monitor says so instead of inventing a state', async () => {
    const s = service();
    expect(await s.hostStatus(['h1'])).toEqual([{ hostId: 'h1', connection: 'disconnected', error: NOT_AVAILABLE.live }]);
    expect(await s.hostStatus()).toEqual([]);
  });

  it('a live engine receives the status calls and its pushes reach subscribers', async () => {
    let sink: LiveSink | undefined;
    const s = service({
      engines: {
        live: {
          status: async (ids) => (ids ?? []).map((hostId) => ({ hostId, connection: 'connected' as const })),
          subscribe: (k) => ((sink = k), () => (sink = undefined)),
        },
      },
    });
    expect(await s.hostStatus(['h1'])).toEqual([{ hostId: 'h1', connection: 'connected' }]);
    const got: unknown[] = [];
    s.subscribe('onLiveStatus', (u) => got.push(u));
    sink?.liveStatus({ hostId: 'h1', replace: true, elements: [] });
    expect(got).toEqual([{ hostId: 'h1', replace: true, elements: [] }]);
    await s.close();
    expect(sink).toBeUndefined();
  });
});

describe('secret store', () => {
  const cipher = (strength: SecretCipher['strength']): SecretCipher => ({
    strength,
    encrypt: (p) => Buffer.from(p.split('').reverse().join(''), 'utf8'),
    decrypt: (b) => b.toString('utf8').split('').reverse().join(''),
  });
  const file = () => join(dir, 'secrets.json');
  const key = SecretStore.keyFor('root', '10.0.0.5', 22, 'password');

  it('with a keyring: stored encrypted and readable by a later session', async () => {
    const a = new SecretStore({ file: file(), cipher: cipher('keyring') });
    expect(await a.set(key, 'hunter2', true)).toBe('encrypted');
    expect(readFileSync(file(), 'utf8')).not.toContain('hunter2');
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(await new SecretStore({ file: file(), cipher: cipher('keyring') }).get(key)).toBe('hunter2');
    await a.forget(key);
    expect(await new SecretStore({ file: file(), cipher: cipher('keyring') }).get(key)).toBeUndefined();
  });

  it('plain-text backend: nothing is written unless the user accepted', async () => {
    const refused = new SecretStore({ file: file(), cipher: cipher('plaintext'), acceptPlaintext: async () => false });
    expect(await refused.set(key, 'hunter2', true)).toBe('session');
    expect(await refused.get(key)).toBe('hunter2');
    expect(() => statSync(file())).toThrow();
    const silent = new SecretStore({ file: file(), cipher: cipher('plaintext') });
    expect(await silent.set(key, 'hunter2', true)).toBe('session');
    expect(() => statSync(file())).toThrow();
    const accepted = new SecretStore({ file: file(), cipher: cipher('plaintext'), acceptPlaintext: async () => true });
    expect(await accepted.set(key, 'hunter2', true)).toBe('plaintext');
    expect(statSync(file()).isFile()).toBe(true);
  });

  it('headless (no cipher) and "do not remember": session only', async () => {
    const none = new SecretStore({ file: file() });
    expect(await none.set(key, 'hunter2', true)).toBe('session');
    const keyring = new SecretStore({ file: file(), cipher: cipher('keyring') });
    expect(await keyring.set(key, 'hunter2', false)).toBe('session');
    expect(() => statSync(file())).toThrow();
  });
});
