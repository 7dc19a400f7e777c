// Ctrl+F: find elements by name, kernel name or address; Enter jumps to the first. Ids are
// internal (never shown), so they do not match either.
import { useMemo, useState } from 'react';
import { KindIcon } from '../canvas/icons';
import { displayName, summary } from '../canvas/summary';
import type { NodeKind } from '../model/kinds';
import { lookup, usedIds, type Entry } from '../model/lookup';
import { useEditor } from '../store/designStore';

/** What the user can read of an element: its name, summary and values, without the ids it holds or refers to. */
function haystack(e: Entry, ids: ReadonlySet<string>): string {
  const values = JSON.stringify(e.element, (k, v: unknown) => (k === 'id' || (typeof v === 'string' && ids.has(v)) ? undefined : v));
  return `${displayName(e)} ${summary(e)} ${values}`.toLowerCase();
}

export function SearchBox() {
  const design = useEditor((s) => s.design);
  const focusElement = useEditor((s) => s.focusElement);
  const close = () => useEditor.getState().setSearchOpen(false);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const results = useMemo(() => {
    const needle = q.trim().toLowerCase();
    if (!needle) return [];
    const ids = usedIds(design);
    return [...lookup(design).byId.values()].filter((e) => haystack(e, ids).includes(needle)).slice(0, 30);
  }, [design, q]);
  const jump = (e: Entry | undefined) => {
    if (!e) return;
    focusElement(e.id);
    close();
  };
  return (
    <div className="search" role="search" data-testid="search">
      <input
        autoFocus
        placeholder="Find: name, interface, address…"
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') jump(results[active]);
          else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, results.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Escape') close();
          else return;
          e.preventDefault();
        }}
        aria-label="Search elements"
      />
      {q && (
        <ul className="results">
          {results.length === 0 && <li className="hint">No match</li>}
          {results.map((e, i) => (
            <li key={e.id}>
              <button type="button" className={i === active ? 'active' : ''} onClick={() => jump(e)} data-testid="search-result">
                {e.kind !== 'veth' && <KindIcon kind={e.kind as NodeKind} size={14} />}
                <strong>{displayName(e)}</strong> <span className="hint">{e.kind === 'veth' ? 'veth' : summary(e)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
