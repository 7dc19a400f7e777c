// The one function that turns arguments into POSIX shell text. Everything that builds a
// command line (exported scripts, the SSH command line) goes through it.

/** Characters no POSIX shell treats specially: A-Z a-z 0-9 _ @ % + = : , . / - */
const SAFE = new Uint8Array(128);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-') SAFE[ch.charCodeAt(0)] = 1;

/** True when `arg` can be written as-is. A char-code loop: this runs for every argument of every exported step. */
function isSafe(arg: string): boolean {
  if (arg.length === 0) return false;
  for (let i = 0; i < arg.length; i++) {
    const c = arg.charCodeAt(i);
    if (c >= 128 || SAFE[c] === 0) return false;
  }
  return true;
}

/** Quotes one argument so any POSIX shell reads it back byte for byte. */
export function quoteArg(arg: string): string {
  if (isSafe(arg)) return arg;
  // Inside single quotes nothing is special except the closing quote itself.
  return arg.includes("'") ? `'${arg.split("'").join(`'\\''`)}'` : `'${arg}'`;
}

export function shellCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('empty command');
  return argv.map(quoteArg).join(' ');
}
