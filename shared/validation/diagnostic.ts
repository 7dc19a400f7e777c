// What validation reports. Rules return these; they never throw.
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable rule id, e.g. "ifname-length"; lets the UI and tests refer to a rule. */
  rule: string;
  severity: Severity;
  /** The element the problem belongs to (also used by the canvas to badge it). */
  elementId?: string;
  /** Field path inside the element, e.g. "a.addresses[0]". */
  field?: string;
  message: string;
  /** How to fix it, in the user's terms. */
  fix?: string;
}
