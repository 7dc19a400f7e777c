// The one reading of an SSH destination on the command line, for every command's --ssh:
// [USER@]ADDRESS[:PORT], an IPv6 address bare or in brackets ([fd00::1]:2222). The address
// is held to the same rule as a design host's (an IP address or a host name): it goes to
// ssh2, never to a shell, but nothing from the user travels unvalidated.
import { isSshAddress, SSH_USER } from '../../shared/model/identifiers';
import { UsageError } from './args';

/** What the user wrote; user and port are absent when not given (the caller picks defaults). */
export interface SshSpec {
  user?: string;
  address: string;
  port?: number;
}

export function parseSshSpec(text: string, label = `--ssh ${text}`): SshSpec {
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  if (user !== undefined && !SSH_USER.test(user)) {
    throw new UsageError(`${label}: "${user}" is not a user name (letters, digits, "_", "." and "-", optionally after DOMAIN\\)`);
  }
  let address = rest;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
  if (bracketed) {
    address = bracketed[1]!;
    portText = bracketed[2];
  } else if (rest.split(':').length === 2) {
    [address, portText] = rest.split(':') as [string, string];
  } // more colons: a bare IPv6 address, without a port
  if (!isSshAddress(address)) throw new UsageError(`${label}: "${address}" is neither an IP address nor a host name`);
  const spec: SshSpec = { ...(user !== undefined ? { user } : {}), address };
  if (portText === undefined) return spec;
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : 0;
  if (port < 1 || port > 65535) throw new UsageError(`${label}: "${portText}" is not a port (1-65535)`);
  return { ...spec, port };
}

/** NAME=[USER@]ADDRESS[:PORT]: points the design's host NAME at this SSH destination. */
export function parseHostOverride(text: string): { name: string; spec: SshSpec } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--ssh ${text}: expected NAME=[USER@]ADDRESS[:PORT]`);
  return { name: text.slice(0, eq), spec: parseSshSpec(text.slice(eq + 1), `--ssh ${text}`) };
}
