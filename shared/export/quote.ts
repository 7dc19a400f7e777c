// The one function that turns arguments into POSIX shell text. Everything that builds a
// command line (exported scripts, the SSH command line) goes through it.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one argument so any POSIX shell reads it back byte for byte. */
export function quoteArg(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  // Inside single quotes nothing is special except the closing quote itself.
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('empty command');
  return argv.map(quoteArg).join(' ');
}
