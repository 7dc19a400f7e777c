import type { Design, Program } from '../../../model/schema';
import { bad, good, type Case } from '../case';
import { el } from '../designs';

/** A program with the schema's defaults, changed by `p`. */
const prog = (p: Partial<Program> = {}): Program => ({ name: 'web', command: ['python3', '-m', 'http.server', '8000'], env: {}, restart: false, ports: [8000], ...p });
const run = (d: Design, ...list: Program[]) => { el(d, 'namespaces', 'ns-app1').programs = list; };
const at = (field: string) => ({ elementId: 'ns-app1', field });

export const programCases: Case[] = [
  good('program-name', 'two programs with their own names', (d) => run(d, prog(), prog({ name: 'iperf', command: ['/usr/bin/iperf3', '-s'], ports: [5201] }))),
  bad('program-name', 'an upper-case name', (d) => run(d, prog({ name: 'Web' })), at('programs[0].name')),
  bad('program-name', 'a name with a slash', (d) => run(d, prog({ name: 'a/b' })), at('programs[0].name')),
  bad('program-name', 'the same name twice', (d) => run(d, prog(), prog({ ports: [8001] })), at('programs[1].name')),

  good('program-command', 'an absolute path and plain arguments', (d) => run(d, prog({ command: ['/usr/bin/python3', '-c', "print('it''s $(fine)')"] }))),
  bad('program-command', 'an empty command', (d) => run(d, prog({ command: [] })), at('programs[0].command')),
  bad('program-command', 'an empty program name', (d) => run(d, prog({ command: ['', 'x'] })), at('programs[0].command')),
  bad('program-command', 'a relative path', (d) => run(d, prog({ command: ['./serve.sh'] })), at('programs[0].command[0]')),
  bad('program-command', 'a newline in an argument', (d) => run(d, prog({ command: ['sh', '-c', 'a\nb'] })), at('programs[0].command[2]')),

  good('program-cwd', 'an absolute directory', (d) => run(d, prog({ cwd: '/srv/www' }))),
  bad('program-cwd', 'a relative directory', (d) => run(d, prog({ cwd: 'www' })), at('programs[0].cwd')),

  good('program-env', 'plain variables', (d) => run(d, prog({ env: { PYTHONUNBUFFERED: '1', LANG: 'C.UTF-8' } }))),
  bad('program-env', 'a name with a dash', (d) => run(d, prog({ env: { 'MY-VAR': '1' } })), at('programs[0].env.MY-VAR')),
  bad('program-env', 'the tag variable', (d) => run(d, prog({ env: { WIREPLAN_PROGRAM: 'x' } })), at('programs[0].env.WIREPLAN_PROGRAM')),
  bad('program-env', 'a NUL in a value', (d) => run(d, prog({ env: { A: 'x\u0000y' } })), at('programs[0].env.A')),

  good('program-port', 'two ports', (d) => run(d, prog({ ports: [8000, 8443] }))),
  bad('program-port', 'port 0', (d) => run(d, prog({ ports: [0] })), at('programs[0].ports[0]')),
  bad('program-port', 'two programs on one port', (d) => run(d, prog(), prog({ name: 'web2' })), at('programs[1].ports[0]')),
];
