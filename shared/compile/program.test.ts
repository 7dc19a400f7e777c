// Programs in namespaces compile to one `program` step each (docs/programs.md), and the
// fixture tests/fixtures/designs/programs.wireplan.json compiles to the plan checked in under
// resources/golden/programs (regenerate with UPDATE_GOLDEN=1 after an intended change).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DesignSchema, type Design, type Program } from '../model/schema';
import { hostScriptWith, planText, RUNTIME_PLACEHOLDER } from '../export/script';
import { compile } from './compile';
import type { Step } from './plan';
import { programDigest } from './program';

const FIXTURE = join(__dirname, '../../tests/fixtures/designs/programs.wireplan.json');
const GOLDEN = join(__dirname, '../../resources/golden/programs');
const update = process.env['UPDATE_GOLDEN'] === '1';

function fixture(): Design {
  return DesignSchema.parse(JSON.parse(readFileSync(FIXTURE, 'utf8')));
}

function steps(d: Design): Step[] {
  const r = compile(d);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.plan.hosts[0]!.steps;
}

const web = (d: Design): Program => d.namespaces.find((n) => n.id === 'app1')!.programs[0]!;

describe('compiled program steps', () => {
  it('a program is one step in its namespace, after everything else there, started and stopped by the runtime', () => {
    const all = steps(fixture());
    const i = all.findIndex((s) => s.id === 'program:app1:web');
    const step = all[i]!;
    expect(step).toMatchObject({ kind: 'program', element: 'app1', ns: 'app1', coveredBy: [], description: 'program web in app1: python3 -m http.server 8000' });
    expect(step.do).toEqual([
      {
        ns: 'app1',
        argv: ['wp_prog_start', 'web', programDigest(web(fixture())), '0', '/srv/www', '8000', '2', 'PYTHONUNBUFFERED=1', "GREETING=it's $(not) a shell", 'python3', '-m', 'http.server', '8000'],
      },
    ]);
    expect(step.undo).toEqual([{ ns: 'app1', argv: ['wp_prog_stop', 'web'] }]);
    expect(step.probe).toEqual({ type: 'program', ns: 'app1', name: 'web', digest: programDigest(web(fixture())) });
    // The last step of app1's group: its network (addresses, routes) is built first.
    expect(all.slice(i + 1).every((s) => s.ns !== 'app1')).toBe(true);
    expect(all.findIndex((s) => s.id === 'route:app1:default')).toBeLessThan(i);
    // Restart on, no directory: "/"; no environment.
    expect(all.find((s) => s.id === 'program:app2:iperf')!.do[0]!.argv.slice(0, 7)).toEqual(['wp_prog_start', 'iperf', expect.any(String), '1', '/', '5201', '0']);
  });

  it('the digest follows what the program was started from: command, directory, environment, restart; not its ports', () => {
    const base = programDigest(web(fixture()));
    const changed = (f: (p: Program) => void) => {
      const d = fixture();
      f(web(d));
      return programDigest(web(d));
    };
    expect(changed(() => undefined)).toBe(base);
    expect(changed((p) => p.ports.push(8443))).toBe(base);
    expect(changed((p) => p.command.push('--bind'))).not.toBe(base);
    expect(changed((p) => (p.cwd = '/'))).not.toBe(base);
    expect(changed((p) => (p.env['EXTRA'] = '1'))).not.toBe(base);
    expect(changed((p) => (p.restart = true))).not.toBe(base);
    // Arguments are words, not text: ["a b"] and ["a", "b"] are different programs.
    expect(changed((p) => (p.command = ['python3 -m', 'http.server', '8000']))).not.toBe(changed((p) => (p.command = ['python3', '-m http.server', '8000'])));
  });

  it('a namespace without programs compiles exactly as before (no program steps)', () => {
    const d = fixture();
    for (const n of d.namespaces) n.programs = [];
    expect(steps(d).some((s) => s.kind === 'program')).toBe(false);
  });

  it('an invalid program compiles to diagnostics, not a plan', () => {
    const d = fixture();
    web(d).command = ['./serve'];
    const r = compile(d);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.find((x) => x.rule === 'program-command')?.message).toBe('program "web": "./serve" is a relative path');
  });

  it('matches the golden plan and script', () => {
    const r = compile(fixture());
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const host = r.plan.hosts[0]!;
    const script = hostScriptWith(r.plan, host, RUNTIME_PLACEHOLDER);
    // Every value reaches the host as one quoted word: the environment value stays one word.
    expect(script).toContain(`'GREETING=it'\\''s $(not) a shell'`);
    expect(script).toMatch(/WP_KIND\[\d+\]=program/);
    const files = { [`${host.host.id}.plan.txt`]: `${planText(host)}\n`, [`${host.host.id}.sh`]: script };
    for (const [name, text] of Object.entries(files)) {
      const path = join(GOLDEN, name);
      if (update) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(path, text);
      }
      expect(existsSync(path), `${path} missing: run UPDATE_GOLDEN=1 npx vitest run shared/compile/program.test.ts`).toBe(true);
      expect(text, `${path} differs: review and regenerate`).toBe(readFileSync(path, 'utf8'));
    }
  });
});
