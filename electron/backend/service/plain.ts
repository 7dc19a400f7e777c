// Only plain data crosses the process boundary (DESIGN.md §2): objects with the plain
// prototype, arrays, strings, finite numbers, booleans, null, undefined and byte arrays.
// A class instance, a function or a cycle leaking out of the backend is a bug: it is
// caught here instead of being half-cloned (or silently dropped) on the way out.

export class NotPlainData extends Error {
  override readonly name = 'NotPlainData';
}

export function assertPlain(value: unknown, where = 'result'): void {
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): void => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
      case 'undefined':
        return;
      case 'number':
        if (!Number.isFinite(v)) throw new NotPlainData(`${path} is ${v}, not a finite number`);
        return;
      case 'object': {
        if (v === null) return;
        if (v instanceof Uint8Array) return;
        if (seen.has(v)) throw new NotPlainData(`${path} is a cycle`);
        seen.add(v);
        if (Array.isArray(v)) {
          v.forEach((x, i) => walk(x, `${path}[${i}]`));
        } else {
          const proto = Object.getPrototypeOf(v) as unknown;
          if (proto !== Object.prototype && proto !== null) throw new NotPlainData(`${path} is a ${(v as object).constructor?.name ?? 'class instance'}, not plain data`);
          for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
        }
        seen.delete(v);
        return;
      }
      default:
        throw new NotPlainData(`${path} is a ${typeof v}, not plain data`);
    }
  };
  walk(value, where);
}
