// tc-qdisc.ts against `tc qdisc show` output captured on this machine
// (scripts/capture-qdisc-fixtures.sh -> tests/fixtures/observe/tc/; kernel 6.18, iproute2
// 6.1). netem shapes are written by hand (*.handwritten.txt): this kernel has no netem.
// The live judgement is checked against the runtime's own wp_probe_qdisc on the same text
// (a stand-in `tc` prints the fixture), so the canvas and `status` cannot disagree.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Probe } from '../compile/plan';
import { RUNTIME_SH } from '../export/runtime.generated';
import { observeNamespace } from './host';
import { evaluateProbe } from './probe';
import { judgeQdisc, normalizeQdiscText, parseQdiscRecord, parseQdiscShow } from './tc-qdisc';
import type { ObservedHost, ObservedQdiscs } from './types';

const FIX = join(__dirname, '../../tests/fixtures/observe/tc');
const tc = (name: string) => readFileSync(join(FIX, `${name}.txt`), 'utf8');
type QdiscProbe = Extract<Probe, { type: 'qdisc' }>;
const probe = (shape: QdiscProbe['shape'], digest = 'd1'): QdiscProbe => ({ type: 'qdisc', ns: 'a', ifname: 'wan0', shape, digest });

/** What the poll read: the interface's qdiscs and (optionally) the record wp_qdisc_record wrote. */
function seen(show: string, record?: { digest: string; text: string }): ObservedQdiscs {
  const r = parseQdiscShow('wan0', show);
  if (!r.ok) throw new Error(r.error);
  // wp_qdisc_record: printf '%s\n%s\n' DIGEST "$WP_TC_SHOW"
  const rec = record ? parseQdiscRecord(`${record.digest}\n${normalizeQdiscText(record.text)}\n`) : undefined;
  return rec ? { ...r.value, record: rec } : r.value;
}

describe('parseQdiscShow (captured)', () => {
  it('the kernel default, our tbf, someone else’s; refcnt and the trailing space dropped as the runtime drops them', () => {
    expect(parseQdiscShow('v0', tc('default'))).toEqual({
      ok: true,
      value: { ifname: 'v0', show: 'qdisc noqueue 0: root', qdiscs: [{ kind: 'noqueue', handle: '0:', root: true, options: '' }] },
      warnings: [],
    });
    const tbf = parseQdiscShow('v0', tc('tbf-1mbit'));
    expect(tbf.ok && tbf.value.show).toBe('qdisc tbf 5770: root rate 1Mbit burst 16000b lat 50ms');
    expect(tbf.ok && tbf.value.qdiscs).toEqual([{ kind: 'tbf', handle: '5770:', root: true, options: 'rate 1Mbit burst 16000b lat 50ms' }]);
    const pfifo = parseQdiscShow('v0', tc('foreign-pfifo'));
    expect(pfifo.ok && pfifo.value.qdiscs[0]).toMatchObject({ kind: 'pfifo', root: true, options: 'limit 100p' });
    expect(parseQdiscShow('v0', tc('tbf-100gbit')).ok).toBe(true);
  });

  it('a child netem (hand-written: no netem here) has its parent', () => {
    const r = parseQdiscShow('v0', tc('tbf-netem.handwritten'));
    expect(r.ok && r.value.qdiscs.map((x) => [x.kind, x.handle, x.root ?? x.parent])).toEqual([
      ['tbf', '5770:', true],
      ['netem', '5772:', '5770:1'],
    ]);
  });

  it('never throws: empty output, garbage and non-strings', () => {
    expect(parseQdiscShow('x', tc('missing-device'))).toEqual({ ok: true, value: { ifname: 'x', show: '', qdiscs: [] }, warnings: [] });
    const g = parseQdiscShow('x', '\u0000garbage\nqdisc\n@@x:tc:0\n');
    expect(g.ok && g.value.qdiscs).toEqual([]);
    expect(g.warnings).toHaveLength(3);
    expect(parseQdiscShow('x', undefined as unknown as string).ok).toBe(false);
    expect(parseQdiscRecord(42 as unknown as string)).toBeUndefined();
    expect(parseQdiscRecord('')).toBeUndefined();
    expect(parseQdiscRecord('d1\nqdisc tbf 5770: root rate 1Mbit\n\n')).toEqual({ digest: 'd1', show: 'qdisc tbf 5770: root rate 1Mbit' });
  });
});

describe('judgeQdisc: wp_probe_qdisc’s answers', () => {
  const rec1 = { digest: 'd1', text: tc('tbf-1mbit') };

  it('present: our tbf as recorded (another refcnt does not matter)', () => {
    expect(judgeQdisc(probe('tbf'), seen(tc('tbf-1mbit'), rec1))).toEqual({ state: 'present' });
    expect(judgeQdisc(probe('tbf'), seen(tc('tbf-1mbit').replace('refcnt 3', 'refcnt 9'), rec1))).toEqual({ state: 'present' });
  });

  it('absent: the kernel default after a delete, or tc cannot read the interface', () => {
    expect(judgeQdisc(probe('tbf'), seen(tc('deleted'), rec1))).toEqual({ state: 'absent', detail: `"wan0" has the kernel's default qdisc (no impairment)` });
    expect(judgeQdisc(probe('tbf'), { ifname: 'wan0', error: 'tc exited 1', show: '', qdiscs: [] }).state).toBe('absent');
  });

  it('foreign: someone else’s root qdisc', () => {
    expect(judgeQdisc(probe('tbf'), seen(tc('foreign-tbf')))).toEqual({ state: 'foreign', detail: '"wan0" has root qdisc tbf 8001:' });
    // (the kernel picks pfifo's handle: another one per capture)
    expect(judgeQdisc(probe('netem'), seen(tc('foreign-pfifo')))).toMatchObject({ state: 'foreign', detail: expect.stringMatching(/^"wan0" has root qdisc pfifo [0-9a-f]+:$/) });
  });

  it('drifted: changed by hand, names the value that changed', () => {
    expect(judgeQdisc(probe('tbf'), seen(tc('tbf-5mbit-by-hand'), rec1))).toEqual({ state: 'drifted', detail: '"wan0": changed on the host: rate 1Mbit -> 5Mbit' });
    const netem = tc('tbf-netem.handwritten');
    expect(judgeQdisc(probe('tbf+netem'), seen(netem.replace('5ms', '7ms'), { digest: 'd1', text: netem })).detail).toBe('"wan0": changed on the host: delay 5ms -> 7ms');
  });

  it('drifted: the design changed, no record, another shape', () => {
    expect(judgeQdisc(probe('tbf', 'd2'), seen(tc('tbf-1mbit'), rec1))).toEqual({ state: 'drifted', detail: '"wan0": impairments changed in the design' });
    expect(judgeQdisc(probe('tbf'), seen(tc('tbf-1mbit')))).toEqual({ state: 'drifted', detail: '"wan0": no record of the values Wireplan set' });
    expect(judgeQdisc(probe('tbf+netem'), seen(tc('tbf-1mbit'), rec1))).toEqual({ state: 'drifted', detail: '"wan0": qdiscs tbf, designed tbf+netem' });
    expect(judgeQdisc(probe('tbf+netem'), seen(tc('netem-root.handwritten'))).detail).toBe('"wan0": qdiscs netem, designed tbf+netem');
  });

  it('unobserved when the poll did not read the interface', () => {
    expect(judgeQdisc(probe('tbf'), undefined)).toMatchObject({ state: 'absent', unobserved: true });
  });
});

describe('evaluateProbe(qdisc) through an observed namespace', () => {
  const host = (ns: ReturnType<typeof observeNamespace>): ObservedHost => ({ collectedAt: 0, namespaces: [ns], firewall: { backend: 'unknown' } as ObservedHost['firewall'], warnings: [] });
  const withQdiscs = (qdiscs: Parameters<typeof observeNamespace>[0]['qdiscs']) => host(observeNamespace({ name: 'a', qdiscs }));

  it('each outcome from raw poll output', () => {
    const record = `d1\n${normalizeQdiscText(tc('tbf-1mbit'))}\n`;
    expect(evaluateProbe(probe('tbf'), withQdiscs([{ ifname: 'wan0', show: tc('tbf-1mbit'), record }]))).toEqual({ state: 'present' });
    expect(evaluateProbe(probe('tbf'), withQdiscs([{ ifname: 'wan0', show: tc('tbf-5mbit-by-hand'), record }]))).toMatchObject({ state: 'drifted', detail: expect.stringContaining('rate 1Mbit -> 5Mbit') });
    expect(evaluateProbe(probe('tbf'), withQdiscs([{ ifname: 'wan0', show: tc('deleted'), record }])).state).toBe('absent');
    expect(evaluateProbe(probe('tbf'), withQdiscs([{ ifname: 'wan0', show: tc('foreign-tbf') }])).state).toBe('foreign');
    expect(evaluateProbe(probe('tbf'), withQdiscs([{ ifname: 'wan0', code: 1 }]))).toMatchObject({ state: 'absent' });
    // No tc at all (exit 127): unobserved, with a warning, never "absent".
    const noTc = withQdiscs([{ ifname: 'wan0', code: 127 }]);
    expect(evaluateProbe(probe('tbf'), noTc)).toMatchObject({ state: 'absent', unobserved: true });
    expect(noTc.namespaces[0]!.warnings).toEqual(['netns "a": tc is not installed; qdiscs of "wan0" unobserved']);
  });

  it('unobserved: qdiscs not read in the namespace, or not for this interface; absent without the namespace', () => {
    expect(evaluateProbe(probe('tbf'), host(observeNamespace({ name: 'a' })))).toMatchObject({ state: 'absent', unobserved: true });
    expect(evaluateProbe(probe('tbf'), withQdiscs([{ ifname: 'other', show: tc('tbf-1mbit') }]))).toMatchObject({ unobserved: true });
    expect(evaluateProbe({ ...probe('tbf'), ns: 'ghost' }, withQdiscs([]))).toEqual({ state: 'absent', detail: 'netns "ghost" does not exist' });
  });
});

// The runtime's probe on the same text: a stand-in `tc` prints the fixture.
describe('the same answer as the runtime’s wp_probe_qdisc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-qdisc-live-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'tc'), '#!/bin/bash\n[[ "$1 $2" == "qdisc show" ]] && cat "$FAKE_TC"\n');
  chmodSync(join(dir, 'tc'), 0o755);

  /** The runtime's exit code and WP_WHY for `shape`/`digest` with `tc` showing `shown`, after `recorded` was recorded (digest d1); and the record file. */
  function runtime(shown: string, shape: string, digest: string, recorded?: string): { rc: number; why: string; record?: string } {
    writeFileSync(join(dir, 'shown'), shown);
    writeFileSync(join(dir, 'recorded'), recorded ?? '');
    const rec = recorded !== undefined ? `FAKE_TC=${dir}/recorded wp_qdisc_record wan0 d1 || exit 9; cat "$(wp_qdisc_file wan0)" > ${dir}/record\n` : '';
    const script = `WP_TAG=t; WP_STATE_DIR=${dir}/state\n${RUNTIME_SH}\nset +e\nrm -rf ${dir}/state ${dir}/record\n${rec}WP_WHY=; wp_probe_qdisc '' wan0 '${shape}' ${digest}; printf 'rc=%s %s' "$?" "$WP_WHY"`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin`, FAKE_TC: join(dir, 'shown'), LC_ALL: 'C' } });
    if (r.status !== 0) throw new Error(`bash failed: ${r.stderr}`);
    const m = /^rc=(\d+) ?([\s\S]*)$/.exec(r.stdout)!;
    return { rc: Number(m[1]), why: m[2]!, ...(recorded !== undefined ? { record: readFileSync(join(dir, 'record'), 'utf8') } : {}) };
  }

  const STATE: Record<number, string> = { 0: 'present', 1: 'absent', 2: 'foreign', 3: 'drifted', 4: 'drifted' };
  const cases: [string, QdiscProbe['shape'], string, string | undefined][] = [
    ['tbf-1mbit', 'tbf', 'd1', 'tbf-1mbit'],
    ['tbf-5mbit-by-hand', 'tbf', 'd1', 'tbf-1mbit'],
    ['tbf-1mbit', 'tbf', 'd2', 'tbf-1mbit'],
    ['tbf-1mbit', 'tbf', 'd1', undefined],
    ['deleted', 'tbf', 'd1', 'tbf-1mbit'],
    ['foreign-tbf', 'tbf', 'd1', undefined],
    ['foreign-pfifo', 'netem', 'd1', undefined],
    ['tbf-1mbit', 'tbf+netem', 'd1', 'tbf-1mbit'],
    ['netem-root.handwritten', 'tbf+netem', 'd1', undefined],
    ['tbf-netem.handwritten', 'tbf+netem', 'd1', 'tbf-netem.handwritten'],
  ];
  it.each(cases)('%s as %s (digest %s, recorded %s)', (shown, shape, digest, recorded) => {
    const rt = runtime(tc(shown), shape, digest, recorded !== undefined ? tc(recorded) : undefined);
    const live = seen(tc(shown));
    const judged = judgeQdisc(probe(shape, digest), rt.record !== undefined ? { ...live, record: parseQdiscRecord(rt.record)! } : live);
    expect(judged.state).toBe(STATE[rt.rc]);
    // The detail is the runtime's reason (the value-level "changed on the host" names the change instead).
    if (rt.why !== '' && !rt.why.startsWith('changed on the host')) expect(judged.detail).toBe(`"wan0"${rt.why.startsWith('wan0 ') ? rt.why.slice(4) : `: ${rt.why}`}`);
  });
});
