// The sandbox helpers (snapshot, diffSnapshots, designMismatches, ping, listen ...) over
// any machine the tests can enter with nsenter: a lab host, or the SandboxExecutor's
// private namespaces. They only call exec/execOk/run/spawn, so this supplies exactly
// those from a command prefix, instead of copying the helpers.
import { spawn, type ChildProcess } from 'node:child_process';
import type { ExecOptions, Sandbox } from './sandbox';
import { runProc, type ProcResult } from './lab-proc';

export interface ExecHost {
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ProcResult>;
  execOk(argv: readonly string[], opts?: ExecOptions): Promise<string>;
  run(script: string, args?: readonly string[], opts?: Omit<ExecOptions, 'stdin'>): Promise<ProcResult>;
  runOk(script: string, args?: readonly string[], opts?: Omit<ExecOptions, 'stdin'>): Promise<string>;
  spawn(argv: readonly string[], opts?: Omit<ExecOptions, 'stdin'>): ChildProcess;
  /** The same object, typed for the sandbox helpers. */
  readonly sb: Sandbox;
}

/**
 * `prefix` enters the machine (e.g. ['nsenter', '-t', PID, '-a']); commands then run
 * under `timeout`, in named namespace opts.ns when given.
 */
export function execHost(prefix: readonly string[], label: string): ExecHost {
  const argvFor = (argv: readonly string[], opts: { ns?: string | null; timeoutMs?: number } = {}) => {
    const seconds = Math.max(1, Math.ceil((opts.timeoutMs ?? 120_000) / 1000));
    return [...prefix, 'timeout', '-k', '2', String(seconds), ...(opts.ns ? ['ip', 'netns', 'exec', opts.ns] : []), ...argv];
  };
  const checked = (what: string, r: ProcResult) => {
    if (r.code !== 0) throw new Error(`${label}: ${what} -> exit ${r.code ?? r.signal}\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const host: Omit<ExecHost, 'sb'> = {
    exec: (argv, opts = {}) => runProc(argvFor(argv, opts), opts.stdin ?? ''),
    execOk: async (argv, opts = {}) => checked(argv.join(' '), await host.exec(argv, opts)),
    run: (script, args = [], opts = {}) => host.exec(['bash', '-s', '--', ...args], { ...opts, stdin: script }),
    runOk: async (script, args = [], opts = {}) => checked(`script ${script.split('\n')[0]}`, await host.run(script, args, opts)),
    spawn: (argv, opts = {}) => {
      const [file, ...rest] = argvFor(argv, opts);
      return spawn(file!, rest, { stdio: ['pipe', 'pipe', 'pipe'] });
    },
  };
  return { ...host, sb: host as unknown as Sandbox };
}
