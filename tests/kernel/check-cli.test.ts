// `wireplan check FILE` for a design whose host is a sandbox: the command builds the
// design in a private throwaway sandbox from its exported script (the host's NICs as
// stand-ins: veths into a hidden outside namespace), checks it and discards it. Exit 0 with
// the matrix printed; where a NIC is a plain uplink, probes also run from outside.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../electron/cli/commands/check';
import type { CliIo } from '../../electron/cli/io';
import { featuresOf } from '../support/design-check';
import { EXAMPLES_DIR, loadExample } from '../support/examples';
import { missingFeatures } from '../support/sandbox';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  return { code: await checkCommand(argv, io), out, err };
}

describe('wireplan check on sandbox hosts', () => {
  for (const name of ['two-namespaces-nat', 'macvlan-shim']) {
    it(`${name}: built in a throwaway sandbox and checked: exit 0`, async (ctx) => {
      const reason = await missingFeatures(featuresOf(loadExample(`${name}.wireplan.json`)));
      if (reason) {
        console.warn(`[skip] ${name}: ${reason}`);
        ctx.skip();
        return;
      }
      const r = await cli([join(EXAMPLES_DIR, `${name}.wireplan.json`), '--verbose']);
      expect(r.code, `${r.out}\n${r.err}`).toBe(0);
      expect(r.err).toMatch(/sandbox built from the exported script \(\d+ steps\)/);
      expect(r.out).toMatch(/\d+ probe\(s\), \d+ as designed, 0 not/);
      expect(r.out).not.toContain('MISMATCH');
      // --verbose shows each probe's reason chain and live result.
      expect(r.out).toMatch(/-> .* is an address of /);
      expect(r.out).toMatch(/live: reply received/);
      // eth0 of the NAT example is a plain uplink: a client beyond it reaches the port forward.
      if (name === 'two-namespaces-nat') {
        expect(r.out).toMatch(/lab\/outside +100\.64\.0\.2:8080 tcp +reach +reach +ok/);
        expect(r.out).toMatch(/stand-in NIC\(s\) eth0 are modelled as veths/);
      }
    });
  }
});
