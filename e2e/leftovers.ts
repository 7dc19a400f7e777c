// What a spec started (lab hosts, `wireplan serve` processes and their children), written
// down while it runs, so afterAll can prove none of it is left: no process, no namespace
// held by anything, no interface on this machine, no work folder. Uses the harness's own
// records (LabHost.pid / hostIfname / its key files, Serve.pid / workspace) and its
// namespace-holder search.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LabHost } from '../tests/support/labhost';
import { findNamespaceHolders, nsLink, processAlive, processStartTicks, uptimeTicks } from '../tests/support/sandbox-proc';
import type { Serve } from './serve';

interface Proc {
  pid: number;
  start: number;
  what: string;
}

function descendants(pid: number): number[] {
  let kids: number[] = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return kids.flatMap((k) => [k, ...descendants(k)]);
}

export class Leftovers {
  private readonly procs: Proc[] = [];
  private readonly namespaces = new Set<string>();
  private readonly ifnames: string[] = [];
  private readonly dirs: string[] = [];
  /** Clock ticks when the last recorded thing was stopped: a namespace inode seen on a later process is a recycled number, not ours. */
  private stoppedAt = uptimeTicks();

  private proc(pid: number, what: string): void {
    const start = processStartTicks(pid);
    if (start !== null) this.procs.push({ pid, start, what });
  }

  /** Right after start: the lab's init, its namespaces, its veth, its work folder. */
  lab(lab: LabHost): void {
    this.proc(lab.pid, `lab ${lab.name} init`);
    for (const kind of ['net', 'mnt', 'pid'] as const) {
      const link = nsLink(lab.pid, kind);
      if (link) this.namespaces.add(link);
    }
    this.ifnames.push(lab.hostIfname);
    this.dirs.push(dirname(lab.hostKeyPath));
  }

  /** Before stopping it: the serve process and every process under it at that moment. */
  serve(serve: Serve): void {
    this.proc(serve.pid, 'wireplan serve');
    for (const p of descendants(serve.pid)) this.proc(p, `child of wireplan serve: ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ')}`);
    this.dirs.push(dirname(serve.workspace));
  }

  /** Call after stopping what was recorded. */
  stopped(): void {
    this.stoppedAt = uptimeTicks();
  }

  /** Everything recorded that still exists, one line each (empty when all is gone). */
  remaining(): string[] {
    const out: string[] = [];
    for (const p of this.procs) if (processAlive(p.pid, p.start)) out.push(`process ${p.pid} (${p.what})`);
    for (const h of findNamespaceHolders(this.namespaces, this.stoppedAt)) out.push(`namespace ${h.ns} held by ${h.pid} ${h.cmdline} (${h.via})`);
    for (const ifname of this.ifnames) {
      try {
        execFileSync('ip', ['link', 'show', 'dev', ifname], { stdio: 'ignore' });
        out.push(`interface ${ifname}`);
      } catch {
        // gone, as it should be
      }
    }
    for (const d of this.dirs) if (existsSync(d)) out.push(`folder ${d}`);
    return out;
  }
}
