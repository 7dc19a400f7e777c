// The server inventory: lab servers kept in the app's config folder, apart from designs
// (`hosts.json`): a name, how to reach it (an address or an ssh config alias, user, port,
// jump hosts, key), its sudo mode and the host key fingerprints trusted for it. Read
// strictly: a damaged file is reported, never silently replaced by an empty list.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { SSH_USER } from '../../../shared/model/identifiers';
import { writeFileAtomic } from '../atomicWrite';

export const INVENTORY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const InventoryEntrySchema = z.strictObject({
  name: z.string().regex(INVENTORY_NAME, 'expected a name of letters, digits, ".", "_" and "-"'),
  /** An IP address, a host name, or an alias of the user's ssh config. */
  target: z.string().min(1).max(253),
  user: z.string().regex(SSH_USER).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  jump: z.string().max(1024).optional(),
  keyPath: z.string().max(4096).optional(),
  /** none: log in as root; nopasswd: sudo without a password; password: sudo asks for one. */
  sudo: z.enum(['none', 'nopasswd', 'password']).default('none'),
  /** Fingerprints (SHA256:…) of the host keys trusted for this server, as last seen by `hosts test`. */
  fingerprints: z.array(z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/)).default([]),
});

export type InventoryEntry = z.output<typeof InventoryEntrySchema>;

const InventoryFileSchema = z.strictObject({ version: z.literal(1), hosts: z.array(InventoryEntrySchema).max(1000) });

export function inventoryPath(configDir: string): string {
  return join(configDir, 'hosts.json');
}

export class Inventory {
  constructor(readonly path: string) {}

  async list(): Promise<InventoryEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new Error(`cannot read the server inventory ${this.path}: ${(e as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new Error(`the server inventory ${this.path} is not JSON (${(e as Error).message}); fix or move it away`);
    }
    const parsed = InventoryFileSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`the server inventory ${this.path} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data.hosts;
  }

  async get(name: string): Promise<InventoryEntry | undefined> {
    return (await this.list()).find((h) => h.name === name);
  }

  private async save(hosts: InventoryEntry[]): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, hosts }, null, 2)}\n`, 0o600);
  }

  /** Adds a server; a name already used is refused unless `replace`. */
  async add(entry: z.input<typeof InventoryEntrySchema>, replace = false): Promise<InventoryEntry> {
    const e = InventoryEntrySchema.parse(entry);
    const hosts = await this.list();
    const i = hosts.findIndex((h) => h.name === e.name);
    if (i >= 0 && !replace) throw new Error(`the inventory already has a server named "${e.name}" (remove it first, or add with --replace)`);
    if (i >= 0) hosts[i] = e;
    else hosts.push(e);
    await this.save(hosts);
    return e;
  }

  async remove(name: string): Promise<boolean> {
    const hosts = await this.list();
    const left = hosts.filter((h) => h.name !== name);
    if (left.length === hosts.length) return false;
    await this.save(left);
    return true;
  }

  async update(name: string, change: (e: InventoryEntry) => InventoryEntry): Promise<void> {
    const hosts = await this.list();
    const i = hosts.findIndex((h) => h.name === name);
    if (i < 0) throw new Error(`no server named "${name}" in the inventory`);
    hosts[i] = InventoryEntrySchema.parse(change(hosts[i]!));
    await this.save(hosts);
  }
}
