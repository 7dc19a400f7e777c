// The one door into the backend service for both transports (Electron IPC and the
// headless WebSocket): known method names only, validated arguments, plain data out,
// errors as readable messages (the stack stays in the log).
import { API_EVENTS, API_METHODS, type ApiEvent, type ApiMethod, type CallOutcome } from '../../../shared/api/contract';
import { InvalidArguments, parseArgs } from './args';
import { assertPlain } from './plain';
import type { ApiMethods } from './service';

const METHODS: ReadonlySet<string> = new Set(API_METHODS);
const EVENTS: ReadonlySet<string> = new Set(API_EVENTS);

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && METHODS.has(name);
}

export function isApiEvent(name: unknown): name is ApiEvent {
  return typeof name === 'string' && EVENTS.has(name);
}

export async function dispatch(service: ApiMethods, method: unknown, params: unknown, log?: (line: string) => void): Promise<CallOutcome> {
  if (!isApiMethod(method)) return { ok: false, error: { code: 'unknown-method', message: `no API method named ${JSON.stringify(String(method)).slice(0, 80)}` } };
  if (!Array.isArray(params)) return { ok: false, error: { code: 'invalid-arguments', message: `${method}: arguments must be an array` } };
  let args: unknown[];
  try {
    args = parseArgs(method, params) as unknown[];
  } catch (e) {
    if (e instanceof InvalidArguments) return { ok: false, error: { code: 'invalid-arguments', message: e.message } };
    throw e;
  }
  try {
    const fn = service[method] as (...a: unknown[]) => Promise<unknown>;
    const value = await fn.apply(service, args);
    assertPlain(value, `${method} result`);
    return { ok: true, value };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    log?.(`${method} failed: ${err.stack ?? err.message}`);
    return { ok: false, error: { code: 'internal', message: `${method} failed: ${err.message}` } };
  }
}
