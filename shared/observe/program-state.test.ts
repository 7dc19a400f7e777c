// The runtime's program report (runtime.sh wp_prog_report, poll.sh) read back, and a
// program probe judged from it the way the runtime's status judges it.
import { describe, expect, it } from 'vitest';
import type { Probe } from '../compile/plan';
import { describeExit, describeProgram, parseProgramReport, programProbe } from './program-state';
import type { ObservedHost } from './types';

const host = (report: string): ObservedHost => ({ collectedAt: 0, namespaces: [], firewall: {} as ObservedHost['firewall'], warnings: [], programs: parseProgramReport(report) });
const probe: Extract<Probe, { type: 'program' }> = { type: 'program', ns: 'app1', name: 'web', digest: 'abc123' };

describe('program report', () => {
  it('reads running, exited and gone lines; "-" is the root namespace; anything else is ignored', () => {
    expect(
      parseProgramReport('prog app1 web abc123 running 4242\nprog - dns 00ff exited 143\nprog app2 iperf 01 gone\nnoise\nprog a b NOTHEX running 1\nprog a/b x 01 running 1\nprog a x 01 running nope\n'),
    ).toEqual([
      { ns: 'app1', name: 'web', digest: 'abc123', state: 'running', pid: 4242 },
      { ns: '', name: 'dns', digest: '00ff', state: 'exited', exitCode: 143 },
      { ns: 'app2', name: 'iperf', digest: '01', state: 'gone' },
    ]);
  });

  it('judges a probe: running as designed is present; exited, gone or another digest is drifted; no record is absent', () => {
    expect(programProbe(probe, host('prog app1 web abc123 running 7\n'))).toEqual({ state: 'present', detail: 'running, pid 7' });
    expect(programProbe(probe, host('prog app1 web abc123 exited 143\n'))).toEqual({ state: 'drifted', detail: 'exited with code 143 (signal TERM)' });
    expect(programProbe(probe, host('prog app1 web abc123 gone\n')).state).toBe('drifted');
    expect(programProbe(probe, host('prog app1 web ffff running 7\n')).detail).toMatch(/another command line/);
    expect(programProbe(probe, host('prog app2 web abc123 running 7\n')).state).toBe('absent');
    expect(programProbe(probe, { ...host(''), programs: undefined }).unobserved).toBe(true);
  });

  it('says exits and states in words', () => {
    expect(describeExit(0)).toBe('exited with code 0');
    expect(describeExit(1)).toBe('exited with code 1');
    expect(describeExit(137)).toBe('exited with code 137 (signal KILL)');
    expect(describeProgram({ name: 'web', state: 'running', pid: 9 })).toBe('web: running (pid 9)');
    expect(describeProgram({ name: 'web', state: 'exited', exitCode: 2, stale: true })).toBe('web: exited with code 2 (from another command line: apply restarts it)');
  });
});
