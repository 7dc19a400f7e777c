// A namespace node's programs as the host runs them (docs/programs.md): one small chip
// each, "web" with a green dot while it runs, red with its exit code once it exited. The
// full line (pid, signal) is the chip's tooltip. Subscribes to one string per node: rate
// updates do not re-render it.
import { memo } from 'react';
import type { ProgramStatus } from '../../../../shared/api/contract';
import { describeProgram } from '../../../../shared/observe/program-state';
import { useLive } from '../../store/liveStore';

function ProgramBadgesView({ id }: { id: string }) {
  const text = useLive((s) => {
    const list = s.elements.get(id)?.programs;
    return list && list.length ? JSON.stringify(list) : '';
  });
  if (!text) return null;
  const programs = JSON.parse(text) as ProgramStatus[];
  return (
    <span className="program-chips" data-testid="program-chips">
      {programs.map((p) => (
        <span key={p.name} className={`program-chip program-${p.state}`} data-testid="program-chip" data-program={p.name} data-state={p.state} title={describeProgram(p)}>
          {p.state === 'running' ? '●' : '✕'} {p.name}
          {p.state === 'exited' && ` ${p.exitCode}`}
        </span>
      ))}
    </span>
  );
}

export const ProgramBadges = memo(ProgramBadgesView);
