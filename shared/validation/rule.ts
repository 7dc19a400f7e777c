// What a rule is and how it reports. A rule is a pure function of the context; it may
// assume the design passed the schema, and validate() turns any exception into an
// 'internal' diagnostic so one buggy rule never hides the others.
import type { RuleId } from './catalog';
import type { RuleContext } from './context';
import type { Diagnostic, Severity } from './diagnostic';

export interface Finding extends Diagnostic {
  rule: RuleId;
}

export type Rule = (ctx: RuleContext) => Finding[];

function make(severity: Severity) {
  return (rule: RuleId, elementId: string | undefined, field: string | undefined, message: string, fix?: string): Finding => ({
    rule,
    severity,
    ...(elementId !== undefined ? { elementId } : {}),
    ...(field !== undefined ? { field } : {}),
    message,
    ...(fix !== undefined ? { fix } : {}),
  });
}

export const error = make('error');
export const warning = make('warning');
export const info = make('info');
