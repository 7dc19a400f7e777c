// The sandbox holder starts bash without startup files and with a clean environment (a
// server started with SHLVL=0 once had it read ~/.bashrc), and a sandbox that does not start
// says what to check.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxExecutor, sandboxSilence } from '../../electron/backend/executor/sandbox-executor';
import { runProc } from '../support/lab-proc';

const dir = mkdtempSync(join(tmpdir(), 'wp-sbclean-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const unshareWorks = (await runProc(['unshare', '--user', '--map-root-user', '--net', '--mount', 'true'])).code === 0;
if (!unshareWorks) console.log('[sandbox-clean-start] skipped: unshare --user --map-root-user is not permitted here');

describe.skipIf(!unshareWorks)('sandbox holder start', () => {
  it('reads no startup file: neither BASH_ENV nor ~/.bashrc of this process runs, even with SHLVL=0', async () => {
    const marker = join(dir, 'startup-ran');
    const rc = join(dir, 'rc.sh');
    writeFileSync(rc, `touch ${JSON.stringify(marker)}\n`);
    writeFileSync(join(dir, '.bashrc'), `touch ${JSON.stringify(marker)}\n`);
    const saved = { BASH_ENV: process.env['BASH_ENV'], HOME: process.env['HOME'], SHLVL: process.env['SHLVL'] };
    Object.assign(process.env, { BASH_ENV: rc, HOME: dir, SHLVL: '0' });
    let sb: SandboxExecutor | undefined;
    try {
      sb = await SandboxExecutor.start({ name: 'clean' });
      const r = await sb.run('echo "${BASH_ENV-unset}"');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('unset');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await sb?.close();
    }
    expect(existsSync(marker)).toBe(false);
  });
});

describe('a sandbox that did not start', () => {
  it('says what to check, for a timeout and for an exit without a message', () => {
    expect(sandboxSilence(true, 10_000)).toMatch(/^no ready line within 10 s\. Check that unprivileged user namespaces are allowed/);
    expect(sandboxSilence(true, 10_000)).toContain('try again');
    expect(sandboxSilence(false, 10_000)).toMatch(/^it exited at once without a message\. .*unshare \(util-linux\)/);
  });
});
