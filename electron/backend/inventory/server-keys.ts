// The host keys trusted for an inventory server, shared by the CLI (`wireplan hosts test`,
// `hosts forget`) and the app (Test connection, "Forget trusted key"): a key trusted for
// the server is recorded in its entry's fingerprints; forgetting removes the server's lines
// from Wireplan's own known_hosts (never the user's ~/.ssh/known_hosts) and clears the
// recorded fingerprints, so the next connection shows the key again and trusts nothing
// until the user approves it.
import { resolveSshConfig } from '../executor/ssh-config';
import { forgetKnownHost } from './forget-key';
import { Inventory, type InventoryEntry } from './inventory';

/** Where the server's key is filed in known_hosts: its HostName and Port as ssh resolves them. */
export async function serverEndpoint(e: InventoryEntry, sshConfigFile?: string): Promise<{ hostname: string; port: number }> {
  const c = await resolveSshConfig({ host: e.target, ...(e.user !== undefined ? { user: e.user } : {}), ...(e.port !== undefined ? { port: e.port } : {}), ...(sshConfigFile ? { configFile: sshConfigFile } : {}) });
  return { hostname: c.hostname, port: c.port };
}

export async function recordServerKey(inventory: Inventory, name: string, fingerprint: string): Promise<void> {
  const e = await inventory.get(name);
  if (e && !e.fingerprints.includes(fingerprint)) await inventory.update(name, (x) => ({ ...x, fingerprints: [...x.fingerprints, fingerprint] }));
}

export type ForgetServerKeyResult = { ok: true; removed: number; endpoint: string } | { ok: false; error: string };

export async function forgetServerKey(inventory: Inventory, name: string, knownHostsPath: string, sshConfigFile?: string): Promise<ForgetServerKeyResult> {
  const e = await inventory.get(name);
  if (!e) return { ok: false, error: `no server named "${name}" in the inventory` };
  const { hostname, port } = await serverEndpoint(e, sshConfigFile);
  const removed = await forgetKnownHost(knownHostsPath, hostname, port);
  await inventory.update(name, (x) => ({ ...x, fingerprints: [] }));
  return { ok: true, removed, endpoint: `${hostname}:${port}` };
}
