// The one door into the service: unknown names, malformed arguments for every method, and
// results that are not plain data are all refused with a readable message.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { API_METHODS } from '../../../shared/api/contract';
import { ARGS } from './args';
import { headlessDialogs } from './dialogs';
import { dispatch } from './dispatch';
import { repoResourcesDir } from './paths';
import { assertPlain } from './plain';
import { BackendService, type ApiMethods } from './service';

const dir = mkdtempSync(join(tmpdir(), 'wp-dispatch-'));
const service = new BackendService({ configDir: join(dir, 'cfg'), examplesDir: join(repoResourcesDir(), 'examples'), dialogs: headlessDialogs(join(dir, 'ws')), workspaceDirs: [join(dir, 'ws')] });
afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

async function refusal(method: unknown, params: unknown): Promise<{ code: string; message: string }> {
  const r = await dispatch(service, method, params);
  if (r.ok) throw new Error(`expected a refusal of ${String(method)}, got ${JSON.stringify(r.value)}`);
  return r.error;
}

const target = { address: '10.0.0.5', port: 22, user: 'root' };

describe('dispatch', () => {
  it('has an argument schema for exactly the contract methods', () => {
    expect(Object.keys(ARGS).sort()).toEqual([...API_METHODS].sort());
  });

  it('refuses names that are not contract methods, prototype names included', async () => {
    for (const name of ['close', 'requestOpen', 'constructor', '__proto__', 'toString', 'subscribe', 42, undefined]) {
      expect((await refusal(name, [])).code).toBe('unknown-method');
    }
  });

  it('refuses arguments that are not an array', async () => {
    expect(await refusal('recentFiles', { 0: 1 })).toEqual({ code: 'invalid-arguments', message: 'recentFiles: arguments must be an array' });
  });

  const bad: [string, unknown[], RegExp][] = [
    ['openDesign', [42], /argument 0/],
    ['openDesign', ['a\0b'], /NUL/],
    ['openDesign', ['x', 'extra'], /arguments/],
    ['saveDesign', [undefined], />=2 items/],
    ['saveDesign', [undefined, 'text', '../escape.json'], /file name without folders/],
    ['recentFiles', [1], /arguments/],
    ['writeAutosave', [{ text: 'x' }], /savedAt/],
    ['writeAutosave', [{ text: 'x', savedAt: 'yesterday' }], /ISO 8601/],
    ['writeAutosave', [{ text: 'x', savedAt: new Date().toISOString(), extra: 1 }], /extra/],
    ['exportFile', [{ suggestedName: 'a/b.sh', data: 'x', mimeType: 'text/plain' }], /suggestedName/],
    ['exportFile', [{ suggestedName: 'b.sh', data: 42, mimeType: 'text/plain' }], /data/],
    ['exportFile', [{ suggestedName: 'b.sh', data: 'x', mimeType: 'not a mime' }], /MIME/],
    ['readExample', ['../../etc/passwd'], /example id/],
    ['testConnection', [{ ...target, address: 'bad host;rm -rf' }], /IP address or a host name/],
    ['testConnection', [{ ...target, port: 70000 }], /port/],
    ['testConnection', [{ ...target, user: '-oProxyCommand=x' }], /user name/],
    ['testConnection', [target, { trustFingerprint: 'MD5:aa' }], /fingerprint/],
    ['testConnection', [target, { sneaky: true }], /sneaky/],
    ['hostStatus', [['Not An Id']], /host id/],
    ['apply', [{ designText: '{}', planHashes: { h1: 'zz' } }], /plan hash/],
    ['apply', [{ designText: '{}' }], /planHashes/],
    ['destroy', [{ designText: 42 }], /designText/],
    ['cancelRun', ['x'], /run id/],
  ];
  it.each(bad)('%s refuses malformed arguments %j', async (method, params, why) => {
    const e = await refusal(method, params);
    expect(e.code).toBe('invalid-arguments');
    expect(e.message.startsWith(`${method}: `)).toBe(true);
    expect(e.message).toMatch(why);
  });

  it('treats trailing undefined arguments as omitted', async () => {
    const r = await dispatch(service, 'hostStatus', [undefined]);
    expect(r).toEqual({ ok: true, value: [] });
  });

  it('returns values, and turns a thrown error into a message without a stack', async () => {
    expect(await dispatch(service, 'readExample', ['two-namespaces-nat'])).toMatchObject({ ok: true, value: { ok: true } });
    const throwing = { ...service, listExamples: () => Promise.reject(new Error('disk on fire')) } as unknown as ApiMethods;
    const logs: string[] = [];
    const r = await dispatch(throwing, 'listExamples', [], (l) => logs.push(l));
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'listExamples failed: disk on fire' } });
    expect(logs[0]).toContain('disk on fire');
  });

  it('refuses results that are not plain data', async () => {
    class Secretive {
      x = 1;
    }
    const leaky = { recentFiles: async () => [new Secretive()] } as unknown as ApiMethods;
    const r = await dispatch(leaky, 'recentFiles', []);
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(() => assertPlain({ f: () => 1 })).toThrow(/function/);
    expect(() => assertPlain({ n: NaN })).toThrow(/finite/);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => assertPlain(cyclic)).toThrow(/cycle/);
    expect(() => assertPlain({ ok: [1, 'a', null, undefined, true, new Uint8Array([1])], nested: { deep: {} } })).not.toThrow();
  });
});
