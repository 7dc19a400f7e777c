// Policy port specs: "80" or "8000-8100".
export interface PortRange {
  lo: number;
  hi: number;
}

/** Parses a port spec; undefined when malformed or out of 1..65535 or reversed. */
export function parsePortSpec(text: string): PortRange | undefined {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!m) return undefined;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return lo >= 1 && hi <= 65535 && lo <= hi ? { lo, hi } : undefined;
}

export const isPort = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;
