import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RUNTIME_SH } from '../../shared/export/runtime.generated';
import { RUNTIME_PLACEHOLDER } from '../../shared/export/script';
import { main } from './main';
import type { CliIo } from './io';

const root = join(__dirname, '../..');
const example = join(root, 'resources/examples/two-namespaces-nat.wireplan.json');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  const code = await main(argv, io);
  return { code, out, err };
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wireplan-cli-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('wireplan CLI', () => {
  it('validate: exit 0 for a clean design', async () => {
    const r = await cli('validate', example);
    expect(r.code).toBe(0);
    expect(r.out).toContain('valid');
  });

  it('validate: exit 1 with element, field and fix when the design has errors', async () => {
    const design = JSON.parse(readFileSync(example, 'utf8'));
    design.veths[0].a.ifname = 'much-too-long-interface';
    const r = await cli('validate', tempFile('bad.wireplan.json', JSON.stringify(design)));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/error\s+link-app1\.a\.ifname: .*15/);
    expect(r.out).toContain('fix:');
  });

  it('validate --json: machine-readable diagnostics', async () => {
    const r = await cli('validate', example, '--json');
    expect(JSON.parse(r.out)).toEqual({ ok: true, diagnostics: expect.any(Array) });
  });

  it('validate: exit 2 and a clear message for missing, non-JSON, foreign and newer files', async () => {
    const cases: [string, RegExp][] = [
      ['/nonexistent/x.wireplan.json', /no such file/],
      [tempFile('a.json', '{ not json'), /not valid JSON/],
      [tempFile('b.json', '{"hello": 1}'), /not a Wireplan design/],
      [tempFile('c.json', '{"wireplan": 99, "name": "x"}'), /made by a newer Wireplan/],
      [tempFile('d.json', '{"wireplan": 2, "name": "x", "tag": "x", "hosts": "nope"}'), /hosts: expected array/],
    ];
    for (const [file, message] of cases) {
      const r = await cli('validate', file);
      expect(r.code, file).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('plan: prints the ordered commands and the interface name mapping; --json gives the data', async () => {
    const r = await cli('plan', example);
    expect(r.code).toBe(0);
    expect(r.out).toContain('# host lab (lab): 22 steps');
    expect(r.out).toContain('#   app1 uplink (a) -> eth0 in app1');
    expect(r.out).toContain('ip link add name v-app1 type veth peer name eth0 netns app1');
    const j = await cli('plan', example, '--json');
    expect(JSON.parse(j.out).hosts[0].steps.length).toBe(22);
  });

  it('plan --host: selects hosts and refuses unknown ones', async () => {
    const multi = join(root, 'resources/examples/vxlan-two-hosts.wireplan.json');
    const r = await cli('plan', multi, '--host', 'lab-b');
    expect(r.out).toContain('# host lab-b (b)');
    expect(r.out).not.toContain('# host lab-a');
    const bad = await cli('plan', multi, '--host', 'nope');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('no host "nope"');
  });

  it('export: writes an executable script identical to the golden one; needs --host with several hosts', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wireplan-cli-')), 'lab.sh');
    const r = await cli('export', example, '--host', 'lab', '-o', out);
    expect(r.code).toBe(0);
    expect(statSync(out).mode & 0o111).not.toBe(0);
    // The golden script holds a placeholder line where the runtime goes.
    const golden = readFileSync(join(root, 'resources/golden/two-namespaces-nat/lab.sh'), 'utf8');
    expect(readFileSync(out, 'utf8')).toBe(golden.replace(RUNTIME_PLACEHOLDER, () => RUNTIME_SH.trim()));
    const multi = await cli('export', join(root, 'resources/examples/vxlan-two-hosts.wireplan.json'));
    expect(multi.code).toBe(2);
    expect(multi.err).toContain('choose one with --host');
  });

  it('help for every command; unknown commands and options are usage errors', async () => {
    expect((await cli('--help')).out).toMatch(/validate.*\n.*plan.*\n.*export/);
    for (const c of ['validate', 'plan', 'export']) {
      const r = await cli(c, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`usage: wireplan ${c}`);
    }
    expect((await cli('frobnicate')).code).toBe(2);
    const r = await cli('plan', example, '--bogus');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown option --bogus');
  });

  it('runs as `npx wireplan` from the repository root', async () => {
    const { stdout } = await promisify(execFile)('npx', ['--no-install', 'wireplan', 'validate', example], { cwd: root });
    expect(stdout).toContain('valid');
  });
});
