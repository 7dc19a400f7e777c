// Where key files are looked for when a host names none: the user's own ~/.ssh keys, in
// OpenSSH's order, so Wireplan logs in wherever `ssh user@host` would with default keys.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

const DEFAULT_KEY_NAMES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** "~" and "~/..." are the user's home, as in ssh_config. */
export function expandHome(path: string, home = homedir()): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

async function readable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first readable default key of the user, if any. */
export async function defaultKeyFile(home = homedir()): Promise<string | undefined> {
  for (const name of DEFAULT_KEY_NAMES) {
    const path = join(home, '.ssh', name);
    if (await readable(path)) return path;
  }
  return undefined;
}
