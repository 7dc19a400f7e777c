// How a packet row reads as text: the CLI's lines and the app's list use the same columns.
import type { PacketRow } from './decode';

/** Seconds since the capture's first packet, as Wireshark shows by default. */
export function relativeTime(row: Pick<PacketRow, 'time'>, first: number): string {
  return (row.time - first).toFixed(6);
}

/** One line: "no  time  src → dst  PROTO  len  summary". */
export function packetLine(row: PacketRow, first: number): string {
  const route = row.src || row.dst ? `${row.src || '?'} → ${row.dst || '?'}` : '';
  return [String(row.no).padStart(5), relativeTime(row, first).padStart(11), route, row.protocol, String(row.length), row.summary].filter(Boolean).join('  ');
}

/** A live-list filter: every word must appear in some column (case-insensitive). */
export function rowMatches(row: PacketRow, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = `${row.src} ${row.dst} ${row.protocol} ${row.length} ${row.summary}`.toLowerCase();
  return words.every((w) => text.includes(w));
}
