// Link impairments in the inspector (docs/impairments.md): one decimal field per tc knob,
// for the whole link or one end. Empty means "not set"; validation messages (range, jitter
// without delay, both link and end) show under the field they are about.
import { useEffect, useId, useState } from 'react';
import { formatPath } from '../../../../shared/model/parse';
import { IMPAIR_LIMITS } from '../../../../shared/compile/impair';
import type { Path } from '../../model/edit';
import { useEditor } from '../../store/designStore';
import { Messages, Section, useFieldDiagnostics, useValue } from '../fields';

const FIELDS = [
  ['rateKbit', 'Rate (kbit/s)', 'Token bucket rate limit (tbf)'],
  ['delayMs', 'Delay (ms)', 'Added one-way delay (netem)'],
  ['jitterMs', 'Jitter (ms)', 'Random ± variation of the delay (needs a delay)'],
  ['lossPct', 'Loss (%)', 'Packets dropped at random'],
  ['duplicatePct', 'Duplicate (%)', 'Packets sent twice'],
  ['corruptPct', 'Corrupt (%)', 'Packets with a flipped bit'],
  ['reorderPct', 'Reorder (%)', 'Packets sent ahead of the delayed rest (needs a delay)'],
] as const;

/** A number that may have decimals ("0.5"); the text stays as typed until it parses. */
function DecimalField({ id, path, label, hint, min, max }: { id: string; path: Path; label: string; hint: string; min: number; max: number }) {
  const value = useValue<number>(id, path);
  const diagnostics = useFieldDiagnostics(id, path, true);
  const htmlId = useId();
  const [draft, setDraft] = useState(value === undefined ? '' : String(value));
  useEffect(() => {
    setDraft((d) => (d !== '' && Number(d) === value ? d : value === undefined ? '' : String(value)));
  }, [value]);
  const worst = diagnostics.some((d) => d.severity === 'error') ? ' field-error' : diagnostics.length ? ' field-warning' : '';
  return (
    <div className={`field${worst}`}>
      <label htmlFor={htmlId} title={hint}>
        {label}
      </label>
      <div className="control">
        <input
          id={htmlId}
          name={formatPath(path)}
          inputMode="decimal"
          value={draft}
          placeholder="none"
          title={`${hint} (${min}–${max})`}
          onChange={(e) => {
            const text = e.target.value.trim();
            setDraft(e.target.value);
            if (text === '') useEditor.getState().setField(id, path, undefined);
            else if (/^-?\d+(\.\d+)?$/.test(text)) useEditor.getState().setField(id, path, Number(text));
          }}
          onBlur={() => {
            useEditor.getState().endEdit();
            setDraft(value === undefined ? '' : String(value));
          }}
        />
      </div>
      <Messages diagnostics={diagnostics} />
    </div>
  );
}

/** The impairment fields under `base` (['impair'] for the link, ['a', 'impair'] for an end). */
export function ImpairFields({ id, base, title }: { id: string; base: Path; title: string }) {
  const path = [...base, 'impair'];
  const own = useFieldDiagnostics(id, path, true);
  return (
    <Section title={title}>
      {FIELDS.map(([key, label, hint]) => (
        <DecimalField key={key} id={id} path={[...path, key]} label={label} hint={hint} min={IMPAIR_LIMITS[key].min} max={IMPAIR_LIMITS[key].max} />
      ))}
      <Messages diagnostics={own} />
    </Section>
  );
}
