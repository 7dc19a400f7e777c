import { describe, expect, it } from 'vitest';
import { createEditorStore } from './designStore';

describe('editor store history', () => {
  it('one undo step per action; field edits coalesce until the edit ends', () => {
    const store = createEditorStore();
    const s = store.getState;
    const d0 = s().design;
    s().addNode('namespace', { x: 100, y: 100 });
    const d1 = s().design;
    for (const name of ['w', 'we', 'web']) s().setField('ns1', ['name'], name);
    s().endEdit();
    s().setField('ns1', ['name'], 'web2');
    expect(s().history.past).toHaveLength(3);
    s().undo();
    expect(s().design.namespaces[0]!.name).toBe('web');
    s().undo();
    expect(s().design).toBe(d1);
    s().undo();
    expect(s().design).toBe(d0);
    s().redo();
    s().redo();
    expect(s().design.namespaces[0]!.name).toBe('web');
  });

  it('selection, focus and drag positions never enter history', () => {
    const store = createEditorStore();
    const s = store.getState;
    s().addNode('namespace', { x: 100, y: 100 });
    const n = s().history.past.length;
    s().select([]);
    s().focusElement('ns1');
    s().setDrag({ ns1: { x: 5, y: 5 } });
    expect(s().history.past).toHaveLength(n);
  });

  it('a failed open keeps the design and reports the errors', () => {
    const store = createEditorStore();
    const s = store.getState;
    s().addNode('namespace', { x: 100, y: 100 });
    const d = s().design;
    expect(s().openText('{"wireplan": 99}', 'x.json')).toBe(false);
    expect(s().design).toBe(d);
    expect(s().loadFailure?.kind).toBe('newer');
  });
});
