// The capture filter the user types (tcpdump's BPF expression language). It travels to
// the host as ONE argv element, quoted by the one quoting function, so no shell ever
// parses it; this check is defence in depth and gives a clear message before the host
// does. Whether the expression compiles is tcpdump's call: its own error is shown.

/** Longer than any filter a person types; keeps a pasted blob from reaching the host. */
export const BPF_MAX_LENGTH = 1024;

/** Characters of the pcap-filter language: words, numbers, addresses, operators, brackets. */
const BPF_CHAR = /[A-Za-z0-9 \t._:/()!&|<>=[\]*+%^~,-]/;

/** The filter as it will be used (trimmed), or why it is refused. Empty: capture everything. */
export function checkBpfFilter(input: string): { ok: true; filter: string } | { ok: false; error: string } {
  const filter = input.trim();
  if (filter.length > BPF_MAX_LENGTH) return { ok: false, error: `capture filter is ${filter.length} characters long; at most ${BPF_MAX_LENGTH} are allowed` };
  for (const ch of filter) {
    if (!BPF_CHAR.test(ch)) {
      const shown = ch === '\n' ? 'a line break' : ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? `control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : `"${ch}"`;
      return { ok: false, error: `capture filter contains ${shown}, which is not part of tcpdump's filter language (pcap-filter)` };
    }
  }
  // tcpdump would read a leading dash as an option, not as the expression.
  if (filter.startsWith('-')) return { ok: false, error: 'capture filter must not start with "-" (tcpdump would read it as an option)' };
  return { ok: true, filter };
}
