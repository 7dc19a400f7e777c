// Where a shell opens for a design element, and for a name typed on the command line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDesign } from './parse';
import { shellTarget, shellTargetByName } from './shell-target';

const text = readFileSync(join(__dirname, '../../resources/examples/two-namespaces-nat.wireplan.json'), 'utf8');
const loaded = parseDesign(text);
if (!loaded.ok) throw new Error('example does not load');
const design = loaded.design;

describe('shellTarget', () => {
  it('a namespace: inside it, on its host', () => {
    const t = shellTarget(design, 'app1');
    expect(t).toMatchObject({ namespace: 'app1', title: 'app1 on lab' });
    expect('host' in t && t.host.id).toBe('lab');
  });

  it('a host: its root namespace', () => {
    const t = shellTarget(design, 'lab');
    expect(t).toMatchObject({ title: 'lab (root namespace)' });
    expect('namespace' in t).toBe(false);
  });

  it('anything else: why not', () => {
    expect(shellTarget(design, 'br0')).toEqual({ error: 'a shell opens on a namespace or a host; the design has none with id "br0"' });
  });

  it('by name: a namespace name, a host name, else the namespaces there are', () => {
    expect(shellTargetByName(design, 'app2')).toMatchObject({ namespace: 'app2' });
    expect(shellTargetByName(design, 'lab')).toMatchObject({ title: 'lab (root namespace)' });
    expect(shellTargetByName(design, 'nope')).toEqual({ error: 'the design has no namespace or host "nope" (namespaces: app1, app2)' });
  });

  it('by name: two namespaces of one name on different hosts must be told apart by id', () => {
    const two = { ...design, hosts: [...design.hosts, { ...design.hosts[0]!, id: 'lab2', name: 'lab2' }], namespaces: [...design.namespaces, { ...design.namespaces[0]!, id: 'app1b', host: 'lab2' }] };
    expect(shellTargetByName(two, 'app1')).toEqual({ error: '2 namespaces are named app1 (on hosts lab, lab2); give the namespace\'s id instead' });
    expect(shellTargetByName(two, 'app1b')).toMatchObject({ namespace: 'app1', title: 'app1 on lab2' });
  });
});
