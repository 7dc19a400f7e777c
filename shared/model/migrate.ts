// Upgrades older design documents to the current version, one step per version.
// Each step takes the raw JSON of version N and returns raw JSON of version N+1;
// the schema then validates the result, so a step never has to be defensive.
import { CURRENT_VERSION } from './schema';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Version 1 (the first preview format) kept each element's canvas position inline as
 * `position: {x, y}` and had no design tag. Version 2 moves positions into `layout`
 * (so the network part diffs cleanly) and adds `tag`, derived from the name.
 */
function v1ToV2(doc: Json): Json {
  const nodes: Record<string, unknown> = {};
  const out: Json = { ...doc, wireplan: 2 };
  for (const [key, value] of Object.entries(doc)) {
    if (!Array.isArray(value)) continue;
    out[key] = value.map((el: unknown) => {
      if (!isObject(el) || !('position' in el)) return el;
      const { position, ...rest } = el;
      if (typeof rest['id'] === 'string') nodes[rest['id']] = position;
      return rest;
    });
  }
  out['layout'] = { nodes, frames: {} };
  if (out['tag'] === undefined) out['tag'] = deriveTag(typeof doc['name'] === 'string' ? doc['name'] : 'lab');
  return out;
}

export function deriveTag(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^[0-9]+/, '');
  return (cleaned || 'lab').slice(0, 12);
}

const STEPS: Record<number, (doc: Json) => Json> = { 1: v1ToV2 };

/** Applies every step from the document's version up to the current one. */
export function migrate(doc: Json, fromVersion: number): Json {
  let current = doc;
  for (let v = fromVersion; v < CURRENT_VERSION; v++) {
    const step = STEPS[v];
    if (!step) throw new Error(`no migration from version ${v}`);
    current = step(current);
  }
  return current;
}
