// A design host that points at an inventory server (`target.server`): the server's entry
// gives how to reach it (address or ssh config alias, user, port, jump hosts, key), so
// several designs share one definition. Other hosts pass through unchanged.
import type { Host } from '../../../shared/model/schema';
import { defaultConfigDir } from '../service/paths';
import { Inventory, inventoryPath } from './inventory';

type SshTarget = Extract<Host['target'], { kind: 'ssh' }>;

export async function effectiveTarget(t: SshTarget, configDir = defaultConfigDir()): Promise<SshTarget> {
  if (!t.server) return t;
  const e = await new Inventory(inventoryPath(configDir)).get(t.server);
  if (!e) throw new Error(`no server named "${t.server}" in the inventory (wireplan hosts list)`);
  const byConfig = e.user === undefined && e.port === undefined;
  const { alias: _alias, ...rest } = t;
  void _alias;
  return {
    ...rest,
    address: e.target,
    user: e.user ?? t.user,
    port: e.port ?? t.port,
    ...(byConfig ? { alias: e.target } : {}),
    ...((e.jump ?? t.jump) ? { jump: (e.jump ?? t.jump)! } : {}),
    ...((e.keyPath ?? t.keyPath) ? { keyPath: (e.keyPath ?? t.keyPath)! } : {}),
  };
}
