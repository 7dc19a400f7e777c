// HTML5 drag-and-drop payload type for palette items.
export const PALETTE_MIME = 'application/x-wireplan-kind';
