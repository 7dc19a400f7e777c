// Runs the wireplan CLI in this process (its `main`), collecting what it prints.
import type { PromptIo } from '../../electron/cli/commands/apply-targets';
import { main } from '../../electron/cli/main';

export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: PromptIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), isTTY: false };
  const code = await main(argv, io);
  return { code, out, err };
}
