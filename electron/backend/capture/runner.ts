// How a capture's commands reach the host. Over SSH (and for every other executor) they
// are ordinary runs: as root, under sudo where the login needs it. The sandbox is the one
// exception: inside its unprivileged user namespace setgroups() is denied, and Debian's
// tcpdump always drops privileges with initgroups() (to user tcpdump, even with -Z root),
// so it cannot start there at all. When Wireplan runs as root, the capture enters the
// sandbox's network, mount and PID namespaces WITHOUT its user namespace: tcpdump then
// runs as the machine's root, drops to its own user as it should, and still dies with
// the sandbox (it lives in the sandbox's PID namespace).
import { runChild } from '../executor/child-run';
import { runScope, commandSummary } from '../executor/run-signal';
import { SandboxExecutor } from '../executor/sandbox-executor';
import type { HostExecutor, RunOptions, RunResult } from '../executor/types';

export type CaptureRun = (command: string, opts?: RunOptions) => Promise<RunResult>;

export function captureRunner(executor: HostExecutor): CaptureRun {
  if (!(executor instanceof SandboxExecutor)) return (command, opts) => executor.run(command, opts);
  return (command, opts = {}) => {
    if (process.getuid?.() !== 0) {
      return Promise.reject(
        new Error(
          `${executor.describe()}: packet capture in the sandbox needs Wireplan to run as root: tcpdump drops its privileges with setgroups(), which an unprivileged user namespace forbids (capture on an SSH host works as any user)`,
        ),
      );
    }
    const label = executor.describe();
    const scope = runScope(label, `capture ${commandSummary(command)}`, opts);
    const argv = ['nsenter', '-t', String(executor.pid), '--net', '--mount', '--pid', '--', 'bash', '-c', command];
    return runChild(argv, label, { ...opts, signal: scope.signal }).finally(() => scope.dispose());
  };
}
