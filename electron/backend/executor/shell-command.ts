// What a shell session runs on the host: a login bash, inside the namespace when one is
// named (`ip netns exec` also gives it the namespace's /etc/netns files and a /sys that
// shows the namespace's interfaces). The namespace name is checked against the same
// allowlist as the design's, so nothing but a valid netns name ever reaches the argv.
import { NETNS_NAME } from '../../../shared/model/identifiers';

/** The terminal type the pty announces (xterm.js and the CLI's terminals speak it). */
export const SHELL_TERM = 'xterm-256color';

export function shellArgv(namespace: string | undefined): string[] {
  if (namespace === undefined) return ['bash', '-l'];
  if (!NETNS_NAME.test(namespace)) throw new Error(`not a network namespace name: ${JSON.stringify(namespace).slice(0, 80)}`);
  return ['ip', 'netns', 'exec', namespace, 'bash', '-l'];
}
