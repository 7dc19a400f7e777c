// An inventory entry's sudo mode is a statement about the server that runs hold it to:
// "none" logs in as root (a non-root user is refused before connecting), "nopasswd" never
// sends a password (a host whose sudo asks for one is refused with the entry named, not
// silently given a remembered password), "password" lets the app ask for one. A mismatch
// means the entry or the server changed, and the user should know which.
import type { Host } from '../../../shared/model/schema';
import type { SudoMode } from '../executor';
import { defaultConfigDir } from '../service/paths';
import { Inventory, inventoryPath, type InventoryEntry } from './inventory';

export type InventorySudo = InventoryEntry['sudo'];

/** The sudo mode of inventory server `name` (undefined: no such entry, effectiveTarget reports it). */
export async function serverSudoMode(name: string, configDir = defaultConfigDir()): Promise<InventorySudo | undefined> {
  return (await new Inventory(inventoryPath(configDir)).get(name))?.sudo;
}

/** The inventory entry a design host names, with its sudo mode (undefined: the host names none). */
export async function hostServer(host: Host): Promise<{ name: string; mode: InventorySudo } | undefined> {
  if (host.target.kind !== 'ssh' || !host.target.server) return undefined;
  const mode = await serverSudoMode(host.target.server);
  return mode ? { name: host.target.server, mode } : undefined;
}

const fix = (name: string) => `fix the entry with \`wireplan hosts add ${name} … --sudo MODE --replace\``;

/** Before connecting: a login user that cannot match the mode. */
export function sudoModeLoginError(name: string, mode: InventorySudo, user: string): string | undefined {
  if (mode === 'none' && user !== 'root') return `server "${name}": its inventory sudo mode is "none" (log in as root), but the login user is ${user}; ${fix(name)}`;
  return undefined;
}

/** After sudo's preflight: what the host did against what the entry says. */
export function sudoModeMismatch(name: string, mode: InventorySudo, observed: SudoMode): string | undefined {
  if (mode === 'none' && observed !== 'already-root') return `server "${name}": its inventory sudo mode is "none" (log in as root), but the login is not root on the host; ${fix(name)}`;
  return undefined;
}

/** A preflight that found sudo wanting a password, for an entry that says it needs none. */
export function nopasswdRefused(name: string, sudoSaid: string): string {
  return `server "${name}": its inventory sudo mode is "nopasswd", but sudo on the host asks for a password (${sudoSaid}); no password is sent to it. ${fix(name)} (password) or give the user NOPASSWD rights`;
}
