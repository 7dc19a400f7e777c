// A simulated reboot for `wireplan export --systemd`: in a fresh sandbox (a new network
// namespace with nothing of the lab in it, as after a boot) the unit's own ExecStart line
// builds the design, running it again changes nothing, and ExecStop removes it.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxExecutor } from '../../electron/backend/executor';
import type { CliIo } from '../../electron/cli/io';
import { main } from '../../electron/cli/main';
import { SYSTEMD_SCRIPT_DIR } from '../../shared/export/systemd';
import { EXAMPLES_DIR } from '../support/examples';
import { addUplink } from '../support/lab-apply';

const example = join(EXAMPLES_DIR, 'two-namespaces-nat.wireplan.json');
let sandbox: SandboxExecutor | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('export --systemd: the unit rebuilds the lab after a reboot', () => {
  it('ExecStart in a fresh sandbox converges, again changes nothing, ExecStop removes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp-systemd-'));
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
    expect(await main(['export', example, '--systemd', dir], io), err).toBe(0);
    expect(out).toContain('systemctl daemon-reload && systemctl enable --now wireplan-twons.service');
    const unit = readFileSync(join(dir, 'wireplan-twons.service'), 'utf8');
    // The unit's own command lines, with the script where this test put it.
    const line = (key: string) => unit.split('\n').find((l) => l.startsWith(`${key}=`))!.slice(key.length + 1).replace(SYSTEMD_SCRIPT_DIR, dir);

    sandbox = await SandboxExecutor.start({ name: 'boot' });
    const sb = sandbox;
    const run = async (cmd: string) => {
      const r = await sb.run(cmd);
      if (r.code !== 0) throw new Error(`${cmd}: ${r.stderr}`);
      return r.stdout + r.stderr;
    };
    await addUplink(run, 'eth0'); // the NIC the design masquerades out of, up as at network-online
    expect(await run(line('ExecStart'))).toMatch(/@wp result converged changed=[1-9]/);
    expect(await run('ip netns list')).toMatch(/app1/);
    expect(await run(line('ExecStart'))).toMatch(/@wp result converged changed=0/);
    await run(line('ExecStop'));
    expect(await run('ip netns list')).not.toMatch(/app1|app2/);
  });
});
