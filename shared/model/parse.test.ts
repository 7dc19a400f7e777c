import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesign, serializeDesign } from './parse';
import { CURRENT_VERSION } from './schema';

const examplesDir = join(__dirname, '../../resources/examples');
const minimal = { wireplan: CURRENT_VERSION, tag: 'lab', name: 'lab', hosts: [{ id: 'h', name: 'h', target: { kind: 'sandbox' } }] };

describe('parseDesign', () => {
  it('loads every example and fills defaults', () => {
    for (const file of readdirSync(examplesDir)) {
      const r = parseDesign(readFileSync(join(examplesDir, file), 'utf8'));
      expect(r.ok, file).toBe(true);
    }
    const r = parseDesign(JSON.stringify(minimal));
    if (!r.ok) throw new Error('expected ok');
    expect(r.design.namespaces).toEqual([]);
    expect(r.design.hosts[0]!.nics).toEqual([]);
    expect(r.design.layout).toEqual({ nodes: {}, frames: {} });
  });

  it('round-trips: serialize(parse(x)) parses to the same design', () => {
    const text = readFileSync(join(examplesDir, 'two-namespaces-nat.wireplan.json'), 'utf8');
    const a = parseDesign(text);
    if (!a.ok) throw new Error('expected ok');
    const b = parseDesign(serializeDesign(a.design));
    if (!b.ok) throw new Error('expected ok');
    expect(b.design).toEqual(a.design);
    expect(serializeDesign(b.design)).toBe(serializeDesign(a.design));
  });

  it('refuses text that is not JSON', () => {
    const r = parseDesign('{ nope');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.kind).toBe('not-json');
  });

  it('refuses JSON that is not a Wireplan design', () => {
    for (const text of ['[]', '42', 'null', '{"name":"x"}']) {
      const r = parseDesign(text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.kind).toBe('not-wireplan');
        expect(r.errors[0]!.message).toMatch(/not a Wireplan design/);
      }
    }
  });

  it('refuses a newer file with "made by a newer Wireplan"', () => {
    const r = parseDesign(JSON.stringify({ ...minimal, wireplan: CURRENT_VERSION + 1 }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.kind).toBe('newer');
      expect(r.errors[0]!.message).toMatch(/made by a newer Wireplan/);
    }
  });

  it('names the path of a bad field and what was expected', () => {
    const bad = { ...minimal, namespaces: [{ id: 'n', name: 'n', host: 'h', loopback: 'yes' }] };
    const r = parseDesign(JSON.stringify(bad));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContainEqual({ path: 'namespaces[0].loopback', message: 'expected boolean' });
    const unknown = parseDesign(JSON.stringify({ ...minimal, bridges: [{ id: 'b', name: 'b', at: 'h', colour: 'red' }] }));
    if (unknown.ok) throw new Error('expected failure');
    expect(unknown.errors).toContainEqual({ path: 'bridges[0]', message: 'unknown field "colour"' });
    const kind = parseDesign(JSON.stringify({ ...minimal, macvlans: [{ id: 'm', name: 'm', kind: 'macvlan', at: 'h', parent: 'eth0', mode: 'bogus' }] }));
    if (kind.ok) throw new Error('expected failure');
    expect(kind.errors[0]!.path).toBe('macvlans[0].mode');
    expect(kind.errors[0]!.message).toMatch(/expected one of "bridge"/);
  });

  it('migrates a version 1 file: inline positions move to layout, a tag is derived', () => {
    const v1 = {
      wireplan: 1,
      name: 'Old Lab 7',
      hosts: [{ id: 'h', name: 'h', target: { kind: 'sandbox' }, position: { x: 1, y: 2 } }],
      namespaces: [{ id: 'n1', name: 'n1', host: 'h', position: { x: 10, y: 20 } }],
    };
    const r = parseDesign(JSON.stringify(v1));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.migratedFrom).toBe(1);
    expect(r.design.wireplan).toBe(CURRENT_VERSION);
    expect(r.design.tag).toBe('oldlab7');
    expect(r.design.layout.nodes).toEqual({ h: { x: 1, y: 2 }, n1: { x: 10, y: 20 } });
    expect(r.design.namespaces[0]).not.toHaveProperty('position');
  });
});
