// Inspector form controls bound to one element field by path. Each shows the validation
// messages whose element id and field match its path, live, as the user types.
import { useEffect, useId, useState, type ReactNode } from 'react';
import { formatPath } from '../../../shared/model/parse';
import type { Diagnostic } from '../../../shared/validation/diagnostic';
import { getIn, type Path } from '../model/edit';
import { diagnosticsOf } from '../store/derived';
import { useEditor } from '../store/designStore';
import { lookup } from '../model/lookup';

const EMPTY: Diagnostic[] = [];

/** Diagnostics for `id` whose field is `path` or inside it (`exact` matches the path only). */
export function useFieldDiagnostics(id: string, path: Path, exact = false): Diagnostic[] {
  const key = formatPath(path);
  const all = useEditor((s) => diagnosticsOf(s.design));
  const list = all.filter((d) => {
    if (d.elementId !== id || d.field === undefined) return false;
    if (d.field === key) return true;
    return !exact && key !== '' && (d.field.startsWith(`${key}.`) || d.field.startsWith(`${key}[`));
  });
  return list.length ? list : EMPTY;
}

export function Messages({ diagnostics }: { diagnostics: Diagnostic[] }) {
  if (diagnostics.length === 0) return null;
  return (
    <ul className="field-messages">
      {diagnostics.map((d, i) => (
        <li key={i} className={`msg-${d.severity}`} data-testid="field-message" data-rule={d.rule}>
          {d.message}
          {d.fix && <span className="fix"> — {d.fix}</span>}
        </li>
      ))}
    </ul>
  );
}

/** Current value of a field of element `id` (NIC node ids included). */
export function useValue<T>(id: string, path: Path): T | undefined {
  return useEditor((s) => getIn(lookup(s.design).byId.get(id)?.element, path)) as T | undefined;
}

interface FieldProps {
  id: string;
  path: Path;
  label: string;
  hint?: string;
}

function Row({ label, htmlFor, children, diagnostics, hint }: { label: string; htmlFor?: string; children: ReactNode; diagnostics: Diagnostic[]; hint?: string }) {
  const worst = diagnostics.some((d) => d.severity === 'error') ? 'error' : diagnostics.length ? 'warning' : '';
  return (
    <div className={`field${worst ? ` field-${worst}` : ''}`}>
      <label htmlFor={htmlFor} title={hint}>
        {label}
      </label>
      <div className="control">{children}</div>
      <Messages diagnostics={diagnostics} />
    </div>
  );
}

const setField = (id: string, path: Path, value: unknown) => useEditor.getState().setField(id, path, value);
const endEdit = () => useEditor.getState().endEdit();

export function TextField({ id, path, label, hint, optional, placeholder }: FieldProps & { optional?: boolean; placeholder?: string }) {
  const value = useValue<string>(id, path);
  const diagnostics = useFieldDiagnostics(id, path);
  const htmlId = useId();
  return (
    <Row label={label} htmlFor={htmlId} diagnostics={diagnostics} hint={hint}>
      <input
        id={htmlId}
        name={formatPath(path)}
        value={value ?? ''}
        placeholder={placeholder}
        spellCheck={false}
        onChange={(e) => setField(id, path, optional && e.target.value === '' ? undefined : e.target.value)}
        onBlur={endEdit}
      />
    </Row>
  );
}

export function NumberField({ id, path, label, hint, optional, min, max }: FieldProps & { optional?: boolean; min?: number; max?: number }) {
  const value = useValue<number>(id, path);
  const diagnostics = useFieldDiagnostics(id, path);
  const htmlId = useId();
  const [draft, setDraft] = useState(value === undefined ? '' : String(value));
  useEffect(() => {
    setDraft((d) => (Number(d) === value && d !== '' ? d : value === undefined ? '' : String(value)));
  }, [value]);
  return (
    <Row label={label} htmlFor={htmlId} diagnostics={diagnostics} hint={hint}>
      <input
        id={htmlId}
        name={formatPath(path)}
        inputMode="numeric"
        value={draft}
        placeholder={optional ? 'default' : ''}
        min={min}
        max={max}
        onChange={(e) => {
          const text = e.target.value.trim();
          setDraft(e.target.value);
          if (text === '' && optional) setField(id, path, undefined);
          else if (/^-?\d+$/.test(text)) setField(id, path, Number(text));
        }}
        onBlur={() => {
          endEdit();
          setDraft(value === undefined ? '' : String(value));
        }}
      />
    </Row>
  );
}

export function CheckField({ id, path, label, hint, fallback = false }: FieldProps & { fallback?: boolean }) {
  const value = useValue<boolean>(id, path);
  const diagnostics = useFieldDiagnostics(id, path);
  const htmlId = useId();
  return (
    <Row label={label} htmlFor={htmlId} diagnostics={diagnostics} hint={hint}>
      <input
        id={htmlId}
        name={formatPath(path)}
        type="checkbox"
        checked={value ?? fallback}
        onChange={(e) => {
          setField(id, path, e.target.checked);
          endEdit();
        }}
      />
    </Row>
  );
}

/** A tri-state sysctl-like boolean: unset (leave as is), on, off. */
export function TriStateField({ id, path, label, hint }: FieldProps) {
  const value = useValue<boolean>(id, path);
  const diagnostics = useFieldDiagnostics(id, path);
  const htmlId = useId();
  return (
    <Row label={label} htmlFor={htmlId} diagnostics={diagnostics} hint={hint}>
      <select
        id={htmlId}
        name={formatPath(path)}
        value={value === undefined ? '' : value ? 'on' : 'off'}
        onChange={(e) => {
          setField(id, path, e.target.value === '' ? undefined : e.target.value === 'on');
          endEdit();
        }}
      >
        <option value="">leave as is</option>
        <option value="on">on</option>
        <option value="off">off</option>
      </select>
    </Row>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField({ id, path, label, hint, options, optional, onChanged }: FieldProps & { options: Option[]; optional?: string; onChanged?(value: string): void }) {
  const value = useValue<string>(id, path);
  const diagnostics = useFieldDiagnostics(id, path);
  const htmlId = useId();
  const known = value === undefined || value === '' || options.some((o) => o.value === value);
  return (
    <Row label={label} htmlFor={htmlId} diagnostics={diagnostics} hint={hint}>
      <select
        id={htmlId}
        name={formatPath(path)}
        value={value ?? ''}
        onChange={(e) => {
          setField(id, path, optional !== undefined && e.target.value === '' ? undefined : e.target.value);
          onChanged?.(e.target.value);
          endEdit();
        }}
      >
        {optional !== undefined && <option value="">{optional}</option>}
        {!known && <option value={value}>{value} (missing)</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Row>
  );
}

/** A list of strings (addresses, prefixes, NIC names), one input per entry. */
export function StringListField({ id, path, label, hint, placeholder, addLabel = 'Add', suggest }: FieldProps & { placeholder?: string; addLabel?: string; suggest?: () => string }) {
  const list = useValue<string[]>(id, path) ?? [];
  const diagnostics = useFieldDiagnostics(id, path, true);
  return (
    <Row label={label} diagnostics={diagnostics} hint={hint}>
      <div className="list">
        {list.map((item, i) => (
          <ListItem key={i} id={id} path={[...path, i]} value={item} placeholder={placeholder} onRemove={() => (setField(id, path, list.filter((_, j) => j !== i)), endEdit())} />
        ))}
        <button
          type="button"
          className="small"
          onClick={() => {
            setField(id, path, [...list, suggest?.() ?? '']);
            endEdit();
          }}
        >
          + {addLabel}
        </button>
      </div>
    </Row>
  );
}

function ListItem({ id, path, value, placeholder, onRemove }: { id: string; path: Path; value: string; placeholder?: string; onRemove(): void }) {
  const diagnostics = useFieldDiagnostics(id, path);
  return (
    <div className={`list-item${diagnostics.some((d) => d.severity === 'error') ? ' field-error' : ''}`}>
      <div className="list-row">
        <input value={value} name={formatPath(path)} placeholder={placeholder} spellCheck={false} onChange={(e) => setField(id, path, e.target.value)} onBlur={endEdit} />
        <button type="button" className="icon-btn" title="Remove" aria-label="Remove" onClick={onRemove}>
          ×
        </button>
      </div>
      <Messages diagnostics={diagnostics} />
    </div>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="section">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}
