// Standalone bash script (up/down/status) for one host of a plan.
import type { Plan } from '../compile/plan';

export function exportScript(_plan: Plan, _hostId: string): string {
  throw new Error('not implemented yet');
}
