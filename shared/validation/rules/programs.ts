// Programs a namespace runs (docs/programs.md). The command is an argument vector handed to
// the host as quoted words and started with `env -i ... ARGV`: no shell ever parses it, so
// the checks here are about what the host can run and what the runtime can name, not about
// quoting. Names become file names under /run/wireplan/TAG/prog/, hence the strict syntax.
import { error, type Finding, type Rule } from '../rule';

const NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** The runtime's own variable: it tags the program's processes as this design's (see runtime.sh). */
export const PROGRAM_TAG_VAR = 'WIREPLAN_PROGRAM';
// Bytes a line-based listing (the plan preview, `status`, the log header) cannot show as one line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000\n\r]/;

export const programs: Rule = ({ design }) => {
  const out: Finding[] = [];
  for (const ns of design.namespaces) {
    const names = new Set<string>();
    const ports = new Map<number, string>();
    ns.programs.forEach((p, i) => {
      const f = (field: string) => `programs[${i}].${field}`;
      const label = `program "${p.name}"`;
      if (!NAME.test(p.name)) {
        out.push(error('program-name', ns.id, f('name'), `program name "${p.name}" is not valid`, 'use lower-case letters, digits, "-" and "_", starting with a letter, at most 32 (it names the pid file and log on the host)'));
      } else if (names.has(p.name)) {
        out.push(error('program-name', ns.id, f('name'), `namespace "${ns.name}" has two programs named "${p.name}"`, 'give each program of a namespace its own name'));
      }
      names.add(p.name);

      const argv0 = p.command[0];
      if (argv0 === undefined || argv0 === '') {
        out.push(error('program-command', ns.id, f('command'), `${label} has no command`, 'give the program to run and its arguments, e.g. ["python3", "-m", "http.server", "8000"]'));
      } else if (argv0.includes('/') && !argv0.startsWith('/')) {
        out.push(error('program-command', ns.id, f('command[0]'), `${label}: "${argv0}" is a relative path`, 'give an absolute path, or a bare name looked up in PATH'));
      }
      p.command.forEach((a, j) => {
        if (CONTROL.test(a)) out.push(error('program-command', ns.id, f(`command[${j}]`), `${label}: argument ${j} contains a NUL, newline or carriage return`, 'remove the control characters (pass multi-line input through a file instead)'));
      });

      if (p.cwd !== undefined && (!p.cwd.startsWith('/') || CONTROL.test(p.cwd))) {
        out.push(error('program-cwd', ns.id, f('cwd'), `${label}: working directory "${p.cwd}" is not an absolute path`, 'give an absolute path such as /srv/www, or leave it empty for /'));
      }

      for (const [k, v] of Object.entries(p.env)) {
        if (!ENV_NAME.test(k)) {
          out.push(error('program-env', ns.id, f(`env.${k}`), `${label}: "${k}" is not a valid environment variable name`, 'use letters, digits and "_", not starting with a digit'));
        } else if (k === PROGRAM_TAG_VAR) {
          out.push(error('program-env', ns.id, f(`env.${k}`), `${label}: ${PROGRAM_TAG_VAR} is set by Wireplan itself (it marks the program's processes as this design's)`, 'use another name'));
        } else if (v.includes('\u0000')) {
          out.push(error('program-env', ns.id, f(`env.${k}`), `${label}: the value of ${k} contains a NUL byte`, 'remove it: environment values cannot hold NUL'));
        }
      }

      p.ports.forEach((port, j) => {
        if (port < 1 || port > 65535) {
          out.push(error('program-port', ns.id, f(`ports[${j}]`), `${label}: port ${port} is not 1..65535`, 'give the TCP port the program listens on'));
          return;
        }
        const other = ports.get(port);
        if (other !== undefined) out.push(error('program-port', ns.id, f(`ports[${j}]`), `${label}: port ${port} is already served by program "${other}" in namespace "${ns.name}"`, 'two programs of one namespace cannot listen on the same TCP port'));
        else ports.set(port, p.name);
      });
    });
  }
  return out;
};
