import { describe, expect, it } from 'vitest';
import { compile } from '../../../shared/compile/compile';
import type { Design } from '../../../shared/model/schema';
import { kernelNameChanges } from './kernelNameChanges';
import { propagateName } from './rename';
import { setElementField } from './edit';
import exampleText from '../../../resources/examples/two-namespaces-nat.wireplan.json?raw';
import { parseDesign } from '../../../shared/model/parse';

function example(): Design {
  const r = parseDesign(exampleText);
  if (!r.ok) throw new Error('example does not parse');
  return r.design;
}

describe('kernelNameChanges', () => {
  it('lists the netns and the interface names a namespace rename changes, old -> new', () => {
    const before = example();
    const after = propagateName(setElementField(before, 'app1', ['name'], 'web'), 'app1', 'app1', 'web');
    const changes = kernelNameChanges(before, compile(before), after, compile(after));
    expect(changes).toContainEqual({ what: 'netns', from: 'app1', to: 'web' });
    expect(changes).toContainEqual(expect.objectContaining({ from: 'v-app1', to: 'v-web' }));
    expect(changes).toContainEqual(expect.objectContaining({ from: 'eth0 in app1', to: 'eth0 in web' }));
    // app2's names stay, so they are not listed.
    expect(changes.some((c) => c.from.includes('app2'))).toBe(false);
  });

  it('is empty when nothing the kernel sees changes', () => {
    const before = example();
    const after = setElementField(before, 'web', ['name'], 'published web');
    expect(kernelNameChanges(before, compile(before), after, compile(after))).toEqual([]);
  });
});
