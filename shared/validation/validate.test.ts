// validate() as a whole: clean designs stay clean, a broken rule is contained, output is
// deterministic and ordered, every finding is well-formed, and it scales.
import { describe, expect, it } from 'vitest';
import { exampleFiles, loadExample } from '../../tests/support/examples';
import { DesignSchema, type Design } from '../model/schema';
import { RULE_CATALOG } from './catalog';
import { CASE_TABLES } from './testing/cases';
import { base, designWith, el, make } from './testing/designs';
import { RULES } from './rules';
import { runRules, validate } from './validate';

describe('validate', () => {
  it('finds nothing wrong with the base lab', () => {
    expect(validate(base())).toEqual([]);
  });

  it.each(exampleFiles())('finds no errors in the example %s', (file) => {
    expect(validate(loadExample(file)).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('turns a throwing rule into one internal diagnostic and still runs the others', () => {
    const broken = { name: 'broken', run: () => { throw new Error('boom'); } };
    const d = designWith((x) => { x.tag = 'BAD'; });
    const out = runRules(d, [broken, ...RULES]);
    expect(out.filter((x) => x.rule === 'internal')).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringContaining('boom') }),
    ]);
    expect(out.some((x) => x.rule === 'design-tag')).toBe(true);
  });

  it('survives input that is not even schema-shaped', () => {
    const junk = { hosts: 'nope', layout: null } as unknown as Design;
    expect(() => validate(junk)).not.toThrow();
    expect(validate(junk).every((x) => x.rule === 'internal' || x.rule in RULE_CATALOG)).toBe(true);
  });

  it('is deterministic and orders findings by element position', () => {
    const d = designWith((x) => {
      x.tag = 'BAD';
      el(x, 'vlans', 'v10').vlanId = 5000;
      el(x, 'bridges', 'br-db').mtu = 20;
      el(x, 'hosts', 'h2').name = 'lab1';
    });
    const first = validate(d);
    expect(validate(DesignSchema.parse(JSON.parse(JSON.stringify(d))))).toEqual(first);
    expect(first.map((x) => x.elementId ?? '-')).toEqual(['-', 'h2', 'br-db', 'db', 'db', 'v10']);
  });

  it('says how to turn forwarding on, naming the host', () => {
    const out = validate(designWith((x) => { el(x, 'hosts', 'h1').sysctls.ipForward = false; }));
    const nat = out.find((x) => x.rule === 'forwarding-off' && x.elementId === 'nat-app');
    expect(nat?.fix).toBe('turn on ip_forward on host "lab1"');
  });

  it('gives the MTU to use for a VXLAN without headroom', () => {
    const out = validate(designWith((x) => { const v = el(x, 'vxlans', 'vx1'); delete v.mtu; delete v.dev; }));
    expect(out.find((x) => x.rule === 'vxlan-mtu')?.fix).toContain('1450');
  });

  it('names both elements when a policy blocks a port forward', () => {
    const out = validate(designWith((x) => { x.portForwards.push(make.portForward({ id: 'dbpub', name: 'dbpub', at: 'h1', protocol: 'tcp', port: 3306, to: '10.0.2.10' })); }));
    const found = out.filter((x) => x.rule === 'policy-blocks-port-forward');
    expect(found.map((x) => x.elementId)).toEqual(['dbpub', 'db-guard']);
    for (const f of found) expect(f.message).toMatch(/"dbpub".*"db-guard"/);
  });

  it('reports every finding with a catalogued rule, a message, a fix and a well-formed field path', () => {
    const field = /^([A-Za-z]+(\[\d+\])?)(\.[A-Za-z0-9_.-]+(\[\d+\])?)*$/;
    for (const table of Object.values(CASE_TABLES)) {
      for (const c of table) {
        for (const x of validate(designWith(c.mutate))) {
          expect(Object.keys(RULE_CATALOG)).toContain(x.rule);
          expect(x.rule).not.toBe('internal');
          expect(x.message.length).toBeGreaterThan(10);
          expect(x.fix?.length ?? 0).toBeGreaterThan(5);
          if (x.field !== undefined) expect(x.field).toMatch(field);
        }
      }
    }
  });

  it('validates 1,000 namespaces on one bridge without findings', () => {
    const namespaces = Array.from({ length: 1000 }, (_, i) => ({ id: `ns${i}`, name: `ns${i}`, host: 'h', routes: [{ to: 'default', via: '10.100.0.1' }] }));
    const veths = namespaces.map((ns, i) => ({
      id: `l${i}`,
      name: `l${i}`,
      a: { at: ns.id, addresses: [`10.100.${1 + Math.floor(i / 250)}.${(i % 250) + 1}/16`] },
      b: { at: 'br' },
    }));
    const d = DesignSchema.parse({
      wireplan: 2,
      tag: 'big',
      name: 'big',
      hosts: [{ id: 'h', name: 'h', target: { kind: 'sandbox' }, sysctls: { ipForward: true } }],
      namespaces,
      bridges: [{ id: 'br', name: 'br', at: 'h', addresses: ['10.100.0.1/16'] }],
      veths,
    });
    expect(validate(d)).toEqual([]);
  });
});
