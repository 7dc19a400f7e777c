// The runtime's inventory (one `ip -j` listing per namespace, parsed by awk): an alias
// that only starts with Wireplan's tag is someone else's, whatever characters follow it
// ("|" separates the inventory's fields; a quote is escaped in the JSON listing).
import { afterEach, describe, expect, it } from 'vitest';
import { hostScript } from '../../shared/export/script';
import { loadExample } from '../support/examples';
import { planOf } from '../support/design-check';
import { createSandbox, diffSnapshots, snapshot, type Sandbox } from '../support/sandbox';

const plan = planOf(loadExample('two-namespaces-nat.wireplan.json'));
const script = hostScript(plan, plan.hosts[0]!);

describe('script inventory', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  for (const suffix of ['|x', '"x', '\\x', '\tx']) {
    it(`a bridge tagged ${JSON.stringify(`wireplan:twons:br0${suffix}`)} is foreign: up refuses it, down leaves it`, async () => {
      sb = await createSandbox({ uplink: { name: 'eth0' } });
      await sb.execOk(['ip', 'link', 'add', 'br0', 'type', 'bridge']);
      await sb.execOk(['ip', 'link', 'set', 'dev', 'br0', 'alias', `wireplan:twons:br0${suffix}`]);
      const before = await snapshot(sb);
      const status = await sb.run(script, ['status']);
      expect(status.stdout).toMatch(/^foreign +bridge br0: br0 is tagged wireplan:twons:br0\S+ {2}\(link:root:br0\)$/m);
      const up = await sb.run(script, ['up']);
      expect(up.code).toBe(1);
      expect(up.stderr).toContain('Wireplan did not create it');
      expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
      // Nothing of ours to remove, and nothing to wait for: a foreign link whose alias only
      // starts with our tag once held down for its whole bound and made it report an error.
      const down = await sb.run(script, ['down']);
      expect(down.code).toBe(0);
      expect(down.stderr).toBe('');
      expect(diffSnapshots(before, await snapshot(sb))).toEqual([]);
    });
  }

  it('reads links, addresses and routes of every namespace as present after up, and missing once changed', async () => {
    sb = await createSandbox({ uplink: { name: 'eth0' } });
    expect((await sb.run(script, ['up'])).code).toBe(0);
    const all = await sb.run(script, ['status']);
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n').filter((l) => l && !l.startsWith('present'))).toEqual([]);
    await sb.execOk(['ip', '-n', 'app2', 'addr', 'del', '10.0.0.3/24', 'dev', 'eth0']);
    await sb.execOk(['ip', 'link', 'set', 'dev', 'v-app1', 'nomaster']);
    const changed = await sb.run(script, ['status']);
    expect(changed.code).toBe(3);
    const off = changed.stdout.split('\n').filter((l) => l && !l.startsWith('present'));
    expect(off).toEqual(expect.arrayContaining([expect.stringContaining('(addr:app2:eth0:10.0.0.3/24)'), expect.stringContaining('(link-state:root:v-app1)')]));
    expect((await sb.run(script, ['down'])).code).toBe(0);
  });
});
