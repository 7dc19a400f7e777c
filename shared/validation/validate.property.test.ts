// Property: validate never throws. Designs come from mutating the valid base lab: random
// strings, numbers and booleans (drawn partly from the design's own ids, interface names
// and addresses, so references still hit), deleted fields and dropped elements.
// Schema-valid mutants must also never trip a rule into an 'internal' diagnostic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DesignSchema, type Design } from '../model/schema';
import { baseInput } from './testing/designs';
import { validate } from './validate';

type Json = unknown;
type Path = (string | number)[];

function leaves(value: Json, path: Path = [], out: { path: Path; kind: string }[] = []): { path: Path; kind: string }[] {
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  out.push({ path, kind });
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...path, i], out));
  else if (kind === 'object') for (const [k, v] of Object.entries(value as object)) leaves(v, [...path, k], out);
  return out;
}

function parentOf(root: Json, path: Path): Record<string | number, Json> | undefined {
  let cur = root as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) {
    const next = cur[key];
    if (typeof next !== 'object' || next === null) return undefined;
    cur = next as Record<string | number, Json>;
  }
  return cur;
}

const POOL = [
  'h1', 'h2', 'ns-app1', 'ns-db', 'ns-mv', 'br-app', 'br-db', 'br-ov', 'app1', 'db', 'mv1', 'mv-shim', 'v10', 'vx1', 'web', 'db-guard',
  'eth0', 'eth1', 'eth2', 'lo', 'all', 'app1-a', 'br-app', 'x'.repeat(16), 'eth0;reboot', '',
  '10.0.1.1', '10.0.1.1/24', '10.0.1.0/24', '10.0.1.10', '10.0.2.10', 'default', 'fd00:1::1', 'fd00:1::1/64', 'fe80::1', '239.1.1.1', '0.0.0.0/0', '::/0', '1.2.3.4/33', '10.0.0.1/16',
  '80', '5432', '1-65535', '2-1', 'bridge', 'passthru', 'l2', '02:00:00:00:00:01', '01:00:5e:00:00:01',
];

const stringValue = fc.oneof(fc.constantFrom(...POOL), fc.string({ maxLength: 20 }));
const numberValue = fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.constantFrom(0, 1, 68, 1280, 1450, 1500, 4094, 4095, 9000, 16777215, 16777216, 2 ** 32, -1));

const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('set', 'set', 'set', 'delete', 'drop'),
  str: stringValue,
  num: numberValue,
  bool: fc.boolean(),
  any: fc.anything(),
  index: fc.nat(),
});

type Mutation = { at: number; op: string; str: string; num: number; bool: boolean; any: unknown; index: number };

function mutate(doc: Json, ms: Mutation[], typed: boolean): Json {
  for (const m of ms) {
    const all = leaves(doc).filter((l) => l.path.length > 0);
    const target = all[m.at % all.length]!;
    const parent = parentOf(doc, target.path);
    const key = target.path[target.path.length - 1]!;
    if (!parent) continue;
    if (m.op === 'drop' && target.kind === 'array') {
      const list = parent[key] as Json[];
      if (list.length > 0) list.splice(m.index % list.length, 1);
    } else if (m.op === 'delete' && !Array.isArray(parent)) {
      delete parent[key];
    } else if (!typed) {
      parent[key] = m.any;
    } else if (target.kind === 'string') {
      parent[key] = m.str;
    } else if (target.kind === 'number') {
      parent[key] = m.num;
    } else if (target.kind === 'boolean') {
      parent[key] = m.bool;
    }
  }
  return doc;
}

describe('validate (property)', () => {
  it('never throws on mutated documents, schema-valid or not', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean(), (ms, typed) => {
        const doc = mutate(baseInput(), ms, typed);
        expect(() => validate(doc as Design)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('never needs an internal diagnostic for schema-valid mutants', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (ms) => {
        const parsed = DesignSchema.safeParse(mutate(baseInput(), ms, true));
        if (!parsed.success) return;
        const internal = validate(parsed.data).filter((d) => d.rule === 'internal');
        expect(internal).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
