// Opens a shell on whatever kind of host an executor reaches. The sandbox's shell lives
// beside its executor (sandbox-shell.ts needs only the sandbox init's PID); an SSH
// executor opens its own, on a connection of its own.
import { SandboxExecutor } from './sandbox-executor';
import { openSandboxShell } from './sandbox-shell';
import { checkShellSize, type ShellOptions, type ShellSession } from './shell-types';
import type { HostExecutor } from './types';

export async function openHostShell(executor: HostExecutor, opts: ShellOptions): Promise<ShellSession> {
  checkShellSize(opts);
  if (executor instanceof SandboxExecutor) return openSandboxShell(executor.pid, executor.describe(), opts);
  if (executor.openShell) return executor.openShell(opts);
  throw new Error(`${executor.describe()}: this kind of host cannot open a shell`);
}
