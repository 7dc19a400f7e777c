// nftables: `nft -j list ruleset` (JSON) and `nft [-a] list ruleset` (text).
//
// Verified with nftables 1.0.6 (Debian 12): the JSON output has rule comments and counters
// but NO table (or chain) comments, and rules added by iptables-nft show their matches as
// opaque {"xt": {...}} objects (their -m comment text is not visible; iptables-save -c
// shows it). The text form shows table comments, so Wireplan's ownership digest
// (`comment "wireplan:<tag>:<digest>"` on table inet wp_<tag>) needs the text form or a
// newer nft. parseNftText reads tables, chains and rules from the text; withTableComments
// merges its table comments into a JSON parse.
import { isRecord, parseJson, rec, str, uint, type JsonRecord } from './json';
import { fail, guard, ok, type ParseResult } from './result';
import type { Counter, NftChain, NftRule, NftRuleset, NftTable } from './types';

// ---------------------------------------------------------------------------- JSON

const BARE_META = new Set(['iif', 'oif', 'iifname', 'oifname']);
const VERDICTS = new Set(['accept', 'drop', 'continue', 'return', 'queue']);

function renderValue(v: unknown, depth: number): string {
  if (depth > 24) return '…';
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return /^[\w.:/*-]*$/.test(v) && v !== '' ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => renderValue(x, depth + 1)).join(', ');
  if (!isRecord(v)) return '';
  const keys = Object.keys(v);
  if (keys.length !== 1) return keys.map((k) => `${k} ${renderValue(v[k], depth + 1)}`).join(' ');
  const key = keys[0]!;
  const body = v[key];
  const b = isRecord(body) ? body : undefined;
  const r = (x: unknown) => renderValue(x, depth + 1);
  switch (key) {
    case 'payload':
      if (b && str(b, 'protocol') !== undefined) return `${str(b, 'protocol')} ${str(b, 'field') ?? ''}`.trim();
      return b ? `@${r(b['base'])},${r(b['offset'])},${r(b['len'])}` : 'payload';
    case 'meta': {
      const k = b ? (str(b, 'key') ?? '') : '';
      return BARE_META.has(k) ? k : `meta ${k}`;
    }
    case 'ct':
      return b ? `ct ${str(b, 'dir') ? `${str(b, 'dir')} ` : ''}${str(b, 'key') ?? ''}` : 'ct';
    case 'prefix':
      return b ? `${r(b['addr'])}/${r(b['len'])}` : 'prefix';
    case 'range':
      return Array.isArray(body) ? body.map(r).join('-') : 'range';
    case 'set':
      return Array.isArray(body) ? `{ ${body.map(r).join(', ')} }` : `{ ${r(body)} }`;
    case 'concat':
      return Array.isArray(body) ? body.map(r).join(' . ') : r(body);
    case 'elem':
      return b ? r(b['val']) : r(body);
    case 'fib':
      return b ? `fib ${Array.isArray(b['flags']) ? (b['flags'] as unknown[]).map(r).join(' . ') : r(b['flags'])} ${r(b['result'])}` : 'fib';
    case 'match': {
      if (!b) return 'match';
      const op = str(b, 'op') ?? '==';
      return `${r(b['left'])} ${op === '==' || op === 'in' ? '' : `${op} `}${r(b['right'])}`;
    }
    case 'counter':
      if (b) return `counter packets ${r(b['packets'])} bytes ${r(b['bytes'])}`;
      return `counter name ${r(body)}`;
    case 'jump':
    case 'goto':
      return `${key} ${b ? r(b['target']) : r(body)}`;
    case 'snat':
    case 'dnat': {
      if (!b) return key;
      const fam = str(b, 'family');
      const port = b['port'] !== undefined ? `:${r(b['port'])}` : '';
      return `${key} ${fam ? `${fam} ` : ''}to ${r(b['addr'])}${port}`.trim();
    }
    case 'log':
      return b && str(b, 'prefix') !== undefined ? `log prefix ${JSON.stringify(str(b, 'prefix'))}` : 'log';
    case 'limit':
      return b ? `limit rate ${r(b['rate'])}/${r(b['per'])}` : 'limit';
    case 'xt':
      return b ? `xt ${str(b, 'type') ?? ''} ${JSON.stringify(str(b, 'name') ?? '')}` : 'xt';
    case 'mangle':
      return b ? `${r(b['key'])} set ${r(b['value'])}` : 'mangle';
    case 'vmap':
      return b ? `${r(b['key'])} vmap ${r(b['data'])}` : 'vmap';
    default:
      if (VERDICTS.has(key) || body === null) return key;
      return `${key} ${r(body)}`.trim();
  }
}

function counterOf(exprs: unknown[]): Counter | undefined {
  for (const e of exprs) {
    const c = isRecord(e) ? rec(e, 'counter') : undefined;
    if (!c) continue;
    const packets = uint(c, 'packets');
    const bytes = uint(c, 'bytes');
    if (packets !== undefined && bytes !== undefined) return { packets, bytes };
  }
  return undefined;
}

function tableOf(t: JsonRecord): NftTable | undefined {
  const family = str(t, 'family');
  const name = str(t, 'name');
  if (family === undefined || name === undefined) return undefined;
  const table: NftTable = { family, name };
  const handle = uint(t, 'handle');
  if (handle !== undefined) table.handle = handle;
  const comment = str(t, 'comment');
  if (comment !== undefined) table.comment = comment;
  return table;
}

function chainOf(c: JsonRecord): NftChain | undefined {
  const family = str(c, 'family');
  const table = str(c, 'table');
  const name = str(c, 'name');
  if (family === undefined || table === undefined || name === undefined) return undefined;
  const chain: NftChain = { family, table, name };
  const handle = uint(c, 'handle');
  if (handle !== undefined) chain.handle = handle;
  const type = str(c, 'type');
  if (type !== undefined) chain.type = type;
  const hook = str(c, 'hook');
  if (hook !== undefined) chain.hook = hook;
  const prio = c['prio'];
  if (typeof prio === 'number' || typeof prio === 'string') chain.prio = prio;
  const policy = str(c, 'policy');
  if (policy !== undefined) chain.policy = policy;
  const comment = str(c, 'comment');
  if (comment !== undefined) chain.comment = comment;
  return chain;
}

function ruleOf(x: JsonRecord): NftRule | undefined {
  const family = str(x, 'family');
  const table = str(x, 'table');
  const chain = str(x, 'chain');
  if (family === undefined || table === undefined || chain === undefined) return undefined;
  const exprs = Array.isArray(x['expr']) ? (x['expr'] as unknown[]) : [];
  const rule: NftRule = { family, table, chain, summary: exprs.map((e) => renderValue(e, 0)).filter((s) => s !== '').join(' ') };
  const handle = uint(x, 'handle');
  if (handle !== undefined) rule.handle = handle;
  const comment = str(x, 'comment');
  if (comment !== undefined) rule.comment = comment;
  const counter = counterOf(exprs);
  if (counter) rule.counter = counter;
  return rule;
}

export function parseNftJson(text: string): ParseResult<NftRuleset> {
  return guard('nft json', () => {
    const parsed = parseJson(text, 'nft json');
    if (!parsed.ok) return parsed;
    const list = isRecord(parsed.value) ? parsed.value['nftables'] : undefined;
    if (!Array.isArray(list)) return fail('nft json: expected {"nftables": [...]}');
    const warnings: string[] = [];
    const out: NftRuleset = { tables: [], chains: [], rules: [], tableCommentsObserved: false, otherObjects: 0 };
    list.forEach((item, i) => {
      const keys = isRecord(item) ? Object.keys(item) : [];
      if (!isRecord(item) || keys.length !== 1) {
        warnings.push(`nft json: item ${i} skipped: not a single-key object`);
        return;
      }
      const kind = keys[0]!;
      const body = item[kind];
      if (kind === 'metainfo') {
        const version = isRecord(body) ? str(body, 'version') : undefined;
        if (version !== undefined) out.version = version;
        return;
      }
      if (!isRecord(body)) {
        warnings.push(`nft json: item ${i} (${kind}) skipped: not an object`);
        return;
      }
      if (kind === 'table') {
        const t = tableOf(body);
        if (!t) warnings.push(`nft json: item ${i} (table) skipped: missing family/name`);
        else {
          out.tables.push(t);
          if ('comment' in body) out.tableCommentsObserved = true;
        }
      } else if (kind === 'chain') {
        const c = chainOf(body);
        if (!c) warnings.push(`nft json: item ${i} (chain) skipped: missing family/table/name`);
        else out.chains.push(c);
      } else if (kind === 'rule') {
        const r = ruleOf(body);
        if (!r) warnings.push(`nft json: item ${i} (rule) skipped: missing family/table/chain`);
        else out.rules.push(r);
      } else {
        out.otherObjects++;
      }
    });
    if (out.tables.length === 0) out.tableCommentsObserved = true; // nothing to miss
    return ok(out, warnings);
  });
}

// ---------------------------------------------------------------------------- text

/** Replace the inside of "..." strings with 'x' (same length) so structure can be scanned. */
function maskQuoted(line: string): string {
  let out = '';
  let inQ = false;
  for (const ch of line) {
    if (ch === '"') {
      inQ = !inQ;
      out += ch;
    } else out += inQ ? 'x'.repeat(ch.length) : ch;
  }
  return out;
}

function unquote(word: string): string {
  return word.length >= 2 && word.startsWith('"') && word.endsWith('"') ? word.slice(1, -1) : word;
}

const BLOCK_OBJECTS = new Set(['set', 'map', 'flowtable', 'counter', 'quota', 'ct', 'limit', 'secmark', 'synproxy']);

interface Split {
  body: string;
  handle?: number;
  comment?: string;
}

/** Take `comment "..."` and `# handle N` off the end of a line (outside quotes). */
function splitTail(line: string): Split {
  let body = line;
  let masked = maskQuoted(line);
  const out: Split = { body };
  const hash = masked.indexOf('#');
  if (hash >= 0) {
    const m = /^#\s*handle\s+(\d+)\s*$/.exec(masked.slice(hash));
    if (m) out.handle = Number(m[1]);
    body = body.slice(0, hash).trimEnd();
    masked = masked.slice(0, hash).trimEnd();
  }
  const c = /(^|\s)comment "x*"$/.exec(masked);
  if (c) {
    const start = c.index + c[1]!.length;
    out.comment = body.slice(start + 'comment "'.length, -1);
    body = body.slice(0, start).trimEnd();
  }
  out.body = body;
  return out;
}

/**
 * Parse `nft list ruleset` / `nft -a list ruleset` text: tables (with comments), base-chain
 * properties, and one rule per line with its counter, comment and handle. Sets, maps and
 * other named objects are skipped (counted in otherObjects).
 */
export function parseNftText(text: string): ParseResult<NftRuleset> {
  return guard('nft text', () => {
    if (typeof text !== 'string') return fail('nft text: input is not text');
    const warnings: string[] = [];
    const out: NftRuleset = { tables: [], chains: [], rules: [], tableCommentsObserved: true, otherObjects: 0 };
    let table: NftTable | undefined;
    let chain: NftChain | undefined;
    let skipDepth = 0; // >0 while inside a skipped block (set, map...)
    let sawStructure = false;
    const lines = text.split('\n');
    lines.forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const masked = maskQuoted(line);
      const opens = (masked.match(/\{/g) ?? []).length;
      const closes = (masked.match(/\}/g) ?? []).length;
      if (skipDepth > 0) {
        skipDepth += opens - closes;
        if (skipDepth < 0) skipDepth = 0;
        return;
      }
      if (line === '}') {
        if (chain) chain = undefined;
        else if (table) table = undefined;
        else warnings.push(`nft text: line ${i + 1}: unmatched "}"`);
        return;
      }
      const { body, handle, comment } = splitTail(line);
      const words = body.split(/\s+/);
      if (!table) {
        if (words[0] === 'table' && words.length >= 4 && words[words.length - 1] === '{') {
          table = { family: words[1]!, name: unquote(words.slice(2, -1).join(' ')) };
          if (handle !== undefined) table.handle = handle;
          out.tables.push(table);
          sawStructure = true;
        } else {
          warnings.push(`nft text: line ${i + 1} outside any table ignored`);
        }
        return;
      }
      if (!chain) {
        if (body === '' && comment !== undefined) {
          table.comment = comment;
        } else if (words[0] === 'chain' && words[words.length - 1] === '{') {
          chain = { family: table.family, table: table.name, name: unquote(words.slice(1, -1).join(' ')) };
          if (handle !== undefined) chain.handle = handle;
          out.chains.push(chain);
        } else if (BLOCK_OBJECTS.has(words[0]!) && opens > closes) {
          out.otherObjects++;
          skipDepth = opens - closes;
        } else if (opens === closes && words[0] !== 'flags') {
          // one-line declarations (e.g. "counter c1 { packets 0 bytes 0 }") and table flags
          if (BLOCK_OBJECTS.has(words[0]!)) out.otherObjects++;
        }
        return;
      }
      // inside a chain
      if (body === '' && comment !== undefined) {
        chain.comment = comment;
        return;
      }
      const base = /^type (\S+) hook (\S+)(?: device \S+)? priority ([^;]+);(?:\s*policy (\S+);)?/.exec(body);
      if (base) {
        chain.type = base[1]!;
        chain.hook = base[2]!;
        const prio = base[3]!.trim();
        chain.prio = /^-?\d+$/.test(prio) ? Number(prio) : prio;
        if (base[4] !== undefined) chain.policy = base[4];
        return;
      }
      const policy = /^policy (\S+);$/.exec(body);
      if (policy) {
        chain.policy = policy[1]!;
        return;
      }
      if (opens !== closes) {
        warnings.push(`nft text: line ${i + 1}: unbalanced braces in a rule; ignored`);
        return;
      }
      const rule: NftRule = { family: table.family, table: table.name, chain: chain.name, summary: body };
      if (handle !== undefined) rule.handle = handle;
      if (comment !== undefined) rule.comment = comment;
      const mb = maskQuoted(body);
      const cm = /(?:^|\s)counter packets (\d+) bytes (\d+)(?=\s|$)/.exec(mb);
      if (cm) rule.counter = { packets: Number(cm[1]), bytes: Number(cm[2]) };
      out.rules.push(rule);
    });
    if (table) warnings.push('nft text: output ends inside a table (truncated?)');
    if (!sawStructure && text.trim() !== '') return fail('nft text: no "table ... {" found', warnings);
    return ok(out, warnings);
  });
}

/**
 * Fill table (and chain) comments missing from a JSON parse (nft < JSON comment support)
 * from a text parse of the same ruleset.
 */
export function withTableComments(json: NftRuleset, text: NftRuleset): NftRuleset {
  const key = (family: string, name: string) => `${family}\u0000${name}`;
  const tableComments = new Map<string, string | undefined>();
  for (const t of text.tables) tableComments.set(key(t.family, t.name), t.comment);
  const chainComments = new Map<string, string>();
  for (const c of text.chains) if (c.comment !== undefined) chainComments.set(`${key(c.family, c.table)}\u0000${c.name}`, c.comment);
  const tables = json.tables.map((t) => {
    const comment = t.comment ?? tableComments.get(key(t.family, t.name));
    return comment === undefined ? { ...t } : { ...t, comment };
  });
  const chains = json.chains.map((c) => {
    const comment = c.comment ?? chainComments.get(`${key(c.family, c.table)}\u0000${c.name}`);
    return comment === undefined ? { ...c } : { ...c, comment };
  });
  return { ...json, tables, chains, tableCommentsObserved: json.tableCommentsObserved || text.tableCommentsObserved };
}
