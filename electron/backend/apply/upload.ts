// Ships a host's plan to the host: the exported script (exactly what `wireplan export`
// writes) travels on stdin, never in argv; the small backend extension (ext.sh) is
// written next to it by upload.sh. Files are root-only, on /run (gone after a reboot).
import { hostScript } from '../../../shared/export/script';
import { shellCommand } from '../../../shared/export/quote';
import type { HostPlan, Plan } from '../../../shared/compile/plan';
import { EXT_SH } from './ext.generated';
import { UPLOAD_SH } from './upload.generated';
import type { RemotePaths } from './paths';

/**
 * Shell text that writes the plan script (from stdin) and the extension atomically, then
 * runs `then` (an argv) if given. Send the script text as the run's stdin.
 */
export function uploadCommand(p: RemotePaths, then: readonly string[] = []): string {
  return shellCommand(['bash', '-c', UPLOAD_SH, 'wp-upload', p.runs, p.script, p.ext, EXT_SH, ...then]);
}

export function scriptFor(plan: Plan, host: HostPlan): string {
  return hostScript(plan, host);
}
