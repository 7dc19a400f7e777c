// Ships a host's plan to the host: the exported script (exactly what `wireplan export`
// writes) travels on stdin, never in argv; the small backend extension (ext.sh) is
// written next to it. Files are root-only, on /run (gone after a reboot).
import { hostScript } from '../../../shared/export/script';
import { quoteArg } from '../../../shared/export/quote';
import type { HostPlan, Plan } from '../../../shared/compile/plan';
import { EXT_SCRIPT } from './ext.generated';
import type { RemotePaths } from './paths';

const EXT_END = 'WIREPLAN_EXT_END_OF_FILE';

if (EXT_SCRIPT.split('\n').includes(EXT_END)) throw new Error('ext.sh contains its own heredoc delimiter');

/**
 * Shell text that writes the plan script (from stdin) and the extension atomically, then
 * runs `then` (already quoted). Send the script text as the run's stdin.
 */
export function uploadCommand(p: RemotePaths, then?: string): string {
  const q = quoteArg;
  return [
    'set -e',
    'umask 077',
    `mkdir -p ${q(p.runs)}`,
    `cat > ${q(`${p.script}.tmp`)}`,
    `mv -f ${q(`${p.script}.tmp`)} ${q(p.script)}`,
    `cat > ${q(`${p.ext}.tmp`)} <<'${EXT_END}'\n${EXT_SCRIPT}${EXT_SCRIPT.endsWith('\n') ? '' : '\n'}${EXT_END}`,
    `mv -f ${q(`${p.ext}.tmp`)} ${q(p.ext)}`,
    ...(then ? [then] : []),
  ].join('\n');
}

export function scriptFor(plan: Plan, host: HostPlan): string {
  return hostScript(plan, host);
}
