// Cut and restore a link on a real kernel (backend/link/link-action.ts, the action behind
// `wireplan link` and the app's button): a cut link stops traffic across it, restore brings
// it back, nothing of the design changes (status calls the cut drift, `up` heals it), an
// interface that is not the design's is refused untouched, and `down` leaves no trace.
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '../../shared/compile/compile';
import type { Plan } from '../../shared/compile/plan';
import { hostScript } from '../../shared/export/script';
import { DesignSchema, type Design } from '../../shared/model/schema';
import { resolveLink, setLinkState, type ResolvedLink } from '../../electron/backend/link/link-action';
import { createSandbox, ping, type Sandbox } from '../support/sandbox';
import { sandboxHostExecutor } from '../support/sandbox-host-executor';

/** a and b over link "wan" (10.9.0.1 <-> 10.9.0.2), and a second link "lan" from b to the root namespace. */
function design(): Design {
  return DesignSchema.parse({
    wireplan: 2,
    tag: 'cut',
    name: 'cut and restore',
    hosts: [{ id: 'lab', name: 'lab', target: { kind: 'sandbox' } }],
    namespaces: [
      { id: 'a', name: 'a', host: 'lab' },
      { id: 'b', name: 'b', host: 'lab' },
    ],
    veths: [
      { id: 'wan', name: 'wan link', a: { at: 'a', ifname: 'wan0', addresses: ['10.9.0.1/30'] }, b: { at: 'b', ifname: 'wan0', addresses: ['10.9.0.2/30'] } },
      { id: 'lan', name: 'lan', a: { at: 'b', ifname: 'lan0', addresses: ['10.9.1.1/30'] }, b: { at: 'lab', ifname: 'lan-b', addresses: ['10.9.1.2/30'] } },
    ],
  });
}

function compiled(d: Design): { plan: Plan; script: string } {
  const r = compile(d);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return { plan: r.plan, script: hostScript(r.plan, r.plan.hosts[0]!) };
}

function link(d: Design, plan: Plan, ref: string): ResolvedLink {
  const l = resolveLink(d, plan, ref);
  if ('error' in l) throw new Error(l.error);
  return l;
}

describe('cut and restore a link on a real kernel', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it('a cut link stops ping across it, restore brings it back, and down leaves no trace', async () => {
    sb = await createSandbox();
    const d = design();
    const { plan, script } = compiled(d);
    expect((await sb.run(script, ['up'])).stdout).toContain('@wp result converged');
    const exec = sandboxHostExecutor(sb);
    expect(await ping(sb, 'a', '10.9.0.2')).toBe(true);

    // By name; both ends go down.
    const wan = link(d, plan, 'wan link');
    expect(wan.ends.map((e) => `${e.ns}/${e.ifname}`)).toEqual(['a/wan0', 'b/wan0']);
    const cut = await setLinkState(exec, wan, 'down');
    expect(cut).toEqual({ ok: true, message: 'link "wan link" cut on host lab: wan0 in a, wan0 in b down' });
    expect(await ping(sb, 'a', '10.9.0.2')).toBe(false);
    // The other link is untouched.
    expect(await ping(sb, 'b', '10.9.1.2')).toBe(true);
    // The design did not change: status sees the cut as drift of the link state.
    const st = await sb.run(script, ['status']);
    expect(st.code).toBe(3);
    expect(st.stdout).toMatch(/^missing +wan0 up +\(link-state:a:wan0\)$/m);

    expect(await setLinkState(exec, wan, 'up')).toMatchObject({ ok: true });
    expect(await ping(sb, 'a', '10.9.0.2', { count: 3, timeoutS: 2 })).toBe(true);
    expect((await sb.run(script, ['status'])).code).toBe(0);

    // A root-namespace end works the same; `up` of the design heals a cut too.
    const lan = link(d, plan, 'lan');
    expect(await setLinkState(exec, lan, 'down')).toMatchObject({ ok: true });
    expect(await ping(sb, 'b', '10.9.1.2')).toBe(false);
    const heal = await sb.run(script, ['up']);
    expect(heal.stdout).toContain('run link-state:root:lan-b');
    expect(await ping(sb, 'b', '10.9.1.2', { count: 3, timeoutS: 2 })).toBe(true);

    expect((await sb.run(script, ['down'])).stdout).toContain('@wp result removed');
    expect(await sb.execOk(['ip', 'netns', 'list'])).toBe('');
    expect(await sb.execOk(['ip', '-o', 'link', 'show'])).not.toMatch(/wireplan:cut:|lan-b/);
  }, 60_000);

  it('refuses an interface that is not the design\'s, and a link that is not applied, touching nothing', async () => {
    sb = await createSandbox();
    const d = design();
    const { plan } = compiled(d);
    const exec = sandboxHostExecutor(sb);
    // Not applied: nothing there.
    const missing = await setLinkState(exec, link(d, plan, 'lan'), 'down');
    expect(missing).toEqual({ ok: false, error: 'lan0 is not in b: apply the design first' });
    // Someone else's interfaces with the design's names: left up.
    await sb.execOk(['ip', 'netns', 'add', 'a']);
    await sb.execOk(['ip', 'netns', 'add', 'b']);
    await sb.execOk(['ip', 'link', 'add', 'wan0', 'netns', 'a', 'type', 'veth', 'peer', 'name', 'wan0', 'netns', 'b']);
    await sb.execOk(['ip', '-n', 'a', 'link', 'set', 'wan0', 'up']);
    const foreign = await setLinkState(exec, link(d, plan, 'wan'), 'down');
    expect(foreign).toEqual({ ok: false, error: 'wan0 in a is not tagged wireplan:cut:wan.a: not Wireplan\'s, left alone' });
    expect(await sb.execOk(['ip', '-n', 'a', '-o', 'link', 'show', 'wan0'])).toMatch(/[<,]UP[,>]/);
    expect(resolveLink(d, plan, 'nope')).toEqual({ error: 'no link "nope" in this design (links: wan ("wan link"), lan)' });
  }, 60_000);
});
