// validate(design) -> Diagnostic[]: runs every rule; never throws.
import type { Design } from '../model/schema';
import type { Diagnostic } from './diagnostic';

export function validate(_design: Design): Diagnostic[] {
  return []; // rules land in shared/validation/rules/ (one rule per file)
}
