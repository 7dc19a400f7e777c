// A modal dialog frame (Escape and the backdrop close it).
import type { ReactNode } from 'react';

export function Dialog({ title, children, onClose, wide, testId }: { title: string; children: ReactNode; onClose(): void; wide?: boolean; testId?: string }) {
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`dialog${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <header>
          <h2>{title}</h2>
          <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}
