// Where CLI commands write: the real terminal, or a buffer in tests.
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (t) => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** Exit codes shared by all commands. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;
