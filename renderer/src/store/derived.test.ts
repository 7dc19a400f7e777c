import { describe, expect, it } from 'vitest';
import { setElementField } from '../model/edit';
import { commitMoves } from '../model/move';
import { build } from '../model/testing';
import { compiledOf, diagnosticsOf, onlyPositionsDiffer } from './derived';

describe('derived values across a move', () => {
  const d = build([{ add: 'namespace' }, { add: 'namespace' }, { add: 'bridge' }, { connect: ['ns1', 'br0'] }]);

  it('a move keeps the validation and the plan; an edit does not', () => {
    const moved = commitMoves(d, [{ id: 'ns2', absolute: { x: 400, y: 300 } }]);
    expect(moved).not.toBe(d);
    expect(onlyPositionsDiffer(d, moved)).toBe(true);
    const diags = diagnosticsOf(d);
    const plan = compiledOf(d);
    expect(diagnosticsOf(moved)).toBe(diags);
    expect(compiledOf(moved)).toBe(plan);
    const edited = setElementField(moved, 'ns2', ['name'], 'db');
    expect(onlyPositionsDiffer(moved, edited)).toBe(false);
    expect(compiledOf(edited)).not.toBe(plan);
  });

  it('a layout key that appears or goes is not just a move', () => {
    const { ns1: _gone, ...nodes } = d.layout.nodes;
    expect(onlyPositionsDiffer(d, { ...d, layout: { ...d.layout, nodes } })).toBe(false);
    expect(onlyPositionsDiffer(d, { ...d, tag: 'other' })).toBe(false);
  });
});
