// Forgetting a trusted host key: the lines of Wireplan's own known_hosts that name this
// host (plain or hashed; @revoked and @cert-authority lines are kept), written back
// atomically. The user's ~/.ssh/known_hosts is never touched.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../atomicWrite';
import { hostMatches, knownHostsName } from '../executor/known-hosts';

/** Removes this host's keys from `file`; returns how many lines went. */
export async function forgetKnownHost(file: string, host: string, port: number): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  const name = knownHostsName(host, port);
  let removed = 0;
  const kept = text.split('\n').filter((line) => {
    const fields = line.trim().split(/\s+/);
    const patterns = fields[0] ?? '';
    if (patterns === '' || patterns.startsWith('#') || patterns.startsWith('@')) return true;
    if (!hostMatches(patterns, name)) return true;
    removed++;
    return false;
  });
  if (removed > 0) await writeFileAtomic(file, kept.join('\n'), 0o600);
  return removed;
}
