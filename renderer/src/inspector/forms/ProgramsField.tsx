// A namespace's programs (docs/programs.md): name, command line, working directory,
// environment, restart, ports. The design keeps the command as an argument vector; here it
// is edited as one line (split by shared/util/words.ts, shown back quoted), so what the
// user sees is exactly the words the program will get, and nothing is ever parsed on the host.
import { useEffect, useId, useState } from 'react';
import { formatPath } from '../../../../shared/model/parse';
import type { Program } from '../../../../shared/model/schema';
import { shellCommand } from '../../../../shared/export/quote';
import { splitWords } from '../../../../shared/util/words';
import type { Path } from '../../model/edit';
import { useEditor } from '../../store/designStore';
import { CheckField, Messages, Section, TextField, useFieldDiagnostics, useValue } from '../fields';

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const setField = (id: string, path: Path, value: unknown) => useEditor.getState().setField(id, path, value);
const endEdit = () => useEditor.getState().endEdit();

/** A text input for a value stored in another form (argv, env, ports): parsed as typed, a parse error shown under it. */
function ParsedField<T>({ id, path, label, hint, placeholder, format, parse, multiline }: {
  id: string;
  path: Path;
  label: string;
  hint?: string;
  placeholder?: string;
  format(value: T | undefined): string;
  parse(text: string): Parsed<T>;
  multiline?: boolean;
}) {
  const value = useValue<T>(id, path);
  const diagnostics = useFieldDiagnostics(id, path);
  const htmlId = useId();
  const shown = format(value);
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string>();
  // Follow outside changes (undo, another field), but not while the draft means the same thing.
  useEffect(() => {
    setDraft((d) => {
      const p = parse(d);
      return p.ok && format(p.value) === shown ? d : shown;
    });
  }, [shown]);
  const onChange = (text: string) => {
    setDraft(text);
    const p = parse(text);
    setError(p.ok ? undefined : p.error);
    if (p.ok) setField(id, path, p.value);
  };
  const props = { id: htmlId, name: formatPath(path), value: draft, placeholder, spellCheck: false, onBlur: endEdit };
  const bad = error !== undefined || diagnostics.some((d) => d.severity === 'error');
  return (
    <div className={`field${bad ? ' field-error' : ''}`}>
      <label htmlFor={htmlId} title={hint}>
        {label}
      </label>
      <div className="control">
        {multiline ? <textarea {...props} rows={3} onChange={(e) => onChange(e.target.value)} /> : <input {...props} onChange={(e) => onChange(e.target.value)} />}
      </div>
      {error !== undefined && (
        <ul className="field-messages">
          <li className="msg-error" data-testid="field-message">
            {error}
          </li>
        </ul>
      )}
      <Messages diagnostics={diagnostics} />
    </div>
  );
}

const commandText = (argv: string[] | undefined) => (argv && argv.length ? shellCommand(argv) : '');
const commandParse = (text: string): Parsed<string[]> => {
  const r = splitWords(text);
  return r.ok ? { ok: true, value: r.argv } : { ok: false, error: `command line: ${r.error}` };
};

const envText = (env: Record<string, string> | undefined) =>
  Object.entries(env ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
const envParse = (text: string): Parsed<Record<string, string>> => {
  const env: Record<string, string> = {};
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { ok: false, error: `line ${i + 1}: write NAME=value` };
    env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return { ok: true, value: env };
};

const portsText = (ports: number[] | undefined) => (ports ?? []).join(', ');
const portsParse = (text: string): Parsed<number[]> => {
  const words = text.split(/[\s,]+/).filter(Boolean);
  const bad = words.find((w) => !/^\d{1,5}$/.test(w));
  return bad !== undefined ? { ok: false, error: `"${bad}" is not a port number` } : { ok: true, value: words.map(Number) };
};

/** A fresh program: a name not taken in the namespace yet, nothing to run until the user says what. */
function newProgram(taken: readonly Program[]): Program {
  let n = 1;
  while (taken.some((p) => p.name === `prog${n}`)) n++;
  return { name: `prog${n}`, command: [], env: {}, restart: false, ports: [] };
}

export function ProgramsField({ id }: { id: string }) {
  const programs = useValue<Program[]>(id, ['programs']) ?? [];
  const path: Path = ['programs'];
  return (
    <Section title={`Programs (${programs.length})`}>
      {programs.map((p, i) => (
        <div className="row-card" key={i} data-testid="program-card">
          <TextField id={id} path={[...path, i, 'name']} label="Name" hint="Names its pid file and log on the host (/run/wireplan/TAG/prog/)" />
          <ParsedField
            id={id}
            path={[...path, i, 'command']}
            label="Command"
            placeholder="python3 -m http.server 8000"
            hint="The program and its arguments, split into words as a shell would (quotes, backslash), but run without any shell: $VARS, * and ~ stay as typed."
            format={commandText}
            parse={commandParse}
          />
          <TextField id={id} path={[...path, i, 'cwd']} label="Directory" optional placeholder="/" hint="Absolute working directory" />
          <ParsedField id={id} path={[...path, i, 'env']} label="Environment" multiline placeholder="NAME=value, one per line" format={envText} parse={envParse} />
          <ParsedField
            id={id}
            path={[...path, i, 'ports']}
            label="TCP ports"
            placeholder="8000"
            hint="Where it listens: up waits for them, and the connectivity check connects to the program there."
            format={portsText}
            parse={portsParse}
          />
          <CheckField id={id} path={[...path, i, 'restart']} label="Restart on exit" />
          <button type="button" className="small danger" onClick={() => (setField(id, path, programs.filter((_, j) => j !== i)), endEdit())}>
            Remove program
          </button>
        </div>
      ))}
      <button type="button" className="small" data-testid="add-program" onClick={() => (setField(id, path, [...programs, newProgram(programs)]), endEdit())}>
        + program
      </button>
    </Section>
  );
}
