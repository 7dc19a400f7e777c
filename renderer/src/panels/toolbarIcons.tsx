// The toolbar's icons: 24x24 viewBox, stroked with currentColor (the canvas icons' style).
import type { ReactElement } from 'react';

const PATHS = {
  new: <path d="M6 3h8l4 4v14H6zM14 3v4h4M12 11v6M9 14h6" />,
  open: <path d="M3 7V5h6l2 2h9v12H3zM3 10h18" />,
  save: <path d="M5 3h11l3 3v15H5zM8 3v5h7V3M8 21v-7h8v7" />,
  saveAs: <path d="M5 3h11l3 3v6M5 3v18h7M8 3v5h7V3M14 21l1-3 5-5 2 2-5 5z" />,
  recent: <path d="M12 7v5l3 2M4 12a8 8 0 1 0 2.3-5.7M4 4v3h3" />,
  examples: <path d="M4 5h6v6H4zM14 5h6v6h-6zM4 15h6v5H4zM14 15h6v5h-6z" />,
  undo: <path d="M9 14 4 9l5-5M4 9h10a6 6 0 0 1 0 12h-3" />,
  redo: <path d="m15 14 5-5-5-5M20 9H10a6 6 0 0 0 0 12h3" />,
  layout: <path d="M3 4h6v5H3zM15 4h6v5h-6zM9 15h6v5H9zM6 9v3h12V9M12 12v3" />,
  fit: <path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5M9 9h6v6H9z" />,
  search: <path d="M10.5 4a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zM15.5 15.5 21 21" />,
  svg: <path d="M4 4h16v16H4zM4 16l5-5 4 4 3-3 4 4M15 8.5h.01" />,
  png: <path d="M4 4h16v16H4zM8 15l3-3 2 2 3-3M8 8h3" />,
  script: <path d="M3 5h18v14H3zM7 10l3 2-3 2M12 15h5" />,
  hosts: <path d="M3 4h18v6H3zM3 14h18v6H3zM7 7h.01M7 17h.01" />,
  live: <path d="M3 12h4l2-5 4 10 2-5h6" />,
  check: <path d="M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8 12l3 3 5-6" />,
  console: <path d="M3 4h18v16H3zM3 8h18M7 12l3 2-3 2M12 16h4" />,
  moon: <path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z" />,
  sun: <path d="M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />,
  help: <path d="M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7M12 17h.01" />,
  more: <path d="M5 12h.01M12 12h.01M19 12h.01" />,
  import: <path d="M12 3v11m-4-4 4 4 4-4M4 15v5h16v-5" />,
} satisfies Record<string, ReactElement>;

export type ToolbarIconName = keyof typeof PATHS;

export function ToolbarIcon({ name }: { name: ToolbarIconName }) {
  return (
    <svg className="tb-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth={name === 'more' ? 3 : 1.8} strokeLinecap="round" strokeLinejoin="round">
      {PATHS[name]}
    </svg>
  );
}
