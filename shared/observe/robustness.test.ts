// Property tests: every parser returns (never throws) on arbitrary input, and its result
// always has the ParseResult shape.
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { describe, it } from 'vitest';
import { capturedHost, fixture, FIXTURE_DIR } from '../../tests/fixtures/observe/load';
import type { Probe } from '../compile/plan';
import { parseBridgeLink, parseBridgeVlan } from './bridge';
import { observeHost, observeNamespace } from './host';
import { parseIpAddr } from './ip-addr';
import { parseIpBatch, RECOMMENDED_BATCH_COMMANDS } from './ip-batch';
import { parseIpLink } from './ip-link';
import { parseIpNetns } from './ip-netns';
import { parseIpRoute } from './ip-route';
import { parseIptablesSave } from './iptables';
import { parseJson } from './json';
import { parseNftJson, parseNftText } from './nft';
import { evaluateProbe } from './probe';
import type { ParseResult } from './result';
import { parseBootId, parseIptablesVersion, parseNftVersion, parseSysctl } from './sysctl';

const PARSERS: Record<string, (text: string) => ParseResult<unknown>> = {
  parseJson: (t) => parseJson(t, 'x'),
  parseIpLink,
  parseIpAddr,
  parseIpRoute: (t) => parseIpRoute(t),
  parseIpNetns,
  parseIpBatch: (t) => parseIpBatch(t),
  parseIpBatchFull: (t) => parseIpBatch(t, { commands: RECOMMENDED_BATCH_COMMANDS, stderr: t }),
  parseBridgeLink,
  parseBridgeVlan,
  parseNftJson,
  parseNftText,
  parseIptablesSave,
  parseSysctl,
  parseIptablesVersion,
  parseNftVersion,
  parseBootId,
};

/** Plain checks (not expect(): thousands of calls per property would dominate the run time). */
function checkShape(r: ParseResult<unknown>): void {
  const good =
    typeof r.ok === 'boolean' && Array.isArray(r.warnings) && r.warnings.every((w) => typeof w === 'string') && (r.ok || typeof r.error === 'string');
  if (!good) throw new Error(`not a ParseResult: ${JSON.stringify(r).slice(0, 200)}`);
}

function allParsersReturn(text: string): void {
  for (const parse of Object.values(PARSERS)) checkShape(parse(text));
}

/** Objects shaped like ip/bridge/nft output, with arbitrary values under the real keys. */
const KEYS = [
  'ifindex', 'ifname', 'flags', 'mtu', 'master', 'link', 'link_index', 'link_netnsid', 'ifalias', 'address', 'operstate',
  'linkinfo', 'info_kind', 'info_data', 'info_slave_kind', 'info_slave_data', 'stats64', 'rx', 'tx', 'bytes', 'packets',
  'addr_info', 'family', 'local', 'prefixlen', 'dst', 'gateway', 'dev', 'metric', 'table', 'type', 'nexthops', 'via',
  'nsid', 'name', 'id', 'vlans', 'vlan', 'vlanEnd', 'nftables', 'metainfo', 'rule', 'chain', 'expr', 'counter',
  'match', 'left', 'right', 'comment', 'handle', '__proto__', 'constructor', 'mode', 'remote', 'group', 'port', 'stp_state',
];
const shaped = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }),
    tie('object'),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
  // Entries, not fc.dictionary: unique-key generation from a small key set is very slow.
  object: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 6 }).map((e) => Object.fromEntries(e)),
}));
const shapedText = fc.oneof(
  fc.array(shaped.object, { maxLength: 5 }).map((x) => JSON.stringify(x)),
  fc
    .array(fc.tuple(fc.constantFrom('table', 'chain', 'rule', 'set', 'metainfo'), shaped.object), { maxLength: 5 })
    .map((items) => JSON.stringify({ nftables: items.map(([k, v]) => ({ [k]: v })) })),
  fc.array(fc.array(shaped.object, { maxLength: 3 }), { maxLength: 5 }).map((xs) => xs.map((x) => JSON.stringify(x)).join('\n')),
);

/**
 * Any JS string: full code point range (lone surrogates included), biased to ASCII and
 * control characters. Built from code points rather than fc.string({ unit: 'binary' }),
 * whose first use builds a >1 s reverse mapping table.
 */
const anyString = (maxLength: number) =>
  fc
    .array(fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0, max: 0x10ffff })), { maxLength })
    .map((cps) => String.fromCodePoint(...cps));

const fixtureFiles = readdirSync(FIXTURE_DIR).filter((f) => /\.(json|txt|stderr|in)$/.test(f));

describe('parsers never throw', () => {
  it('on arbitrary strings (full unicode, control characters)', () => {
    fc.assert(fc.property(anyString(300), (s) => allParsersReturn(s)), { numRuns: 300 });
  });

  it('on arbitrary JSON text', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), (s) => allParsersReturn(s)), { numRuns: 300 });
  });

  it('on JSON shaped like the tools output, with hostile values under the real keys', () => {
    fc.assert(fc.property(shapedText, (s) => allParsersReturn(s)), { numRuns: 400 });
  });

  it('on every real fixture cut short or corrupted at an arbitrary point', () => {
    const texts = fixtureFiles.map((f) => fixture(f));
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), anyString(8), (i, at, junk) => {
        const t = texts[i]!;
        const cut = Math.floor(t.length * at);
        allParsersReturn(t.slice(0, cut));
        allParsersReturn(t.slice(0, cut) + junk + t.slice(cut + junk.length));
      }),
      { numRuns: 300 },
    );
  });

  it('on non-string input smuggled through an untyped boundary', () => {
    for (const v of [undefined, null, 42, {}, [], true]) allParsersReturn(v as unknown as string);
  });

  it('every real fixture parses with at least one parser and none throws', () => {
    for (const f of fixtureFiles) allParsersReturn(fixture(f));
  });
});

describe('assembly and probe evaluation never throw', () => {
  const probe = fc.oneof(
    fc.record({ type: fc.constant('netns'), name: fc.string(), owner: fc.string() }),
    fc.record({ type: fc.constantFrom('link', 'alias'), ns: fc.constantFrom('', 'ns1', 'x'), ifname: fc.string(), owner: fc.string() }),
    fc.record({ type: fc.constant('link-state'), ns: fc.constantFrom('', 'ns1'), ifname: fc.constantFrom('h-ns1', 'eth0', '__proto__'), master: fc.option(fc.string(), { nil: undefined }), up: fc.boolean() }),
    fc.record({ type: fc.constant('addr'), ns: fc.constantFrom('', 'ns1'), ifname: fc.constantFrom('eth0', 'br0'), cidr: fc.string() }),
    fc.record({ type: fc.constant('route'), ns: fc.constantFrom('', 'ns1'), to: fc.oneof(fc.string(), fc.constant('default')), via: fc.option(fc.string(), { nil: undefined }), dev: fc.option(fc.string(), { nil: undefined }), metric: fc.option(fc.integer(), { nil: undefined }) }),
    fc.record({ type: fc.constant('sysctl'), ns: fc.constantFrom('', 'ns1'), key: fc.string(), value: fc.string() }),
    fc.record({ type: fc.constant('nft'), ns: fc.constantFrom('', 'ns1'), table: fc.string(), digest: fc.string() }),
    fc.record({ type: fc.constant('bridge-vlan'), ns: fc.constantFrom('', 'ns1'), ifname: fc.string(), pvid: fc.integer() }),
  ) as fc.Arbitrary<Probe>;

  it('evaluateProbe returns one of the four states for arbitrary probes', () => {
    const host = capturedHost();
    fc.assert(
      fc.property(probe, (p) => {
        const r = evaluateProbe(p, host);
        if (!['present', 'absent', 'foreign', 'drifted'].includes(r.state)) throw new Error(`bad state ${r.state}`);
      }),
      { numRuns: 500 },
    );
  });

  it('observeNamespace/observeHost on arbitrary outputs', () => {
    const text = fc.oneof(anyString(200), shapedText);
    fc.assert(
      fc.property(fc.record({ batch: text, sysctl: text, nftJson: text, nftText: text, iptablesSave: text, bridgeVlan: text, netnsList: text }), (r) => {
        const ns = observeNamespace({ name: 'x', batch: { stdout: r.batch, stderr: r.batch }, sysctl: r.sysctl, nftJson: r.nftJson, nftText: r.nftText, iptablesSave: r.iptablesSave, bridgeVlan: r.bridgeVlan });
        const host = observeHost({ collectedAt: 0, netnsList: r.netnsList, bootId: r.sysctl, namespaces: [{ name: '', batch: { stdout: r.batch } }] });
        if (!Array.isArray(ns.warnings) || !Array.isArray(host.namespaces)) throw new Error('bad assembly');
      }),
      { numRuns: 200 },
    );
  });
});
