// setLinkState through the service (the app's Cut link / Restore link): malformed requests
// are refused at the door, a design with errors or an unknown link is answered with a
// readable error, and on the design's sandbox host a link that is not applied is refused
// by the host's check, with nothing changed (tests/kernel/link-cut.test.ts cuts real links).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { headlessDialogs } from './dialogs';
import { dispatch } from './dispatch';
import { repoResourcesDir } from './paths';
import { BackendService } from './service';

const examplesDir = join(repoResourcesDir(), 'examples');
const exampleText = readFileSync(join(examplesDir, 'two-namespaces-nat.wireplan.json'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'wp-link-svc-'));
const service = new BackendService({ configDir: join(dir, 'config'), examplesDir, dialogs: headlessDialogs(dir), userKnownHostsPath: null });
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('setLinkState', () => {
  it('refuses a malformed request before anything runs', async () => {
    for (const bad of [
      { designText: exampleText, linkId: 'link-app1', state: 'sideways' },
      { designText: exampleText, linkId: 'link app1; reboot', state: 'down' },
      { designText: exampleText, linkId: 'link-app1' },
    ]) {
      expect(await dispatch(service, 'setLinkState', [bad])).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    }
  });

  it('answers a design with errors and an unknown link with what is wrong', async () => {
    const broken = JSON.parse(exampleText) as { veths: { a: { addresses: string[] } }[] };
    broken.veths[0]!.a.addresses = ['10.0.0.999/24'];
    const r = await service.setLinkState({ designText: JSON.stringify(broken), linkId: 'link-app1', state: 'down' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^the design has errors; fix them first:/);
    expect(await service.setLinkState({ designText: exampleText, linkId: 'nope', state: 'down' })).toEqual({
      ok: false,
      error: 'no link "nope" in this design (links: link-app1 ("app1 uplink"), link-app2 ("app2 uplink"))',
    });
  });

  it('on the design\'s sandbox host, a link that is not applied is refused by the host', async () => {
    const r = await dispatch(service, 'setLinkState', [{ designText: exampleText, linkId: 'link-app1', state: 'down' }]);
    expect(r).toEqual({ ok: true, value: { ok: false, error: 'eth0 is not in app1: apply the design first' } });
  }, 60_000);
});
