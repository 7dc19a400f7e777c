// `wireplan serve` as a command: refuses non-loopback addresses, prints the address with
// its token on stdout only, hands a FILE argument to the first page, and stops cleanly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WIRE_PROTOCOL, WIRE_TOKEN_PREFIX, decodeWire, encodeWire } from '../../../shared/api/contract';
import { UsageError } from '../../cli/args';
import type { CliIo } from '../../cli/io';
import { serve, serveCommand } from '../../cli/commands/serve';
import type { HeadlessServer } from './headlessServer';

const dir = mkdtempSync(join(tmpdir(), 'wp-serve-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, WIREPLAN_CONFIG_DIR: join(dir, 'cfg') };

function bufferIo(): CliIo & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return { out_, err_, out: (t) => void out_.push(t), err: (t) => void err_.push(t) };
}

describe('wireplan serve', () => {
  it('has the Subcommand shape', () => {
    expect(typeof serve.summary).toBe('string');
    expect(serve.help).toContain('usage: wireplan serve');
    expect(typeof serve.run).toBe('function');
  });

  it('refuses any address but 127.0.0.1, with exit status 2', async () => {
    for (const host of ['0.0.0.0', '::', 'localhost']) {
      const io = bufferIo();
      expect(await serveCommand(['--host', host], io, { env, until: Promise.resolve() })).toBe(2);
      expect(io.err_.join('\n')).toContain('listens on 127.0.0.1 only');
      expect(io.out_).toEqual([]);
    }
  });

  it('rejects a bad port as a usage error', async () => {
    await expect(serveCommand(['--port', 'eighty'], bufferIo(), { env })).rejects.toBeInstanceOf(UsageError);
    await expect(serveCommand(['a.json', 'b.json'], bufferIo(), { env })).rejects.toBeInstanceOf(UsageError);
  });

  it('prints the URL with the token on stdout only, opens FILE in the first page, stops on request', async () => {
    const file = join(dir, 'given.wireplan.json');
    writeFileSync(file, '{"wireplan":2}');
    const io = bufferIo();
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    let server: HeadlessServer | undefined;
    const done = serveCommand([file, '--dir', join(dir, 'ws')], io, { env, until, onListening: (s) => (server = s) });
    await expect.poll(() => server !== undefined).toBe(true);
    expect(io.out_).toEqual([`Wireplan designer: open ${server!.url}`]);
    expect(io.err_.join('\n')).not.toContain(server!.token);

    const ws = new WebSocket(`ws://127.0.0.1:${server!.address.port}/api`, [WIRE_PROTOCOL, `${WIRE_TOKEN_PREFIX}${server!.token}`], { headers: { Origin: server!.origin } });
    const first = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(decodeWire(String(d)))));
    await new Promise((r) => ws.once('open', r));
    ws.send(encodeWire({ type: 'subscribe', event: 'onAppRequest' }));
    expect(await first).toEqual({ type: 'event', event: 'onAppRequest', payload: { kind: 'open-file', path: file } });
    // The granted file is readable through the API although it is outside the workspace.
    const reply = new Promise<unknown>((resolve) => ws.once('message', (d) => resolve(decodeWire(String(d)))));
    ws.send(encodeWire({ type: 'call', id: 1, method: 'openDesign', params: [file] }));
    expect(await reply).toMatchObject({ type: 'result', id: 1, ok: true, value: { ok: true, path: file, text: '{"wireplan":2}' } });

    const closed = new Promise((r) => ws.once('close', r));
    stop();
    expect(await done).toBe(0);
    await closed;
  });
});
