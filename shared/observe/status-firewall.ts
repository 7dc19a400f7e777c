// Firewall drift for one router namespace: the rules and chains the plan loads into
// `table inet wp_<tag>` against what the host's table really holds. The table's comment
// digest only says which ruleset was LOADED; a rule added or deleted by hand afterwards
// leaves the comment alone, so rules are compared one by one (as a multiset of chain +
// comment), and base-chain hooks and policies are compared too.
import { parseNftText } from './nft';
import type { NftRule, NftRuleset } from './types';

const q = (s: string) => JSON.stringify(s);

export interface FirewallFinding {
  /** Rule comment (an owner tag) the finding belongs to; undefined = the table as a whole. */
  owner?: string;
  message: string;
}

export interface FirewallComparison {
  findings: FirewallFinding[];
  /** Observed rules of our table by owner tag (rule comment). */
  rulesByOwner: Map<string, NftRule[]>;
}

interface Expected {
  chains: Map<string, { hook?: string; policy?: string; type?: string }>;
  rules: Map<string, number>;
}

const expectedCache = new Map<string, Expected>();

/** The rules and chains an `wp_nft_load` ruleset text defines for `table`. */
export function expectedFirewall(text: string, table: string): Expected {
  const cached = expectedCache.get(text);
  if (cached) return cached;
  const parsed = parseNftText(text);
  const chains = new Map<string, { hook?: string; policy?: string; type?: string }>();
  const rules = new Map<string, number>();
  if (parsed.ok) {
    for (const c of parsed.value.chains) {
      if (c.table !== table) continue;
      chains.set(c.name, { ...(c.hook !== undefined ? { hook: c.hook } : {}), ...(c.policy !== undefined ? { policy: c.policy } : {}), ...(c.type !== undefined ? { type: c.type } : {}) });
    }
    for (const r of parsed.value.rules) {
      if (r.table !== table) continue;
      const k = ruleKey(r.chain, r.comment);
      rules.set(k, (rules.get(k) ?? 0) + 1);
    }
  }
  const value = { chains, rules };
  if (expectedCache.size > 256) expectedCache.clear();
  expectedCache.set(text, value);
  return value;
}

function ruleKey(chain: string, comment: string | undefined): string {
  return `${chain}\u0000${comment ?? ''}`;
}

/** Compare our table in `observed` with the ruleset text the plan loads. */
export function compareFirewall(observed: NftRuleset, table: string, loadText: string): FirewallComparison {
  const want = expectedFirewall(loadText, table);
  const findings: FirewallFinding[] = [];
  const rulesByOwner = new Map<string, NftRule[]>();
  const mine = observed.rules.filter((r) => r.table === table && r.family === 'inet');
  const have = new Map<string, NftRule[]>();
  for (const r of mine) {
    const k = ruleKey(r.chain, r.comment);
    have.set(k, [...(have.get(k) ?? []), r]);
    if (r.comment !== undefined) rulesByOwner.set(r.comment, [...(rulesByOwner.get(r.comment) ?? []), r]);
  }
  for (const [k, n] of want.rules) {
    const got = have.get(k)?.length ?? 0;
    if (got < n) {
      const [chain, comment] = k.split('\u0000') as [string, string];
      findings.push({
        ...(comment !== '' ? { owner: comment } : {}),
        message: `${n - got} rule${n - got > 1 ? 's' : ''} missing from chain ${q(chain)} of table inet ${q(table)}`,
      });
    }
  }
  for (const [k, rules] of have) {
    const extra = rules.length - (want.rules.get(k) ?? 0);
    if (extra <= 0) continue;
    for (const r of rules.slice(rules.length - extra)) {
      findings.push({ message: `foreign rule in chain ${q(r.chain)} of table inet ${q(table)}: ${q(r.summary)}` });
    }
  }
  const chains = observed.chains.filter((c) => c.table === table && c.family === 'inet');
  for (const [name, spec] of want.chains) {
    const c = chains.find((x) => x.name === name);
    if (!c) {
      findings.push({ message: `chain ${q(name)} missing from table inet ${q(table)}` });
      continue;
    }
    if (spec.hook !== undefined && c.hook !== undefined && c.hook !== spec.hook) findings.push({ message: `chain ${q(name)} hooks ${c.hook}, want ${spec.hook}` });
    if (spec.policy !== undefined && c.policy !== undefined && c.policy !== spec.policy) findings.push({ message: `chain ${q(name)} policy is ${c.policy}, want ${spec.policy}` });
  }
  for (const c of chains) if (!want.chains.has(c.name)) findings.push({ message: `foreign chain ${q(c.name)} in table inet ${q(table)}` });
  return { findings, rulesByOwner };
}
