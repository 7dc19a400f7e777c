// Element ids key the layout, the plan's step ids and ownership tags on hosts.
import { ELEMENT_ID } from '../../model/identifiers';
import { ELEMENT_COLLECTIONS } from '../../model/schema';
import { error, type Finding, type Rule } from '../rule';

export const elementIds: Rule = ({ design, index, label }) => {
  const out: Finding[] = [];
  for (const collection of ELEMENT_COLLECTIONS) {
    for (const el of design[collection]) {
      if (!ELEMENT_ID.test(el.id)) {
        out.push(
          error(
            'element-id-syntax',
            el.id,
            'id',
            `${label(el.id)} has id "${el.id}": ids start with a lower-case letter and use only a-z, 0-9, "-" and "_" (at most 32)`,
            'rename the id, e.g. "br-app" or "ns_db1"',
          ),
        );
      }
    }
  }
  for (const id of new Set(index.duplicateIds)) {
    const kinds = ELEMENT_COLLECTIONS.filter((c) => design[c].some((el) => el.id === id));
    out.push(
      error(
        'element-id-duplicate',
        id,
        'id',
        `id "${id}" is used by more than one element (${kinds.join(', ')}); references to it are ambiguous`,
        'give each element its own id',
      ),
    );
  }
  return out;
};
