// The result of every observation parser. Parsers never throw: unusable input yields an
// error value, partly bad input yields the good part plus one warning per skipped entry.

export type ParseResult<T> =
  | { ok: true; value: T; warnings: string[] }
  | { ok: false; error: string; warnings: string[] };

export function ok<T>(value: T, warnings: string[] = []): ParseResult<T> {
  return { ok: true, value, warnings };
}

export function fail<T>(error: string, warnings: string[] = []): ParseResult<T> {
  return { ok: false, error, warnings };
}

/**
 * Run a parser body and turn any unexpected exception into an error value, so a bug in a
 * parser can never take the caller (live monitor, reconcile) down with it.
 */
export function guard<T>(what: string, body: () => ParseResult<T>): ParseResult<T> {
  try {
    return body();
  } catch (e) {
    return fail(`${what}: internal parser error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A short, escaped excerpt of hostile or garbage text for messages (never raw control bytes). */
export function excerpt(text: string, at = 0, width = 40): string {
  const start = Math.max(0, at - Math.floor(width / 2));
  const slice = text.slice(start, start + width);
  return JSON.stringify(slice);
}
