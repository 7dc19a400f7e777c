// Saves that cannot tear, proved the hard way: a child process saving in a loop is killed
// with SIGKILL mid-save 100 times and the file is always one complete version, with no
// temporary file left after the next start; a full disk (a small tmpfs in a private mount
// namespace) keeps the old file, reports "no space left", leaves no temporary file, and the
// next save that fits works. Plus the stale-temp rules: only our names, only of processes
// that are gone. Everything happens in this test's own temporary folders.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isTempName, removeStaleTemps, tempName, writeFileAtomic } from './atomicWrite';
import { headlessDialogs } from './service/dialogs';
import { repoResourcesDir } from './service/paths';
import { BackendService } from './service/service';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'wp-atomic-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A pid that certainly belongs to no process now: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  if (r.pid === undefined) throw new Error('cannot start node');
  return r.pid;
}

/** esbuild comes with tsx (which runs the CLI); resolved from there, not hoisting. */
function esbuild(): { buildSync(o: Record<string, unknown>): unknown } {
  const fromHere = createRequire(import.meta.url);
  return createRequire(fromHere.resolve('tsx/package.json'))('esbuild') as { buildSync(o: Record<string, unknown>): unknown };
}

/** Bundles a TS entry (importing repo modules by absolute path) into a plain .mjs for fast starts. */
function bundle(name: string, source: string): string {
  const entry = join(tmp, `${name}.ts`);
  const out = join(tmp, `${name}.mjs`);
  writeFileSync(entry, source);
  esbuild().buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out, logLevel: 'error' });
  return out;
}

describe('stale temporary files', () => {
  it('names are ours and random; only temps of processes that are gone are removed, and only ours', async () => {
    const dir = join(tmp, 'stale');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    const a = tempName(join(dir, 'lab.wireplan.json'));
    expect(a).not.toBe(tempName(join(dir, 'lab.wireplan.json')));
    expect(isTempName(a.slice(dir.length + 1))).toBe(true);
    const dead = deadPid();
    const names = {
      deadTop: `.lab.wireplan.json.${dead}-0123456789abcdef.wptmp`,
      deadSub: `.x.json.${dead}-fedcba9876543210.wptmp`,
      live: `.lab.wireplan.json.${process.pid}-00000000000000aa.wptmp`,
      legacy: `.lab.wireplan.json.${dead}.1767225600000.tmp`,
      foreign: '.lab.wireplan.json.tmp',
      design: 'lab.wireplan.json',
    };
    for (const n of [names.deadTop, names.legacy, names.live, names.foreign, names.design]) writeFileSync(join(dir, n), 'x');
    writeFileSync(join(dir, 'sub', names.deadSub), 'x');
    expect((await removeStaleTemps(dir)).sort()).toEqual([join(dir, names.deadTop), join(dir, names.legacy)].sort());
    expect(await removeStaleTemps(dir, { depth: 1 })).toEqual([join(dir, 'sub', names.deadSub)]);
    expect(readdirSync(dir).sort()).toEqual([names.foreign, names.live, names.design, 'sub'].sort());
  });

  it('the next save of a file removes what a killed save of it left', async () => {
    const dir = join(tmp, 'next-save');
    mkdirSync(dir);
    const file = join(dir, 'a.json');
    const left = join(dir, `.a.json.${deadPid()}-0123456789abcdef.wptmp`);
    writeFileSync(left, 'half');
    await writeFileAtomic(file, '{"ok":true}');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });
});

describe('the owner is kept', () => {
  it('a save that could only replace the file with one of another owner refuses and changes nothing', (ctx) => {
    if (process.getuid?.() !== 0) {
      console.log('[atomicWrite] skipped: needs root to run a saver as another user');
      ctx.skip();
      return;
    }
    // A file of root's, writable by all, in a folder writable by all; the saver is "nobody".
    const dir = join(tmp, 'shared');
    mkdirSync(dir);
    chmodSync(tmp, 0o755);
    chmodSync(dir, 0o777);
    const file = join(dir, 'lab.wireplan.json');
    writeFileSync(file, '{"owner":"root"}');
    chmodSync(file, 0o666);
    const child = bundle(
      'nobody',
      `import { writeFileAtomic } from ${JSON.stringify(join(ROOT, 'electron/backend/atomicWrite.ts'))};
       try { await writeFileAtomic(process.argv[2], '{"owner":"nobody"}', { mode: 0o644 }); console.log('saved'); }
       catch (e) { console.log(e.code + ' ' + e.message); }`,
    );
    chmodSync(child, 0o644);
    const r = spawnSync(process.execPath, [child, file], { uid: 65534, gid: 65534, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(`EOWNER ${file}: the file belongs to another user or group (uid 0, gid 0) and replacing it would change its owner; nothing was changed`);
    expect(readFileSync(file, 'utf8')).toBe('{"owner":"root"}');
    const st = statSync(file);
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([0, 0, 0o666]);
    expect(readdirSync(dir)).toEqual(['lab.wireplan.json']);
  });
});

describe('kill -9 during saves', () => {
  it('100 trials: the file is always one complete version; the next start leaves no temporary file', async () => {
    const dir = join(tmp, 'kill');
    mkdirSync(join(dir, 'ws'), { recursive: true });
    const file = join(dir, 'ws', 'busy.wireplan.json');
    const size = 4 * 1024 * 1024;
    const child = bundle(
      'saver',
      `import { writeSync } from 'node:fs';
       import { writeFileAtomic } from ${JSON.stringify(join(ROOT, 'electron/backend/atomicWrite.ts'))};
       const [file, size] = [process.argv[2], Number(process.argv[3])];
       // Made once, so the loop spends its time saving.
       const texts = [0, 1].map((i) => JSON.stringify({ wireplan: 2, name: 'text ' + i + ' of pid ' + process.pid, pad: 'x'.repeat(size) }));
       for (let n = 0; ; n++) {
         writeSync(1, 'saving ' + n + '\\n'); // just before the save starts
         await writeFileAtomic(file, texts[n % 2]);
       }`,
    );
    writeFileSync(file, JSON.stringify({ wireplan: 2, name: 'first', pad: 'x'.repeat(size) }));
    let leftTemps = 0;
    for (let trial = 0; trial < 100; trial++) {
      const p = spawn(process.execPath, [child, file, String(size)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<NodeJS.Signals | null>((r) => p.once('exit', (_code, signal) => r(signal)));
      // Killed during its 1st, 2nd or 3rd save, at the first sign of that save in the
      // folder (a temporary file appearing, or the file itself changing), so the kill
      // lands mid-save; if the folder shows nothing, two saves later.
      const after = 1 + (trial % 3);
      let lines = 0;
      const watcher = watch(join(dir, 'ws'), () => {
        if (lines >= after) p.kill('SIGKILL');
      });
      p.stdout.on('data', (b: Buffer) => {
        lines += b.toString().split('\n').length - 1;
        if (lines >= after + 2) p.kill('SIGKILL');
      });
      const signal = await exited;
      watcher.close();
      expect(signal).toBe('SIGKILL');
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { name: string; pad: string };
      expect(doc.pad.length).toBe(size);
      if (readdirSync(join(dir, 'ws')).some(isTempName)) leftTemps++;
    }
    console.log(`[atomicWrite] ${leftTemps} of 100 kills left a temporary file behind before the next start`);
    // A killed save of a file nobody saves again is cleaned up by the next start.
    writeFileSync(join(dir, 'ws', `.other.json.${deadPid()}-0123456789abcdef.wptmp`), 'half');
    const service = new BackendService({ configDir: join(dir, 'cfg'), examplesDir: join(repoResourcesDir(), 'examples'), dialogs: headlessDialogs(join(dir, 'ws')), workspaceDirs: [join(dir, 'ws')], userKnownHostsPath: null });
    try {
      expect((await service.staleTempsRemoved).length).toBeGreaterThanOrEqual(1);
      expect(readdirSync(join(dir, 'ws'))).toEqual(['busy.wireplan.json']);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ wireplan: 2 });
    } finally {
      await service.close();
    }
  }, 240_000);
});

describe('a full disk', () => {
  it('ENOSPC on a small tmpfs: the old file stays, the error says so, no temporary file, the next save that fits works', (ctx) => {
    const mnt = join(tmp, 'small');
    mkdirSync(mnt);
    const root = process.getuid?.() === 0;
    // Root mounts in a private mount namespace; others need a user namespace for that.
    const unshare = root ? ['--mount', '--propagation', 'private'] : ['--user', '--map-root-user', '--mount', '--propagation', 'private'];
    const probe = spawnSync('unshare', [...unshare, 'mount', '-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      console.log(`[atomicWrite] skipped: cannot mount a tmpfs in a private mount namespace here (${probe.error?.message ?? probe.stderr.trim()})`);
      ctx.skip();
      return;
    }
    // One start only: run through tsx (the service imports packages of the checkout).
    const child = join(tmp, 'fullDisk.mts');
    writeFileSync(
      child,
      `import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
       import { BackendService } from ${JSON.stringify(join(ROOT, 'electron/backend/service/service.ts'))};
       import { headlessDialogs } from ${JSON.stringify(join(ROOT, 'electron/backend/service/dialogs.ts'))};
       const dir = process.argv[2];
       const ws = dir + '/ws';
       mkdirSync(ws);
       const s = new BackendService({ configDir: dir + '/cfg', examplesDir: dir, dialogs: headlessDialogs(ws), workspaceDirs: [ws], userKnownHostsPath: null });
       const old = JSON.stringify({ wireplan: 2, name: 'old' });
       const first = await s.saveDesign('lab.wireplan.json', old);
       const big = await s.saveDesign('lab.wireplan.json', JSON.stringify({ wireplan: 2, name: 'big', pad: 'x'.repeat(1024 * 1024) }), undefined, { ifVersion: first.version });
       const afterBig = { text: readFileSync(ws + '/lab.wireplan.json', 'utf8'), entries: readdirSync(ws) };
       const small = await s.saveDesign('lab.wireplan.json', JSON.stringify({ wireplan: 2, name: 'small' }), undefined, { ifVersion: first.version });
       const afterSmall = readFileSync(ws + '/lab.wireplan.json', 'utf8');
       await s.close();
       process.stdout.write(JSON.stringify({ old, first, big, afterBig, small, afterSmall }));`,
    );
    const r = spawnSync('unshare', [...unshare, 'sh', '-c', 'mount -t tmpfs -o size=256k tmpfs "$1" && exec "$2" --import tsx "$3" "$1"', 'sh', mnt, process.execPath, child], { encoding: 'utf8', cwd: ROOT });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { old: string; first: { ok: boolean }; big: { ok: boolean; error?: string }; afterBig: { text: string; entries: string[] }; small: { ok: boolean }; afterSmall: string };
    expect(out.first.ok).toBe(true);
    expect(out.big.ok).toBe(false);
    expect(out.big.error).toContain('lab.wireplan.json: no space left on the device (nothing was changed)');
    expect(out.afterBig.text).toBe(out.old);
    expect(out.afterBig.entries).toEqual(['lab.wireplan.json']);
    expect(out.small.ok).toBe(true);
    expect(JSON.parse(out.afterSmall)).toEqual({ wireplan: 2, name: 'small' });
    // The tmpfs lived only in the child's mount namespace: nothing is left mounted here.
    expect(readdirSync(mnt)).toEqual([]);
  }, 120_000);
});
