// The boot unit of `wireplan export --systemd`: what it says, that hostile names cannot
// break out of its Description, and that systemd itself accepts it (systemd-analyze
// verify, Debian's systemd package, where installed).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptName, SYSTEMD_SCRIPT_DIR, systemdUnit, unitName } from './systemd';

const design = { tag: 'twons', name: 'Two namespaces' } as Parameters<typeof systemdUnit>[0];
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

function verify(unit: string, name = 'wireplan-twons.service'): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wp-unit-'));
  writeFileSync(join(dir, name), unit);
  const r = spawnSync('systemd-analyze', ['verify', join(dir, name)], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('systemd unit', () => {
  it('oneshot, RemainAfterExit, up on start, down on stop, after network-online, enabled for multi-user', () => {
    const unit = systemdUnit(design, { name: 'lab' });
    const script = `${SYSTEMD_SCRIPT_DIR}/${scriptName(design)}`;
    expect(unitName(design)).toBe('wireplan-twons.service');
    expect(unit.split('\n')).toEqual(
      expect.arrayContaining([
        '[Unit]',
        'Wants=network-online.target',
        'After=network-online.target',
        '[Service]',
        'Type=oneshot',
        'RemainAfterExit=yes',
        `ExecStart=/bin/bash ${script} up`,
        `ExecStop=/bin/bash ${script} down`,
        '[Install]',
        'WantedBy=multi-user.target',
      ]),
    );
  });

  it('a hostile design name stays one Description line with no specifiers', () => {
    const unit = systemdUnit({ ...design, name: 'evil\nExecStartPre=/bin/rm -rf / %n \\' }, { name: 'lab' });
    const lines = unit.split('\n');
    expect(lines.filter((l) => l.startsWith('ExecStartPre'))).toEqual([]);
    expect(lines.find((l) => l.startsWith('Description='))).toBe('Description=Wireplan lab "evil ExecStartPre=/bin/rm -rf / %%n \\\\" on lab (design tag twons)');
  });

  it.skipIf(!hasAnalyze)('systemd-analyze verify accepts it without a word', () => {
    expect(verify(systemdUnit(design, { name: 'lab' }))).toEqual({ status: 0, stderr: '' });
    // The check is real: a broken unit is reported.
    expect(verify(systemdUnit(design, { name: 'lab' }).replace('Type=oneshot', 'Type=oneshotx')).stderr).toMatch(/service type/);
  });
});
