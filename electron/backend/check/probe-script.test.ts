// The probe, serve and evidence scripts, run for real by bash on this machine's loopback
// only (root namespace, no `ip netns`): listeners come up and answer with their id, probes
// report reach/refused, everything started is gone afterwards, and host data cannot
// forge a result line or break out of its quoting.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { evidenceScript } from './evidence-script';
import { newNonce, parseProbeRun, readMarkers } from './markers';
import { probeScript, serveScript, stopServeCommand } from './probe-script';

function bash(script: string, opts: { onStdout?: (s: string) => void } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-s'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      opts.onStdout?.(stdout);
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(script);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const hasTools = spawnSync('bash', ['-c', 'command -v ping && command -v timeout && { command -v perl || command -v python3; }']).status === 0;
const listenersAlive = () => spawnSync('bash', ['-c', 'ps -eo args= | grep -c "[I]O::Socket::IP\\|[p]ython3 -c"']).stdout.toString().trim();

describe('probe script text', () => {
  it('quotes every piece of data and tags every result line with the run\'s nonce', () => {
    const nonce = newNonce();
    expect(nonce).toMatch(/^[0-9a-f]{18}$/);
    expect(newNonce()).not.toBe(nonce);
    const script = probeScript({
      nonce,
      factScopes: ["ns'1"],
      listeners: [{ id: 'L1', ns: 'a$(id)', address: '10.0.0.1', port: 80 }],
      probes: [{ id: 'p1', kind: 'tcp', ns: '`reboot`', address: '10.0.0.1', port: 80 }],
      listenSeconds: 30,
    });
    expect(script).toContain("wp_listen L1 'a$(id)' 10.0.0.1 80 30");
    expect(script).toContain("wp_tcp p1 '`reboot`' 10.0.0.1 80 </dev/null &");
    expect(script).toContain("wp_fact 0 'ns'\\''1'");
    expect(script.trimEnd().endsWith('main </dev/null')).toBe(true);
    expect(spawnSync('bash', ['-n'], { input: script }).status, 'valid bash').toBe(0);
  });

  it('ignores lines that merely look like results (no nonce, or another run\'s)', () => {
    const out = parseProbeRun(['@wpchk probe p1 ping 0 forged', '@wpchk-abc probe p1 ping 0 forged', '@wpchk-n1 probe p1 ping 1 real', '@wpchk-n1 done'].join('\n'), 'n1');
    expect(out.probes.get('p1')).toEqual({ kind: 'ping', rc: 1, text: 'real' });
    expect(out.done).toBe(true);
    const sections = readMarkers(['@wpchk-n1 ev 0 nft', 'table inet x {', '@wpchk-other ev 0 route 1.2.3.4', '}', '@wpchk-n1 ev 0 end'].join('\n'), 'n1');
    expect(sections.map((s) => [s.kind, s.args[1], s.body.length])).toEqual([['ev', 'nft', 3], ['ev', 'end', 0]]);
  });
});

describe.skipIf(!hasTools)('probe script on loopback', () => {
  it('starts a listener, probes it (banner with its id), sees refused on a closed port, then leaves nothing running', async () => {
    const [open, closed] = [await freePort(), await freePort()];
    const nonce = newNonce();
    const before = listenersAlive();
    const r = await bash(
      probeScript({
        nonce,
        factScopes: [''],
        listeners: [{ id: 'L1', ns: '', address: '127.0.0.1', port: open }, { id: 'L2', ns: '', address: '192.0.2.77', port: open }],
        probes: [
          { id: 'p1', kind: 'tcp', ns: '', address: '127.0.0.1', port: open },
          { id: 'p2', kind: 'tcp', ns: '', address: '127.0.0.1', port: closed },
          { id: 'p3', kind: 'ping', ns: '', address: '127.0.0.1' },
        ],
        listenSeconds: 30,
      }),
    );
    const out = parseProbeRun(r.stdout, nonce);
    expect(out.done, r.stderr).toBe(true);
    expect(['perl', 'python3']).toContain(out.tool);
    expect(out.listeners.get('L1')).toEqual({ ready: true, detail: 'ready' });
    // An address the machine does not have: the listener says why it could not bind.
    expect(out.listeners.get('L2')?.ready).toBe(false);
    expect(out.listeners.get('L2')?.detail).toMatch(/fail .*(assign|address)/i);
    expect(out.probes.get('p1')).toMatchObject({ kind: 'tcp', rc: 0, text: 'connected banner=wpchk L1 127.0.0.1' });
    expect(out.probes.get('p2')?.text).toMatch(/Connection refused/);
    expect(out.probes.get('p3')).toMatchObject({ kind: 'ping', rc: 0 });
    expect(out.facts.get(0)).toBeDefined();
    expect(listenersAlive(), 'the listeners were killed on exit').toBe(before);
  });

  it('a serve run keeps its listeners until told to stop, then removes everything', async () => {
    const port = await freePort();
    const nonce = newNonce();
    let dir: string | undefined;
    let ready: () => void = () => undefined;
    const serving = new Promise<void>((resolve) => (ready = resolve));
    // A deadline far past this test's own timeout: the run can only end in time because the stop worked.
    const run = bash(serveScript({ nonce, listeners: [{ id: 'L9', ns: '', address: '127.0.0.1', port }], listenSeconds: 3600 }), {
      onStdout: (s) => {
        const m = new RegExp(`@wpchk-${nonce} serving (\\S+)\\n`).exec(s);
        if (m && !dir) {
          dir = m[1]!;
          ready();
        }
      },
    });
    await serving;
    const probe = await bash(probeScript({ nonce: 'x1', factScopes: [], listeners: [], probes: [{ id: 'p1', kind: 'tcp', ns: '', address: '127.0.0.1', port }], listenSeconds: 5 }));
    expect(parseProbeRun(probe.stdout, 'x1').probes.get('p1')?.text).toBe('connected banner=wpchk L9 127.0.0.1');
    const stop = stopServeCommand(dir!);
    expect(stop).toBeDefined();
    expect(stopServeCommand('/tmp/x; rm -rf /')).toBeUndefined();
    spawnSync('bash', ['-c', stop!]);
    const done = await run;
    expect(parseProbeRun(done.stdout, nonce).listeners.get('L9')?.ready).toBe(true);
    expect(done.stdout).toContain(`@wpchk-${nonce} stopped`);
    expect(existsSync(dir!)).toBe(false);
  });

  it('the evidence script reads the root namespace without changing anything', async () => {
    const nonce = newNonce();
    const r = await bash(evidenceScript(nonce, [{ ns: '', routes: ['127.0.0.1'] }, { ns: 'wp-no-such-ns', routes: [] }]));
    const m = readMarkers(r.stdout, nonce).filter((x) => x.kind === 'ev');
    const kinds = m.map((x) => `${x.args[0]} ${x.args[1]}`);
    expect(kinds).toEqual(['0 addr', '0 sysctl', '0 route', '0 nft', '0 end', '1 missing']);
    expect(m.find((x) => x.args[1] === 'route')!.body.join('')).toMatch(/"type":"local"/);
    expect(m.find((x) => x.args[1] === 'sysctl')!.body.join('\n')).toMatch(/net\/ipv4\/ip_forward = [01]/);
  });
});
