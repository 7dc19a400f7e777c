// Under a name field while its edit is pending (typed, not yet confirmed by leaving the
// field): the kernel names the plan changes with it, old -> new. The "before" side is the
// design the edit started from (the undo step the typing coalesces into).
import { useMemo } from 'react';
import { kernelNameChanges } from '../../model/kernelNameChanges';
import { compiledOf } from '../../store/derived';
import { useEditor } from '../../store/designStore';

export function KernelNamePreview({ id }: { id: string }) {
  const before = useEditor((s) => (s.history.coalesce === `${id}/name` ? s.history.past[s.history.past.length - 1]?.design : undefined));
  const after = useEditor((s) => s.design);
  const changes = useMemo(() => (before ? kernelNameChanges(before, compiledOf(before), after, compiledOf(after)) : []), [before, after]);
  if (changes.length === 0) return null;
  return (
    <div className="hint kernel-name-preview" data-testid="kernel-name-preview" role="status">
      Kernel names in the plan change:
      <ul>
        {changes.map((c) => (
          <li key={`${c.what}|${c.from}`} data-testid="kernel-name-change">
            {c.what}: <code>{c.from}</code> → <code>{c.to}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
