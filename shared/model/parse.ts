// Loading a design file: JSON -> version check -> migration -> schema. Never throws;
// every failure names the path of the bad field and what was expected.
import type { z } from 'zod';
import { CURRENT_VERSION, DesignFileSchema, type Design } from './schema';
import { migrate } from './migrate';

export interface LoadError {
  /** JSON path of the offending field, e.g. "veths[2].a.at"; empty for the whole file. */
  path: string;
  message: string;
}

export type LoadResult =
  | { ok: true; design: Design; migratedFrom?: number }
  | { ok: false; kind: 'not-json' | 'not-wireplan' | 'newer' | 'invalid'; errors: LoadError[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_big':
      return `too long: at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

/** The text without a UTF-8 byte order mark (some Windows editors write one; it is not part of the JSON). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function parseDesign(json: string): LoadResult {
  let raw: unknown;
  try {
    raw = JSON.parse(stripBom(json));
  } catch (e) {
    return { ok: false, kind: 'not-json', errors: [{ path: '', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  return loadDesign(raw);
}

export function loadDesign(raw: unknown): LoadResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('wireplan' in raw)) {
    return {
      ok: false,
      kind: 'not-wireplan',
      errors: [{ path: '', message: 'not a Wireplan design: expected a JSON object with a "wireplan" version field' }],
    };
  }
  const doc = raw as Record<string, unknown>;
  const version = doc['wireplan'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, kind: 'invalid', errors: [{ path: 'wireplan', message: 'expected a positive whole version number' }] };
  }
  if (version > CURRENT_VERSION) {
    return {
      ok: false,
      kind: 'newer',
      errors: [
        {
          path: 'wireplan',
          message: `made by a newer Wireplan (file format ${version}, this version reads up to ${CURRENT_VERSION}); update Wireplan to open it`,
        },
      ],
    };
  }
  const upgraded = version < CURRENT_VERSION ? migrate(doc, version) : doc;
  const parsed = DesignFileSchema.safeParse(upgraded);
  if (!parsed.success) {
    return {
      ok: false,
      kind: 'invalid',
      errors: parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: describeIssue(issue) })),
    };
  }
  // $schema is for editors: the loaded design never carries it (plans and hashes ignore it).
  const { $schema: _schema, ...design } = parsed.data;
  return version < CURRENT_VERSION ? { ok: true, design, migratedFrom: version } : { ok: true, design };
}

/**
 * Where saved designs point editors for validation and completion: the JSON Schema of this
 * file format, generated from DesignSchema (scripts/gen-schema.ts writes it to
 * resources/schema/wireplan.schema.json, with this as its $id).
 */
export const DESIGN_SCHEMA_URL = `https://wireplan.dev/schema/wireplan-${CURRENT_VERSION}.schema.json`;

/** Stable text form: $schema first, two-space indent, trailing newline (what Save writes). */
export function serializeDesign(design: Design): string {
  return `${JSON.stringify({ $schema: DESIGN_SCHEMA_URL, ...design }, null, 2)}\n`;
}
