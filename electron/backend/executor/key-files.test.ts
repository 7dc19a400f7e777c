import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultKeyFile, expandHome } from './key-files';

describe('key files', () => {
  const homes: string[] = [];
  afterEach(() => {
    for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
  });
  const home = (...keys: string[]) => {
    const h = mkdtempSync(join(tmpdir(), 'wp-home-'));
    homes.push(h);
    mkdirSync(join(h, '.ssh'));
    for (const k of keys) writeFileSync(join(h, '.ssh', k), 'key');
    return h;
  };

  it("expands ~ and ~/ only at the start, like ssh_config", () => {
    expect(expandHome('~', '/home/u')).toBe('/home/u');
    expect(expandHome('~/.ssh/id', '/home/u')).toBe('/home/u/.ssh/id');
    expect(expandHome('/etc/~/x', '/home/u')).toBe('/etc/~/x');
    expect(expandHome('~other/x', '/home/u')).toBe('~other/x');
  });

  it("finds the user's default keys in OpenSSH's order, or none", async () => {
    expect(await defaultKeyFile(home())).toBeUndefined();
    const h = home('id_rsa', 'id_ecdsa');
    expect(await defaultKeyFile(h)).toBe(join(h, '.ssh', 'id_ecdsa'));
    const h2 = home('id_rsa', 'id_ed25519');
    expect(await defaultKeyFile(h2)).toBe(join(h2, '.ssh', 'id_ed25519'));
  });
});
