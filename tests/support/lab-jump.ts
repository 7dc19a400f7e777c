// Two lab hosts where the target is reachable only through the jump host: the target's
// root-side veth moves into the jump lab, so no route from the root namespace reaches it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun, runProc } from './lab-proc';
import type { LabHost } from './labhost';

/** Moves the target's root-side veth into the jump lab: from then on only the jump lab reaches it. */
export async function putBehind(jump: LabHost, target: LabHost): Promise<void> {
  await mustRun(['ip', 'link', 'set', target.hostIfname, 'netns', String(jump.pid)]);
  const r = await jump.exec(`ip addr add ${target.hostAddress}/30 dev ${target.hostIfname} && ip link set ${target.hostIfname} up`);
  if (r.code !== 0) throw new Error(`could not put ${target.address} behind the jump lab: ${r.stderr}`);
  if ((await runProc(['ip', 'link', 'show', 'dev', target.hostIfname])).code === 0) throw new Error(`${target.hostIfname} is still in the root namespace`);
}

/** known_hosts with these labs' host keys, in DIR; returns its path. */
export function knownHostsOf(dir: string, labs: readonly LabHost[]): string {
  const kh = join(dir, 'known_hosts');
  writeFileSync(kh, labs.map((l) => `${l.address} ${l.hostPublicKey}\n`).join(''));
  return kh;
}

/** An ssh_config in DIR naming the jump lab `wp-jump` and the target `wp-target` (ProxyJump wp-jump), and its known_hosts. */
export function jumpSshConfig(dir: string, jump: LabHost, target: LabHost): { cfg: string; kh: string } {
  const cfg = join(dir, 'ssh_config');
  writeFileSync(
    cfg,
    [
      'Host wp-jump',
      `  HostName ${jump.address}`,
      '  User root',
      `  IdentityFile ${jump.clientKeyPath}`,
      'Host wp-target',
      `  HostName ${target.address}`,
      '  User root',
      `  IdentityFile ${target.clientKeyPath}`,
      '  ProxyJump wp-jump',
      'Host *',
      '  IdentitiesOnly yes',
      '',
    ].join('\n'),
  );
  return { cfg, kh: knownHostsOf(dir, [jump, target]) };
}
