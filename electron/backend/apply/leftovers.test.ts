// The leftover finder is ext.sh's (run on the host for apply's inspect and inside
// destroy's run); here it runs for real in bash, fed tagged-object lines instead of a
// host's listing (`bash wp-ext.sh PLAN leftovers`, which reads nothing on the host).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../../shared/compile/compile';
import type { HostPlan, Plan } from '../../../shared/compile/plan';
import { hostScript } from '../../../shared/export/script';
import { DesignSchema } from '../../../shared/model/schema';
import { loadExample } from '../../../tests/support/examples';
import { EXT_SH } from './ext.generated';
import { parseInspect } from './inspect';
import { describeOrphan, designObjectsOnHost, leftoverLine, parseLeftover, runInput, trulyForeign } from './leftovers';

const base = {
  wireplan: 2,
  tag: 't1',
  name: 'x',
  hosts: [{ id: 'h', name: 'h', target: { kind: 'sandbox' } }],
  namespaces: [{ id: 'a', name: 'a', host: 'h' }],
  bridges: [{ id: 'br', name: 'br', at: 'h', addresses: ['10.9.0.1/24'] }],
  veths: [{ id: 'va', name: 'va', a: { at: 'a', ifname: 'eth0', addresses: ['10.9.0.2/24'] }, b: { at: 'br', ifname: 'v-a' } }],
};

function planOf(design: unknown): Plan {
  const c = compile(DesignSchema.parse(design));
  if (!c.ok) throw new Error(JSON.stringify(c.diagnostics));
  return c.plan;
}

const dir = mkdtempSync(join(tmpdir(), 'wp-leftovers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ext = join(dir, 'wp-ext.sh');
writeFileSync(ext, EXT_SH);

/** The host's finder, given the tagged objects it would have listed. */
function findOnHost(plan: Plan, host: HostPlan, tagged: string[], stateDir = join(dir, 'no-state')): string[] {
  const script = join(dir, `plan-${host.hash.slice(0, 16)}.sh`);
  writeFileSync(script, hostScript(plan, host));
  const r = spawnSync('bash', [ext, script, 'leftovers'], { input: tagged.map((l) => `${l}\n`).join(''), encoding: 'utf8', env: { ...process.env, WIREPLAN_STATE_DIR: stateDir } });
  if (r.status !== 0) throw new Error(`leftovers failed (${r.status}): ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

function statusText(host: HostPlan, state: (i: number) => string): string {
  return host.steps.map((s, i) => `${state(i).padEnd(8)} ${s.description}  (${s.id})`).join('\n');
}

describe('leftover objects (ext.sh finder)', () => {
  const plan = planOf(base);
  const host = plan.hosts[0]!;

  it('lists tagged objects the design no longer has: a namespace whole, then links, tables and sysctls outside it', () => {
    const tagged = [
      'link - br wireplan:t1:br',
      'link - v-a wireplan:t1:va.b',
      'link a lo wireplan:t1:a',
      'link a eth0 wireplan:t1:va.a',
      // removed from the design since: a namespace (with its veth end), a root veth end, a table in a namespace, a sysctl
      'link old lo wireplan:t1:old',
      'link old eth0 wireplan:t1:vo.a',
      'link - v-old wireplan:t1:vo.b',
      'nft a wp_t1',
      'sysctl net%ipv4%ip_forward',
      'sysctl old@net%ipv4%ip_forward',
    ];
    expect(findOnHost(plan, host, tagged)).toEqual(['netns old wireplan:t1:old', 'link - v-old wireplan:t1:vo.b', 'nft a wp_t1', 'sysctl net%ipv4%ip_forward']);
  });

  it('a name the design has but with another owner (an element renamed or re-created) is a leftover', () => {
    expect(findOnHost(plan, host, ['link - br wireplan:t1:renamed-bridge', 'link a lo wireplan:t1:other-ns'])).toEqual([
      'netns a wireplan:t1:other-ns',
      'link - br wireplan:t1:renamed-bridge',
    ]);
  });

  it('nothing is left over when the host holds exactly the plan (namespaces, tables and sysctls of a NAT example)', () => {
    const nat = planOf(loadExample('two-namespaces-nat.wireplan.json'));
    const h = nat.hosts[0]!;
    const tagged: string[] = [];
    for (const s of h.steps) {
      const p = s.probe;
      if (p.type === 'netns') tagged.push(`link ${p.name} lo ${p.owner}`);
      else if (p.type === 'link' || p.type === 'alias') tagged.push(`link ${p.ns || '-'} ${p.ifname} ${p.owner}`);
      else if (p.type === 'nft') tagged.push(`nft ${p.ns || '-'} wp_${nat.design.tag}`);
      else if (p.type === 'sysctl') tagged.push(`sysctl ${p.ns ? `${p.ns}@` : ''}${p.key.replace(/\//g, '%')}`);
    }
    expect(tagged.some((l) => l.startsWith('sysctl '))).toBe(true);
    expect(tagged.some((l) => l.startsWith('nft '))).toBe(true);
    expect(findOnHost(nat, h, tagged)).toEqual([]);
  });

  it('the plan\'s objects are worked out once per plan and kept in the state dir', () => {
    const state = join(dir, 'state');
    mkdirSync(state, { recursive: true });
    const tagged = ['link - br wireplan:t1:br', 'link old lo wireplan:t1:old'];
    expect(findOnHost(plan, host, tagged, state)).toEqual(['netns old wireplan:t1:old']);
    const kept = readFileSync(join(state, 'plan-objects'), 'utf8').split('\n');
    expect(kept[0]).toBe(`${host.hash} plan-objects-1`);
    expect(kept).toContain('link - br wireplan:t1:br');
    // Read back (a changed copy shows it is used), and worked out again for another plan.
    writeFileSync(join(state, 'plan-objects'), [kept[0], 'netns old wireplan:t1:old', ''].join('\n'));
    expect(findOnHost(plan, host, tagged, state)).toEqual(['link - br wireplan:t1:br']);
    writeFileSync(join(state, 'plan-objects'), ['0000 plan-objects-1', 'netns old wireplan:t1:old', ''].join('\n'));
    expect(findOnHost(plan, host, tagged, state)).toEqual(['netns old wireplan:t1:old']);
  });

  it('a veth probe that names its peer keeps both ends (a leftover end would take the other with it)', () => {
    const script = join(dir, 'plan-veth.sh');
    writeFileSync(
      script,
      [
        'WP_TAG=t1 WP_PLAN_HASH=0123 WP_STEPS=1 WP_STATE_DIR=/nonexistent',
        "wp_s1_probe() { wp_probe_link '' v-a wireplan:t1:va.b 1500 '' a eth0 wireplan:t1:va.a; }",
        'wp_main "$@" </dev/null',
        'exit',
        '',
      ].join('\n'),
    );
    const r = spawnSync('bash', [ext, script, 'leftovers'], { input: 'link - v-a wireplan:t1:va.b\nlink a eth0 wireplan:t1:va.a\nlink a eth1 wireplan:t1:gone\n', encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('link a eth1 wireplan:t1:gone\n');
  });

  it('the inspect carries the finder\'s lines; apply hands them back as its INPUT unchanged', () => {
    const out = [
      statusText(host, () => 'present'),
      '@wpx boot 1234',
      '@wpx link old lo wireplan:t1:old',
      '@wpx orphan netns old wireplan:t1:old',
      '@wpx orphan link - v-old wireplan:t1:vo.b',
      '@wpx orphan nft a wp_t1',
      '@wpx orphan sysctl net%ipv4%ip_forward',
      '@wpx orphan bogus line',
    ].join('\n');
    const insp = parseInspect(out, host);
    expect(insp.orphans).toEqual([
      { kind: 'netns', name: 'old', owner: 'wireplan:t1:old' },
      { kind: 'link', ns: '', ifname: 'v-old', owner: 'wireplan:t1:vo.b' },
      { kind: 'nft', ns: 'a', table: 'wp_t1' },
      { kind: 'sysctl', record: 'net%ipv4%ip_forward' },
    ]);
    expect(runInput(host, insp.orphans)).toBe('netns old wireplan:t1:old\nlink - v-old wireplan:t1:vo.b\nnft a wp_t1\nsysctl net%ipv4%ip_forward\n');
    for (const o of insp.orphans) expect(parseLeftover(leftoverLine(o).split(' '))).toEqual(o);
    expect(insp.orphans.map(describeOrphan)).toEqual([
      'namespace old (wireplan:t1:old)',
      'interface v-old (wireplan:t1:vo.b)',
      'nft table inet wp_t1 in a',
      'changed sysctl net/ipv4/ip_forward (restore its recorded value)',
    ]);
    expect(() => runInput(host, [{ kind: 'link', ns: '', ifname: 'a\nb', owner: 'wireplan:t1:x' }])).toThrow(/unsafe/);
  });

  it('a name held by a leftover of ours is not foreign (it is pruned first); a truly foreign one is', () => {
    const idx = host.steps.findIndex((s) => s.id === 'link:root:br');
    const held = parseInspect([statusText(host, (i) => (i === idx ? 'foreign' : 'missing')), '@wpx orphan link - br wireplan:t1:renamed-bridge'].join('\n'), host);
    expect(trulyForeign(host, held, held.orphans)).toEqual([]);
    const foreign = parseInspect(statusText(host, (i) => (i === idx ? 'foreign' : 'missing')), host);
    expect(trulyForeign(host, foreign, foreign.orphans).map((s) => s.id)).toEqual(['link:root:br']);
  });

  it('what a destroy removes (and must not leave): each object once, a namespace with everything in it', () => {
    const out = [
      statusText(host, () => 'present'),
      '@wpx link - br wireplan:t1:br',
      '@wpx link - v-a wireplan:t1:va.b',
      '@wpx link a lo wireplan:t1:a',
      '@wpx link a eth0 wireplan:t1:va.a',
      '@wpx link old lo wireplan:t1:old',
      '@wpx link old eth0 wireplan:t1:vo.a',
      '@wpx link - v-old wireplan:t1:vo.b',
      '@wpx nft old wp_t1',
      '@wpx sysctl net%ipv4%ip_forward',
    ].join('\n');
    const objects = designObjectsOnHost(host, parseInspect(out, host));
    const stepObjects = host.steps.filter((s) => ['netns', 'link'].includes(s.probe.type) && !(s.probe.type === 'link' && s.probe.ns === 'a')).map((s) => s.description);
    expect(objects).toEqual([...stepObjects, 'namespace old (wireplan:t1:old)', 'interface v-old (wireplan:t1:vo.b)', 'changed sysctl net/ipv4/ip_forward (restore its recorded value)']);
    expect(new Set(objects).size).toBe(objects.length);
    const gone = parseInspect(statusText(host, () => 'missing'), host);
    expect(designObjectsOnHost(host, gone)).toEqual([]);
  });
});
