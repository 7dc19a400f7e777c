// The host executor layer: how the backend runs one command on one host.
export type { HostExecutor, RunOptions, RunResult } from './types';
export { succeeded } from './types';
export * from './errors';
export { SshExecutor, type SshExecutorOptions } from './ssh-executor';
export type { SshAuth } from './ssh-auth';
export type { TrustNewHostKey } from './ssh-connect';
export type { SudoMode } from './sudo';
export { SandboxExecutor, type SandboxOptions } from './sandbox-executor';
export { sha256Fingerprint } from './host-key';
export type { ShellEnd, ShellOptions, ShellSession, ShellSize } from './shell-types';
export { checkShellSize, SHELL_SIZE_LIMITS } from './shell-types';
export { openHostShell } from './host-shell';
