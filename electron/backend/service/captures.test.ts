// The capture API's refusals: every bad request is answered with its reason before any
// host is reached (the executor here fails the test if it is ever asked for), and the
// arguments' schema refuses malformed ids and elements at the door.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseArgs } from './args';
import { CaptureManager } from './captures';
import { FileAccess } from './fileAccess';
import { repoResourcesDir } from './paths';

const workspace = mkdtempSync(join(tmpdir(), 'wp-captures-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
const designText = readFileSync(join(repoResourcesDir(), 'examples', 'two-namespaces-nat.wireplan.json'), 'utf8');

const manager = new CaptureManager({
  executor: () => Promise.reject(new Error('a refused capture must not reach a host')),
  emit: () => {
    throw new Error('no event expected');
  },
  access: new FileAccess({ roots: [workspace] }),
  defaultDir: () => workspace,
});

describe('capture refusals', () => {
  it('names the problem with the element, the filter and the file, without touching a host', async () => {
    const start = (request: Partial<Parameters<CaptureManager['start']>[0]>) => manager.start({ designText, element: 'link-app1.a', ...request });
    expect(await start({ element: 'app1' })).toEqual({ ok: false, error: 'app1 is a namespace: capture on a link end, bridge, macvlan, VLAN, VXLAN or a host NIC (HOST:NIC)' });
    expect(await start({ element: 'lab:eth7' })).toEqual({ ok: false, error: 'host lab has no NIC "eth7" in the design (NICs: eth0)' });
    expect(await start({ filter: 'icmp; sh' })).toMatchObject({ ok: false, error: expect.stringContaining('capture filter contains') });
    expect(await start({ designText: '{' })).toMatchObject({ ok: false, error: expect.stringContaining('the design') });
    expect(await start({ path: 'out.txt' })).toEqual({ ok: false, error: 'out.txt: a capture is saved as a .pcap file' });
    expect(await start({ path: '/etc/out.pcap' })).toMatchObject({ ok: false, error: expect.stringContaining('outside the workspace') });
    expect(await start({ path: '../out.pcap' })).toMatchObject({ ok: false, error: expect.stringContaining("'..' is not allowed") });
    expect(await start({ path: '.hidden.pcap' })).toMatchObject({ ok: false, error: expect.stringContaining('hidden names') });
    writeFileSync(join(workspace, 'taken.pcap'), 'x');
    expect(await start({ path: 'taken.pcap' })).toEqual({ ok: false, error: `${join(workspace, 'taken.pcap')} exists; a capture never replaces a file` });
  });

  it('stop and Open in Wireshark of an unknown capture', async () => {
    await expect(manager.stop('cap-000000000000000000000000')).resolves.toBeUndefined();
    expect(await manager.openInWireshark('cap-000000000000000000000000')).toEqual({ ok: false, error: 'no saved capture with that id' });
  });

  it('the argument schema refuses malformed elements and capture ids', () => {
    expect(() => parseArgs('startCapture', [{ designText, element: 'x; reboot' }])).toThrow(/expected an element id, ID.a \/ ID.b, or HOST:NIC/);
    expect(() => parseArgs('startCapture', [{ designText, element: 'br0', extra: 1 }])).toThrow(/startCapture/);
    expect(() => parseArgs('stopCapture', ['sh-123'])).toThrow(/expected a capture id/);
    expect(parseArgs('startCapture', [{ designText, element: 'lab:eth0', filter: 'icmp' }])).toEqual([{ designText, element: 'lab:eth0', filter: 'icmp' }]);
  });
});
