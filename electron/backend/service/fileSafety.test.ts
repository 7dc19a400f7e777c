// Saving through the service: external changes are a conflict (never silently replaced),
// symlinks are written through with mode and owner kept, an older format is kept as .bak
// before it is replaced, a BOM is read, and app state is out of reach. Each case checks
// only files it created in its own temporary folder.
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileVersion, SaveResult } from '../../../shared/api/contract';
import { parseDesign } from '../../../shared/model/parse';
import { headlessDialogs } from './dialogs';
import { repoResourcesDir } from './paths';
import { BackendService } from './service';

const examplesDir = join(repoResourcesDir(), 'examples');
const exampleText = readFileSync(join(examplesDir, 'two-namespaces-nat.wireplan.json'), 'utf8');

let dir: string;
let ws: string;
let s: BackendService;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wp-filesafety-'));
  ws = join(dir, 'ws');
  mkdirSync(ws);
  s = new BackendService({ configDir: join(dir, 'config'), examplesDir, dialogs: headlessDialogs(ws), workspaceDirs: [ws], userKnownHostsPath: null });
});
afterEach(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

function errorOf(r: SaveResult): string {
  return !r.ok && !r.canceled ? r.error : '';
}

async function open(path: string): Promise<FileVersion> {
  const r = await s.openDesign(path);
  if (!r.ok || !r.version) throw new Error(`cannot open ${path}: ${JSON.stringify(r)}`);
  return r.version;
}

describe('external changes', () => {
  it('open, edit on disk, save: a conflict that names the change; the edit on disk stays', async () => {
    const file = join(ws, 'lab.wireplan.json');
    writeFileSync(file, exampleText);
    const version = await open(file);
    writeFileSync(file, exampleText.replace('"name"', '"description": "edited elsewhere", "name"'));
    const onDisk = readFileSync(file, 'utf8');
    const r = await s.saveDesign(file, `${exampleText}\n`, undefined, { ifVersion: version });
    expect(r).toMatchObject({ ok: false, canceled: false, reason: 'conflict', path: file, current: { size: Buffer.byteLength(onDisk) } });
    expect(errorOf(r)).toContain('changed on disk since it was opened or last saved');
    expect(readFileSync(file, 'utf8')).toBe(onDisk);
    // Overwrite is the user's explicit choice.
    const forced = await s.saveDesign(file, `${exampleText}\n`, undefined, { overwrite: true });
    expect(forced).toMatchObject({ ok: true, path: file });
    expect(readFileSync(file, 'utf8')).toBe(`${exampleText}\n`);
    // The version a save returns is the precondition of the next save.
    const next = await s.saveDesign(file, exampleText, undefined, { ifVersion: forced.ok ? forced.version! : null });
    expect(next.ok).toBe(true);
  });

  it('a touched file with the same bytes is not a conflict; a deleted or newly appeared file is', async () => {
    const file = join(ws, 'touched.wireplan.json');
    writeFileSync(file, exampleText);
    const version = await open(file);
    utimesSync(file, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
    const touched = await s.saveDesign(file, exampleText, undefined, { ifVersion: version });
    expect(touched.ok).toBe(true);

    rmSync(file);
    const deleted = await s.saveDesign(file, exampleText, undefined, { ifVersion: touched.ok ? touched.version! : version });
    expect(deleted).toMatchObject({ reason: 'conflict' });
    expect(errorOf(deleted)).toContain('was deleted on disk');
    expect(() => statSync(file)).toThrow();

    // No precondition means "must not exist yet": a file the app never read is not replaced.
    const other = join(ws, 'appeared.wireplan.json');
    writeFileSync(other, '{"wireplan":2,"name":"someone else"}');
    const appeared = await s.saveDesign(other, exampleText);
    expect(appeared).toMatchObject({ reason: 'conflict' });
    expect(errorOf(appeared)).toContain('already exists on disk and was not opened in Wireplan');
    expect(readFileSync(other, 'utf8')).toBe('{"wireplan":2,"name":"someone else"}');
  });

  it('of overlapping saves with the same precondition exactly one wins; the others are conflicts', async () => {
    const file = join(ws, 'race.wireplan.json');
    writeFileSync(file, exampleText);
    const version = await open(file);
    const texts = Array.from({ length: 20 }, (_, i) => exampleText.replace('"name"', `"description": "writer ${i}", "name"`));
    const results = await Promise.all(texts.map((t) => s.saveDesign(file, t, undefined, { ifVersion: version })));
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok && !r.canceled && r.reason === 'conflict')).toHaveLength(19);
    expect(readFileSync(file, 'utf8')).toBe(texts[winners[0]!]);
  });
});

describe('writing through links, keeping mode and owner', () => {
  it('a symlink stays a symlink, its target gets the new text and keeps mode 0640', async () => {
    mkdirSync(join(ws, 'real'));
    const target = join(ws, 'real', 'target.wireplan.json');
    writeFileSync(target, exampleText);
    chmodSync(target, 0o640);
    const link = join(ws, 'link.wireplan.json');
    symlinkSync('real/target.wireplan.json', link);
    const version = await open(link);
    const r = await s.saveDesign(link, `${exampleText}\n`, undefined, { ifVersion: version });
    expect(r).toMatchObject({ ok: true, path: link });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('real/target.wireplan.json');
    expect(readFileSync(target, 'utf8')).toBe(`${exampleText}\n`);
    expect(statSync(target).mode & 0o7777).toBe(0o640);
    expect(readdirSync(join(ws, 'real'))).toEqual(['target.wireplan.json']);
  });

  it('the owner is kept (needs root to create a file of another user)', async (ctx) => {
    if (process.getuid?.() !== 0) {
      console.log('[fileSafety] skipped: owner preservation needs root to give a file another owner');
      ctx.skip();
      return;
    }
    const file = join(ws, 'owned.wireplan.json');
    writeFileSync(file, exampleText);
    chmodSync(file, 0o664);
    chownSync(file, 4321, 4322);
    const version = await open(file);
    expect((await s.saveDesign(file, `${exampleText}\n`, undefined, { ifVersion: version })).ok).toBe(true);
    const st = statSync(file);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([4321, 4322, 0o664]);
  });
});

describe('older formats and byte order marks', () => {
  it('replacing a file of an older format keeps the original as NAME.wireplan.json.bak first', async () => {
    const file = join(ws, 'old.wireplan.json');
    const original = '{ "wireplan": 1, "name": "old lab" }\n';
    writeFileSync(file, original);
    chmodSync(file, 0o600);
    const version = await open(file);
    const r = await s.saveDesign(file, exampleText, undefined, { ifVersion: version });
    expect(r).toMatchObject({ ok: true, backup: `${file}.bak` });
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(original);
    expect(statSync(`${file}.bak`).mode & 0o7777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(exampleText);
    // The next save replaces a current-format file: no further backup.
    const again = await s.saveDesign(file, `${exampleText}\n`, undefined, { ifVersion: r.ok ? r.version! : version });
    expect(again.ok && again.backup).toBeFalsy();
    expect(readdirSync(ws).sort()).toEqual(['old.wireplan.json', 'old.wireplan.json.bak']);
  });

  it('a UTF-8 BOM is accepted: the text comes without it and parses', async () => {
    const file = join(ws, 'bom.wireplan.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(exampleText)]));
    const r = await s.openDesign(file);
    expect(r).toMatchObject({ ok: true, text: exampleText, version: { size: Buffer.byteLength(exampleText) + 3 } });
    expect(parseDesign(`\uFEFF${exampleText}`).ok).toBe(true);
  });
});

describe('app state is out of reach', () => {
  it('the recent list and autosave live in the config folder and are not writable through saveDesign', async () => {
    await s.saveDesign('mine.wireplan.json', exampleText);
    const recentPath = join(dir, 'config', 'recent.json');
    const before = readFileSync(recentPath, 'utf8');
    const r = await s.saveDesign(recentPath, '{"version":1,"files":[]}', undefined, { overwrite: true });
    expect(errorOf(r)).toContain("inside Wireplan's own config folder");
    expect(readFileSync(recentPath, 'utf8')).toBe(before);
    // A link in the workspace that points into the config folder is refused the same way.
    symlinkSync(recentPath, join(ws, 'recent.json'));
    expect(errorOf(await s.saveDesign('recent.json', '{}', undefined, { overwrite: true }))).toContain("inside Wireplan's own config folder");
    expect((await s.openDesign('recent.json')).ok).toBe(false);
    expect(readFileSync(recentPath, 'utf8')).toBe(before);
  });
});
