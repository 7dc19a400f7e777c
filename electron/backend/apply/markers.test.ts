import { describe, expect, it } from 'vitest';
import { LineSplitter, parseMarker, RunFold } from './markers';
import type { ApplyEvent } from './types';

describe('@wp markers', () => {
  it('parses every marker the runtime prints', () => {
    expect(parseMarker('@wp plan abc123 steps 4')).toEqual({ type: 'plan', hash: 'abc123', total: 4 });
    expect(parseMarker('@wp step 2/4 run link:root:br0 bridge br0')).toEqual({ type: 'step', index: 2, total: 4, state: 'run', id: 'link:root:br0', description: 'bridge br0' });
    expect(parseMarker('@wp step 1/4 present netns:root:a')).toMatchObject({ state: 'present', id: 'netns:root:a', description: '' });
    expect(parseMarker('@wp step 3/4 failed addr:root:br0:10.0.0.1/24')).toMatchObject({ state: 'failed', index: 3 });
    expect(parseMarker('@wp undo 2/4 link:root:br0')).toEqual({ type: 'undo', index: 2, total: 4, id: 'link:root:br0' });
    expect(parseMarker('@wp result converged changed=3')).toEqual({ type: 'result', result: 'converged', changed: 3 });
    expect(parseMarker('@wp result rolled-back')).toEqual({ type: 'result', result: 'rolled-back' });
    expect(parseMarker('@wp rollback-start')).toEqual({ type: 'rollback-start' });
    expect(parseMarker('@wp prune 4/9 link:root:v-old')).toEqual({ type: 'prune', index: 4, total: 9, id: 'link:root:v-old' });
    expect(parseMarker('@wp restore 0123456789abcdef')).toEqual({ type: 'restore', hash: '0123456789abcdef' });
    expect(parseMarker('@wp step 2/4 run link:root:br0 fix (mtu 1500): bridge br0')).toMatchObject({ state: 'run', description: 'fix (mtu 1500): bridge br0' });
    expect(parseMarker('RTNETLINK answers: File exists')).toEqual({ type: 'output', text: 'RTNETLINK answers: File exists' });
  });

  it('splits a stream into lines whatever the chunking', () => {
    const s = new LineSplitter();
    expect(s.push('@wp st')).toEqual([]);
    expect(s.push('ep 1/2 run a x\n@wp step 2/2')).toEqual(['@wp step 1/2 run a x']);
    expect(s.push(' run b y\n')).toEqual(['@wp step 2/2 run b y']);
    expect(s.flush()).toEqual([]);
  });

  it('folds a failed run: failing step, its stderr before rollback, undo events, and done events only for steps passed', () => {
    const events: ApplyEvent[] = [];
    const f = new RunFold('h', (e) => events.push(e));
    for (const l of [
      '@wp plan x steps 3',
      '@wp step 1/3 present a',
      '@wp step 2/3 run b make b',
      '@wp step 3/3 run c make c',
      'Cannot find device "nope"',
      '@wp step 3/3 failed c',
      'wireplan: step c (make c) failed',
      '@wp rollback-start',
      '@wp undo 2/3 b',
      '@wp result rolled-back',
    ]) f.line(l);
    expect(f.failed).toEqual({ index: 3, id: 'c', description: 'make c' });
    expect(f.ran).toEqual([2, 3]);
    expect(f.result).toEqual({ result: 'rolled-back' });
    expect(f.outputBeforeRollback).toEqual(['Cannot find device "nope"', 'wireplan: step c (make c) failed']);
    expect(events.map((e) => `${e.kind}${e.index ? ` ${e.index}` : ''}`)).toEqual([
      'step-present 1', 'step-start 2', 'step-start 3', 'output', 'step-done 2', 'step-failed 3', 'output', 'phase', 'undo 2', 'result',
    ]);
    expect(events.find((e) => e.kind === 'undo')?.description).toBe('make b');
  });

  it('reports a step done only when the host does: batched markers after the failing step never ran', () => {
    const events: ApplyEvent[] = [];
    const f = new RunFold('h', (e) => events.push(e));
    for (const l of [
      '@wp plan x steps 6',
      '@wp prune 2/5 link:root:v-old',
      '@wp step 1/6 run a make a',
      '@wp step 2/6 present b',
      // one ip batch: markers first, then the commands; the batch fails at step 4
      '@wp step 3/6 run c make c',
      '@wp step 4/6 run d replace (kind veth): make d',
      '@wp step 5/6 run e make e',
      '@wp step 6/6 run f make f',
      'Cannot find device "eth1"',
      '@wp step 4/6 failed d',
      '@wp rollback-start',
      '@wp undo 3/6 c',
      '@wp undo 1/6 a',
      '@wp restore 0123456789abcdef0123',
      '@wp result rolled-back',
    ]) f.line(l);
    const done = events.filter((e) => e.kind === 'step-done').map((e) => e.index);
    expect(done).toEqual([1, 3]);
    expect(events.find((e) => e.kind === 'step-failed')).toMatchObject({ index: 4, description: 'replace (kind veth): make d' });
    const text = events.filter((e) => e.kind === 'output').map((e) => e.text);
    expect(text).toContain('removed link:root:v-old (no longer in the design)');
    expect(text.some((t) => t?.startsWith('rollback: restoring the previous converged plan 0123456789ab'))).toBe(true);
    expect(events.some((e) => e.kind === 'output' && e.text?.startsWith('@wp'))).toBe(false);
  });

  it('reports every announced step done when the run converges', () => {
    const events: ApplyEvent[] = [];
    const f = new RunFold('h', (e) => events.push(e));
    for (const l of ['@wp plan x steps 3', '@wp step 1/3 run a make a', '@wp step 2/3 run b make b', '@wp step 3/3 present c', '@wp result converged changed=2']) f.line(l);
    expect(events.map((e) => `${e.kind}${e.index ? ` ${e.index}` : ''}`)).toEqual(['step-start 1', 'step-start 2', 'step-present 3', 'step-done 1', 'step-done 2', 'result']);
  });

  it('names the lock holder', () => {
    const f = new RunFold('h', () => {});
    f.line("wireplan: another Wireplan run holds the lock on design 'twons': pid=42 user=root since=2025-01-01T00:00:00Z plan=abc");
    f.line('@wp result locked');
    expect(f.lockHolder()).toBe('pid=42 user=root since=2025-01-01T00:00:00Z plan=abc');
  });
});
