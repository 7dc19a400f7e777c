// A node's diagnostics badge (worst severity + count).
export function DiagBadge({ badge }: { badge: string }) {
  if (!badge) return null;
  const [severity, count] = badge.split(':');
  return (
    <span className={`diag-badge diag-${severity}`} data-testid="diag-badge" data-severity={severity} title={`${count} ${severity}${count === '1' ? '' : 's'}`}>
      {severity === 'error' ? '!' : severity === 'warning' ? '▲' : 'i'}
      {count !== '1' && <small>{count}</small>}
    </span>
  );
}
