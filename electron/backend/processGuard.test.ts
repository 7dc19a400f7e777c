// The backend's last line of defence: an escaped error is logged and the process lives on.
import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { installProcessGuard } from './processGuard';

const dir = mkdtempSync(join(tmpdir(), 'wireplan-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeProcess() {
  return new EventEmitter() as unknown as Pick<NodeJS.Process, 'on' | 'off'> & EventEmitter;
}

describe('process guard', () => {
  it('logs unhandled rejections and uncaught exceptions with their stack, and uninstalls', () => {
    const target = fakeProcess();
    const lines: string[] = [];
    const guard = installProcessGuard({ log: (l) => lines.push(l), target });
    const err = new Error('Cancelled after a heartbeat timeout');
    target.emit('unhandledRejection', err, Promise.resolve());
    target.emit('uncaughtException', new TypeError('boom'));
    target.emit('unhandledRejection', 'a string');
    expect(guard.caught).toBe(3);
    expect(lines[0]).toMatch(/^backend guard: unhandled promise rejection \(this is a bug; the backend keeps running\): Error: Cancelled after a heartbeat timeout\n\s+at /);
    expect(lines[1]).toMatch(/uncaught exception .*TypeError: boom/s);
    expect(lines[2]).toContain('non-Error value: "a string"');
    guard.uninstall();
    expect(target.listenerCount('unhandledRejection')).toBe(0);
    expect(target.listenerCount('uncaughtException')).toBe(0);
  });

  it('limits its reports per minute, says how many it left out, and survives a log sink that throws', () => {
    const target = fakeProcess();
    const lines: string[] = [];
    let now = 0;
    let throwing = false;
    const guard = installProcessGuard({
      log: (l) => {
        if (throwing) throw new Error('stderr is gone');
        lines.push(l);
      },
      target,
      maxReportsPerMinute: 3,
      now: () => now,
    });
    for (let i = 0; i < 10; i++) target.emit('unhandledRejection', new Error(`e${i}`));
    expect(lines).toHaveLength(3);
    now = 61_000;
    target.emit('unhandledRejection', new Error('later'));
    expect(lines[3]).toBe('backend guard: 7 more unhandled errors in the last minute were not logged');
    expect(lines[4]).toContain('later');
    throwing = true;
    expect(() => target.emit('uncaughtException', new Error('x'))).not.toThrow();
    expect(guard.caught).toBe(12);
    guard.uninstall();
  });

  it('a real Node process keeps running after an escaped rejection and a throwing timer', { timeout: 120_000 }, async () => {
    const script = join(dir, 'guarded.ts');
    writeFileSync(
      script,
      `import { installProcessGuard } from ${JSON.stringify(join(__dirname, 'processGuard.ts'))};
installProcessGuard({ log: (l) => process.stderr.write(l.split('\\n')[0] + '\\n') });
void Promise.reject(new Error('escaped rejection'));
setTimeout(() => { throw new Error('escaped exception'); }, 0);
setTimeout(() => { process.stdout.write('still serving\\n'); }, 50);
`,
    );
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: join(__dirname, '../..') });
    expect(r.stdout).toBe('still serving\n');
    expect(r.stderr).toContain('unhandled promise rejection (this is a bug; the backend keeps running): Error: escaped rejection');
    expect(r.stderr).toContain('uncaught exception (this is a bug; the backend keeps running): Error: escaped exception');
  });
});
