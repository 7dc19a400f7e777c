// The runtime's qdisc probe (runtime.sh wp_probe_qdisc, wp_qdisc_record) against canned
// `tc qdisc show` output, for the shapes this machine's kernel cannot make (it has no
// netem; tests/kernel/impairments.test.ts runs the tbf shape for real). A stand-in `tc`
// on PATH prints what a kernel with netem prints; the probe's answer and reason are checked.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RUNTIME_SH } from './runtime.generated';

const dir = mkdtempSync(join(tmpdir(), 'wp-qdisc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// `tc qdisc show dev IF` prints the file named by $FAKE_TC; anything else fails.
writeFileSync(join(dir, 'tc'), '#!/bin/bash\n[[ "$1 $2" == "qdisc show" ]] && cat "$FAKE_TC"\n');
chmodSync(join(dir, 'tc'), 0o755);

const NETEM_CHILD = [
  'qdisc tbf 5770: root refcnt 2 rate 10Mbit burst 16000b lat 50ms ',
  'qdisc netem 5772: parent 5770:1 limit 1000 delay 40ms  5ms loss 0.5% seed 123',
].join('\n');

/** Runs `steps` (bash) after the runtime is loaded, with `tc` showing `shown`; returns its output lines. */
function probe(shown: string, steps: string): string {
  writeFileSync(join(dir, 'shown'), `${shown}\n`);
  const script = `WP_TAG=t; WP_STATE_DIR=${dir}/state\n${RUNTIME_SH}\nset +e\n${steps}\n`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin`, FAKE_TC: join(dir, 'shown'), LC_ALL: 'C' } });
  if (r.status !== 0) throw new Error(`bash failed: ${r.stderr}`);
  return r.stdout.trim();
}

const ask = (shape: string, digest: string) => `WP_WHY=; wp_probe_qdisc '' wan0 '${shape}' ${digest}; echo "rc=$? $WP_WHY"`;

describe('wp_probe_qdisc', () => {
  it('the kernel default is absent, a root qdisc of someone else foreign', () => {
    expect(probe('qdisc noqueue 0: root refcnt 2 ', ask('tbf', 'd1'))).toBe('rc=1');
    expect(probe('qdisc htb 1: root refcnt 2 r2q 10 default 0x10', ask('netem', 'd1'))).toBe('rc=2 wan0 has root qdisc htb 1:');
  });

  it('another shape of ours is made again (4); one without a record is set again (3)', () => {
    expect(probe('qdisc netem 5771: root refcnt 2 limit 1000 delay 40ms', ask('tbf+netem', 'd1'))).toBe('rc=4 qdiscs netem, designed tbf+netem');
    expect(probe(NETEM_CHILD, ask('tbf', 'd1'))).toBe('rc=4 qdiscs tbf+netem, designed tbf');
    expect(probe(NETEM_CHILD, ask('tbf+netem', 'd1'))).toBe('rc=3 no record of the values Wireplan set');
  });

  it('after the record: as designed (0), the design changed (3), changed by hand (3); reference counts do not matter', () => {
    expect(probe(NETEM_CHILD, `wp_qdisc_record wan0 d1; ${ask('tbf+netem', 'd1')}`)).toBe('rc=0');
    expect(probe(NETEM_CHILD.replace('refcnt 2', 'refcnt 7'), ask('tbf+netem', 'd1'))).toBe('rc=0');
    expect(probe(NETEM_CHILD, ask('tbf+netem', 'd2'))).toBe('rc=3 impairments changed in the design');
    expect(probe(NETEM_CHILD.replace('delay 40ms', 'delay 400ms'), ask('tbf+netem', 'd1'))).toBe(
      'rc=3 changed on the host: qdisc tbf 5770: root rate 10Mbit burst 16000b lat 50ms; qdisc netem 5772: parent 5770:1 limit 1000 delay 400ms  5ms loss 0.5% seed 123',
    );
    expect(probe(NETEM_CHILD, `wp_qdisc_forget wan0; ${ask('tbf+netem', 'd1')}`)).toBe('rc=3 no record of the values Wireplan set');
  });

  it('a record is per namespace', () => {
    expect(probe(NETEM_CHILD, `WP_NS=ns1 wp_qdisc_file wan0`)).toBe(`${dir}/state/qdisc/ns1@wan0`);
  });
});
