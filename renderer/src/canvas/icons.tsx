// One inline SVG icon per kind (24x24 viewBox, stroked with currentColor). Kept as SVG
// markup so the canvas and the exported diagram draw exactly the same icon.
import type { NodeKind } from '../model/kinds';

export const ICON_MARKUP: Record<NodeKind, string> = {
  host:
    '<rect x="3" y="3" width="18" height="7" rx="1.5" /> <rect x="3" y="14" width="18" height="7" rx="1.5" /> <circle cx="7" cy="6.5" r="0.9" fill="currentColor" /> <circle cx="7" cy="17.5" r="0.9" fill="currentColor" /> <path d="M11 6.5h7M11 17.5h7" />',
  namespace:
    '<path d="M12 2.8 20.5 7.5v9L12 21.2 3.5 16.5v-9z" /> <path d="M3.5 7.5 12 12.2l8.5-4.7M12 12.2v9" />',
  bridge:
    '<path d="M2 16h20" /> <path d="M4 16v-3a8 8 0 0 1 16 0v3" /> <path d="M8 16V10.5M12 16V9M16 16v-5.5" />',
  nic:
    '<rect x="3" y="6" width="18" height="13" rx="1.5" /> <path d="M8 19v-4h8v4" /> <path d="M7 9.5v2M10 9.5v2M14 9.5v2M17 9.5v2" />',
  macvlan:
    '<path d="M12 21v-7" /> <path d="M12 14 5 7M12 14l7-7M12 14V4" /> <circle cx="5" cy="5.5" r="1.6" /> <circle cx="19" cy="5.5" r="1.6" /> <circle cx="12" cy="3.5" r="1.6" />',
  ipvlan:
    '<path d="M12 21v-7" /> <path d="M12 14 5 7M12 14l7-7" /> <rect x="3" y="3.5" width="4" height="3.5" rx="0.6" /> <rect x="17" y="3.5" width="4" height="3.5" rx="0.6" />',
  vlan:
    '<path d="M3.5 12.5V4h8.5l9 9-8.5 8.5z" /> <circle cx="8" cy="8.5" r="1.5" />',
  vxlan:
    '<ellipse cx="6" cy="12" rx="3" ry="6" /> <path d="M6 6h12M6 18h12" /> <path d="M18 6a3 6 0 0 1 0 12" /> <path d="M10 12h7m-2.5-2.5L17 12l-2.5 2.5" />',
  masquerade:
    '<path d="M3 6c3 1.2 6 1.2 9 0 3 1.2 6 1.2 9 0v5c0 5-4 9-9 9s-9-4-9-9z" /> <path d="M6.5 11c1-.9 2.5-.9 3.5 0M14 11c1-.9 2.5-.9 3.5 0" /> <path d="M9 15.5c1.8 1.2 4.2 1.2 6 0" />',
  portForward:
    '<rect x="13" y="4" width="8" height="16" rx="1.5" /> <path d="M2 12h12m-4-4 4 4-4 4" />',
  policy:
    '<path d="M12 2.5 20 5.5v6c0 5-3.4 8.7-8 10-4.6-1.3-8-5-8-10v-6z" /> <path d="m8.5 12 2.5 2.5 4.5-5" />',
};

export const ICON_ATTRS = 'fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round"';

export function KindIcon({ kind, size = 18 }: { kind: NodeKind; size?: number }) {
  return (
    <svg
      className="kind-icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.7"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      dangerouslySetInnerHTML={{ __html: ICON_MARKUP[kind] }}
    />
  );
}
