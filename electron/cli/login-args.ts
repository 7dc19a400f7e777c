// The SSH login options of the commands that only observe (status, check, import): -i,
// --known-hosts, --trust-new-host-key and the secret options, turned into a CliLogin.
// Secrets come from files or the terminal through Credentials, never from argv.
import type { CliLogin } from '../backend/live/cli-login';
import type { ParsedArgs, OptionSpec } from './args';
import { CREDENTIAL_OPTIONS, Credentials, type SecretIo } from './credentials';

export const LOGIN_OPTIONS: OptionSpec[] = [{ name: 'identity', short: 'i', value: true }, { name: 'ssh-config', short: 'F', value: true }, { name: 'jump', short: 'J', value: true }, { name: 'verbose' }, { name: 'known-hosts', value: true }, { name: 'trust-new-host-key' }, ...CREDENTIAL_OPTIONS];

export function cliLogin(args: ParsedArgs, io: SecretIo): CliLogin {
  const creds = new Credentials(args, io);
  const identity = args.values.get('identity')?.[0];
  const knownHosts = args.values.get('known-hosts')?.[0];
  const sshConfig = args.values.get('ssh-config')?.[0];
  return {
    ...(sshConfig ? { sshConfig } : {}),
    ...(args.values.get('jump')?.[0] ? { jump: args.values.get('jump')![0]! } : {}),
    ...(args.flags.has('verbose') ? { explain: (line: string) => io.err(line) } : {}),
    ...(identity ? { identity } : {}),
    ...(knownHosts ? { knownHosts } : {}),
    trustNewHostKey: args.flags.has('trust-new-host-key'),
    passphrase: (path) => creds.passphrase(path),
    ...(creds.sudoGiven ? { sudoPassword: (login: string) => creds.sudoPassword(login) } : {}),
  };
}
