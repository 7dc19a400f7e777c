// The management path guard and commit-confirmed, against a lab host whose SSH interface
// is mgmt0: a plan that enslaves it is refused (the design does not even say it is the
// management NIC: preflight finds it from the session itself); the override is accepted
// only with a confirm window, and an unconfirmed apply is undone by the host itself.
// Also: a confirmed apply stays, and a FORWARD policy of DROP is warned about.
import { afterEach, describe, expect, it } from 'vitest';
import { applyHost, destroyHost, remotePaths, runDir, type ApplyEvent } from '../../electron/backend/apply';
import type { Design } from '../../shared/model/schema';
import { designMismatches, planOf } from '../support/design-check';
import { loadExample } from '../support/examples';
import { eventually, labTarget, MGMT_IF, shapeLab } from '../support/lab-apply';
import { LabScope, sshLabSkip } from '../support/lab-ssh';
import type { LabHost } from '../support/labhost';
import { diffSnapshots, snapshot } from '../support/sandbox';

const skip = sshLabSkip('apply-guard');
let scope: LabScope | undefined;
afterEach(async () => {
  await scope?.cleanup();
  scope = undefined;
});

/** lxc-bridge, with the lab's SSH interface added to the bridge (as an unwary user might). */
function enslavingDesign(): Design {
  const d = structuredClone(loadExample('lxc-bridge.wireplan.json'));
  d.hosts[0]!.nics.push({ name: MGMT_IF, management: false });
  d.bridges[0]!.nics = [MGMT_IF];
  return d;
}

async function setup() {
  scope = new LabScope();
  const lab = await scope.lab();
  const { host } = await shapeLab(lab, ['eth0']);
  return { lab, host, target: labTarget(scope, lab) };
}

async function read(lab: LabHost, path: string): Promise<string> {
  return (await lab.exec(`cat ${path} 2>/dev/null || true`)).stdout.trim();
}

describe.skipIf(skip)('management path guard and commit-confirmed', () => {
  const design = enslavingDesign();
  const plan = planOf(design);
  const hp = plan.hosts[0]!;
  const paths = remotePaths(plan.design.tag, hp.hash);

  it('refuses a plan that enslaves the interface carrying the SSH session, before anything changes', async () => {
    const { host, target } = await setup();
    const before = await snapshot(host.sb);
    const r = await applyHost(plan, hp, target);
    expect(r.outcome.kind).toBe('refused');
    const text = r.outcome.kind === 'refused' ? r.outcome.reasons.join('\n') : '';
    expect(text).toContain(`step ${hp.steps.findIndex((s) => s.id === `link-state:root:${MGMT_IF}`) + 1} link-state:root:${MGMT_IF}: enslaves management interface ${MGMT_IF} to lxcbr0`);
    expect(r.preflight?.management?.ifaces).toContain(MGMT_IF);
    expect(r.runId).toBeUndefined();
    // The override alone is not enough: only with a confirm window.
    const o = await applyHost(plan, hp, target, { allowManagementChange: true });
    expect(o.outcome.kind === 'refused' && o.outcome.reasons.join('\n')).toMatch(/only together with a confirm window/);
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
  });

  it('with the override and a confirm window, an unconfirmed apply is reverted by the host itself (the app gone)', async () => {
    const { lab, host, target } = await setup();
    const before = await snapshot(host.sb);
    const app = new AbortController();
    // The "app" disappears as soon as the run has started on the host: nobody will confirm.
    const r = await applyHost(plan, hp, target, {
      allowManagementChange: true,
      confirmWithinS: 2,
      signal: app.signal,
      onEvent: (e: ApplyEvent) => {
        if (e.kind === 'phase' && e.phase === 'running' && !app.signal.aborted) app.abort();
      },
    });
    const runId = r.runId;
    expect(runId, JSON.stringify(r.outcome)).toBeDefined();
    const dir = runDir(paths, runId!);
    // The host's own signals: its timer state, then the journal's rollback record.
    await eventually('the host reverts by itself', async () => (await read(lab, `${dir}/timer.state`)) === 'reverted', 60_000).catch(async (e) => {
      // What the host was doing instead, for the failure report.
      console.log((await lab.exec(`for f in ${dir}/*; do echo "== $f"; cat $f; done; ps -ef`)).stdout);
      throw e;
    });
    expect(await read(lab, `${dir}/revert.rc`)).toBe('0');
    expect((await read(lab, `${paths.dir}/journal`)).split('\n').pop()).toBe('end rolled-back');
    expect(await read(lab, `${dir}/log`)).toMatch(/@wp result converged changed=\d+/);
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
  });

  it('with the override and a confirm window, a fresh connection that fails makes the engine report the host\'s own revert', async () => {
    const { host, target } = await setup();
    const before = await snapshot(host.sb);
    const r = await applyHost(plan, hp, { executor: target.executor, fresh: () => Promise.reject(new Error('no route to host (simulated)')) }, { allowManagementChange: true, confirmWithinS: 2 });
    expect(r.outcome, JSON.stringify(r.outcome)).toMatchObject({ kind: 'reverted' });
    if (r.outcome.kind === 'reverted') expect(r.outcome.reason).toMatch(/not confirmed within 2 s: a fresh connection failed \(no route to host \(simulated\)\)/);
    expect(r.warnings.join('\n')).toMatch(/touches the management path/);
    expect(diffSnapshots(before, await snapshot(host.sb))).toEqual([]);
  });

  it('while a confirm window is open, another apply is refused; the confirm file closes it', async () => {
    const { lab, target } = await setup();
    const safe = planOf(loadExample('two-namespaces-nat.wireplan.json'));
    const sp = remotePaths(safe.design.tag, safe.hosts[0]!.hash);
    const app = new AbortController();
    const first = await applyHost(safe, safe.hosts[0]!, target, {
      confirmWithinS: 600,
      signal: app.signal,
      onEvent: (e) => {
        if (e.kind === 'phase' && e.phase === 'running' && !app.signal.aborted) app.abort();
      },
    });
    expect(first.outcome.kind === 'failed' && first.outcome.error).toMatch(/goes on on the host/);
    const dir = runDir(sp, first.runId!);
    await eventually('the run ends and its window opens', async () => (await read(lab, `${dir}/timer.state`)) === 'waiting', 30_000);
    const second = await applyHost(safe, safe.hosts[0]!, target);
    expect(second.outcome.kind === 'refused' && second.outcome.reasons.join('\n')).toMatch(new RegExp(`run ${first.runId} still waits for its confirmation`));
    expect((await lab.exec(`touch ${dir}/confirm`)).code).toBe(0);
    await eventually('the timer takes the confirmation', async () => (await read(lab, `${dir}/timer.state`)) === 'confirmed', 30_000);
    expect((await applyHost(safe, safe.hosts[0]!, target)).outcome).toMatchObject({ kind: 'converged', nothingToDo: true });
  });

  it('through sudo (a non-root login), the management path is still found from the session and the plan refused', async () => {
    scope = new LabScope();
    const lab = await scope.lab({ user: { name: 'wpadmin', sudo: 'nopasswd' } });
    await shapeLab(lab, ['eth0']);
    const ex = scope.executor(lab, { username: 'wpadmin', sudo: true });
    const r = await applyHost(plan, hp, { executor: ex });
    expect(r.preflight?.uid).toBe(0);
    expect(r.preflight?.management).toMatchObject({ client: lab.hostAddress, server: lab.address, ifaces: [MGMT_IF] });
    expect(r.outcome.kind).toBe('refused');
    const safe = planOf(loadExample('two-namespaces-nat.wireplan.json'));
    const ok = await applyHost(safe, safe.hosts[0]!, { executor: ex });
    expect(ok.outcome, JSON.stringify(ok.outcome)).toMatchObject({ kind: 'converged' });
    expect((await destroyHost(safe, safe.hosts[0]!, { executor: ex })).outcome.kind).toBe('removed');
  });

  it('a confirm window confirmed over a fresh connection keeps the change', async () => {
    const { lab, host, target } = await setup();
    const safe = planOf(loadExample('two-namespaces-nat.wireplan.json'));
    const r = await applyHost(safe, safe.hosts[0]!, target, { confirmWithinS: 3 });
    expect(r.outcome, JSON.stringify(r.outcome)).toMatchObject({ kind: 'converged', confirmed: true });
    const dir = runDir(remotePaths(safe.design.tag, safe.hosts[0]!.hash), r.runId!);
    expect(await read(lab, `${dir}/timer.state`)).toBe('confirmed');
    expect(await designMismatches(host.sb, loadExample('two-namespaces-nat.wireplan.json'), 'lab')).toEqual([]);
    expect((await destroyHost(safe, safe.hosts[0]!, target)).outcome.kind).toBe('removed');
  });

  it('warns about a FORWARD policy of DROP with the exact rules to add', async () => {
    const { lab, target } = await setup();
    expect((await lab.exec('iptables -P FORWARD DROP')).code).toBe(0);
    const safe = planOf(loadExample('two-namespaces-nat.wireplan.json'));
    const r = await applyHost(safe, safe.hosts[0]!, target, { dryRun: true });
    expect(r.outcome.kind).toBe('planned');
    expect(r.preflight?.firewall).toMatchObject({ backend: 'iptables-nft', iptablesForward: '-P FORWARD DROP' });
    expect(r.warnings.join('\n')).toContain('iptables -I FORWARD -i br0 -j ACCEPT');
    expect(r.warnings.join('\n')).toContain('iptables -I FORWARD -o br0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  });
});
