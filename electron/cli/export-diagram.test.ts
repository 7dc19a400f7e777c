// wireplan export --format dot|mermaid: the diagram of the whole design, to stdout or -o.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './io';
import { main } from './main';

const example = join(__dirname, '../../resources/examples/vxlan-two-hosts.wireplan.json');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  return { code: await main(argv, io), out, err };
}

describe('wireplan export --format', () => {
  it('dot: a graph with one cluster per host, no --host needed for a two-host design', async () => {
    const r = await cli('export', example, '--format', 'dot');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^graph "/);
    expect(r.out.match(/subgraph "cluster_\d+"/g)).toHaveLength(2);
  });

  it('mermaid to a file with -o', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'wp-diagram-')), 'lab.mmd');
    const r = await cli('export', example, '--format=mermaid', '-o', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain('mermaid diagram of 2 host(s)');
    expect(readFileSync(out, 'utf8')).toContain('flowchart LR');
  });

  it('clab: one host as a containerlab topology, what it cannot carry named on stderr; --host needed for two hosts', async () => {
    expect((await cli('export', example, '--format', 'clab')).code).toBe(2);
    const r = await cli('export', example, '--format', 'clab', '--host', 'lab-a');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('topology:\n  nodes:');
    expect(r.err).toContain('not carried over: VXLAN');
  });

  it('drawio: an mxfile with both hosts', async () => {
    const r = await cli('export', example, '--format', 'drawio');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<mxfile /);
    expect(r.out).toContain('value="host lab-a"');
    expect(r.out).toContain('value="host lab-b"');
  });

  it('an unknown format, or --host with a diagram, is a usage error', async () => {
    expect((await cli('export', example, '--format', 'png')).code).toBe(2);
    expect((await cli('export', example, '--format', 'dot', '--host', 'lab-a')).code).toBe(2);
  });
});
